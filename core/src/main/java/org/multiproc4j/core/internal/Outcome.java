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

    /**
     * The task's result: any object, which serialization then requires to be serializable (or a
     * {@link org.multiproc4j.core.Shareable}, replaced by its handle). It is written by {@link #writeObject}
     * rather than as a field of a declared type, which could not say "serializable or shareable".
     */
    private transient Object value;
    private final RemoteException failure;

    private Outcome(Object value, RemoteException failure) {
        this.value = value;
        this.failure = failure;
    }

    /**
     * Writes the failure, then the value.
     *
     * @param out the stream.
     * @throws java.io.IOException if the value cannot be written (not serializable, say).
     * @serialData the default fields, then the value as an object.
     */
    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        out.writeObject(value);
    }

    /**
     * Reads what {@link #writeObject} wrote.
     *
     * @param in the stream.
     * @throws java.io.IOException    if the stream is damaged.
     * @throws ClassNotFoundException if the value's class is missing here.
     */
    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        value = in.readObject();
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
