package org.multiproc4j.ipc.net;

import org.multiproc4j.core.ProcessException;

/**
 * A peer failed the authentication handshake of an {@link Listener} or
 * {@link Client}: it holds a different authkey, it is not a multiproc4j endpoint, or
 * it did not finish the handshake in time. Python's {@code multiprocessing.AuthenticationError}.
 *
 * <p>Both sides of a refused connection see it: the client from {@code Client.connect}, the server from
 * {@code Listener.accept}. Nothing sent by a peer that failed the handshake is ever deserialized, and the
 * connection is closed. A listener that reported one keeps serving: the next {@code accept} serves the next
 * client.
 *
 * <p>The message names the peer's address and what went wrong, never the key.
 */
public class AuthenticationException extends ProcessException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message naming the peer and the problem.
     *
     * @param message the detail message.
     */
    public AuthenticationException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message the detail message.
     * @param cause   the underlying failure (a timeout, an I/O error), may be {@code null}.
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
