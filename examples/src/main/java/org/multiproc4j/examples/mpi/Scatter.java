package org.multiproc4j.examples.mpi;

import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * Scattering objects ({@code scatter.py}): rank 0 makes the list of {@code (i+1)²} for every rank, and each rank
 * receives its element.
 *
 * <p>How to run: {@code bin/tour scatter}, or {@code bin/mpi-launch -n 4 org.multiproc4j.examples.mpi.Scatter}.
 */
public final class Scatter {
    private Scatter() {
    }

    /**
     * Scatters from rank 0 and prints what this rank received.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm comm = mpi.world();
            int size = comm.size();
            int rank = comm.rank();
            List<Integer> data = null;
            if (rank == 0) {
                data = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    data.add((i + 1) * (i + 1));
                }
            }
            int mine = comm.scatter(data, 0);
            if (mine != (rank + 1) * (rank + 1)) {
                throw new AssertionError("rank " + rank + " received " + mine);
            }
            System.out.println("process " + rank + " received " + mine);
        }
    }
}
