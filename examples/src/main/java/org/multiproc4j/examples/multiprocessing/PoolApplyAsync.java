package org.multiproc4j.examples.multiprocessing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.multiproc4j.pool.ProcessPool;

/**
 * The tutorial's "Pool.apply_async": ten {@code applyAsync} calls with a callback, each followed at once by
 * {@code get()}. The callback runs in the pool's callback thread before {@code get()} returns, so after the
 * pool is closed it has collected every cube, in order.
 *
 * <p>Python's version is {@code pool_apply_async.py}.
 *
 * <p>How to run: {@code bin/tour apply}.
 */
public final class PoolApplyAsync {
    private PoolApplyAsync() {
    }

    static int cube(int x) {
        System.out.println("start process " + x);
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
        List<Integer> collected = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = new ProcessPool(4)) {
            for (int x = 0; x < 10; x++) {
                System.out.println(pool.applyAsync(PoolApplyAsync::cube, x, collected::add, null).get());
            }
        }
        System.out.println("collected by callback: " + collected);
        System.out.println("Time in parallel & concurrent: " + (System.nanoTime() - t0) / 1e9);
    }
}
