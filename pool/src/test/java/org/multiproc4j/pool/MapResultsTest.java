package org.multiproc4j.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.pool.internal.PayloadCodec;

/** The segmented list of a large map's results. */
class MapResultsTest {

    private static MapResults<Integer> filled(int n) {
        MapResults<Integer> r = new MapResults<>(n);
        Object[] part = new Object[n];
        for (int i = 0; i < n; i++) {
            part[i] = i * 3;
        }
        r.put(part, 0);
        return r;
    }

    @Test
    void shouldHoldItsElementsInSegmentsNoLargerThanASegment() {
        int n = 2 * MapResults.SEGMENT + 5;
        MapResults<Integer> r = filled(n);
        assertEquals(3, r.segments().length);
        for (Object seg : r.segments()) {
            assertTrue(Array.getLength(seg) <= MapResults.SEGMENT, "a segment of " + Array.getLength(seg));
        }
        assertEquals(5, Array.getLength(r.segments()[2]));
        assertEquals(n, r.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i * 3, r.get(i));
        }
        assertTrue(MapResults.needed(MapResults.SEGMENT + 1));
        assertTrue(!MapResults.needed(MapResults.SEGMENT));
    }

    @Test
    void shouldPutPartsAcrossSegmentBoundaries() {
        int n = MapResults.SEGMENT + 10;
        MapResults<Integer> r = new MapResults<>(n);
        r.put(new Object[] {1, 2, 3, 4}, MapResults.SEGMENT - 2);
        assertEquals(Arrays.asList(null, 1, 2, 3, 4, null), r.subList(MapResults.SEGMENT - 3, MapResults.SEGMENT + 3));
        assertThrows(IndexOutOfBoundsException.class, () -> r.put(new Object[] {1, 2}, n - 1));
    }

    @Test
    void shouldBehaveAsAFixedSizeListOfItsElements() {
        int n = MapResults.SEGMENT + 3;
        MapResults<Integer> r = filled(n);
        List<Integer> same = new ArrayList<>(r);
        assertEquals(same, r);
        assertEquals(same.hashCode(), r.hashCode());
        assertArrayEquals(same.toArray(), r.toArray());
        assertArrayEquals(same.toArray(new Integer[0]), r.toArray(new Integer[0]));
        Integer[] roomy = new Integer[n + 2];
        roomy[n] = 7;
        assertEquals(null, r.toArray(roomy)[n]);
        assertEquals(3 * (n - 1), r.set(n - 1, -1));
        assertEquals(-1, r.get(n - 1));
        assertThrows(UnsupportedOperationException.class, () -> r.add(1));
        assertThrows(UnsupportedOperationException.class, () -> r.remove(0));
        assertThrows(IndexOutOfBoundsException.class, () -> r.get(n));
        assertThrows(IndexOutOfBoundsException.class, () -> r.get(-1));
        r.sort((a, b) -> Integer.compare(b, a));
        assertEquals(3 * (n - 2), r.get(0));
    }

    @Test
    void shouldSerializeAsAnArraysAsListOfTheSameElements() {
        MapResults<Integer> r = filled(MapResults.SEGMENT + 3);
        Object back = Codecs.jdk().decode(Codecs.jdk().encode(r));
        assertEquals(Arrays.asList(1).getClass(), back.getClass());
        assertEquals(r, back);
    }
    private static final PayloadCodec CODEC = new PayloadCodec(null);

    /** A packed chunk of the numbers {@code from..from+n}, times {@code k}, as a worker sends it. */
    private static byte[] packed(int from, int n, int k, boolean wide) {
        Object[] a = new Object[n];
        for (int i = 0; i < n; i++) {
            a[i] = wide ? (Object) ((long) (from + i) * k) : (Object) ((from + i) * k);
        }
        return CODEC.encode(a);
    }

    @Test
    void shouldKeepPackedIntegersUnboxedAcrossSegmentBoundaries() {
        int n = 2 * MapResults.SEGMENT + 7;
        MapResults<Integer> r = new MapResults<>(n);
        // chunks of 1000 that straddle both segment boundaries, in any order, as two readers answer them
        for (int at = (n - 1) / 1000 * 1000; at >= 0; at -= 1000) {
            int c = Math.min(1000, n - at);
            byte[] m = packed(at, c, 3, false);
            assertTrue(r.putPacked(CODEC, m, 0, m.length, at, c));
        }
        assertInstanceOf(int[].class, r.segments()[0], "held unboxed");
        assertEquals(3, r.segments().length);
        for (int i = 0; i < n; i++) {
            assertEquals(Integer.valueOf(3 * i), r.get(i));
        }
        assertEquals(filled(n), r);
        // a set of the same kind keeps it unboxed, of another kind boxes it once
        assertEquals(3, r.set(1, 10));
        assertInstanceOf(int[].class, r.segments()[0]);
        assertEquals(6, r.set(2, null));
        assertInstanceOf(Object[].class, r.segments()[0]);
        assertEquals(Arrays.asList(0, 10, null, 9), r.subList(0, 4));
        assertEquals(3 * (n - 1), r.get(n - 1));
    }

    @Test
    void shouldBoxWhatItHeldWhenAChunkOfAnotherKindArrives() {
        int n = MapResults.SEGMENT + 100;
        MapResults<Object> r = new MapResults<>(n);
        byte[] ints = packed(0, MapResults.SEGMENT + 50, 1, false);
        assertTrue(r.putPacked(CODEC, ints, 0, ints.length, 0, MapResults.SEGMENT + 50));
        byte[] longs = packed(MapResults.SEGMENT + 50, 40, 1, true);
        assertTrue(r.putPacked(CODEC, longs, 0, longs.length, MapResults.SEGMENT + 50, 40));
        r.put(new Object[] {"a", null, "b", "c", "d", "e", "f", "g", "h", "i"}, n - 10);
        assertInstanceOf(Object[].class, r.segments()[0]);
        assertEquals(Integer.valueOf(5), r.get(5));
        assertEquals(Long.valueOf(MapResults.SEGMENT + 60), r.get(MapResults.SEGMENT + 60));
        assertEquals(null, r.get(n - 9));
        assertEquals("i", r.get(n - 1));
        // longs first, then ints: unboxed longs, then boxed
        MapResults<Object> l = new MapResults<>(n);
        byte[] all = packed(0, n - 10, 2, true);
        assertTrue(l.putPacked(CODEC, all, 0, all.length, 0, n - 10));
        assertInstanceOf(long[].class, l.segments()[1]);
        byte[] rest = packed(n - 10, 10, 2, false);
        assertTrue(l.putPacked(CODEC, rest, 0, rest.length, n - 10, 10));
        assertEquals(Long.valueOf(2L * (n - 11)), l.get(n - 11));
        assertEquals(Integer.valueOf(2 * (n - 1)), l.get(n - 1));
    }

    @Test
    void shouldRefuseAPackedChunkThatIsNotOneOfItsCountOrDoesNotFit() {
        int n = MapResults.SEGMENT + 1;
        MapResults<Object> r = new MapResults<>(n);
        byte[] m = packed(0, 10, 1, false);
        assertFalse(r.putPacked(CODEC, m, 0, m.length, 0, 9), "the wrong count");
        assertFalse(r.putPacked(CODEC, m, 0, m.length, n - 5, 10), "past the end");
        assertFalse(r.putPacked(CODEC, m, 0, m.length - 1, 0, 10), "truncated");
        byte[] strings = CODEC.encode(new Object[] {"a", "b"});
        assertFalse(r.putPacked(CODEC, strings, 0, strings.length, 0, 2), "not numbers");
        assertFalse(r.putPacked(new PayloadCodec(Codecs.jdk()), m, 0, m.length, 0, 10), "another codec");
        assertEquals(0, r.segments().length, "untouched");
        assertEquals(null, r.get(0));
    }
}
