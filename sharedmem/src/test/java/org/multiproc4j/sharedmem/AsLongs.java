package org.multiproc4j.sharedmem;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Set;

import org.multiproc4j.core.TaskFuture;

/**
 * One shared value or array of any element type, seen through {@code long}s, so that one contract
 * ({@link TypedContract}, {@link TypedProcessContract}) can test every typed class. The adapter of each class
 * is generated with it from {@code src/test/templates/.../TypedTest.java.template}. A value is seen as an
 * array of one element whose index is ignored; a {@code boolean} as 0 and 1. Methods but {@code get} and
 * {@code set} are reached through {@link #apply}; the contract calls those only some types have only when
 * {@link #can} says the type has them.
 */
abstract class AsLongs implements AutoCloseable {

    /** Makes shared objects of one typed class, seen as longs. */
    interface Maker {
        /** How long {@link #create()} makes an array. */
        int LENGTH = 8;

        /** Returns a value created with 0, or an array of {@link #LENGTH} zeros. */
        AsLongs create();

        /** Returns the same, with a lock. */
        AsLongs createWithLock();

        /** Returns an array of {@code length} zeros, or a value created with 0 ({@code length} ignored). */
        AsLongs create(long length);

        /** Returns an array holding {@code values}, or a value created with {@code values[0]}. */
        AsLongs copyOf(long... values);

        AsLongs attach(String name);

        /** Tells whether this maker makes arrays ({@link OfArray}s). */
        boolean makesArrays();

        /** Wraps what {@code handle().attach()} returned. */
        AsLongs adapt(Object attached);
    }

    /** Work for a child JVM, given the same shared object attached there. */
    @FunctionalInterface
    interface ChildTask<T> extends Serializable {
        T run(AsLongs attached) throws Exception;
    }

    // ------------------------------------------------------------------------------------------ the class

    abstract SharedObject object();

    /** The element type, as a Java class ({@code int.class}). */
    abstract Class<?> elementType();

    /** The capabilities the table gives the type ({@code numeric}, {@code integral}, ...). */
    abstract Set<String> capabilities();

    final boolean can(String capability) {
        return capabilities().contains(capability);
    }

    final boolean isArray() {
        return object() instanceof SharedArray;
    }

    /** Bytes per element. */
    abstract int elementSize();

    /** How {@code toString()} writes an element of value {@code v}. */
    abstract String format(long v);

    /** What the element type makes of {@code v}: {@code (byte) v}, {@code (char) v}, {@code v != 0}, ... */
    abstract long normalize(long v);

    /** The smallest and largest values of an integral type. */
    abstract long minValue();

    abstract long maxValue();

    /** Starts {@code task} in a child JVM, which attaches this object through its handle. */
    abstract <T> TaskFuture<T> inChild(ChildTask<T> task);

    final String name() {
        return object().name();
    }

    @Override
    public final void close() {
        object().close();
    }

    // ------------------------------------------------------------------------------------------ every type

    abstract long length();

    abstract long get(long index);

    abstract void set(long index, long v);

    // ------------------------------------------------------------------------------------------ capabilities

    /** The element methods but {@code get} and {@code set}, of an index and up to two operands. */
    enum Op {
        GET_PLAIN, SET_PLAIN, GET_OPAQUE, SET_OPAQUE, GET_ACQUIRE, SET_RELEASE, GET_AND_SET,
        /** These take the expected value, then the new one; those that return a boolean return 1 or 0. */
        COMPARE_AND_SET, COMPARE_AND_EXCHANGE, COMPARE_AND_EXCHANGE_ACQUIRE, COMPARE_AND_EXCHANGE_RELEASE,
        WEAK_COMPARE_AND_SET_VOLATILE, WEAK_COMPARE_AND_SET_ACQUIRE, WEAK_COMPARE_AND_SET_RELEASE,
        WEAK_COMPARE_AND_SET_PLAIN,
        /** Only numeric types have these. */
        GET_AND_ADD, ADD_AND_GET, GET_AND_INCREMENT, INCREMENT_AND_GET, GET_AND_DECREMENT, DECREMENT_AND_GET,
        /** With the function "times the operand". */
        GET_AND_UPDATE, UPDATE_AND_GET,
        /** With the function "sum". */
        GET_AND_ACCUMULATE, ACCUMULATE_AND_GET,
        /** Only integral types and boolean have these. */
        GET_AND_BITWISE_OR, GET_AND_BITWISE_AND, GET_AND_BITWISE_XOR
    }

    /**
     * Calls the method {@code op} names with the operands it takes.
     *
     * @return what it returns: 0 for nothing, 1 or 0 for a boolean.
     * @throws UnsupportedOperationException if the type has no such method.
     */
    abstract long apply(Op op, long index, long v, long w);

    final long apply(Op op, long index) {
        return apply(op, index, 0, 0);
    }

    final long apply(Op op, long index, long v) {
        return apply(op, index, v, 0);
    }

    /** Calls a compare-and-set. */
    final boolean test(Op op, long index, long expected, long v) {
        return apply(op, index, expected, v) != 0;
    }

    /** A shared array, seen through longs: what only arrays have. */
    abstract static class OfArray extends AsLongs {

        abstract long[] copyOut(long fromIndex, int count);

        abstract void copyIn(long[] values, long toIndex);

        /** {@code copyTo} into a Java array of {@code arrayLength} elements, from {@code dstOffset}. */
        abstract void copyOut(long fromIndex, int arrayLength, int dstOffset, int count);

        /** {@code copyFrom} a Java array of {@code arrayLength} elements, from {@code srcOffset}. */
        abstract void copyIn(int arrayLength, int srcOffset, long toIndex, int count);

        abstract void copyOut(long fromIndex, ByteBuffer dst);

        abstract void copyIn(ByteBuffer src, long toIndex);

        /** Puts one element's value into a buffer, as the array's type writes it there. */
        abstract void put(ByteBuffer b, long v);

        abstract long take(ByteBuffer b);

        abstract long[] toArray();

        abstract void fill(long v);

        abstract double streamSum();

        abstract double forEachSum();
    }
}
