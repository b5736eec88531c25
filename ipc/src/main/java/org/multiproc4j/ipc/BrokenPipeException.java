package org.multiproc4j.ipc;

import java.io.IOException;

/**
 * A message could not be sent because the other end of the pipe is gone: closed by its owner, or its owner
 * process died. Python raises {@code BrokenPipeError} here.
 *
 * <p>Nothing of the message was delivered. The message names the pipe and the process that held the other
 * end.
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
