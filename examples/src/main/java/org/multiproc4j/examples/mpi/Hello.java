package org.multiproc4j.examples.mpi;

import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * The tutorial's MPI "hello world" ({@code hello.py}): every rank prints its rank and the number of ranks.
 *
 * <p>How to run: {@code bin/tour hello}, or {@code bin/mpi-launch -n 4 org.multiproc4j.examples.mpi.Hello}
 * (mpi4py: {@code mpiexec -n 4 python3 hello.py}). Started plainly with {@code java}, it is a job of one rank.
 */
public final class Hello {
    private Hello() {
    }

    /**
     * Prints this rank's greeting.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm comm = mpi.world();
            System.out.println("Hello world from process " + comm.rank() + " of " + comm.size() + " (host "
                    + mpi.processorName() + ", multiproc4j " + mpi.backend() + ")");
        }
    }
}
