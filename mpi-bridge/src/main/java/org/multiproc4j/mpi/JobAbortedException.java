package org.multiproc4j.mpi;

/**
 * Thrown by an MPI operation that cannot complete because the job is ending: another rank failed (an uncaught
 * exception, {@link Mpi#abort(int)}) or died (killed, {@code kill -9}), so the message or the collective it
 * waits for will never come. The message names the rank and, where known, why it ended.
 *
 * <pre>{@code
 * try (Mpi mpi = Mpi.init(new String[0])) {
 *     try {
 *         mpi.world().barrier();
 *     } catch (JobAbortedException e) {
 *         System.err.println("the job is over: " + e.getMessage());
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> An exception: confined to the thread that catches it.
 */
public class JobAbortedException extends MpiException {
    private static final long serialVersionUID = 1L;

    /** The rank (in the world communicator) that failed or died, or -1 if unknown. */
    private final int failedRank;

    /**
     * Creates an exception.
     *
     * @param failedRank the rank (in the world communicator) that failed or died, or -1 if unknown.
     * @param message    what happened.
     */
    public JobAbortedException(int failedRank, String message) {
        super(message);
        this.failedRank = failedRank;
    }

    /**
     * Returns the rank that failed or died.
     *
     * @return its rank in the world communicator, or -1 if unknown.
     */
    public int failedRank() {
        return failedRank;
    }
}
