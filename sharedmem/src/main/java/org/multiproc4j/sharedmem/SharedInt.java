package org.multiproc4j.sharedmem;

import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.internal.ElementType;
import org.multiproc4j.sharedmem.internal.ValueDescriptor;

/**
 * An {@code int} shared by processes, with the methods of {@link java.util.concurrent.atomic.AtomicInteger}:
 * Python's {@code multiprocessing.Value('i', ...)}.
 *
 * <pre>{@code
 * try (SharedInt num = SharedInt.create(4)) {
 *     new JvmProcess(() -> num.set(num.get() * num.get() * num.get())).start().join();
 *     System.out.println(num.get());                 // 64, written by the child
 *     num.incrementAndGet();                         // atomic across processes
 * }
 * }</pre>
 *
 * <p>The atomic methods ({@code getAndAdd}, {@code compareAndSet}, {@code updateAndGet}, ...) are atomic
 * across every thread of every process, without a lock. A value created
 * {@linkplain #createWithLock(int) with a lock} also carries a {@link #lock()} for compound updates, as
 * Python's {@code Value(lock=True)} does; {@link #create(int)} is Python's {@code RawValue} plus atomics.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the value: its creator, a process that {@linkplain #attach(String) attached} it, or a child whose task
 * captured it (it travels as its name).
 *
 * <p><b>Memory consistency effects.</b> As for {@code AtomicInteger}, across processes: {@link #get()} and
 * {@link #set(int)} are volatile reads and writes of the shared memory, and the atomic methods have the
 * effects of both; a write in one process happens-before a read in another that observes it.
 *
 * <p><b>Failure.</b> Attaching fails with a {@link SharedMemoryException} naming the segment if it is gone,
 * too small, or holds something else; use after {@link #close()} throws {@link IllegalStateException}.
 * The value's name is removed by the close that leaves no live process using it (see the lifetime rule in
 * the {@linkplain org.multiproc4j.sharedmem package summary}).
 */
public final class SharedInt extends SharedObject {
    private static final String WHAT = "a SharedInt";
    private long address;

    private SharedInt(Parts parts) {
        super(parts);
        this.address = segment.address(ValueDescriptor.VALUE_OFFSET);
    }

    /**
     * Creates a shared {@code int} without a lock.
     *
     * @param initialValue the initial value.
     * @return the value; this process is its creator.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedInt create(int initialValue) {
        return new SharedInt(createValue(ElementType.INT, false,
                s -> UnsafeApi.putInt(null, s.address(ValueDescriptor.VALUE_OFFSET), initialValue)));
    }

    /**
     * Creates a shared {@code int} with a {@link #lock()} of its own (Python's {@code Value('i', v)}, whose
     * lock is on by default).
     *
     * @param initialValue the initial value.
     * @return the value; this process is its creator.
     * @throws SharedMemoryException if a segment cannot be created.
     */
    public static SharedInt createWithLock(int initialValue) {
        return new SharedInt(createValue(ElementType.INT, true,
                s -> UnsafeApi.putInt(null, s.address(ValueDescriptor.VALUE_OFFSET), initialValue)));
    }

    /**
     * Attaches a shared {@code int} created by another process (or this one), by name.
     *
     * @param name the value's name ({@link #name()}).
     * @return the value.
     * @throws SharedMemoryException if there is no such segment, or it holds something else.
     */
    public static SharedInt attach(String name) {
        return new SharedInt(attachValue(name, ElementType.INT, WHAT));
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
    public int get() {
        return UnsafeApi.getIntVolatile(null, a());
    }

    /**
     * Sets the value (a volatile write).
     *
     * @param newValue the new value.
     */
    public void set(int newValue) {
        UnsafeApi.putIntVolatile(null, a(), newValue);
    }

    /**
     * Sets the value with release semantics (a cheaper write, ordered after this thread's earlier writes).
     *
     * @param newValue the new value.
     */
    public void setRelease(int newValue) {
        UnsafeApi.putIntRelease(null, a(), newValue);
    }

    /**
     * Sets the value and returns the old one, atomically.
     *
     * @param newValue the new value.
     * @return the previous value.
     */
    public int getAndSet(int newValue) {
        return UnsafeApi.getAndSetInt(null, a(), newValue);
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}, atomically.
     *
     * @param expectedValue the expected value.
     * @param newValue      the new value.
     * @return {@code true} if it was set.
     */
    public boolean compareAndSet(int expectedValue, int newValue) {
        return UnsafeApi.compareAndSetInt(null, a(), expectedValue, newValue);
    }

    /**
     * Adds to the value atomically.
     *
     * @param delta what to add.
     * @return the previous value.
     */
    public int getAndAdd(int delta) {
        return UnsafeApi.getAndAddInt(null, a(), delta);
    }

    /**
     * Adds to the value atomically.
     *
     * @param delta what to add.
     * @return the updated value.
     */
    public int addAndGet(int delta) {
        return UnsafeApi.getAndAddInt(null, a(), delta) + delta;
    }

    /**
     * Adds one atomically.
     *
     * @return the previous value.
     */
    public int getAndIncrement() {
        return getAndAdd(1);
    }

    /**
     * Adds one atomically.
     *
     * @return the updated value.
     */
    public int incrementAndGet() {
        return addAndGet(1);
    }

    /**
     * Subtracts one atomically.
     *
     * @return the previous value.
     */
    public int getAndDecrement() {
        return getAndAdd(-1);
    }

    /**
     * Subtracts one atomically.
     *
     * @return the updated value.
     */
    public int decrementAndGet() {
        return addAndGet(-1);
    }

    /**
     * Applies a function to the value atomically (retrying while other threads or processes change it, so
     * the function must have no side effects).
     *
     * @param updateFunction the function.
     * @return the previous value.
     */
    public int getAndUpdate(IntUnaryOperator updateFunction) {
        long a = a();
        while (true) {
            int prev = UnsafeApi.getIntVolatile(null, a);
            if (UnsafeApi.compareAndSetInt(null, a, prev, updateFunction.applyAsInt(prev))) {
                return prev;
            }
        }
    }

    /**
     * Applies a function to the value atomically (retrying while other threads or processes change it, so
     * the function must have no side effects).
     *
     * @param updateFunction the function.
     * @return the updated value.
     */
    public int updateAndGet(IntUnaryOperator updateFunction) {
        long a = a();
        while (true) {
            int prev = UnsafeApi.getIntVolatile(null, a);
            int next = updateFunction.applyAsInt(prev);
            if (UnsafeApi.compareAndSetInt(null, a, prev, next)) {
                return next;
            }
        }
    }

    /**
     * Combines the value with {@code x} atomically (retrying while it changes; the function must have no
     * side effects).
     *
     * @param x                   the other operand.
     * @param accumulatorFunction a function of the current value and {@code x}.
     * @return the previous value.
     */
    public int getAndAccumulate(int x, IntBinaryOperator accumulatorFunction) {
        long a = a();
        while (true) {
            int prev = UnsafeApi.getIntVolatile(null, a);
            if (UnsafeApi.compareAndSetInt(null, a, prev, accumulatorFunction.applyAsInt(prev, x))) {
                return prev;
            }
        }
    }

    /**
     * Combines the value with {@code x} atomically (retrying while it changes; the function must have no
     * side effects).
     *
     * @param x                   the other operand.
     * @param accumulatorFunction a function of the current value and {@code x}.
     * @return the updated value.
     */
    public int accumulateAndGet(int x, IntBinaryOperator accumulatorFunction) {
        long a = a();
        while (true) {
            int prev = UnsafeApi.getIntVolatile(null, a);
            int next = accumulatorFunction.applyAsInt(prev, x);
            if (UnsafeApi.compareAndSetInt(null, a, prev, next)) {
                return next;
            }
        }
    }

    /**
     * Returns the current value as a string, as {@code AtomicInteger} does.
     *
     * @return the value in decimal, or a note that the value is closed.
     */
    @Override
    public String toString() {
        long v = address;
        return v == 0 ? "SharedInt[" + name() + ", closed]" : Integer.toString(UnsafeApi.getIntVolatile(null, v));
    }
}
