package org.multiproc4j.examples.multiprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.multiproc4j.pool.ProcessPool;

/**
 * The tutorial's "Pool.apply": ten blocking {@code apply} calls on a pool of four worker JVMs. Each call waits
 * for its result, so the workers' lines alternate strictly ({@code start process x}, {@code end process x}) and
 * the cubes come back in call order.
 *
 * <p>Python's version ({@code pool_apply.py}) is {@code [pool.apply(cube, args=(x,)) for x in range(10)]}; here
 * {@code cube} is a method reference, which travels to the workers once.
 *
 * <p>How to run: {@code bin/tour apply}.
 */
public final class PoolApply {
    private PoolApply() {
    }

    static int cube(int x) {
        System.out.println("start process " + x);
        int result = x * x * x;
        System.out.println("end process " + x);
        return result;
    }

    /**
     * Runs the example.
     *
     * @param args ignored.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if a task failed.
     */
    public static void main(String[] args) throws InterruptedException, ExecutionException {
        long t0 = System.nanoTime();
        try (ProcessPool pool = new ProcessPool(4)) {
            List<Integer> cubes = new ArrayList<>();
            for (int x = 0; x < 10; x++) {
                cubes.add(pool.apply(PoolApply::cube, x));
            }
            System.out.println(cubes);
        }
        System.out.println("Time in parallel: " + (System.nanoTime() - t0) / 1e9);
    }
}
