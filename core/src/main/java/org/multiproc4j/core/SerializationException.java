package org.multiproc4j.core;

/**
 * A value could not be turned into bytes to cross a process boundary, or bytes could not be turned back
 * into a value (an unserializable task, argument, result or message; a class refused by a codec's
 * allow-list).
 *
 * <p>It is thrown in the caller's thread, before anything is sent, so nothing already accepted is lost.
 * The message names the offending type.
 */
public class SerializationException extends ProcessException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception naming the type that could not be serialized or deserialized.
     *
     * @param message the detail message.
     * @param cause   the underlying failure, may be {@code null}.
     */
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
