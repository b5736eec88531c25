package org.multiproc4j.mpi;

/**
 * The failure of an MPI operation that is not the caller's bad argument: a message longer than the receive
 * buffer ({@code MPI_ERR_TRUNCATE}), a message of another element type than the buffer, a peer rank that died
 * or a job that was aborted, a communicator used after {@link Comm#free()}. Bad arguments (a root out of range,
 * counts that do not fit the buffer) are {@link IllegalArgumentException}s, thrown on the rank that made them
 * before anything is sent.
 *
 * <pre>{@code
 * try (Mpi mpi = Mpi.init(new String[0])) {
 *     Comm world = mpi.world();
 *     world.send(Buf.of(new double[4]), 0, 1);          // to this rank itself
 *     try {
 *         world.recv(Buf.of(new double[2]), 0, 1);      // too small
 *     } catch (MpiException e) {
 *         System.out.println(e.getMessage());           // recv: message truncated: ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> An exception: confined to the thread that catches it.
 */
public class MpiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what failed, with the values involved.
     */
    public MpiException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what failed, with the values involved.
     * @param cause   the underlying failure.
     */
    public MpiException(String message, Throwable cause) {
        super(message, cause);
    }
}
