package org.multiproc4j.mpi.nativempi;

import org.multiproc4j.mpi.Mpi;

/** Prints {@code backend <name> rank <r> of <n>} on every rank: which backend {@code Mpi.init} chose. */
public final class BackendMain {
    private BackendMain() {
    }

    /**
     * Prints the line.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            System.out.println("backend " + mpi.backend() + " rank " + mpi.world().rank() + " of " + mpi.world().size());
        }
    }
}
