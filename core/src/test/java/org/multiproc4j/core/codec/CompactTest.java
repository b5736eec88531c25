package org.multiproc4j.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Payloads.Order;
import org.multiproc4j.core.internal.Wire;

/** The fast codec's compact form of small collections ({@link Compact}): what it covers, what it leaves to Kryo. */
class CompactTest {
    private static final Codec FAST = Codecs.fast();

    /** Encodes with the fast codec, checks the compact tag, decodes, and checks value and classes. */
    private static Object roundTrip(Object value) {
        byte[] bytes = FAST.encode(value);
        assertTrue(isCompact(bytes), () -> "not in the compact form: " + value);
        Object back = FAST.decode(bytes);
        assertEquals(value, back);
        assertSameClasses(value, back);
        return back;
    }

    /** The fast codec's header (tag, fingerprint), then the compact form's marker. */
    private static boolean isCompact(byte[] bytes) {
        return bytes[0] == Wire.KRYO && bytes.length > KryoCodec.HEADER && bytes[KryoCodec.HEADER] == Compact.MARKER;
    }

    /** A compact message: the default fast codec's header, the marker, then {@code body}. */
    private static byte[] compact(int... body) {
        byte[] good = FAST.encode(List.of(1));
        byte[] b = Arrays.copyOf(good, KryoCodec.HEADER + 1 + body.length);
        for (int i = 0; i < body.length; i++) {
            b[KryoCodec.HEADER + 1 + i] = (byte) body[i];
        }
        return b;
    }

    private static void assertSameClasses(Object a, Object b) {
        if (a == null) {
            assertNull(b);
            return;
        }
        assertSame(a.getClass(), b.getClass(), () -> a + " came back as a " + b.getClass().getName());
        if (a instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) a).entrySet()) {
                assertSameClasses(e.getValue(), ((Map<?, ?>) b).get(e.getKey()));
            }
        } else if (a instanceof List) {
            for (int i = 0; i < ((List<?>) a).size(); i++) {
                assertSameClasses(((List<?>) a).get(i), ((List<?>) b).get(i));
            }
        }
    }

    @Test
    void shouldRoundTripEveryScalarItCovers() {
        List<Object> scalars = new ArrayList<>(Arrays.asList(null, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
                0L, Long.MIN_VALUE, 7L, 0.0, -0.0, Double.NaN, Double.MAX_VALUE, 3.14, true, false, "", "abc",
                "caf\u00e9", "\u65e5\u672c\u8a9e", "emoji \ud83d\ude00", (byte) -3, (short) 300, 'x', 2.5f));
        scalars.add(new int[] {1, 2, 3});
        scalars.add(new double[] {1.5});
        scalars.add("x".repeat(200));          // two-byte length
        scalars.add("\u0100".repeat(20_000));  // three-byte length, UTF-16
        ArrayList<?> back = (ArrayList<?>) FAST.decode(FAST.encode(scalars));
        assertTrue(isCompact(FAST.encode(scalars)));
        assertEquals(scalars.size(), back.size());
        for (int i = 0; i < scalars.size(); i++) {
            Object a = scalars.get(i);
            Object b = back.get(i);
            if (a instanceof int[]) {
                assertArrayEquals((int[]) a, (int[]) b);
            } else if (a instanceof double[]) {
                assertArrayEquals((double[]) a, (double[]) b);
            } else {
                assertEquals(a, b, "element " + i);
                assertSameClasses(a, b);
            }
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) back.get(9)));
    }

    @Test
    void shouldRoundTripEveryCollectionItCoversKeepingTheClass() {
        roundTrip(new ArrayList<>(List.of(1, "a", 2.0)));
        roundTrip(new ArrayList<>());
        roundTrip(List.of());
        roundTrip(List.of("one"));
        roundTrip(List.of("one", "two"));
        roundTrip(List.of(1, 2, 3, 4, 5));
        roundTrip(new HashSet<>(Set.of(1, 2, 3)));
        roundTrip(new LinkedHashSet<>(List.of("c", "a", "b")));
        roundTrip(Set.of());
        roundTrip(Set.of(1));
        roundTrip(Set.of(1, 2, 3));
        Map<String, Object> hash = new HashMap<>();
        hash.put("k", 1L);
        hash.put(null, null);
        roundTrip(hash);
        roundTrip(Map.of());
        roundTrip(Map.of("a", 1));
        roundTrip(Map.of("a", 1, "b", List.of(2)));
        LinkedHashMap<Object, Object> ordered = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            ordered.put("k" + (299 - i), i % 2 == 0 ? i : List.of(i, "v"));
        }
        Map<?, ?> back = (Map<?, ?>) roundTrip(ordered);
        assertEquals(List.copyOf(ordered.keySet()), List.copyOf(back.keySet()), "insertion order kept");
        ArrayList<Object> withNulls = new ArrayList<>(Arrays.asList(null, 1, null));
        roundTrip(withNulls);
    }

    @Test
    void shouldCarryTheTutorialsSmallDictCompactly() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key1", List.of(7, 2.72, List.of(2.0, 3.0)));
        m.put("key2", List.of("abc", "xyz"));
        roundTrip(m);
        assertTrue(FAST.encode(m).length < 70, "a small dict stays small");
    }

    @Test
    void shouldNestUpToEightLevelsThenLeaveItToKryo() {
        Object eight = 1;
        for (int i = 0; i < 8; i++) {
            eight = new ArrayList<>(List.of(eight));
        }
        roundTrip(eight);
        Object nine = new ArrayList<>(List.of(eight));
        byte[] bytes = FAST.encode(nine);
        assertTrue(!isCompact(bytes));
        assertEquals(nine, FAST.decode(bytes));
    }

    @Test
    void shouldLeaveEverythingElseToKryo() {
        Codec codec = KryoCodecTest.CODEC; // Order registered
        List<Object> withRecord = new ArrayList<>(List.of(1, new Order(1, "pear", 2)));
        byte[] bytes = codec.encode(withRecord);
        assertTrue(!isCompact(bytes), "a registered record inside: Kryo writes the whole list");
        assertEquals(withRecord, codec.decode(bytes));
        // an unregistered class inside is refused exactly as before
        assertThrows(SerializationException.class, () -> FAST.encode(new ArrayList<>(List.of(new Order(1, "x", 1)))));
        // classes outside the form, and an immutable list that holds null (it has no List.of form)
        List<Object> nullsAllowed = IntStream.range(0, 3).mapToObj(i -> i == 1 ? null : (Object) i)
                .collect(Collectors.toList()).stream().toList();
        for (Object v : List.of(new LinkedList<>(List.of(1)), new java.util.TreeMap<>(Map.of(1, 2)))) {
            byte[] b = FAST.encode(v);
            assertTrue(!isCompact(b), v.getClass().getName());
            assertEquals(v, FAST.decode(b));
        }
        try {
            assertTrue(!isCompact(FAST.encode(nullsAllowed)));
        } catch (SerializationException kryoRefusesIt) {
            // as before the compact form: Kryo's serializer for immutable lists takes no nulls
        }
        // a codec with references keeps identity through Kryo
        Codec refs = Codecs.fastBuilder().references(true).build();
        assertTrue(!isCompact(refs.encode(new ArrayList<>(List.of("s")))));
        // the compact form is inside the fast codec's messages: a codec with other registrations refuses them as
        // it refuses Kryo's, and every other codec sees the fast codec's tag
        assertThrows(SerializationException.class, () -> codec.decode(FAST.encode(List.of(1, "a"))));
        assertEquals(List.of(1, "a"), Codecs.fastBuilder().maxDepth(10).build().decode(FAST.encode(List.of(1, "a"))),
                "a fast codec that does not write the form still reads it");
    }

    @Test
    void shouldRefuseCorruptInputWithAClearMessage() {
        byte[] good = FAST.encode(new ArrayList<>(List.of(1, "abc")));
        // truncated at every length
        for (int n = 1; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            SerializationException e = assertThrows(SerializationException.class, () -> FAST.decode(cut));
            assertTrue(e.getMessage().startsWith("cannot decode: "), e.getMessage());
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertMessage(longer, "1 bytes follow the value");
        // a list claiming two billion elements
        assertMessage(compact(16, 0xff, 0xff, 0xff, 0xff, 0x07), "a collection of 2147483647 elements needs");
        assertMessage(compact(16, 0xff, 0xff, 0xff, 0xff, 0x7f), "out of range");
        assertMessage(compact(99), "byte 99 is not a compact message's kind");
        // Map.of with a duplicate key, List.of with a null
        assertMessage(compact(23, 2, 2, 2, 2, 2), "impossible collection");
        assertMessage(compact(17, 1, 1), "impossible collection");
        // nested deeper than the form allows
        int[] deep = new int[29];
        for (int i = 0; i < 28; i += 2) {
            deep[i] = 16;
            deep[i + 1] = 1;
        }
        deep[28] = 1;
        assertMessage(compact(deep), "nested deeper than 8");
        // the JDK codec says who wrote the bytes
        SerializationException e = assertThrows(SerializationException.class, () -> Codecs.jdk().decode(good));
        assertTrue(e.getMessage().contains("the fast (Kryo) codec"), e.getMessage());
    }

    @Test
    void shouldRoundTripListsOfEverySmallLengthByIndex() {
        // lists are written by index and immutable ones of 3 and 4 elements read through their own factories:
        // every length around those, each element in its place
        for (int n = 0; n <= 12; n++) {
            Object[] elements = IntStream.range(0, n).mapToObj(i -> i % 3 == 0 ? (Object) ("s" + i)
                    : i % 3 == 1 ? (Object) i : (Object) (i + 0.5)).toArray();
            List<Object> immutable = List.of(elements);
            Object back = roundTrip(immutable);
            assertEquals(Arrays.asList(elements), back, "List.of of " + n);
            assertThrows(UnsupportedOperationException.class, () -> ((List<?>) back).clear());
            roundTrip(new ArrayList<>(Arrays.asList(elements)));
            roundTrip(new LinkedHashMap<>(Map.of("list", immutable, "array", new ArrayList<>(immutable))));
        }
        // an ArrayList holding null stays compact; List.of never holds one
        roundTrip(new ArrayList<>(Arrays.asList(null, 1, null)));
    }

    @Test
    void shouldRoundTripStringsOnBothSidesOfLatin1() {
        for (String s : List.of("", "a", "key1", "\u00ff\u00e9t\u00e9", "\u0100", "a\u20acb", "x".repeat(300),
                "\u00ff".repeat(200), "\ud83d\ude00")) {
            assertEquals(s, ((List<?>) roundTrip(new ArrayList<>(List.of(s)))).get(0), s);
            assertEquals(Map.of(s, s), roundTrip(new HashMap<>(Map.of(s, s))));
        }
    }

    @Test
    void shouldNameTheLengthOfATruncatedString() {
        // a list of one Latin-1 string claiming 5 chars with 2 left, then one of 3 UTF-16 chars with 1 byte left
        assertMessage(compact(16, 1, 7, 5, 'a', 'b'), "a string of 5 chars needs 5 bytes but 2 are left");
        assertMessage(compact(16, 1, 8, 3, 'a'), "a string of 3 chars needs 6 bytes but 1 are left");
    }

    private static void assertMessage(byte[] bytes, String part) {
        SerializationException e = assertThrows(SerializationException.class, () -> FAST.decode(bytes));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
