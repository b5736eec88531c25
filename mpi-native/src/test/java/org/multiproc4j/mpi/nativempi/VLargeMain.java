package org.multiproc4j.mpi.nativempi;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * v-collectives of more than 2 GiB in total on 2 ranks, one block itself above 2 GiB: rank 1's block of
 * (2^28 + 3) longs is gathered into rank 0's buffer behind rank 0's 5 longs (gatherv), then scattered back into a
 * cleared array (scatterv), then exchanged both ways (alltoallv, each rank's block to the other). Every element is
 * checked; rank 0 prints {@code OK vlarge}. About 4 GiB of heap per rank.
 */
public final class VLargeMain {
    static final int BIG = (1 << 28) + 3;
    static final int SMALL = 5;

    private VLargeMain() {
    }

    /**
     * Runs the collectives.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int me = w.rank();
            int[] counts = {SMALL, BIG};
            int[] displs = {0, SMALL};
            long[] mine = new long[counts[me]];
            for (int i = 0; i < mine.length; i++) {
                mine[i] = value(me, i);
            }
            long[] all = me == 0 ? new long[SMALL + BIG] : null;
            w.gatherv(Buf.of(mine), all == null ? null : Buf.of(all), counts, displs, 0);
            if (me == 0) {
                for (int r = 0; r < 2; r++) {
                    for (int i = 0; i < counts[r]; i++) {
                        check(all[displs[r] + i] == value(r, i), "gatherv", r, i);
                    }
                }
            }
            java.util.Arrays.fill(mine, 0);
            w.scatterv(all == null ? null : Buf.of(all), counts, displs, Buf.of(mine), 0);
            for (int i = 0; i < mine.length; i++) {
                check(mine[i] == value(me, i), "scatterv", me, i);
            }
            all = null;
            // alltoallv: rank 0 sends SMALL longs to rank 1 and keeps SMALL; rank 1 sends BIG to rank 0, keeps SMALL
            int other = 1 - me;
            int[] sc = new int[2];
            int[] sd = new int[2];
            sc[me] = SMALL;
            sc[other] = me == 1 ? BIG : SMALL;
            sd[other] = sc[me];
            long[] out = new long[sc[0] + sc[1]];
            for (int i = 0; i < out.length; i++) {
                out[i] = value(me, i);
            }
            mine = null;
            int[] rc = new int[2];
            int[] rd = new int[2];
            rc[me] = SMALL;
            rc[other] = other == 1 ? BIG : SMALL;
            rd[other] = rc[me];
            long[] in = new long[rc[0] + rc[1]];
            w.alltoallv(Buf.of(out), sc, sd, Buf.of(in), rc, rd);
            for (int i = 0; i < rc[other]; i++) {
                check(in[rd[other] + i] == value(other, sd(other, me) + i), "alltoallv", other, i);
            }
            w.barrier();
            if (me == 0) {
                System.out.println("OK vlarge");
            }
        }
    }

    /** Where rank {@code from}'s block for rank {@code to} starts in its send array (as built above). */
    private static int sd(int from, int to) {
        return from == to ? 0 : SMALL;
    }

    private static long value(int rank, long i) {
        return rank * 1_000_000_000_000L + i * 3 + 1;
    }

    private static void check(boolean ok, String op, int rank, int i) {
        if (!ok) {
            throw new AssertionError(op + ": wrong element " + i + " of rank " + rank + "'s block");
        }
    }
}
