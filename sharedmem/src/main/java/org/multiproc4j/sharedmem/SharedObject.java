package org.multiproc4j.sharedmem;

import java.util.function.Function;

import org.agrona.UnsafeApi;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.sharedmem.internal.ElementType;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.sync.SharedReentrantLock;

/**
 * What shared values and arrays have in common: a segment, an optional lock, a name, closing. The shapes are
 * {@link SharedValue} and {@link SharedArray}; the typed classes ({@code SharedInt}, {@code SharedIntArray},
 * ...) are generated from {@code src/main/templates} and each knows how to travel and re-attach itself.
 */
abstract class SharedObject implements Shareable, AutoCloseable {
    final Segment segment;
    private final SharedReentrantLock lock;

    /** A segment and the lock named in it. */
    record Parts(Segment segment, SharedReentrantLock lock) {
    }

    SharedObject(Parts parts) {
        this.segment = parts.segment();
        this.lock = parts.lock();
    }

    // ------------------------------------------------------------------------------------------ creating

    /** Writes a new segment's kind header (and initial data), given the name of its lock ("" for none). */
    @FunctionalInterface
    interface Header {
        void write(Segment segment, String lockName);
    }

    /** Creates a lock if asked, then a segment whose header {@code header} writes. */
    static Parts create(int kind, int version, long dataLength, boolean withLock, Header header) {
        SharedReentrantLock lock = withLock ? SharedReentrantLock.create() : null;
        try {
            Segment s = Segment.create(null, kind, version, dataLength, seg -> header.write(seg, lock == null ? "" : lock.name()));
            return new Parts(s, lock);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /**
     * Attaches a segment, lets {@code check} check its kind header and return the name of its lock ("" for
     * none), and attaches that lock.
     */
    static Parts attach(String name, int kind, int version, String what, Function<Segment, String> check) {
        Segment s = Segment.attach(name, kind, version, what);
        try {
            String lockName = check.apply(s);
            return new Parts(s, lockName.isEmpty() ? null : SharedReentrantLock.attach(lockName));
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    /** Checks the element type a kind header records. */
    static void checkType(Segment s, int typeOffset, ElementType expected, String what, String shape) {
        int code = UnsafeApi.getInt(null, s.headerAddress(typeOffset));
        if (code != expected.code()) {
            ElementType actual = ElementType.of(code);
            throw new SharedMemoryException("cannot attach " + s.name() + " as " + what + ": it holds a shared "
                    + (actual == null ? "value of unknown type " + code : actual.javaName()) + " " + shape);
        }
    }

    // ------------------------------------------------------------------------------------------ common API

    /**
     * Returns the name of this object's segment, by which {@code attach} finds it in another process.
     *
     * @return the name, starting with {@code mp4j-}.
     */
    public String name() {
        return segment.name();
    }

    /**
     * Returns the lock this object was created with (Python's {@code get_lock()}): a reentrant lock shared by
     * every process that has the object, for compound updates such as read-modify-write sequences that the
     * atomic methods do not cover.
     *
     * <pre>{@code
     * try (SharedInt counter = SharedInt.createWithLock(1)) {
     *     counter.lock().lock();
     *     try {
     *         counter.set(counter.get() * 2 + 1);
     *     } finally {
     *         counter.lock().unlock();
     *     }
     * }
     * }</pre>
     *
     * @return the lock.
     * @throws IllegalStateException if the object was created without a lock.
     */
    public SharedReentrantLock lock() {
        if (lock == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + name() + " was created without a lock "
                    + "(use " + getClass().getSimpleName() + ".createWithLock)");
        }
        return lock;
    }

    /**
     * Tells whether this object was created with a lock.
     *
     * @return {@code true} if {@link #lock()} returns one.
     */
    public boolean hasLock() {
        return lock != null;
    }

    /**
     * Closes this object in this process (and its lock, if it has one). The close that leaves no live process
     * using the object (none has it open, none was handed it and has not attached it yet) also removes its name,
     * after which no other process can attach it (those that have it keep it); see the lifetime rule in the
     * {@linkplain org.multiproc4j.sharedmem package summary}. Do not close an object while other threads of this
     * process still use it. Closing twice is harmless.
     *
     * <p><b>Closing while in use.</b> Every call that starts after the close throws
     * {@link IllegalStateException}; a bulk copy under way throws it at its next step (of at most 1 MiB). A
     * call racing with the close (one that found the object open just before, a stream already running) may
     * still complete: the memory is unmapped only once this object is unreachable, so no call ever touches
     * unmapped memory.
     */
    @Override
    public void close() {
        closed();
        segment.close();
        if (lock != null) {
            lock.close();
        }
    }

    /** Forgets the cached addresses, so that later use throws {@link IllegalStateException}. */
    abstract void closed();

    /**
     * Records that a handle of this object (and of its lock) is being written for another process: until the
     * handle is attached, or its recipient is named ({@link #handedOver}) and dies, the object stays attachable.
     *
     * @return this process's token, which the handle carries to {@link Segment#attachingHandle}.
     * @throws IllegalStateException if the object is closed.
     */
    final long sending() {
        long sender = segment.sending();
        if (lock != null) {
            lock.handle(); // the lock travels with the object: counted until the child attaches it too
        }
        return sender;
    }

    /**
     * Keeps the object (and its lock) attachable for the process a task carrying its handle was sent to, until
     * that process attaches it or dies ({@code null}: the task will never arrive, nothing is kept). Called by
     * {@code JvmProcess.start()}; see {@link Shareable#handedOver}.
     *
     * @param recipient the process that will attach the handle, or {@code null}.
     */
    @Override
    public void handedOver(ProcessHandle recipient) {
        segment.handedOver(recipient);
        if (lock != null) {
            lock.handedOver(recipient);
        }
    }

    IllegalStateException closedException() {
        return new IllegalStateException(getClass().getSimpleName() + " " + name() + " is closed");
    }

    /** What {@code toString()} says of a closed object. */
    String closedString() {
        return getClass().getSimpleName() + "[" + name() + ", closed]";
    }
}
