package org.multiproc4j.sharedmem;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.internal.ElementType;
import org.multiproc4j.sharedmem.internal.ValueDescriptor;

/**
 * A {@code double} shared by processes, with atomic methods in the style of
 * {@link java.util.concurrent.atomic.AtomicLong}: Python's {@code multiprocessing.Value('d', ...)}.
 *
 * <pre>{@code
 * try (SharedDouble total = SharedDouble.create(0.0)) {
 *     new JvmProcess(() -> total.addAndGet(1.5)).start().join();
 *     System.out.println(total.get());              // 1.5
 * }
 * }</pre>
 *
 * <p>The atomic methods are compare-and-set loops on the value's bits: {@link #compareAndSet(double, double)}
 * compares bit patterns ({@link Double#doubleToRawLongBits}), so {@code NaN} equals a {@code NaN} of the same
 * bits and {@code 0.0} does not equal {@code -0.0}. {@link #createWithLock(double)} adds a {@link #lock()}
 * for compound updates.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the value.
 *
 * <p><b>Memory consistency effects.</b> {@link #get()} and {@link #set(double)} are volatile reads and
 * writes of the shared memory, and the atomic methods have the effects of both, across processes.
 *
 * <p><b>Failure.</b> As for {@link SharedInt}.
 */
public final class SharedDouble extends SharedObject {
    private static final String WHAT = "a SharedDouble";
    private long address;

    private SharedDouble(Parts parts) {
        super(parts);
        this.address = segment.address(ValueDescriptor.VALUE_OFFSET);
    }

    /**
     * Creates a shared {@code double} without a lock.
     *
     * @param initialValue the initial value.
     * @return the value; this process is its creator.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedDouble create(double initialValue) {
        return new SharedDouble(createValue(ElementType.DOUBLE, false,
                s -> UnsafeApi.putDouble(null, s.address(ValueDescriptor.VALUE_OFFSET), initialValue)));
    }

    /**
     * Creates a shared {@code double} with a {@link #lock()} of its own.
     *
     * @param initialValue the initial value.
     * @return the value; this process is its creator.
     * @throws SharedMemoryException if a segment cannot be created.
     */
    public static SharedDouble createWithLock(double initialValue) {
        return new SharedDouble(createValue(ElementType.DOUBLE, true,
                s -> UnsafeApi.putDouble(null, s.address(ValueDescriptor.VALUE_OFFSET), initialValue)));
    }

    /**
     * Attaches a shared {@code double} created by another process (or this one), by name.
     *
     * @param name the value's name ({@link #name()}).
     * @return the value.
     * @throws SharedMemoryException if there is no such segment, or it holds something else.
     */
    public static SharedDouble attach(String name) {
        return new SharedDouble(attachValue(name, ElementType.DOUBLE, WHAT));
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
    public double get() {
        return UnsafeApi.getDoubleVolatile(null, a());
    }

    /**
     * Sets the value (a volatile write).
     *
     * @param newValue the new value.
     */
    public void set(double newValue) {
        UnsafeApi.putDoubleVolatile(null, a(), newValue);
    }

    /**
     * Sets the value and returns the old one, atomically.
     *
     * @param newValue the new value.
     * @return the previous value.
     */
    public double getAndSet(double newValue) {
        return Double.longBitsToDouble(UnsafeApi.getAndSetLong(null, a(), Double.doubleToRawLongBits(newValue)));
    }

    /**
     * Sets the value to {@code newValue} if its bits are those of {@code expectedValue}, atomically.
     *
     * @param expectedValue the expected value.
     * @param newValue      the new value.
     * @return {@code true} if it was set.
     */
    public boolean compareAndSet(double expectedValue, double newValue) {
        return UnsafeApi.compareAndSetLong(null, a(), Double.doubleToRawLongBits(expectedValue),
                Double.doubleToRawLongBits(newValue));
    }

    /**
     * Adds to the value atomically.
     *
     * @param delta what to add.
     * @return the previous value.
     */
    public double getAndAdd(double delta) {
        return getAndAccumulate(delta, Double::sum);
    }

    /**
     * Adds to the value atomically.
     *
     * @param delta what to add.
     * @return the updated value.
     */
    public double addAndGet(double delta) {
        return accumulateAndGet(delta, Double::sum);
    }

    /**
     * Applies a function to the value atomically (retrying while it changes; no side effects please).
     *
     * @param updateFunction the function.
     * @return the previous value.
     */
    public double getAndUpdate(DoubleUnaryOperator updateFunction) {
        long a = a();
        while (true) {
            long prev = UnsafeApi.getLongVolatile(null, a);
            double p = Double.longBitsToDouble(prev);
            if (UnsafeApi.compareAndSetLong(null, a, prev, Double.doubleToRawLongBits(updateFunction.applyAsDouble(p)))) {
                return p;
            }
        }
    }

    /**
     * Applies a function to the value atomically (retrying while it changes; no side effects please).
     *
     * @param updateFunction the function.
     * @return the updated value.
     */
    public double updateAndGet(DoubleUnaryOperator updateFunction) {
        long a = a();
        while (true) {
            long prev = UnsafeApi.getLongVolatile(null, a);
            double next = updateFunction.applyAsDouble(Double.longBitsToDouble(prev));
            if (UnsafeApi.compareAndSetLong(null, a, prev, Double.doubleToRawLongBits(next))) {
                return next;
            }
        }
    }

    /**
     * Combines the value with {@code x} atomically (retrying while it changes; no side effects please).
     *
     * @param x                   the other operand.
     * @param accumulatorFunction a function of the current value and {@code x}.
     * @return the previous value.
     */
    public double getAndAccumulate(double x, DoubleBinaryOperator accumulatorFunction) {
        long a = a();
        while (true) {
            long prev = UnsafeApi.getLongVolatile(null, a);
            double p = Double.longBitsToDouble(prev);
            if (UnsafeApi.compareAndSetLong(null, a, prev, Double.doubleToRawLongBits(accumulatorFunction.applyAsDouble(p, x)))) {
                return p;
            }
        }
    }

    /**
     * Combines the value with {@code x} atomically (retrying while it changes; no side effects please).
     *
     * @param x                   the other operand.
     * @param accumulatorFunction a function of the current value and {@code x}.
     * @return the updated value.
     */
    public double accumulateAndGet(double x, DoubleBinaryOperator accumulatorFunction) {
        long a = a();
        while (true) {
            long prev = UnsafeApi.getLongVolatile(null, a);
            double next = accumulatorFunction.applyAsDouble(Double.longBitsToDouble(prev), x);
            if (UnsafeApi.compareAndSetLong(null, a, prev, Double.doubleToRawLongBits(next))) {
                return next;
            }
        }
    }

    /**
     * Returns the current value as a string.
     *
     * @return the value, as {@link Double#toString(double)} writes it, or a note that it is closed.
     */
    @Override
    public String toString() {
        long v = address;
        return v == 0 ? "SharedDouble[" + name() + ", closed]" : Double.toString(UnsafeApi.getDoubleVolatile(null, v));
    }
}
