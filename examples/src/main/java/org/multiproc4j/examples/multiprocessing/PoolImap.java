package org.multiproc4j.examples.multiprocessing;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.multiproc4j.pool.ProcessPool;
import org.multiproc4j.pool.ResultIterator;

/**
 * The tutorial's "Pool.imap": the cubes of 0..9, yielded lazily and in input order, printed as the iterator
 * yields them.
 *
 * <p>Python's version is {@code pool_imap.py}: {@code for each in pool.imap(cube, range(10)): print(each)}.
 *
 * <p>How to run: {@code bin/tour imap}.
 */
public final class PoolImap {
    private PoolImap() {
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
     */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        List<Integer> inputs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        try (ProcessPool pool = new ProcessPool(4)) {
            ResultIterator<Integer> cubes = pool.imap(PoolImap::cube, inputs);
            while (cubes.hasNext()) {
                System.out.println(cubes.next());
            }
        }
        System.out.println("Time in concurrent manner: " + (System.nanoTime() - t0) / 1e9);
    }
}
