package org.multiproc4j.manager;

import org.multiproc4j.core.ProcessException;

/**
 * A manager could not be used: its server cannot be reached or refused this process's key, it is gone (its
 * process ended, or it was shut down), or it answered something this process cannot read. Thrown by
 * {@link Manager}'s methods and by every proxy method, whatever the proxy's interface declares.
 *
 * <p>An exception thrown by a shared object itself is not wrapped in this type: it is rethrown in the caller
 * as the same class when that class can be made here (see {@link Manager}, "Failure").
 */
public class ManagerException extends ProcessException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception whose message names the manager and the problem.
     *
     * @param message the detail message.
     */
    public ManagerException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message the detail message.
     * @param cause   the underlying failure, may be {@code null}.
     */
    public ManagerException(String message, Throwable cause) {
        super(message, cause);
    }
}
