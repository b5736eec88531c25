package org.multiproc4j.ipc.internal;

/**
 * The record types of pipe and queue rings (Agrona's record type id; it must not be 0, and -1 is Agrona's
 * padding). A message that fits in one record is {@code WHOLE_*}; a larger one is a {@code BEGIN_*} record, whose
 * payload starts with the message's total length (a {@code long}), then {@link #MIDDLE} records, then one
 * {@link #END}. A sender that cannot finish a fragmented message (interrupted, closed, killed and repaired)
 * writes {@link #ABORT}; the receiver drops what it assembled.
 *
 * <p>{@code *_OBJECT} messages hold a value encoded by {@link AgronaWire}; {@code *_BYTES} messages hold raw
 * bytes from {@code sendBytes}.
 */
public final class Frames {
    /** A whole message holding an encoded value. */
    public static final int WHOLE_OBJECT = 1;
    /** A whole message of raw bytes. */
    public static final int WHOLE_BYTES = 2;
    /** The first fragment of an encoded value. */
    public static final int BEGIN_OBJECT = 3;
    /** The first fragment of raw bytes. */
    public static final int BEGIN_BYTES = 4;
    /** A middle fragment. */
    public static final int MIDDLE = 5;
    /** The last fragment. */
    public static final int END = 6;
    /** The fragmented message in progress was abandoned. */
    public static final int ABORT = 7;
    /** Agrona's padding record type. */
    public static final int PADDING = -1;

    /** Bytes before the data in a {@code BEGIN_*} record: the total length. */
    public static final int BEGIN_HEADER = 8;

    /**
     * Bytes a sender keeps free after each non-final fragment, so that an {@link #ABORT} record (8-byte header,
     * no payload, plus the pre-zeroed header after it) always fits without waiting.
     */
    public static final int ABORT_RESERVE = 24;

    private Frames() {
    }

    /**
     * Tells whether a record holds a whole message.
     *
     * @param type the record type.
     * @return {@code true} for {@code WHOLE_*}.
     */
    public static boolean isWhole(int type) {
        return type == WHOLE_OBJECT || type == WHOLE_BYTES;
    }

    /**
     * Tells whether a record starts a fragmented message.
     *
     * @param type the record type.
     * @return {@code true} for {@code BEGIN_*}.
     */
    public static boolean isBegin(int type) {
        return type == BEGIN_OBJECT || type == BEGIN_BYTES;
    }

    /**
     * Tells whether a whole or first record carries raw bytes.
     *
     * @param type a {@code WHOLE_*} or {@code BEGIN_*} type.
     * @return {@code true} for raw bytes.
     */
    public static boolean isBytes(int type) {
        return type == WHOLE_BYTES || type == BEGIN_BYTES;
    }
}
