package org.multiproc4j.examples.multiprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.SharedQueue;

/**
 * The tutorial's "queue" example: ten child JVMs put the cubes of 1..10 on one {@link SharedQueue}; then each
 * cube is taken off and a new child puts cube + 1 back on the same queue. Arrival order depends on scheduling,
 * so the example ends with the two sorted lists, which are always
 * {@code sorted initial: [1, 8, 27, 64, 125, 216, 343, 512, 729, 1000]} and
 * {@code sorted final: [2, 9, 28, 65, 126, 217, 344, 513, 730, 1001]}.
 *
 * <p>Why it takes exactly ten values in each phase: the tutorial's own code reads with
 * {@code while not q.empty(): v = q.get(); start add(v)} while the add-processes it starts are already
 * putting into the same queue. That loop races with them: it re-reads the {@code +1} values (and starts a
 * process for each), or stops early when the queue is momentarily empty. Run 15 times on this machine, it
 * consumed between 23 and 1298 values instead of 10. Counting the values instead of asking whether the queue
 * is empty has no race.
 *
 * <p>How to run: {@code bin/tour queue}, or after a build
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "examples/target/*:examples/target/lib/*"
 * org.multiproc4j.examples.multiprocessing.QueueCubesPlusOne}.
 */
public final class QueueCubesPlusOne {
    private QueueCubesPlusOne() {
    }

    static void cube(int x, SharedQueue<Integer> q) {
        put(q, x * x * x);
    }

    static void add(int x, SharedQueue<Integer> q) {
        put(q, x + 1);
    }

    private static void put(SharedQueue<Integer> q, int v) {
        try {
            q.put(v);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Integer> takeTen(SharedQueue<Integer> q) throws InterruptedException {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Integer v = q.poll(10, TimeUnit.SECONDS);
            if (v == null) {
                throw new IllegalStateException("only " + values.size() + " values arrived within 10 s: " + values);
            }
            values.add(v);
        }
        return values;
    }

    private static void runAll(List<JvmProcess> procs) throws InterruptedException {
        for (JvmProcess p : procs) {
            p.start();
        }
        for (JvmProcess p : procs) {
            p.join();
        }
    }

    /**
     * Runs both phases and prints the values, then the sorted lists.
     *
     * @param args ignored.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static void main(String[] args) throws InterruptedException {
        try (SharedQueue<Integer> q = SharedQueue.create()) {
            List<JvmProcess> procs = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                int x = i;
                procs.add(new JvmProcess(() -> cube(x, q)));
            }
            runAll(procs);

            System.out.println("INITIAL VALUES:");
            List<Integer> initial = takeTen(q);
            for (int v : initial) {
                System.out.println(v);
            }

            procs.clear();
            for (int v : initial) {
                procs.add(new JvmProcess(() -> add(v, q)));
            }
            runAll(procs);

            System.out.println("FINAL VALUES:");
            List<Integer> last = takeTen(q);
            for (int v : last) {
                System.out.println(v);
            }
            List<Integer> sortedInitial = new ArrayList<>(initial);
            sortedInitial.sort(null);
            List<Integer> sortedFinal = new ArrayList<>(last);
            sortedFinal.sort(null);
            System.out.println("sorted initial: " + sortedInitial);
            System.out.println("sorted final: " + sortedFinal);
        }
    }
}
