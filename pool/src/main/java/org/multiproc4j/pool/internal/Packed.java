package org.multiproc4j.pool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.multiproc4j.core.internal.Wire;

/**
 * The packed forms of the chunks a map sends most: an {@code Object[]} of boxed {@code Integer}s or {@code Long}s
 * (4 or 8 bytes each, no tag per element), and an {@code Object[]} of {@code HashMap<String, Long>}s (partial
 * counts: each key's characters and each value, without Kryo's per-entry class and reference bookkeeping).
 * Anything else (a {@code null} element, another map class, one key or value of another type) is not packed and
 * takes the general path. Numbers are big-endian.
 *
 * <pre>
 *   INTS  'i' | n int32 | n x int32
 *   LONGS 'l' | n int32 | n x int64
 *   COUNTS 'm' | n int32 | n x ( entries int32 | entries x ( key length int32 (negative: UTF-16 chars) |
 *                                                           Latin-1 bytes or UTF-16 chars | value int64 ) )
 * </pre>
 * The tags are none of {@link Wire}'s (1 to 20, {@code 'J'}, {@code 'K'}, {@code 'X'}).
 */
final class Packed {
    static final byte INTS = 'i';
    static final byte LONGS = 'l';
    static final byte COUNTS = 'm';

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle CHAR = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.BIG_ENDIAN);

    private Packed() {
    }

    static boolean isPacked(byte tag) {
        return tag == INTS || tag == LONGS || tag == COUNTS;
    }

    /** Whether a packed message is a chunk of {@code Integer}s or {@code Long}s. */
    static boolean isNumbers(byte tag) {
        return tag == INTS || tag == LONGS;
    }

    /**
     * Applies {@code fn} to each number of a packed chunk, in order, and returns the encoded chunk of results: a
     * chunk of numbers unpacked, mapped and packed again in one pass, with no {@code Object[]} of arguments or
     * results in between (and, once the JIT inlines {@code fn}, often no boxes either). When a result is not of
     * the first result's class ({@code Integer} or {@code Long}), or the first is neither, the results so far
     * are boxed into an {@code Object[]}, the rest are added to it, and {@code codec} encodes it, exactly as if
     * the chunk had been decoded first: {@code fn} is called once per element either way.
     *
     * @param fn     the function.
     * @param b      the message.
     * @param offset where the packed chunk starts ({@link #isNumbers} of its tag holds).
     * @param length its length.
     * @param codec  the codec for results that do not pack.
     * @return the encoded results.
     * @throws Exception what {@code fn} throws.
     * @throws org.multiproc4j.core.SerializationException if the chunk is truncated or a result cannot be encoded.
     */
    static byte[] applyNumbers(org.multiproc4j.core.SerializableFunction<Object, Object> fn, byte[] b, int offset,
                               int length, PayloadCodec codec) throws Exception {
        int end = offset + length;
        need(5, offset, end);
        boolean wideIn = b[offset] == LONGS;
        int n = (int) INT.get(b, offset + 1);
        int inWidth = wideIn ? 8 : 4;
        if (n < 0) {
            throw Wire.corrupt("a packed chunk of " + n + " elements");
        }
        need((long) inWidth * n, offset + 5, end);
        if (n == 0) {
            return codec.encode(new Object[0]);
        }
        int in = offset + 5;
        Object first = fn.apply(wideIn ? (Object) (long) LONG.get(b, in) : (Object) (int) INT.get(b, in));
        Class<?> c = first == null ? null : first.getClass();
        if (c == Integer.class || c == Long.class) {
            boolean wideOut = c == Long.class;
            int outWidth = wideOut ? 8 : 4;
            byte[] out = new byte[5 + outWidth * n];
            out[0] = wideOut ? LONGS : INTS;
            INT.set(out, 1, n);
            if (wideOut) {
                LONG.set(out, 5, ((Long) first).longValue());
            } else {
                INT.set(out, 5, ((Integer) first).intValue());
            }
            for (int i = 1; i < n; i++) {
                in += inWidth;
                Object r = fn.apply(wideIn ? (Object) (long) LONG.get(b, in) : (Object) (int) INT.get(b, in));
                if (r == null || r.getClass() != c) {
                    Object[] res = new Object[n];
                    for (int j = 0; j < i; j++) {
                        res[j] = wideOut ? (Object) (long) LONG.get(out, 5 + 8 * j) : (Object) (int) INT.get(out, 5 + 4 * j);
                    }
                    res[i] = r;
                    return rest(fn, b, in, inWidth, wideIn, res, i + 1, codec);
                }
                if (wideOut) {
                    LONG.set(out, 5 + 8 * i, ((Long) r).longValue());
                } else {
                    INT.set(out, 5 + 4 * i, ((Integer) r).intValue());
                }
            }
            return out;
        }
        Object[] res = new Object[n];
        res[0] = first;
        return rest(fn, b, in, inWidth, wideIn, res, 1, codec);
    }

    /** The general end of {@link #applyNumbers}: results {@code from..} added to {@code res}, which is encoded. */
    private static byte[] rest(org.multiproc4j.core.SerializableFunction<Object, Object> fn, byte[] b, int in,
                               int inWidth, boolean wideIn, Object[] res, int from, PayloadCodec codec)
            throws Exception {
        for (int i = from; i < res.length; i++) {
            in += inWidth;
            res[i] = fn.apply(wideIn ? (Object) (long) LONG.get(b, in) : (Object) (int) INT.get(b, in));
        }
        return codec.encode(res);
    }

    /** Returns the packed form of {@code a}, or {@code null} if it has none. */
    static byte[] encode(Object[] a) {
        if (a.length == 0) {
            return null;
        }
        Class<?> c = a[0] == null ? null : a[0].getClass();
        if (c == Integer.class || c == Long.class) {
            return encodeNumbers(java.util.Arrays.asList(a), 0, a.length);
        }
        if (c == HashMap.class) {
            return counts(a);
        }
        return null;
    }

    /**
     * Returns the packed form of the numbers {@code items[from..to)}, all {@code Integer}s or all {@code Long}s,
     * read straight from the list; {@code null} if they are not (nothing else is packed from a list).
     */
    static byte[] encodeNumbers(java.util.List<?> items, int from, int to) {
        return encodeNumbers(items, from, to, null);
    }

    /**
     * As {@link #encodeNumbers(java.util.List, int, int)}, into an array {@code spare} gives for the packed
     * length (every byte of which is written) when it gives one; {@code spare} may be {@code null}.
     */
    static byte[] encodeNumbers(java.util.List<?> items, int from, int to,
                                java.util.function.IntFunction<byte[]> spare) {
        if (to <= from) {
            return null;
        }
        Object head = items.get(from);
        Class<?> c = head == null ? null : head.getClass();
        if (c != Integer.class && c != Long.class) {
            return null;
        }
        boolean wide = c == Long.class;
        int n = to - from;
        int width = wide ? 8 : 4;
        int length = 5 + width * n;
        byte[] out = spare == null ? null : spare.apply(length);
        if (out == null || out.length != length) {
            out = new byte[length];
        }
        out[0] = wide ? LONGS : INTS;
        INT.set(out, 1, n);
        int at = 5;
        for (int i = from; i < to; i++) {
            Object o = items.get(i);
            if (o == null || o.getClass() != c) {
                return null;
            }
            if (wide) {
                LONG.set(out, at, ((Long) o).longValue());
            } else {
                INT.set(out, at, ((Integer) o).intValue());
            }
            at += width;
        }
        return out;
    }

    private static byte[] counts(Object[] a) {
        long size = 5;
        for (Object o : a) {
            if (o == null || o.getClass() != HashMap.class) {
                return null;
            }
            size += 4;
            for (Map.Entry<?, ?> e : ((HashMap<?, ?>) o).entrySet()) {
                if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Long)) {
                    return null;
                }
                String k = (String) e.getKey();
                size += 4 + 2L * k.length() + 8; // room for UTF-16; Latin-1 keys use half
            }
        }
        if (size > Wire.MAX_LENGTH) {
            return null;
        }
        byte[] out = new byte[(int) size];
        out[0] = COUNTS;
        INT.set(out, 1, a.length);
        int at = 5;
        for (Object o : a) {
            HashMap<?, ?> m = (HashMap<?, ?>) o;
            INT.set(out, at, m.size());
            at += 4;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = (String) e.getKey();
                int n = k.length();
                if (isLatin1(k)) {
                    INT.set(out, at, n);
                    at += 4;
                    for (int i = 0; i < n; i++) {
                        out[at + i] = (byte) k.charAt(i);
                    }
                    at += n;
                } else {
                    INT.set(out, at, -n);
                    at += 4;
                    for (int i = 0; i < n; i++) {
                        CHAR.set(out, at + 2 * i, k.charAt(i));
                    }
                    at += 2 * n;
                }
                LONG.set(out, at, ((Long) e.getValue()).longValue());
                at += 8;
            }
        }
        return java.util.Arrays.copyOf(out, at);
    }

    private static boolean isLatin1(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a packed chunk of {@code expected} numbers straight into {@code dst} from {@code at}, boxed, with no
     * array of its own in between.
     *
     * @return {@code false}, with {@code dst} untouched, if the message is not a packed chunk of numbers of that
     *         length (the caller then decodes it the general way).
     */
    static boolean decodeNumbersInto(byte[] b, int offset, int length, Object[] dst, int at, int expected) {
        if (numbers(b, offset, length, expected) == PayloadCodec.NOT_NUMBERS || at < 0
                || expected > dst.length - at) {
            return false;
        }
        readBoxed(b, offset, 0, dst, at, expected);
        return true;
    }

    /**
     * Tells whether {@code b[offset..offset+length)} is a packed chunk of exactly {@code expected} numbers, and of
     * which kind: {@link PayloadCodec#INTS}, {@link PayloadCodec#LONGS} or {@link PayloadCodec#NOT_NUMBERS}.
     */
    static int numbers(byte[] b, int offset, int length, int expected) {
        if (length < 5 || !isNumbers(b[offset]) || (int) INT.get(b, offset + 1) != expected || expected < 0) {
            return PayloadCodec.NOT_NUMBERS;
        }
        boolean wide = b[offset] == LONGS;
        if ((wide ? 8L : 4L) * expected != length - 5) {
            return PayloadCodec.NOT_NUMBERS;
        }
        return wide ? PayloadCodec.LONGS : PayloadCodec.INTS;
    }

    /** Copies elements {@code from..from+n} of the packed {@code Integer}s at {@code offset} into {@code dst}. */
    static void readInts(byte[] b, int offset, int from, int[] dst, int at, int n) {
        int in = offset + 5 + 4 * from;
        for (int k = 0; k < n; k++, in += 4) {
            dst[at + k] = (int) INT.get(b, in);
        }
    }

    /** Copies elements {@code from..from+n} of the packed {@code Long}s at {@code offset} into {@code dst}. */
    static void readLongs(byte[] b, int offset, int from, long[] dst, int at, int n) {
        int in = offset + 5 + 8 * from;
        for (int k = 0; k < n; k++, in += 8) {
            dst[at + k] = (long) LONG.get(b, in);
        }
    }

    /** Copies elements {@code from..from+n} of the packed numbers at {@code offset} into {@code dst}, boxed. */
    static void readBoxed(byte[] b, int offset, int from, Object[] dst, int at, int n) {
        if (b[offset] == LONGS) {
            int in = offset + 5 + 8 * from;
            for (int k = 0; k < n; k++, in += 8) {
                dst[at + k] = (long) LONG.get(b, in);
            }
        } else {
            int in = offset + 5 + 4 * from;
            for (int k = 0; k < n; k++, in += 4) {
                dst[at + k] = (int) INT.get(b, in);
            }
        }
    }

    /**
     * Decodes a packed message.
     *
     * @throws org.multiproc4j.core.SerializationException if it is truncated or corrupt.
     */
    static Object[] decode(byte[] b, int offset, int length) {
        int end = offset + length;
        try {
            need(5, offset, end);
            byte tag = b[offset];
            int n = (int) INT.get(b, offset + 1);
            int at = offset + 5;
            if (n < 0) {
                throw Wire.corrupt("a packed chunk of " + n + " elements");
            }
            if (tag == INTS || tag == LONGS) {
                boolean wide = tag == LONGS;
                need((wide ? 8L : 4L) * n, at, end);
                Object[] out = new Object[n];
                for (int i = 0; i < n; i++) {
                    out[i] = wide ? (Object) (long) LONG.get(b, at) : (Object) (int) INT.get(b, at);
                    at += wide ? 8 : 4;
                }
                return out;
            }
            need(4L * n, at, end);
            Object[] out = new Object[n];
            for (int i = 0; i < n; i++) {
                need(4, at, end);
                int entries = (int) INT.get(b, at);
                at += 4;
                if (entries < 0 || 12L * entries > end - at) {
                    throw Wire.corrupt("a packed map of " + entries + " entries in " + (end - at) + " bytes");
                }
                HashMap<String, Long> m = new HashMap<>((int) (entries / 0.75f) + 1);
                for (int e = 0; e < entries; e++) {
                    need(4, at, end);
                    int kn = (int) INT.get(b, at);
                    at += 4;
                    String k;
                    if (kn >= 0) {
                        need(kn + 8L, at, end);
                        k = new String(b, at, kn, StandardCharsets.ISO_8859_1);
                        at += kn;
                    } else {
                        long chars = -(long) kn;
                        need(2 * chars + 8, at, end);
                        char[] cs = new char[(int) chars];
                        for (int j = 0; j < cs.length; j++) {
                            cs[j] = (char) CHAR.get(b, at + 2 * j);
                        }
                        k = new String(cs);
                        at += 2 * cs.length;
                    }
                    m.put(k, (long) LONG.get(b, at));
                    at += 8;
                }
                out[i] = m;
            }
            return out;
        } catch (IndexOutOfBoundsException e) {
            throw Wire.corrupt("a truncated packed chunk (" + length + " bytes)");
        }
    }

    private static void need(long bytes, int at, int end) {
        if (bytes > end - at) {
            throw Wire.corrupt("a truncated packed chunk: " + bytes + " more bytes needed, " + (end - at) + " left");
        }
    }
}
