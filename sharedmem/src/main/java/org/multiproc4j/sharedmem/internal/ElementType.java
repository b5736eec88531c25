package org.multiproc4j.sharedmem.internal;

/**
 * The element type of a shared value or array, as recorded in its kind header.
 */
public enum ElementType {
    /** {@code byte}. */
    BYTE(1, 0, "byte"),
    /** {@code short}. */
    SHORT(2, 1, "short"),
    /** {@code char}. */
    CHAR(3, 1, "char"),
    /** {@code int}. */
    INT(4, 2, "int"),
    /** {@code long}. */
    LONG(5, 3, "long"),
    /** {@code float}. */
    FLOAT(6, 2, "float"),
    /** {@code double}. */
    DOUBLE(7, 3, "double"),
    /** {@code boolean}, stored as one byte (0 or 1). */
    BOOLEAN(8, 0, "boolean");

    private final int code;
    private final int shift;
    private final String javaName;

    ElementType(int code, int shift, String javaName) {
        this.code = code;
        this.shift = shift;
        this.javaName = javaName;
    }

    /**
     * Returns the code stored in headers.
     *
     * @return the code.
     */
    public int code() {
        return code;
    }

    /**
     * Returns log2 of the element size.
     *
     * @return the shift.
     */
    public int shift() {
        return shift;
    }

    /**
     * Returns the element size.
     *
     * @return bytes.
     */
    public int size() {
        return 1 << shift;
    }

    /**
     * Returns the Java name of the type.
     *
     * @return e.g. {@code "int"}.
     */
    public String javaName() {
        return javaName;
    }

    /**
     * Finds a type by its header code.
     *
     * @param code the code.
     * @return the type, or {@code null} if none has it.
     */
    public static ElementType of(int code) {
        for (ElementType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
