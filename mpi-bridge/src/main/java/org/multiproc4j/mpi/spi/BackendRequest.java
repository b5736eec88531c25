package org.multiproc4j.mpi.spi;

import java.util.concurrent.TimeoutException;

import org.multiproc4j.mpi.Status;

/**
 * A backend's nonblocking operation in progress, wrapped by {@link org.multiproc4j.mpi.Request}.
 *
 * <pre>{@code
 * try (org.multiproc4j.mpi.Mpi mpi = org.multiproc4j.mpi.Mpi.init(new String[0])) {
 *     org.multiproc4j.mpi.Request r = mpi.world().irecv(org.multiproc4j.mpi.Buf.of(new int[1]), 0, 0);
 *     mpi.world().send(org.multiproc4j.mpi.Buf.of(new int[] {5}), 0, 0);
 *     System.out.println(r.await());
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> As {@link CommBackend}.
 */
public interface BackendRequest {

    /**
     * Makes progress and tells whether the operation is complete.
     *
     * @return {@code true} once complete (then {@link #await(long)} returns at once).
     * @throws org.multiproc4j.mpi.MpiException if the operation failed.
     */
    boolean test();

    /**
     * Waits until the operation completes or the deadline passes.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline; {@link Long#MAX_VALUE} for none.
     * @return the status (of the message received; for a send, the destination and tag).
     * @throws TimeoutException                 if the deadline passed first.
     * @throws org.multiproc4j.mpi.MpiException if the operation failed.
     */
    Status await(long deadlineNanos) throws TimeoutException;

    /**
     * Returns the bytes of an object message received by {@link CommBackend#irecvBytes(int, int)}, once
     * complete.
     *
     * @return the bytes, or {@code null} for other operations.
     */
    byte[] bytes();
}
