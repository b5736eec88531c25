package org.multiproc4j.mpi.spi;

/**
 * One process's membership of a job, as a backend provides it: what {@link org.multiproc4j.mpi.Mpi} wraps.
 *
 * <pre>{@code
 * try (org.multiproc4j.mpi.Mpi mpi = org.multiproc4j.mpi.Mpi.init(new String[0])) {
 *     System.out.println(mpi.backend());    // local
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> As {@link CommBackend}: calls are serialized by the backend.
 */
public interface BackendSession {

    /**
     * Returns the backend's name.
     *
     * @return the name, as {@link MpiBackendProvider#name()}.
     */
    String backend();

    /**
     * Returns the communicator of every rank of the job.
     *
     * @return {@code MPI_COMM_WORLD}.
     */
    CommBackend world();

    /**
     * Returns the communicator of this rank alone.
     *
     * @return {@code MPI_COMM_SELF}.
     */
    CommBackend self();

    /**
     * Returns the name of the host this rank runs on.
     *
     * @return {@code MPI_Get_processor_name}.
     */
    String processorName();

    /**
     * Ends the whole job with an exit status: {@code MPI_Abort}. Does not return.
     *
     * @param code the exit status.
     */
    void abort(int code);

    /**
     * Leaves the job: {@code MPI_Finalize}. Called once.
     */
    void finish();

    /**
     * Called at JVM exit, instead of {@link #finish()}, when the session was not closed and the thread that opened
     * it is still running: {@code System.exit} in the middle of the program, maybe while other ranks wait for this
     * one. A backend under an external launcher leaves without {@code MPI_Finalize} (which would wait for those
     * ranks forever), so that the launcher ends the job with this process's exit status. By default,
     * {@link #finish()}.
     */
    default void exitWhileOpen() {
        finish();
    }
}
