package org.multiproc4j.examples.multiprocessing;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.multiproc4j.pool.ProcessPool;

/**
 * The tutorial's "Pool.map": the cubes of 0..9 on four worker JVMs, each task sleeping a second. Four run at
 * once, so it takes about three seconds (ten tasks in three rounds), not ten; the list comes back in input order.
 *
 * <p>Python's version is {@code pool_map.py}: {@code pool.map(cube, range(10))}.
 *
 * <p>How to run: {@code bin/tour map}.
 */
public final class PoolMap {
    private PoolMap() {
    }

    static int cube(int x) throws InterruptedException {
        System.out.println("start process " + x);
        Thread.sleep(1000);
        System.out.println("end process " + x);
        return x * x * x;
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
        List<Integer> inputs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        try (ProcessPool pool = new ProcessPool(4)) {
            System.out.println(pool.map(PoolMap::cube, inputs));
        }
        System.out.println("Time in concurrent manner: " + (System.nanoTime() - t0) / 1e9);
    }
}
