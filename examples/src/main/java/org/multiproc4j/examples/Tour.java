package org.multiproc4j.examples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

import org.multiproc4j.mpi.launch.MpiLauncher;

/**
 * The examples tour ({@code bin/tour}): every tutorial example, in the tutorial's order, each under a
 * heading, each printing the same deterministic lines as the Python reference.
 *
 * <p>Each example's {@code main} runs in this JVM, one after the other; the child JVMs it starts print
 * to this console. An MPI example is an SPMD program: the tour runs it as a job of {@value #MPI_RANKS} ranks
 * with {@link MpiLauncher}, each rank a child JVM printing to this console. {@code bin/tour NAME...} runs only the examples whose heading or class name contains
 * one of the given words.
 */
public final class Tour {
    /** One example: its heading, the Python file it ports, its main class, and its rank count if it is an MPI one. */
    record Example(String heading, String python, String mainClass, int ranks) {
        Example(String heading, String python, String mainClass) {
            this(heading, python, mainClass, 0);
        }
    }

    /** The MPI examples run with this many ranks, on the local backend. */
    static final int MPI_RANKS = 4;

    /** The tour, in the tutorial's order. */
    static final List<Example> EXAMPLES = List.of(
            new Example("multiprocessing cube", "multiprocessing_cube.py",
                    "org.multiproc4j.examples.multiprocessing.Cube"),
            new Example("pipe communication", "pipe_communication.py",
                    "org.multiproc4j.examples.multiprocessing.PipeCommunication"),
            new Example("queue: cubes, then plus one", "queue_cube_add.py",
                    "org.multiproc4j.examples.multiprocessing.QueueCubesPlusOne"),
            new Example("Value", "value_cube.py", "org.multiproc4j.examples.multiprocessing.SharedValue"),
            new Example("Array", "array_add_one.py", "org.multiproc4j.examples.multiprocessing.SharedArray"),
            new Example("server process (manager)", "server_process.py",
                    "org.multiproc4j.examples.multiprocessing.ServerProcess"),
            new Example("Pool.apply", "pool_apply.py", "org.multiproc4j.examples.multiprocessing.PoolApply"),
            new Example("Pool.applyAsync", "pool_apply_async.py",
                    "org.multiproc4j.examples.multiprocessing.PoolApplyAsync"),
            new Example("Pool.map", "pool_map.py", "org.multiproc4j.examples.multiprocessing.PoolMap"),
            new Example("Pool.mapAsync", "pool_map_async.py", "org.multiproc4j.examples.multiprocessing.PoolMapAsync"),
            new Example("Pool.imap", "pool_imap.py", "org.multiproc4j.examples.multiprocessing.PoolImap"),
            new Example("MPI hello world", "mpi/hello.py", "org.multiproc4j.examples.mpi.Hello", MPI_RANKS),
            new Example("MPI broadcast", "mpi/bcast.py", "org.multiproc4j.examples.mpi.Broadcast", MPI_RANKS),
            new Example("MPI scatter", "mpi/scatter.py", "org.multiproc4j.examples.mpi.Scatter", MPI_RANKS),
            new Example("MPI scatterv", "mpi/scatterv.py", "org.multiproc4j.examples.mpi.Scatterv", MPI_RANKS));

    private Tour() {
    }

    /**
     * Runs the tour.
     *
     * @param args optional filters.
     * @throws Exception if an example fails.
     */
    public static void main(String[] args) throws Exception {
        int run = 0;
        for (Example e : EXAMPLES) {
            if (!selected(e, args)) {
                continue;
            }
            System.out.println();
            System.out.println("=== " + e.heading() + " (" + e.python() + ") ===");
            System.out.flush();
            long t0 = System.nanoTime();
            if (e.ranks() > 0) {
                int status = MpiLauncher.run(e.ranks(), Class.forName(e.mainClass()));
                if (status != 0) {
                    throw new IllegalStateException("example '" + e.heading() + "' failed: the job's status is " + status);
                }
                System.out.printf("--- %s (%d ranks): %.2f s%n", e.heading(), e.ranks(), (System.nanoTime() - t0) / 1e9);
                run++;
                continue;
            }
            Method main = Class.forName(e.mainClass()).getMethod("main", String[].class);
            try {
                main.invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException ex) {
                System.out.flush();
                throw new IllegalStateException("example '" + e.heading() + "' failed", ex.getCause());
            }
            System.out.flush();
            System.out.printf("--- %s: %.2f s%n", e.heading(), (System.nanoTime() - t0) / 1e9);
            run++;
        }
        if (run == 0) {
            throw new IllegalArgumentException("no example matches " + String.join(" ", args));
        }
    }

    private static boolean selected(Example e, String[] filters) {
        if (filters.length == 0) {
            return true;
        }
        for (String f : filters) {
            String w = f.toLowerCase(java.util.Locale.ROOT);
            if (e.heading().toLowerCase(java.util.Locale.ROOT).contains(w)
                    || e.mainClass().toLowerCase(java.util.Locale.ROOT).contains(w)) {
                return true;
            }
        }
        return false;
    }
}
