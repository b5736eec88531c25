package org.multiproc4j.ipc;

import java.io.IOException;

/**
 * The next message is longer than the buffer it was to be received into. The message is <em>not</em> consumed:
 * call again with a buffer of at least {@link #messageLength()} bytes, or with {@code recvBytes()}. Python's
 * {@code BufferTooShort} (which instead carries the message away with it).
 */
public class BufferTooShortException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The length of the message that did not fit. */
    private final long messageLength;

    /**
     * Creates the exception.
     *
     * @param message       the detail message, naming both lengths.
     * @param messageLength the length of the message that did not fit.
     */
    public BufferTooShortException(String message, long messageLength) {
        super(message);
        this.messageLength = messageLength;
    }

    /**
     * Returns the length of the message that did not fit, and is still waiting to be received.
     *
     * @return its length in bytes.
     */
    public long messageLength() {
        return messageLength;
    }
}
