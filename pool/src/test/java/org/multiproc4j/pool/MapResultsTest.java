package org.multiproc4j.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.codec.Codecs;

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
        for (Object[] seg : r.segments()) {
            assertTrue(seg.length <= MapResults.SEGMENT, "a segment of " + seg.length);
        }
        assertEquals(5, r.segments()[2].length);
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
}
