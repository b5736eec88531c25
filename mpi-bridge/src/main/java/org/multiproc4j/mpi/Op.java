package org.multiproc4j.mpi;

import java.util.Objects;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * A reduction operation of the buffer forms ({@link Comm#reduce(Buf, Buf, Op, int)},
 * {@link Comm#allreduce(Buf, Buf, Op)}, scans): MPI's predefined operations and user operations, applied
 * element by element. Object reductions take a {@link java.util.function.BinaryOperator} instead.
 *
 * <pre>{@code
 * double[] in = {1, 2, 3};
 * double[] acc = {10, 20, 30};
 * Op.SUM.apply(ElementType.DOUBLE, acc, 0, in, 0, 3);          // acc = acc + in
 * Op hypot = Op.ofDoubles((a, b) -> Math.sqrt(a * a + b * b)); // a user operation
 * System.out.println(Arrays.toString(acc) + " " + hypot);
 * }</pre>
 *
 * <p>Integer types are combined in {@code long} arithmetic and narrowed back (as Java's compound assignment
 * does), floating-point types in {@code double}. The logical operations ({@link #LAND}, {@link #LOR},
 * {@link #LXOR}) treat non-zero as true and give 1 or 0; they and the bitwise ones apply to the integer types
 * only. {@link #MINLOC} and {@link #MAXLOC} read the buffer as pairs {@code (value, index)} of its own type
 * (MPI's {@code MPI_DOUBLE_INT} and kin, flattened): an even count, the smaller (larger) value with its index,
 * the lower index on a tie.
 *
 * <p><b>Order.</b> A reduction combines the ranks' contributions in rank order ({@code r0 op r1 op ...}),
 * so a user operation needs to be associative but not commutative.
 *
 * <p><b>Thread and process safety.</b> Immutable; a user operation must be safe to call from the thread that
 * runs the reduction. An {@code Op} does not travel between processes: every rank makes its own, the same.
 */
public final class Op {
    private enum Loc { NONE, MIN, MAX }

    /** Sum. */
    public static final Op SUM = new Op("SUM", Long::sum, Double::sum, Loc.NONE);
    /** Product. */
    public static final Op PROD = new Op("PROD", (a, b) -> a * b, (a, b) -> a * b, Loc.NONE);
    /** Minimum. */
    public static final Op MIN = new Op("MIN", Math::min, Math::min, Loc.NONE);
    /** Maximum. */
    public static final Op MAX = new Op("MAX", Math::max, Math::max, Loc.NONE);
    /** Logical and (integer types). */
    public static final Op LAND = new Op("LAND", (a, b) -> (a != 0 && b != 0) ? 1 : 0, null, Loc.NONE);
    /** Logical or (integer types). */
    public static final Op LOR = new Op("LOR", (a, b) -> (a != 0 || b != 0) ? 1 : 0, null, Loc.NONE);
    /** Logical exclusive or (integer types). */
    public static final Op LXOR = new Op("LXOR", (a, b) -> ((a != 0) != (b != 0)) ? 1 : 0, null, Loc.NONE);
    /** Bitwise and (integer types). */
    public static final Op BAND = new Op("BAND", (a, b) -> a & b, null, Loc.NONE);
    /** Bitwise or (integer types). */
    public static final Op BOR = new Op("BOR", (a, b) -> a | b, null, Loc.NONE);
    /** Bitwise exclusive or (integer types). */
    public static final Op BXOR = new Op("BXOR", (a, b) -> a ^ b, null, Loc.NONE);
    /** Minimum with its location, over {@code (value, index)} pairs. */
    public static final Op MINLOC = new Op("MINLOC", null, null, Loc.MIN);
    /** Maximum with its location, over {@code (value, index)} pairs. */
    public static final Op MAXLOC = new Op("MAXLOC", null, null, Loc.MAX);

    private final String name;
    private final LongBinaryOperator integral;
    private final DoubleBinaryOperator floating;
    private final Loc loc;

    private Op(String name, LongBinaryOperator integral, DoubleBinaryOperator floating, Loc loc) {
        this.name = name;
        this.integral = integral;
        this.floating = floating;
        this.loc = loc;
    }

    /**
     * Makes a user operation on floating-point elements ({@link ElementType#FLOAT}, {@link ElementType#DOUBLE}).
     *
     * @param op the operation, associative.
     * @return the operation.
     * @throws NullPointerException if {@code op} is {@code null}.
     */
    public static Op ofDoubles(DoubleBinaryOperator op) {
        return new Op("user(double)", null, Objects.requireNonNull(op, "op"), Loc.NONE);
    }

    /**
     * Makes a user operation on integer elements (byte, short, char, int, long), computed in {@code long}.
     *
     * @param op the operation, associative.
     * @return the operation.
     * @throws NullPointerException if {@code op} is {@code null}.
     */
    public static Op ofLongs(LongBinaryOperator op) {
        return new Op("user(long)", Objects.requireNonNull(op, "op"), null, Loc.NONE);
    }

    /**
     * Makes a user operation for every element type: {@code integral} for the integer types, {@code floating}
     * for the floating-point ones.
     *
     * @param integral the operation on integers.
     * @param floating the operation on floating-point values.
     * @return the operation.
     * @throws NullPointerException if an argument is {@code null}.
     */
    public static Op of(LongBinaryOperator integral, DoubleBinaryOperator floating) {
        return new Op("user", Objects.requireNonNull(integral, "integral"), Objects.requireNonNull(floating, "floating"),
                Loc.NONE);
    }

    /**
     * Tells whether this operation applies to an element type.
     *
     * @param type the type.
     * @return {@code true} if {@link #apply} accepts it.
     */
    public boolean supports(ElementType type) {
        if (loc != Loc.NONE) {
            return true;
        }
        return isFloating(type) ? floating != null : integral != null;
    }

    /**
     * Checks that this operation applies to {@code type} and {@code count} elements.
     *
     * @param where the operation's name, for the message.
     * @param type  the element type.
     * @param count the element count.
     * @throws IllegalArgumentException if it does not; the message names the operation and the type.
     */
    public void check(String where, ElementType type, int count) {
        if (!supports(type)) {
            throw new IllegalArgumentException(where + ": Op " + name + " does not apply to " + type + " elements");
        }
        if (loc != Loc.NONE && count % 2 != 0) {
            throw new IllegalArgumentException(where + ": Op " + name + " needs (value, index) pairs, an even count, got "
                    + count);
        }
    }

    private static boolean isFloating(ElementType t) {
        return t == ElementType.FLOAT || t == ElementType.DOUBLE;
    }

    /**
     * Combines {@code inout[ioOffset + i] = inout[ioOffset + i] op in[inOffset + i]} for {@code count} elements.
     *
     * @param type     the element type of both arrays.
     * @param inout    the left operands and the result: an array of {@code type}.
     * @param ioOffset the first element in {@code inout}.
     * @param in       the right operands: an array of {@code type}.
     * @param inOffset the first element in {@code in}.
     * @param count    the number of elements (of pairs' elements for the location operations).
     * @throws IllegalArgumentException if the operation does not apply to {@code type}.
     * @throws ClassCastException       if an array is not of {@code type}.
     */
    public void apply(ElementType type, Object inout, int ioOffset, Object in, int inOffset, int count) {
        check("apply", type, count);
        if (loc != Loc.NONE) {
            applyLoc(type, inout, ioOffset, in, inOffset, count);
            return;
        }
        switch (type) {
            case DOUBLE: {
                double[] a = (double[]) inout;
                double[] b = (double[]) in;
                if (this == SUM) {
                    for (int i = 0; i < count; i++) {
                        a[ioOffset + i] += b[inOffset + i];
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        a[ioOffset + i] = floating.applyAsDouble(a[ioOffset + i], b[inOffset + i]);
                    }
                }
                return;
            }
            case FLOAT: {
                float[] a = (float[]) inout;
                float[] b = (float[]) in;
                for (int i = 0; i < count; i++) {
                    a[ioOffset + i] = (float) floating.applyAsDouble(a[ioOffset + i], b[inOffset + i]);
                }
                return;
            }
            case LONG: {
                long[] a = (long[]) inout;
                long[] b = (long[]) in;
                for (int i = 0; i < count; i++) {
                    a[ioOffset + i] = integral.applyAsLong(a[ioOffset + i], b[inOffset + i]);
                }
                return;
            }
            case INT: {
                int[] a = (int[]) inout;
                int[] b = (int[]) in;
                if (this == SUM) {
                    for (int i = 0; i < count; i++) {
                        a[ioOffset + i] += b[inOffset + i];
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        a[ioOffset + i] = (int) integral.applyAsLong(a[ioOffset + i], b[inOffset + i]);
                    }
                }
                return;
            }
            case SHORT: {
                short[] a = (short[]) inout;
                short[] b = (short[]) in;
                for (int i = 0; i < count; i++) {
                    a[ioOffset + i] = (short) integral.applyAsLong(a[ioOffset + i], b[inOffset + i]);
                }
                return;
            }
            case CHAR: {
                char[] a = (char[]) inout;
                char[] b = (char[]) in;
                for (int i = 0; i < count; i++) {
                    a[ioOffset + i] = (char) integral.applyAsLong(a[ioOffset + i], b[inOffset + i]);
                }
                return;
            }
            default: {
                byte[] a = (byte[]) inout;
                byte[] b = (byte[]) in;
                for (int i = 0; i < count; i++) {
                    a[ioOffset + i] = (byte) integral.applyAsLong(a[ioOffset + i], b[inOffset + i]);
                }
            }
        }
    }

    private void applyLoc(ElementType type, Object inout, int io, Object in, int ii, int count) {
        for (int p = 0; p < count; p += 2) {
            double av = value(type, inout, io + p);
            double bv = value(type, in, ii + p);
            double ai = value(type, inout, io + p + 1);
            double bi = value(type, in, ii + p + 1);
            boolean takeB = loc == Loc.MIN ? (bv < av || (bv == av && bi < ai)) : (bv > av || (bv == av && bi < ai));
            if (takeB) {
                java.lang.reflect.Array.set(inout, io + p, java.lang.reflect.Array.get(in, ii + p));
                java.lang.reflect.Array.set(inout, io + p + 1, java.lang.reflect.Array.get(in, ii + p + 1));
            }
        }
    }

    private static double value(ElementType type, Object array, int i) {
        switch (type) {
            case DOUBLE: return ((double[]) array)[i];
            case FLOAT: return ((float[]) array)[i];
            case LONG: return ((long[]) array)[i];
            case INT: return ((int[]) array)[i];
            case SHORT: return ((short[]) array)[i];
            case CHAR: return ((char[]) array)[i];
            default: return ((byte[]) array)[i];
        }
    }

    /**
     * Returns the operation's name.
     *
     * @return e.g. {@code SUM}, or {@code user(double)}.
     */
    @Override
    public String toString() {
        return name;
    }
}
