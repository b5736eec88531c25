package org.multiproc4j.manager.internal;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * The manager's compact frames: a request and a value response as raw bytes, for the calls whose arguments and
 * result are all simple ({@code null}, {@link Integer}, {@link Long}, {@link String}, {@link Boolean},
 * {@link Double}), which are most of a map's and a list's calls. Every other call travels as an
 * {@code Object[]} tuple (see {@link Protocol}).
 * <pre class="text">{@code
 * request   0  byte   'Q'
 *           1  int64  objectId
 *           9  int32  methodIndex              (defined earlier on the connection, see Protocol)
 *          13  uint8  argc
 *          14  argc values
 * response  0  byte   'R'
 *           1  value                           (a value result; errors and proxies travel as tuples)
 * value     'N'                                null
 *           'I' int32 | 'J' int64 | 'D' float64 bits | 'T' | 'F'     Integer, Long, Double, Boolean
 *           'S' int32 n, n bytes               String whose chars are all below 256
 *           'U' int32 n, 2n bytes              any other String
 * }</pre>
 * Numbers are little-endian. The format is written and read with plain shifts, in a few hundred bytecodes per
 * call: a child that has just started runs them interpreted, where the general format's variable handles cost
 * tens of microseconds a call. Reading checks every length against the bytes received and decodes nothing but
 * these six types: nothing in a frame can name a class.
 *
 * <p>Stateless; the buffers belong to the caller.
 */
final class CompactFrames {
    /** The first byte of a request frame. */
    static final byte REQUEST = 'Q';
    /** The first byte of a value response frame. */
    static final byte RESPONSE = 'R';
    /** The longest string sent in a frame, in chars; longer ones travel as tuples. */
    static final int MAX_STRING = 1 << 16;
    /** Bytes of a request before its arguments. */
    static final int REQUEST_HEADER = 14;

    private static final byte NULL = 'N';
    private static final byte INT = 'I';
    private static final byte LONG = 'J';
    private static final byte DOUBLE = 'D';
    private static final byte TRUE = 'T';
    private static final byte FALSE = 'F';
    private static final byte LATIN1 = 'S';
    private static final byte UTF16 = 'U';

    private CompactFrames() {
    }

    /** A growable output buffer, one per connection (used by one thread at a time). */
    static final class Out {
        byte[] bytes = new byte[64];
        int length;

        void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void put(byte b) {
            bytes[length++] = b;
        }

        void putInt(int v) {
            byte[] b = bytes;
            int i = length;
            b[i] = (byte) v;
            b[i + 1] = (byte) (v >>> 8);
            b[i + 2] = (byte) (v >>> 16);
            b[i + 3] = (byte) (v >>> 24);
            length = i + 4;
        }

        void putLong(long v) {
            putInt((int) v);
            putInt((int) (v >>> 32));
        }
    }

    /**
     * Writes a request, if every argument is simple.
     *
     * @param out   where; reset first.
     * @param id    the object.
     * @param index the method's index on the connection.
     * @param args  the arguments, or {@code null}.
     * @return {@code true} if written, {@code false} if an argument is not simple (the call travels as a tuple).
     */
    static boolean request(Out out, long id, int index, Object[] args) {
        int n = args == null ? 0 : args.length;
        if (n > 255) {
            return false;
        }
        // the header and Integer arguments (a map's and a list's usual call) in one pass of plain array stores:
        // a child that has just started interprets this, where each call costs as much as a dozen stores
        byte[] b = out.bytes;
        if (b.length < REQUEST_HEADER + 5 * n) {
            out.length = 0;
            out.ensure(REQUEST_HEADER + 5 * n);
            b = out.bytes;
        }
        b[0] = REQUEST;
        int lo = (int) id;
        int hi = (int) (id >>> 32);
        b[1] = (byte) lo;
        b[2] = (byte) (lo >>> 8);
        b[3] = (byte) (lo >>> 16);
        b[4] = (byte) (lo >>> 24);
        b[5] = (byte) hi;
        b[6] = (byte) (hi >>> 8);
        b[7] = (byte) (hi >>> 16);
        b[8] = (byte) (hi >>> 24);
        b[9] = (byte) index;
        b[10] = (byte) (index >>> 8);
        b[11] = (byte) (index >>> 16);
        b[12] = (byte) (index >>> 24);
        b[13] = (byte) n;
        int at = REQUEST_HEADER;
        for (int i = 0; i < n; i++) {
            Object a = args[i];
            if (a != null && a.getClass() == Integer.class) {
                int v = (Integer) a;
                b[at] = INT;
                b[at + 1] = (byte) v;
                b[at + 2] = (byte) (v >>> 8);
                b[at + 3] = (byte) (v >>> 16);
                b[at + 4] = (byte) (v >>> 24);
                at += 5;
            } else {
                out.length = at;
                if (!value(out, a)) {
                    return false;
                }
                b = out.bytes;
                at = out.length;
            }
        }
        out.length = at;
        return true;
    }

    /**
     * Writes a value response, if the value is simple.
     *
     * @param out   where; reset first.
     * @param value the result.
     * @return {@code true} if written, {@code false} if the value is not simple.
     */
    static boolean response(Out out, Object value) {
        out.length = 0;
        out.ensure(1);
        out.put(RESPONSE);
        return value(out, value);
    }

    /** Appends a value; {@code false} (out then undefined) if it is not simple. */
    private static boolean value(Out out, Object v) {
        if (v == null) {
            out.ensure(1);
            out.put(NULL);
            return true;
        }
        Class<?> c = v.getClass();
        if (c == Integer.class) {
            out.ensure(5);
            out.put(INT);
            out.putInt((Integer) v);
        } else if (c == String.class) {
            return string(out, (String) v);
        } else if (c == Long.class) {
            out.ensure(9);
            out.put(LONG);
            out.putLong((Long) v);
        } else if (c == Boolean.class) {
            out.ensure(1);
            out.put((Boolean) v ? TRUE : FALSE);
        } else if (c == Double.class) {
            out.ensure(9);
            out.put(DOUBLE);
            out.putLong(Double.doubleToRawLongBits((Double) v));
        } else {
            return false;
        }
        return true;
    }

    private static boolean string(Out out, String s) {
        int n = s.length();
        if (n > MAX_STRING) {
            return false;
        }
        int start = out.length;
        out.ensure(5 + n);
        out.put(LATIN1);
        out.putInt(n);
        byte[] b = out.bytes;
        int at = out.length;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch > 0xff) {
                out.length = start;             // not Latin-1: two bytes a char
                out.ensure(5 + 2 * n);
                out.put(UTF16);
                out.putInt(n);
                b = out.bytes;
                at = out.length;
                for (int j = 0; j < n; j++) {
                    char cj = s.charAt(j);
                    b[at++] = (byte) cj;
                    b[at++] = (byte) (cj >>> 8);
                }
                out.length = at;
                return true;
            }
            b[at++] = (byte) ch;
        }
        out.length = at;
        return true;
    }

    /** A frame being read: the bytes and a position. */
    static final class In {
        private final byte[] bytes;
        private int at;

        In(byte[] bytes) {
            this.bytes = bytes;
        }

        private void need(int n) throws StreamCorruptedException {
            if (n < 0 || bytes.length - at < n) {
                throw new StreamCorruptedException("a compact manager frame of " + bytes.length + " bytes ends at "
                        + at + " where " + n + " more were expected");
            }
        }

        byte get() throws StreamCorruptedException {
            need(1);
            return bytes[at++];
        }

        int getInt() throws StreamCorruptedException {
            need(4);
            byte[] b = bytes;
            int i = at;
            at = i + 4;
            return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
        }

        long getLong() throws StreamCorruptedException {
            long lo = getInt() & 0xffffffffL;
            return lo | (long) getInt() << 32;
        }

        Object value() throws StreamCorruptedException {
            byte tag = get();
            switch (tag) {
                case NULL:
                    return null;
                case INT:
                    return getInt();
                case LONG:
                    return getLong();
                case TRUE:
                    return Boolean.TRUE;
                case FALSE:
                    return Boolean.FALSE;
                case DOUBLE:
                    return Double.longBitsToDouble(getLong());
                case LATIN1: {
                    int n = getInt();
                    need(n);
                    char[] chars = new char[n];
                    byte[] b = bytes;
                    int i = at;
                    for (int j = 0; j < n; j++) {
                        chars[j] = (char) (b[i + j] & 0xff);
                    }
                    at = i + n;
                    return new String(chars);
                }
                case UTF16: {
                    int n = getInt();
                    need(n < 0 || n > Integer.MAX_VALUE / 2 ? -1 : 2 * n);
                    char[] chars = new char[n];
                    byte[] b = bytes;
                    int i = at;
                    for (int j = 0; j < n; j++) {
                        chars[j] = (char) ((b[i] & 0xff) | (b[i + 1] & 0xff) << 8);
                        i += 2;
                    }
                    at = i;
                    return new String(chars);
                }
                default:
                    throw new StreamCorruptedException("a compact manager frame holds a value of unknown tag "
                            + (tag & 0xff) + " at byte " + (at - 1));
            }
        }

        void end() throws StreamCorruptedException {
            if (at != bytes.length) {
                throw new StreamCorruptedException("a compact manager frame of " + bytes.length + " bytes has "
                        + (bytes.length - at) + " bytes after its end");
            }
        }
    }

    /** A request read from a frame. */
    static final class Request {
        final long id;
        final int index;
        final Object[] args;

        private Request(long id, int index, Object[] args) {
            this.id = id;
            this.index = index;
            this.args = args;
        }
    }

    /**
     * Reads a request frame.
     *
     * @param frame the bytes.
     * @return the request.
     * @throws IOException if the bytes are not a request frame (the message says why).
     */
    static Request readRequest(byte[] frame) throws IOException {
        In in = new In(frame);
        if (in.get() != REQUEST) {
            throw new StreamCorruptedException("a raw message of " + frame.length + " bytes is not a compact "
                    + "manager request (first byte " + (frame[0] & 0xff) + ")");
        }
        long id = in.getLong();
        int index = in.getInt();
        int n = in.get() & 0xff;
        Object[] args = n == 0 ? null : new Object[n];
        for (int i = 0; i < n; i++) {
            args[i] = in.value();
        }
        in.end();
        return new Request(id, index, args);
    }

    /**
     * Reads a value response frame.
     *
     * @param frame the bytes.
     * @return the value.
     * @throws IOException if the bytes are not a response frame.
     */
    static Object readResponse(byte[] frame) throws IOException {
        if (frame.length == 6 && frame[0] == RESPONSE && frame[1] == INT) {   // an Integer, read in one pass
            return (frame[2] & 0xff) | (frame[3] & 0xff) << 8 | (frame[4] & 0xff) << 16 | (frame[5] & 0xff) << 24;
        }
        if (frame.length == 2 && frame[0] == RESPONSE && frame[1] == NULL) {
            return null;
        }
        In in = new In(frame);
        if (in.get() != RESPONSE) {
            throw new StreamCorruptedException("a raw message of " + frame.length + " bytes is not a compact "
                    + "manager response (first byte " + (frame[0] & 0xff) + ")");
        }
        Object v = in.value();
        in.end();
        return v;
    }
}
