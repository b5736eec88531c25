package org.multiproc4j.ipc;

import java.io.EOFException;

/**
 * A message could not be sent because the other end of the {@link Connection} is gone: closed, or its process
 * exited or died. Python raises {@code BrokenPipeError} here.
 *
 * <p>It is an {@link EOFException}, the exception receives throw once the other end is gone, so that one
 * {@code catch (EOFException e)} handles a peer that is gone whether this end was sending or receiving.
 *
 * <p>Nothing of the message is delivered: if the other end was closed, nothing was sent; if its process died,
 * the message may have been written to the pipe or socket, where nobody will read it. The exception's message
 * names the connection and, for a pipe, the process that held the other end. {@link Connection} and each kind
 * of connection say when a peer that is gone is noticed.
 */
public class BrokenPipeException extends EOFException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was being sent, on which pipe, and why the other end is gone.
     */
    public BrokenPipeException(String message) {
        super(message);
    }
}
