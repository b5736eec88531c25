package org.multiproc4j.mpi.openmpi;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * The calls that break Open MPI's Java bindings when handed Java arrays (wrong data, leaks, heap overflow above
 * 64 KiB), with Java arrays through our backend: a {@code scatter} of 8,193 and of 65,536 doubles per rank,
 * {@code scatterv}/{@code gatherv} with a zero count and blocks above 64 KiB, an uneven {@code allgatherv}. Every
 * round checks every element on every rank; after {@code args[0]} rounds (1,000 by default) each rank prints
 * {@code TRAPS OK rank r rss-growth <MiB> direct-growth <MiB>} measured between round 100 and the last.
 */
public final class TrapMain {
    private TrapMain() {
    }

    /**
     * Runs the rounds.
     *
     * @param args the number of rounds, optional.
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int n = w.size();
            int me = w.rank();
            long rss0 = 0;
            long direct0 = 0;
            for (int round = 0; round < rounds; round++) {
                for (int per : new int[] {8_193, 65_536}) {
                    double[] all = me == 0 ? new double[per * n] : null;
                    if (me == 0) {
                        for (int i = 0; i < all.length; i++) {
                            all[i] = i + round;
                        }
                    }
                    double[] mine = new double[per];
                    w.scatter(me == 0 ? Buf.of(all) : null, Buf.of(mine), 0);
                    for (int i = 0; i < per; i++) {
                        check(mine[i] == (double) me * per + i + round, "scatter " + per + " element " + i);
                    }
                }
                // scatterv / gatherv: rank 1 (or the only rank's last block) gets nothing, the others 10,000 doubles
                int[] counts = new int[n];
                int[] displs = new int[n];
                int total = 0;
                for (int r = 0; r < n; r++) {
                    counts[r] = (r == 1 || n == 1) ? 0 : 10_000 + r;
                    displs[r] = total;
                    total += counts[r];
                }
                double[] src = me == 0 ? new double[total] : null;
                if (me == 0) {
                    for (int i = 0; i < total; i++) {
                        src[i] = 3.0 * i + round;
                    }
                }
                double[] block = new double[counts[me]];
                w.scatterv(me == 0 ? Buf.of(src) : null, counts, displs, Buf.of(block), 0);
                for (int i = 0; i < block.length; i++) {
                    check(block[i] == 3.0 * (displs[me] + i) + round, "scatterv element " + i);
                }
                for (int i = 0; i < block.length; i++) {
                    block[i] = -block[i];
                }
                double[] back = me == 0 ? new double[total] : null;
                w.gatherv(Buf.of(block), me == 0 ? Buf.of(back) : null, counts, displs, 0);
                if (me == 0) {
                    for (int i = 0; i < total; i++) {
                        check(back[i] == -(3.0 * i + round), "gatherv element " + i);
                    }
                }
                // allgatherv, uneven: rank r contributes 1,000 * r + 7 longs
                int[] ac = new int[n];
                int[] ad = new int[n];
                int at = 0;
                for (int r = 0; r < n; r++) {
                    ac[r] = 1_000 * r + 7;
                    ad[r] = at;
                    at += ac[r];
                }
                long[] part = new long[ac[me]];
                Arrays.fill(part, me * 1_000_000L + round);
                long[] everything = new long[at];
                w.allgatherv(Buf.of(part), Buf.of(everything), ac, ad);
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < ac[r]; i++) {
                        check(everything[ad[r] + i] == r * 1_000_000L + round, "allgatherv block " + r + " element " + i);
                    }
                }
                if (round == Math.min(100, rounds - 1)) {
                    System.gc();
                    rss0 = rss();
                    direct0 = direct();
                }
            }
            System.gc();
            long rssGrowth = (rss() - rss0) >> 20;
            long directGrowth = (direct() - direct0) >> 20;
            w.barrier();
            System.out.println("TRAPS OK rank " + me + " rss-growth " + rssGrowth + " direct-growth " + directGrowth);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("wrong data: " + what);
        }
    }

    private static long direct() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        return 0;
    }

    private static long rss() throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        return 0;
    }
}
