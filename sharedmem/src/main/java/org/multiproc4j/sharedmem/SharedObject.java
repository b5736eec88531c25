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
     * Unmaps this object from this process (and its lock, if it has one); the creator also removes its name,
     * after which no other process can attach it (those that have it keep it). Do not close an object while
     * other threads of this process still use it. Closing twice is harmless.
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

    IllegalStateException closedException() {
        return new IllegalStateException(getClass().getSimpleName() + " " + name() + " is closed");
    }

    /** What {@code toString()} says of a closed object. */
    String closedString() {
        return getClass().getSimpleName() + "[" + name() + ", closed]";
    }
}
