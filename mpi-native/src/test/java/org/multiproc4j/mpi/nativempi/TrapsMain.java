package org.multiproc4j.mpi.nativempi;

import java.nio.file.Files;
import java.nio.file.Path;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * The Java-array cases that break Open MPI's Java bindings (issue 14), on Java arrays passed to the C library in
 * place: scatter of 8,193 and 65,536 doubles per rank, scatterv/gatherv with a zero count and blocks above 64 KiB,
 * allgatherv with uneven counts; each checked on every rank, then repeated 1,000 times with the resident memory
 * measured before and after. Each rank prints {@code OK traps rank r rss-growth-MiB m}.
 */
public final class TrapsMain {
    private TrapsMain() {
    }

    /**
     * Runs the cases.
     *
     * @param args ignored.
     * @throws Exception if reading the resident memory fails.
     */
    public static void main(String[] args) throws Exception {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            once(w);
            for (int i = 0; i < 50; i++) {
                once(w);
            }
            long before = rssKiB();
            for (int i = 0; i < 1000; i++) {
                once(w);
            }
            System.gc();
            long growth = (rssKiB() - before) / 1024;
            if (growth > 64) {
                throw new AssertionError("resident memory grew by " + growth + " MiB over 1,000 repetitions");
            }
            System.out.println("OK traps rank " + w.rank() + " rss-growth-MiB " + growth);
        }
    }

    static void once(Comm w) {
        int n = w.size();
        int me = w.rank();
        for (int per : new int[] {8_193, 65_536}) {
            double[] all = me == 0 ? new double[per * n] : null;
            if (all != null) {
                for (int i = 0; i < all.length; i++) {
                    all[i] = i + 0.5;
                }
            }
            double[] mine = new double[per];
            w.scatter(all == null ? null : Buf.of(all), Buf.of(mine), 0);
            check(mine[0] == me * per + 0.5 && mine[per - 1] == me * per + per - 0.5, "scatter " + per);
        }
        // scatterv / gatherv: rank 0's block is empty, the others above 64 KiB (10,000 doubles = 80,000 bytes)
        int[] counts = new int[n];
        int[] displs = new int[n];
        int total = 0;
        for (int r = 0; r < n; r++) {
            counts[r] = r == 0 ? 0 : 10_000 + r;
            displs[r] = total;
            total += counts[r];
        }
        double[] src = new double[total];
        for (int i = 0; i < total; i++) {
            src[i] = i * 2.0;
        }
        double[] part = new double[counts[me]];
        w.scatterv(me == 0 ? Buf.of(src) : null, counts, displs, Buf.of(part), 0);
        for (int i = 0; i < part.length; i += 997) {
            check(part[i] == (displs[me] + i) * 2.0, "scatterv");
        }
        double[] back = me == 0 ? new double[total] : null;
        w.gatherv(Buf.of(part), back == null ? null : Buf.of(back), counts, displs, 0);
        if (me == 0) {
            for (int i = 0; i < total; i++) {
                check(back[i] == i * 2.0, "gatherv");
            }
        }
        // allgatherv with uneven counts
        int[] uc = new int[n];
        int[] ud = new int[n];
        int ut = 0;
        for (int r = 0; r < n; r++) {
            uc[r] = 3 + 7 * r;
            ud[r] = ut;
            ut += uc[r];
        }
        int[] mineI = new int[uc[me]];
        java.util.Arrays.fill(mineI, me + 1);
        int[] everyone = new int[ut];
        w.allgatherv(Buf.of(mineI), Buf.of(everyone), uc, ud);
        for (int r = 0; r < n; r++) {
            check(everyone[ud[r]] == r + 1 && everyone[ud[r] + uc[r] - 1] == r + 1, "allgatherv");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + ": wrong data");
        }
    }

    private static long rssKiB() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
