package org.multiproc4j.examples.mpi;

import java.util.Arrays;

import org.multiproc4j.mpi.Blocks;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * {@code Scatterv} of 15 numbers over the ranks ({@code scatterv.py}: 4 ranks get 4, 4, 4 and 3): rank 0 computes
 * the counts and displacements ({@link Blocks#even(int, int)} is the tutorial's {@code divmod}), broadcasts the
 * counts, and every rank receives its block.
 *
 * <p>How to run: {@code bin/tour scatterv}, or {@code bin/mpi-launch -n 4 org.multiproc4j.examples.mpi.Scatterv}.
 */
public final class Scatterv {
    private Scatterv() {
    }

    /**
     * Scatters 15 numbers from rank 0 and prints this rank's block.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm comm = mpi.world();
            int size = comm.size();
            int rank = comm.rank();

            double[] sendbuf = null;
            int[] count = new int[size];
            int[] displ = new int[size];
            if (rank == 0) {
                sendbuf = new double[15];
                for (int i = 0; i < sendbuf.length; i++) {
                    sendbuf[i] = i;
                }
                Blocks blocks = Blocks.even(sendbuf.length, size);   // count: the size of each sub-task
                count = blocks.counts();
                displ = blocks.displs();                             // displacement: where each sub-task starts
            }
            comm.bcast(Buf.of(count), 0);                            // broadcast count

            double[] recvbuf = new double[count[rank]];
            comm.scatterv(rank == 0 ? Buf.of(sendbuf) : null, count, displ, Buf.of(recvbuf), 0);

            int start = 0;
            for (int r = 0; r < rank; r++) {
                start += count[r];
            }
            for (int i = 0; i < recvbuf.length; i++) {
                if (recvbuf[i] != start + i) {
                    throw new AssertionError("rank " + rank + " got " + Arrays.toString(recvbuf));
                }
            }
            System.out.println("After Scatterv, process " + rank + " has data: " + Arrays.toString(recvbuf));
        }
    }
}
