package org.multiproc4j.examples.multiprocessing;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.multiproc4j.pool.ProcessPool;

/**
 * The tutorial's "Pool.map_async": a first {@code mapAsync} is waited for with {@code get()}, and its callback
 * receives the whole list first; a second one is not waited for, so {@code HERE!} and {@code HERE AGAIN!} print
 * while it runs. Closing the pool waits for its ten cubes.
 *
 * <p>Python's version is {@code pool_map_async.py} ({@code cube_print} sleeps 0.1 s there too).
 *
 * <p>How to run: {@code bin/tour map}.
 */
public final class PoolMapAsync {
    private PoolMapAsync() {
    }

    static int cube(int x) throws InterruptedException {
        System.out.println("start process " + x);
        Thread.sleep(1000);
        System.out.println("end process " + x);
        return x * x * x;
    }

    static Void cubePrint(int x) throws InterruptedException {
        Thread.sleep(100);
        System.out.println(x * x * x);
        return null;
    }

    /**
     * Runs the example.
     *
     * @param args ignored.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if a task failed.
     */
    public static void main(String[] args) throws InterruptedException, ExecutionException {
        List<Integer> inputs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        try (ProcessPool pool = new ProcessPool(4)) {
            System.out.println(pool.<Integer, Integer>mapAsync(PoolMapAsync::cube, inputs, 0,
                    result -> System.out.println("callback got: " + result), null).get());
            pool.mapAsync(PoolMapAsync::cubePrint, inputs);
            System.out.println("HERE!");
            System.out.println("HERE AGAIN!");
        }
    }
}
