package org.multiproc4j.sharedmem;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.internal.ElementType;
import org.multiproc4j.sharedmem.internal.ValueDescriptor;

/**
 * A {@code boolean} shared by processes, with the methods of
 * {@link java.util.concurrent.atomic.AtomicBoolean}: Python's {@code multiprocessing.Value('b', ...)} used as
 * a flag. (To wait for a flag, use {@link org.multiproc4j.sharedmem.sync.SharedEvent}.)
 *
 * <pre>{@code
 * try (SharedBoolean stop = SharedBoolean.create(false)) {
 *     JvmProcess worker = new JvmProcess(() -> {
 *         while (!stop.get()) {
 *             step();
 *         }
 *     }).start();
 *     stop.set(true);
 *     worker.join();
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the value.
 *
 * <p><b>Memory consistency effects.</b> {@link #get()} and {@link #set(boolean)} are volatile reads and
 * writes of the shared memory; {@link #compareAndSet} and {@link #getAndSet} have the effects of both.
 *
 * <p><b>Failure.</b> As for {@link SharedInt}.
 */
public final class SharedBoolean extends SharedObject {
    private static final String WHAT = "a SharedBoolean";
    private long address;

    private SharedBoolean(Parts parts) {
        super(parts);
        this.address = segment.address(ValueDescriptor.VALUE_OFFSET);
    }

    /**
     * Creates a shared {@code boolean} without a lock.
     *
     * @param initialValue the initial value.
     * @return the value; this process is its creator.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedBoolean create(boolean initialValue) {
        return new SharedBoolean(createValue(ElementType.BOOLEAN, false,
                s -> UnsafeApi.putInt(null, s.address(ValueDescriptor.VALUE_OFFSET), initialValue ? 1 : 0)));
    }

    /**
     * Creates a shared {@code boolean} with a {@link #lock()} of its own.
     *
     * @param initialValue the initial value.
     * @return the value; this process is its creator.
     * @throws SharedMemoryException if a segment cannot be created.
     */
    public static SharedBoolean createWithLock(boolean initialValue) {
        return new SharedBoolean(createValue(ElementType.BOOLEAN, true,
                s -> UnsafeApi.putInt(null, s.address(ValueDescriptor.VALUE_OFFSET), initialValue ? 1 : 0)));
    }

    /**
     * Attaches a shared {@code boolean} created by another process (or this one), by name.
     *
     * @param name the value's name ({@link #name()}).
     * @return the value.
     * @throws SharedMemoryException if there is no such segment, or it holds something else.
     */
    public static SharedBoolean attach(String name) {
        return new SharedBoolean(attachValue(name, ElementType.BOOLEAN, WHAT));
    }

    private long a() {
        long v = address;
        if (v == 0) {
            throw closedException();
        }
        return v;
    }

    @Override
    void closed() {
        address = 0;
    }

    /**
     * Returns the current value (a volatile read).
     *
     * @return the value.
     */
    public boolean get() {
        return UnsafeApi.getIntVolatile(null, a()) != 0;
    }

    /**
     * Sets the value (a volatile write).
     *
     * @param newValue the new value.
     */
    public void set(boolean newValue) {
        UnsafeApi.putIntVolatile(null, a(), newValue ? 1 : 0);
    }

    /**
     * Sets the value and returns the old one, atomically.
     *
     * @param newValue the new value.
     * @return the previous value.
     */
    public boolean getAndSet(boolean newValue) {
        return UnsafeApi.getAndSetInt(null, a(), newValue ? 1 : 0) != 0;
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}, atomically.
     *
     * @param expectedValue the expected value.
     * @param newValue      the new value.
     * @return {@code true} if it was set.
     */
    public boolean compareAndSet(boolean expectedValue, boolean newValue) {
        return UnsafeApi.compareAndSetInt(null, a(), expectedValue ? 1 : 0, newValue ? 1 : 0);
    }

    /**
     * Returns the current value as a string.
     *
     * @return {@code "true"} or {@code "false"}, or a note that the value is closed.
     */
    @Override
    public String toString() {
        long v = address;
        return v == 0 ? "SharedBoolean[" + name() + ", closed]" : Boolean.toString(UnsafeApi.getIntVolatile(null, v) != 0);
    }
}
