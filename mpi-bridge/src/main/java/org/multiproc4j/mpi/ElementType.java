package org.multiproc4j.mpi;

/**
 * The element types of the buffer forms of {@link Comm}'s operations: MPI's basic datatypes, one per Java
 * primitive that MPI programs exchange. A {@link Buf} knows its element type; a message carries it, so a
 * receive into a buffer of another type is refused with a clear message rather than reinterpreting bytes.
 *
 * <pre>{@code
 * System.out.println(ElementType.DOUBLE.size());              // 8
 * System.out.println(ElementType.of(int[].class));            // INT
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> An enum: immutable, usable anywhere.
 */
public enum ElementType {
    /** {@code byte}, MPI's {@code MPI_BYTE}/{@code MPI_SIGNED_CHAR}. */
    BYTE(1, byte[].class),
    /** {@code short}, {@code MPI_SHORT}. */
    SHORT(2, short[].class),
    /** {@code char} (UTF-16 code unit), {@code MPI_UNSIGNED_SHORT}. */
    CHAR(2, char[].class),
    /** {@code int}, {@code MPI_INT}. */
    INT(4, int[].class),
    /** {@code long}, {@code MPI_LONG_LONG}. */
    LONG(8, long[].class),
    /** {@code float}, {@code MPI_FLOAT}. */
    FLOAT(4, float[].class),
    /** {@code double}, {@code MPI_DOUBLE}. */
    DOUBLE(8, double[].class);

    private final int size;
    private final Class<?> arrayClass;

    ElementType(int size, Class<?> arrayClass) {
        this.size = size;
        this.arrayClass = arrayClass;
    }

    /**
     * Returns the size of one element.
     *
     * @return the size in bytes.
     */
    public int size() {
        return size;
    }

    /**
     * Returns the Java array class that holds elements of this type.
     *
     * @return e.g. {@code double[].class} for {@link #DOUBLE}.
     */
    public Class<?> arrayClass() {
        return arrayClass;
    }

    /**
     * Returns the element type of a primitive array class.
     *
     * @param arrayClass {@code byte[].class}, {@code short[].class}, {@code char[].class}, {@code int[].class},
     *                   {@code long[].class}, {@code float[].class} or {@code double[].class}.
     * @return its element type.
     * @throws IllegalArgumentException if the class is not one of those.
     */
    public static ElementType of(Class<?> arrayClass) {
        for (ElementType t : values()) {
            if (t.arrayClass == arrayClass) {
                return t;
            }
        }
        throw new IllegalArgumentException("not an array of an MPI element type: " + arrayClass.getName()
                + " (use byte[], short[], char[], int[], long[], float[] or double[])");
    }

    /**
     * Allocates a Java array of this type.
     *
     * @param length the number of elements.
     * @return a new array ({@code double[]} for {@link #DOUBLE}, ...).
     * @throws NegativeArraySizeException if {@code length} is negative.
     */
    public Object newArray(int length) {
        switch (this) {
            case BYTE: return new byte[length];
            case SHORT: return new short[length];
            case CHAR: return new char[length];
            case INT: return new int[length];
            case LONG: return new long[length];
            case FLOAT: return new float[length];
            default: return new double[length];
        }
    }
}
