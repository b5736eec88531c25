package org.multiproc4j.core;

/**
 * The base type of multiproc4j's own failures, like Python's {@code multiprocessing.ProcessError}:
 * a child that could not be started, an object used in the wrong state, a value that cannot cross a
 * process boundary.
 *
 * <p>It is unchecked: these failures are programming or environment errors that a caller rarely
 * recovers from in place. Failures a caller is expected to handle use checked JDK types
 * ({@link InterruptedException}, {@link java.util.concurrent.TimeoutException},
 * {@link java.util.concurrent.ExecutionException}, {@link java.io.EOFException}).
 */
public class ProcessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the problem and the values involved.
     *
     * @param message the detail message.
     */
    public ProcessException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message the detail message.
     * @param cause   the underlying failure, may be {@code null}.
     */
    public ProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}
