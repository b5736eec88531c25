package org.multiproc4j.mpi.openmpi;

import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/** Prints {@code backend <name> rank <r> of <n>} on every rank; with an argument, rank 1 then throws it. */
public final class BackendMain {
    private BackendMain() {
    }

    /**
     * Runs.
     *
     * @param args nothing, or a message that rank 1 throws as an uncaught exception while the others wait in a
     *             barrier.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            System.out.println("backend " + mpi.backend() + " rank " + w.rank() + " of " + w.size());
            System.out.flush();
            if (args.length > 0) {
                if (w.rank() == 1) {
                    System.out.println("failing at " + System.currentTimeMillis());
                    System.out.flush();
                    throw new IllegalStateException(args[0]);
                }
                w.barrier();
            }
        }
    }
}
