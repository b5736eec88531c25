package org.multiproc4j.examples.multiprocessing;

import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.core.JvmProcess;

/**
 * The tutorial's "multiprocessing cube": five child JVMs run at once; child {@code i} announces itself,
 * prints the cube of {@code i}, sleeps a second and says it is done. The parent starts all five, waits for
 * them and prints their exit codes.
 *
 * <p>Python's version ({@code multiprocessing_cube.py}) builds {@code Process(target=cube, args=(i,))};
 * here the target is a lambda that captures {@code i}, and the lambda (with {@code i}) is what travels to
 * the child. Each line is printed with one {@code println}, so lines from different children never mix.
 *
 * <p>How to run: {@code bin/tour}, or after a build
 * {@code java -cp "examples/target/*:examples/target/lib/*" org.multiproc4j.examples.multiprocessing.Cube}.
 */
public final class Cube {
    private Cube() {
    }

    static void cube(int x) {
        System.out.println("starting process " + x);
        System.out.println("calculating cube of " + x + "... result: " + x * x * x);
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("end process " + x);
    }

    /**
     * Starts five children, joins them, prints their exit codes.
     *
     * @param args ignored.
     * @throws InterruptedException if interrupted while joining.
     */
    public static void main(String[] args) throws InterruptedException {
        List<JvmProcess> procs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int x = i;
            procs.add(new JvmProcess(() -> cube(x)));
        }
        for (JvmProcess p : procs) {
            p.start();
        }
        List<Integer> codes = new ArrayList<>();
        for (JvmProcess p : procs) {
            p.join();
            codes.add(p.exitCode());
        }
        System.out.println("exit codes: " + codes);
    }
}
