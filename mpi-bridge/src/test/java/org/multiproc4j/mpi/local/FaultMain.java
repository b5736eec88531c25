package org.multiproc4j.mpi.local;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.JobAbortedException;
import org.multiproc4j.mpi.Mpi;

/** An SPMD program whose last rank fails in the way its argument names, while the others wait for it. */
public final class FaultMain {
    private FaultMain() {
    }

    /**
     * Runs the fault.
     *
     * @param args {@code throw}, {@code kill}, {@code abort} or {@code vanish}.
     * @throws Exception as the fault says.
     */
    public static void main(String[] args) throws Exception {
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int last = world.size() - 1;
            world.barrier();
            if (world.rank() == last) {
                switch (args[0]) {
                    case "throw":
                        throw new IllegalStateException("boom on purpose");
                    case "kill":
                        new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                        Thread.sleep(60_000);
                        break;
                    case "abort":
                        mpi.abort(3);
                        break;
                    case "vanish":
                        Runtime.getRuntime().halt(0);
                        break;
                    default:
                        throw new IllegalArgumentException(args[0]);
                }
            }
            try {
                world.recv(Buf.of(new int[1]), last, 0);     // never sent: only the failure can end this wait
            } catch (JobAbortedException e) {
                System.out.println("rank " + world.rank() + " saw: " + e.getMessage());
                throw e;
            }
        }
    }
}
