package org.multiproc4j.mpi.contract;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * Rank 1 calls {@code System.exit(3)} with its session open while the other ranks wait for it in a bcast (a C rank
 * calling {@code exit} in the middle of the program): the job must end, not hang in {@code MPI_Finalize}. With the
 * argument {@code closed}, every rank closes its session and then calls {@code System.exit(0)}: a normal end, which
 * must finalize and exit 0.
 */
public final class ExitMidJobMain {
    private ExitMidJobMain() {
    }

    /**
     * Runs.
     *
     * @param args nothing, or {@code closed}.
     */
    public static void main(String[] args) {
        boolean closed = args.length > 0 && args[0].equals("closed");
        Mpi mpi = Mpi.init(args);
        Comm w = mpi.world();
        double[] data = new double[1 << 14];
        for (int i = 0; i < 20; i++) {
            if (!closed && w.rank() == 1 && i == 10) {
                System.out.println("rank 1 exits 3");
                System.out.flush();
                System.exit(3);
            }
            w.bcast(Buf.of(data), 0);
        }
        mpi.close();
        System.out.println("rank " + w.rank() + " closed");
        System.out.flush();
        System.exit(0);
    }
}
