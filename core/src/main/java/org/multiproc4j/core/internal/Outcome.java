package org.multiproc4j.core.internal;

import java.io.Serializable;

import org.multiproc4j.core.RemoteException;

/**
 * What a child reports when its task ends: the task's result, or its failure described as text.
 * Written by {@link ChildMain} to the outcome file the parent named, read by the parent once the child
 * has exited.
 */
public final class Outcome implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Object value;
    private final RemoteException failure;

    private Outcome(Object value, RemoteException failure) {
        this.value = value;
        this.failure = failure;
    }

    /**
     * A task that returned.
     *
     * @param value the result, {@code null} for a runnable.
     * @return the outcome.
     */
    public static Outcome returned(Object value) {
        return new Outcome(value, null);
    }

    /**
     * A task that threw.
     *
     * @param failure the failure, described as text.
     * @return the outcome.
     */
    public static Outcome failed(RemoteException failure) {
        return new Outcome(null, failure);
    }

    /**
     * Returns the task's result.
     *
     * @return the result, or {@code null}.
     */
    public Object value() {
        return value;
    }

    /**
     * Returns the task's failure.
     *
     * @return the failure, or {@code null} if the task returned.
     */
    public RemoteException failure() {
        return failure;
    }
}
