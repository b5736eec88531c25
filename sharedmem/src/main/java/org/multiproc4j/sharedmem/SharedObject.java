package org.multiproc4j.sharedmem;

import org.agrona.UnsafeApi;
import org.multiproc4j.core.Handle;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.sharedmem.internal.ArrayDescriptor;
import org.multiproc4j.sharedmem.internal.ElementType;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;
import org.multiproc4j.sharedmem.internal.ValueDescriptor;
import org.multiproc4j.sharedmem.sync.SharedReentrantLock;

/**
 * What shared values and arrays have in common: a segment, an optional lock, a name, a handle, closing.
 */
abstract class SharedObject implements Shareable, AutoCloseable {
    /** How many elements {@code toString()} of an array shows at most. */
    static final int TO_STRING_LIMIT = 1000;

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

    static Parts createValue(ElementType type, boolean withLock, Segment.Initializer init) {
        SharedReentrantLock lock = withLock ? SharedReentrantLock.create() : null;
        try {
            Segment s = Segment.create(null, SegmentDescriptor.KIND_VALUE, ValueDescriptor.VERSION, ValueDescriptor.LENGTH,
                    seg -> {
                        UnsafeApi.putInt(null, seg.headerAddress(ValueDescriptor.TYPE_OFFSET), type.code());
                        if (lock != null) {
                            seg.putHeaderString(ValueDescriptor.LOCK_NAME_LENGTH_OFFSET, ValueDescriptor.LOCK_NAME_OFFSET,
                                    ValueDescriptor.MAX_LOCK_NAME, lock.name());
                        }
                        init.init(seg);
                    });
            return new Parts(s, lock);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    static Parts attachValue(String name, ElementType type, String what) {
        Segment s = Segment.attach(name, SegmentDescriptor.KIND_VALUE, ValueDescriptor.VERSION, what);
        try {
            checkType(s, UnsafeApi.getInt(null, s.headerAddress(ValueDescriptor.TYPE_OFFSET)), type, what, "value");
            String lockName = s.headerString(ValueDescriptor.LOCK_NAME_LENGTH_OFFSET, ValueDescriptor.LOCK_NAME_OFFSET,
                    ValueDescriptor.MAX_LOCK_NAME);
            return new Parts(s, lockName.isEmpty() ? null : SharedReentrantLock.attach(lockName));
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    static Parts createArray(ElementType type, long length, boolean withLock) {
        if (length < 0) {
            throw new IllegalArgumentException("shared array length must not be negative: length=" + length);
        }
        if (length > (Long.MAX_VALUE >> 4) >> type.shift()) {
            throw new IllegalArgumentException("shared array length too large: length=" + length);
        }
        SharedReentrantLock lock = withLock ? SharedReentrantLock.create() : null;
        try {
            Segment s = Segment.create(null, SegmentDescriptor.KIND_ARRAY, ArrayDescriptor.VERSION, length << type.shift(),
                    seg -> {
                        UnsafeApi.putInt(null, seg.headerAddress(ArrayDescriptor.TYPE_OFFSET), type.code());
                        UnsafeApi.putLong(null, seg.headerAddress(ArrayDescriptor.LENGTH_OFFSET), length);
                        if (lock != null) {
                            seg.putHeaderString(ArrayDescriptor.LOCK_NAME_LENGTH_OFFSET, ArrayDescriptor.LOCK_NAME_OFFSET,
                                    ArrayDescriptor.MAX_LOCK_NAME, lock.name());
                        }
                    });
            return new Parts(s, lock);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    static Parts attachArray(String name, ElementType type, String what) {
        Segment s = Segment.attach(name, SegmentDescriptor.KIND_ARRAY, ArrayDescriptor.VERSION, what);
        try {
            checkType(s, UnsafeApi.getInt(null, s.headerAddress(ArrayDescriptor.TYPE_OFFSET)), type, what, "array");
            long length = UnsafeApi.getLong(null, s.headerAddress(ArrayDescriptor.LENGTH_OFFSET));
            if (length < 0 || length << type.shift() > s.dataLength()) {
                throw new SharedMemoryException("cannot attach " + s.name() + " as " + what + ": segment too small: "
                        + "its header says " + length + " elements of " + type.size() + " bytes, the data holds "
                        + s.dataLength() + " bytes");
            }
            String lockName = s.headerString(ArrayDescriptor.LOCK_NAME_LENGTH_OFFSET, ArrayDescriptor.LOCK_NAME_OFFSET,
                    ArrayDescriptor.MAX_LOCK_NAME);
            return new Parts(s, lockName.isEmpty() ? null : SharedReentrantLock.attach(lockName));
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    private static void checkType(Segment s, int code, ElementType expected, String what, String shape) {
        if (code != expected.code()) {
            ElementType actual = ElementType.of(code);
            throw new SharedMemoryException("cannot attach " + s.name() + " as " + what + ": it holds a shared "
                    + (actual == null ? "value of unknown type " + code : actual.javaName()) + " " + shape);
        }
    }

    static long arrayLength(Segment s) {
        return UnsafeApi.getLong(null, s.headerAddress(ArrayDescriptor.LENGTH_OFFSET));
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
     * counter.lock().lock();
     * try {
     *     counter.set(counter.get() * 2 + 1);
     * } finally {
     *     counter.lock().unlock();
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

    /**
     * Returns the descriptor this object travels as to a child JVM: its name and type.
     *
     * @return the handle; attaching it maps the same memory.
     */
    @Override
    public Handle handle() {
        return new TypedHandle(getClass().getSimpleName(), name());
    }

    IllegalStateException closedException() {
        return new IllegalStateException(getClass().getSimpleName() + " " + name() + " is closed");
    }

    /**
     * What a shared value or array travels as: its class and its segment's name.
     *
     * @param type the simple name of its class.
     * @param name its segment's name.
     */
    record TypedHandle(String type, String name) implements Handle {
        private static final long serialVersionUID = 1L;

        @Override
        public Object attach() {
            switch (type) {
                case "SharedInt":
                    return SharedInt.attach(name);
                case "SharedLong":
                    return SharedLong.attach(name);
                case "SharedDouble":
                    return SharedDouble.attach(name);
                case "SharedBoolean":
                    return SharedBoolean.attach(name);
                case "SharedIntArray":
                    return SharedIntArray.attach(name);
                case "SharedLongArray":
                    return SharedLongArray.attach(name);
                case "SharedDoubleArray":
                    return SharedDoubleArray.attach(name);
                case "SharedFloatArray":
                    return SharedFloatArray.attach(name);
                case "SharedShortArray":
                    return SharedShortArray.attach(name);
                case "SharedByteArray":
                    return SharedByteArray.attach(name);
                case "SharedCharArray":
                    return SharedCharArray.attach(name);
                default:
                    throw new IllegalStateException("cannot attach " + name + ": unknown shared type " + type);
            }
        }
    }
}
