package org.multiproc4j.ipc;

import java.io.IOException;

/**
 * A message could not be sent because the other end of the pipe is gone: closed by its owner, or its owner
 * process died. Python raises {@code BrokenPipeError} here.
 *
 * <p>Nothing of the message is delivered: if the other end was closed, nothing was sent; if its process died,
 * the message may have been written to the pipe, where nobody will read it. The exception's message names the
 * pipe and the process that held the other end. {@link Connection} says when a dead peer is noticed.
 */
public class BrokenPipeException extends IOException {
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
