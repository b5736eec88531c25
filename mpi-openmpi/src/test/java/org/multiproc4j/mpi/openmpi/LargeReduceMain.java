package org.multiproc4j.mpi.openmpi;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Op;

/**
 * An {@code allreduce} of a {@code long[]} of more than 1 GiB (the staging limit of one buffer): rank {@code r}
 * contributes {@code i + r} at element {@code i}; every rank checks every element of the sum and prints OK. Then an
 * {@code allgatherv} into that array, which the backend stages whole: every rank prints its refusal.
 */
public final class LargeReduceMain {
    static final int LENGTH = (1 << 27) + 5;     // 1 GiB + 40 bytes

    private LargeReduceMain() {
    }

    /**
     * Runs the reduction.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int n = w.size();
            long[] a = new long[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                a[i] = i + w.rank();
            }
            long[] sum = new long[LENGTH];
            w.allreduce(Buf.of(a), Buf.of(sum), Op.SUM);
            long ranks = (long) n * (n - 1) / 2;
            for (int i = 0; i < LENGTH; i++) {
                if (sum[i] != (long) n * i + ranks) {
                    throw new AssertionError("rank " + w.rank() + ": element " + i + " is " + sum[i]);
                }
            }
            System.out.println("OK rank " + w.rank() + " " + 8L * LENGTH + " bytes");
            int[] counts = new int[n];
            int[] displs = new int[n];
            for (int r = 0; r < n; r++) {
                counts[r] = 1;
                displs[r] = LENGTH - 1 - r;
            }
            try {
                w.allgatherv(Buf.of(new long[1]), Buf.of(sum), counts, displs);
                System.out.println("rank " + w.rank() + " not refused");
            } catch (MpiException e) {
                System.out.println("rank " + w.rank() + " refused: " + e.getMessage());
            }
        }
    }
}
