package org.multiproc4j.pool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.SerializationException;

class PayloadCodecTest {
    private final PayloadCodec codec = new PayloadCodec(null);

    private Object roundTrip(Object value) {
        byte[] b = codec.encode(value);
        return codec.decode(b, 0, b.length);
    }

    @Test
    void shouldPackChunksOfIntegersAndLongs() {
        Object[] ints = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1000};
        byte[] b = codec.encode(ints);
        assertEquals(Packed.INTS, b[0]);
        assertEquals(5 + 4 * ints.length, b.length);
        assertArrayEquals(ints, (Object[]) codec.decode(b, 0, b.length));
        Object[] longs = {0L, Long.MIN_VALUE, Long.MAX_VALUE};
        b = codec.encode(longs);
        assertEquals(Packed.LONGS, b[0]);
        assertArrayEquals(longs, (Object[]) roundTrip(longs));
    }

    @Test
    void shouldPackChunksOfWordCounts() {
        Map<String, Long> a = new HashMap<>(Map.of("w1", 3L, "é", -1L, "", 0L, "中文", Long.MAX_VALUE));
        Map<String, Long> empty = new HashMap<>();
        Object[] chunk = {a, empty};
        byte[] b = codec.encode(chunk);
        assertEquals(Packed.COUNTS, b[0]);
        Object[] back = (Object[]) codec.decode(b, 0, b.length);
        assertEquals(HashMap.class, back[0].getClass());
        assertEquals(a, back[0]);
        assertEquals(empty, back[1]);
    }

    @Test
    void shouldLeaveWhatItCannotPackToTheGeneralPath() {
        for (Object[] value : List.of(new Object[] {1, 2L}, new Object[] {1, null}, new Object[] {null, 1},
                new Object[] {1L, "x"}, new Object[] {}, new Object[] {new HashMap<>(Map.of("a", 1))},
                new Object[] {new HashMap<>(Map.of(1, 1L))}, new Object[] {new TreeMap<>(Map.of("a", 1L))},
                new Object[] {new LinkedHashMap<>(Map.of("a", 1L))}, new Object[] {new HashMap<>(), "x"})) {
            byte[] b = codec.encode(value);
            assertNotEquals(true, Packed.isPacked(b[0]), () -> "packed " + java.util.Arrays.deepToString(value));
            Object[] back = (Object[]) codec.decode(b, 0, b.length);
            assertEquals(java.util.Arrays.asList(value), java.util.Arrays.asList(back));
            for (int i = 0; i < value.length; i++) {
                assertEquals(value[i] == null ? null : value[i].getClass(), back[i] == null ? null : back[i].getClass());
            }
        }
    }

    @Test
    void shouldRefuseTruncatedOrCorruptPackedInput() {
        byte[] ints = codec.encode(new Object[] {1, 2, 3});
        assertThrows(SerializationException.class, () -> codec.decode(ints, 0, ints.length - 1));
        byte[] counts = codec.encode(new Object[] {new HashMap<>(Map.of("word", 2L))});
        for (int cut = 1; cut < counts.length; cut++) {
            int n = cut;
            assertThrows(SerializationException.class, () -> codec.decode(counts, 0, n), "cut at " + n);
        }
        byte[] huge = codec.encode(new Object[] {1});
        huge[1] = 0x7f; // 2 G elements in 9 bytes
        assertThrows(SerializationException.class, () -> codec.decode(huge, 0, huge.length));
        huge[1] = (byte) 0x80; // negative count
        assertThrows(SerializationException.class, () -> codec.decode(huge, 0, huge.length));
    }

    @Test
    void shouldPackAChunkOfNumbersStraightFromAListAsItPacksTheArray() {
        List<Object> items = List.of(7, -3, Integer.MAX_VALUE, 12, 0L, Long.MIN_VALUE, 5L);
        assertArrayEquals(codec.encode(new Object[] {-3, Integer.MAX_VALUE, 12}), codec.encodePacked(items, 1, 4));
        assertArrayEquals(codec.encode(new Object[] {0L, Long.MIN_VALUE}), codec.encodePacked(items, 4, 6));
        // mixed, empty, not numbers, or another codec: the caller encodes an Object[] instead
        assertNull(codec.encodePacked(items, 2, 5));
        assertNull(codec.encodePacked(items, 3, 3));
        assertNull(codec.encodePacked(java.util.Arrays.asList(1, null), 0, 2));
        assertNull(codec.encodePacked(List.of("a", "b"), 0, 2));
        assertNull(new PayloadCodec(org.multiproc4j.core.codec.Codecs.jdk()).encodePacked(items, 0, 2));
    }

    @Test
    void shouldDecodeAChunkOfNumbersStraightIntoTheResultsAndNothingElse() {
        Object[] dst = new Object[6];
        byte[] ints = codec.encode(new Object[] {1, -8, 27});
        assertTrue(codec.decodeNumbersInto(ints, 0, ints.length, dst, 2, 3));
        assertArrayEquals(new Object[] {null, null, 1, -8, 27, null}, dst);
        byte[] longs = codec.encode(new Object[] {Long.MAX_VALUE, 2L});
        assertTrue(codec.decodeNumbersInto(longs, 0, longs.length, dst, 0, 2));
        assertEquals(Long.MAX_VALUE, dst[0]);
        Object[] before = dst.clone();
        // the wrong count, no room, another kind of chunk, a truncated one, another codec: dst untouched
        assertFalse(codec.decodeNumbersInto(ints, 0, ints.length, dst, 0, 2));
        assertFalse(codec.decodeNumbersInto(ints, 0, ints.length, dst, 4, 3));
        assertFalse(codec.decodeNumbersInto(ints, 0, ints.length - 1, dst, 0, 3));
        byte[] strings = codec.encode(new Object[] {"a", "b", "c"});
        assertFalse(codec.decodeNumbersInto(strings, 0, strings.length, dst, 0, 3));
        byte[] counts = codec.encode(new Object[] {new HashMap<>(Map.of("w", 1L))});
        assertFalse(codec.decodeNumbersInto(counts, 0, counts.length, dst, 0, 1));
        PayloadCodec jdk = new PayloadCodec(org.multiproc4j.core.codec.Codecs.jdk());
        byte[] viaJdk = jdk.encode(new Object[] {1, 2, 3});
        assertFalse(jdk.decodeNumbersInto(viaJdk, 0, viaJdk.length, dst, 0, 3));
        assertArrayEquals(before, dst);
    }

    @Test
    void shouldTellAPackedChunkOfNumbersAndReadItsElements() {
        byte[] ints = codec.encode(new Object[] {1, -8, 27, 64});
        assertEquals(PayloadCodec.INTS, codec.packedNumbers(ints, 0, ints.length, 4));
        int[] is = new int[5];
        PayloadCodec.readInts(ints, 0, 1, is, 2, 3);
        assertArrayEquals(new int[] {0, 0, -8, 27, 64}, is);
        byte[] longs = codec.encode(new Object[] {-1L, Long.MIN_VALUE, 3L});
        assertEquals(PayloadCodec.LONGS, codec.packedNumbers(longs, 0, longs.length, 3));
        long[] ls = new long[2];
        PayloadCodec.readLongs(longs, 0, 1, ls, 0, 2);
        assertArrayEquals(new long[] {Long.MIN_VALUE, 3L}, ls);
        Object[] boxed = new Object[3];
        PayloadCodec.readBoxed(longs, 0, 2, boxed, 0, 1);
        PayloadCodec.readBoxed(ints, 0, 3, boxed, 1, 1);
        assertArrayEquals(new Object[] {3L, 64, null}, boxed);
        // the wrong count, a truncated chunk, another kind, another codec
        assertEquals(PayloadCodec.NOT_NUMBERS, codec.packedNumbers(ints, 0, ints.length, 3));
        assertEquals(PayloadCodec.NOT_NUMBERS, codec.packedNumbers(ints, 0, ints.length - 1, 4));
        byte[] strings = codec.encode(new Object[] {"a", "b"});
        assertEquals(PayloadCodec.NOT_NUMBERS, codec.packedNumbers(strings, 0, strings.length, 2));
        assertEquals(PayloadCodec.NOT_NUMBERS, new PayloadCodec(org.multiproc4j.core.codec.Codecs.jdk())
                .packedNumbers(ints, 0, ints.length, 4));
    }
}
