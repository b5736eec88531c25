package org.multiproc4j.mpi.local;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.internal.JobLayout;

/**
 * Bcasts through the world's collective area, every element checked: sizes around a step's chunk and around the
 * slot's {@code COLL_STEPS} chunks (the root reuses a chunk only after every rank released it), from every root,
 * and runs of back-to-back 1 MiB bcasts from one root whose contents change each time (a root that overwrote a
 * chunk before a reader copied it would show there). Prints {@code OK <bcasts>} on every rank.
 */
public final class BcastPiecesMain {
    private BcastPiecesMain() {
    }

    private static double value(int round, int root, int i) {
        return round * 1e7 + root * 1e6 + i;
    }

    /**
     * Runs the bcasts.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int window = JobLayout.collSlot(w.size()) / 8;
            int piece = window / JobLayout.COLL_STEPS;
            int[] sizes = {1, piece - 1, piece, piece + 1, 3 * piece + 5, window - 1, window, window + 1,
                    2 * window + 7, 1 << 17};
            int done = 0;
            for (int root = 0; root < w.size(); root++) {
                for (int count : sizes) {
                    double[] d = new double[count];
                    if (w.rank() == root) {
                        for (int i = 0; i < count; i++) {
                            d[i] = value(count, root, i);
                        }
                    }
                    w.bcast(Buf.of(d), root);
                    check(d, count, root, "bcast of " + count + " doubles from rank " + root);
                    done++;
                }
            }
            double[] d = new double[1 << 17];
            for (int round = 0; round < 40; round++) {
                int root = (round / 10) % w.size();
                if (w.rank() == root) {
                    for (int i = 0; i < d.length; i++) {
                        d[i] = value(round, root, i);
                    }
                }
                w.bcast(Buf.of(d), root);
                check(d, round, root, "back-to-back bcast " + round + " from rank " + root);
                done++;
            }
            System.out.println("OK " + done);
        }
    }

    private static void check(double[] d, int round, int root, String what) {
        for (int i = 0; i < d.length; i++) {
            if (d[i] != value(round, root, i)) {
                throw new AssertionError(what + ": element " + i + " is " + d[i] + ", expected "
                        + value(round, root, i));
            }
        }
    }
}
