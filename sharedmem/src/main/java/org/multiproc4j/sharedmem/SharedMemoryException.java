package org.multiproc4j.sharedmem;

import org.multiproc4j.core.ProcessException;

/**
 * A shared memory segment could not be created, attached or used: no segment has the name, it is too small
 * for what its header says, it holds another kind of object or another layout version, the file system
 * refused, or this JVM lacks the flag Agrona needs. The message names the segment and the values involved.
 *
 * <p>Bad arguments (a negative size, an index out of bounds) are {@link IllegalArgumentException}s and
 * {@link IndexOutOfBoundsException}s instead; use after {@code close()} is an {@link IllegalStateException}.
 */
public class SharedMemoryException extends ProcessException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the segment and the problem.
     *
     * @param message the detail message.
     */
    public SharedMemoryException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message the detail message.
     * @param cause   the underlying failure, may be {@code null}.
     */
    public SharedMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
