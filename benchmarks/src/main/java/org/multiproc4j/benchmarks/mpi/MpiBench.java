package org.multiproc4j.benchmarks.mpi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.Op;

/**
 * The MPI workloads of the side-by-side runner, as one SPMD program (run it with 2 ranks: {@code bin/mpi-launch
 * -n 2 -cp benchmarks/target/benchmarks.jar org.multiproc4j.benchmarks.mpi.MpiBench}); {@code mpi_side.py} and
 * {@code mpi_bench.c} are its mpi4py and C twins, measuring the same things the same way. Rank 0 prints one line
 * {@code RESULT <metric> <microseconds>} per metric: the best, over {@code reps} repetitions, of the mean time of
 * {@code iters} operations (one-way latency is half a round trip; a collective's time is the slowest rank's).
 *
 * <pre class="shell">{@code
 * bin/mpi-launch -n 2 -cp benchmarks/target/benchmarks.jar org.multiproc4j.benchmarks.mpi.MpiBench [quick]
 * }</pre>
 */
public final class MpiBench {
    private MpiBench() {
    }

    /** The tutorial's small dict, as a map: {'key1': [7, 2.72, 2+3j], 'key2': ('abc', 'xyz')}. */
    static Map<String, Object> smallMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key1", List.of(7, 2.72, List.of(2.0, 3.0)));
        m.put("key2", List.of("abc", "xyz"));
        return m;
    }

    @FunctionalInterface
    interface Body {
        void run(int iters);
    }

    private static double best(Comm w, int reps, int iters, Body body) {
        body.run(Math.max(1, iters / 5));   // warm-up
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            w.barrier();
            long t0 = System.nanoTime();
            body.run(iters);
            double[] us = {(System.nanoTime() - t0) / 1e3 / iters};
            double[] max = new double[1];
            w.allreduce(Buf.of(us), Buf.of(max), Op.MAX);
            best = Math.min(best, max[0]);
        }
        return best;
    }

    private static void report(Comm w, String metric, double us) {
        if (w.rank() == 0) {
            System.out.printf("RESULT %s %.4f%n", metric, us);
            System.out.flush();
        }
    }

    /**
     * Runs every workload.
     *
     * @param args {@code quick} for a smoke run; {@code hello} to join the job, print one line and leave (the
     *             job-start workload); {@code only=<prefix>} (after {@code quick} or {@code full}, or alone) to run
     *             only the workloads whose metric names start with that prefix, for a quick A/B of one row.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("hello")) {
            try (Mpi mpi = Mpi.init(args)) {
                System.out.println("rank " + mpi.world().rank() + " of " + mpi.world().size());
            }
            return;
        }
        boolean quick = args.length > 0 && args[0].equals("quick");
        String only = "";
        for (String a : args) {
            if (a.startsWith("only=")) {
                only = a.substring("only=".length());
            }
        }
        String prefix = only;
        java.util.function.Predicate<String> want = m -> m.startsWith(prefix);
        int reps = quick ? 2 : 10;
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int peer = 1 - w.rank();
            if (w.size() != 2) {
                throw new IllegalArgumentException("MpiBench runs with 2 ranks, got " + w.size());
            }
            for (int bytes : new int[] {8, 4096, 1 << 20}) {
                if (!want.test("pingpong_oneway_" + bytes + "B_us")) {
                    continue;
                }
                double[] buf = new double[bytes / 8];
                Buf b = Buf.of(buf);
                int iters = quick ? 100 : bytes >= (1 << 20) ? 200 : 20_000;
                double rtt = best(w, reps, iters, n -> {
                    for (int i = 0; i < n; i++) {
                        if (w.rank() == 0) {
                            w.send(b, peer, 0);
                            w.recv(b, peer, 0);
                        } else {
                            w.recv(b, peer, 0);
                            w.send(b, peer, 0);
                        }
                    }
                });
                report(w, "pingpong_oneway_" + bytes + "B_us", rtt / 2);
            }
            for (int bytes : new int[] {8, 1 << 20}) {
                if (!want.test("bcast_" + bytes + "B_us")) {
                    continue;
                }
                Buf b = Buf.of(new double[bytes / 8]);
                int iters = quick ? 100 : bytes >= (1 << 20) ? 200 : 20_000;
                report(w, "bcast_" + bytes + "B_us", best(w, reps, iters, n -> {
                    for (int i = 0; i < n; i++) {
                        w.bcast(b, 0);
                    }
                }));
            }
            if (want.test("scatter_1048576B_us")) {
                int total = 1 << 20;
                Buf send = Buf.of(new double[total / 8]);
                Buf recv = Buf.of(new double[total / 8 / 2]);
                report(w, "scatter_1048576B_us", best(w, reps, quick ? 50 : 200, n -> {
                    for (int i = 0; i < n; i++) {
                        w.scatter(send, recv, 0);
                    }
                }));
            }
            for (int count : new int[] {1, 1 << 20}) {
                if (!want.test("allreduce_" + count + "d_us")) {
                    continue;
                }
                Buf send = Buf.of(new double[count]);
                Buf recv = Buf.of(new double[count]);
                report(w, "allreduce_" + count + "d_us", best(w, reps, quick ? 20 : count > 1 ? 50 : 20_000, n -> {
                    for (int i = 0; i < n; i++) {
                        w.allreduce(send, recv, Op.SUM);
                    }
                }));
            }
            Map<String, Object> small = smallMap();
            if (!want.test("object_pingpong_oneway_us") && !want.test("object_bcast_us")) {
                return;
            }
            report(w, "object_pingpong_oneway_us", best(w, reps, quick ? 100 : 20_000, n -> {
                for (int i = 0; i < n; i++) {
                    if (w.rank() == 0) {
                        w.send(small, peer, 0);
                        w.recv(peer, 0);
                    } else {
                        Object o = w.recv(peer, 0);
                        w.send(o, peer, 0);
                    }
                }
            }) / 2);
            report(w, "object_bcast_us", best(w, reps, quick ? 100 : 20_000, n -> {
                for (int i = 0; i < n; i++) {
                    w.bcast(w.rank() == 0 ? small : null, 0);
                }
            }));
        }
    }
}
