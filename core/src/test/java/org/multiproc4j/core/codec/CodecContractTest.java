package org.multiproc4j.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Payloads.Book;
import org.multiproc4j.core.codec.Payloads.CounterHandle;
import org.multiproc4j.core.codec.Payloads.FileCounter;
import org.multiproc4j.core.codec.Payloads.Job;
import org.multiproc4j.core.codec.Payloads.Order;
import org.multiproc4j.core.codec.Payloads.Point;
import org.multiproc4j.core.codec.Payloads.Side;
import org.multiproc4j.core.internal.Wire;

/**
 * What every {@link Codec} must do; one small subclass per codec (JCTools' {@code QueueSanityTest} style).
 * The codec under test must carry {@link Order}, {@link Book}, {@link Side}, {@link Point} and {@link Job}.
 */
abstract class CodecContractTest {

    /** The codec under test, configured to carry the {@link Payloads} message types. */
    abstract Codec codec();

    /** The shapes this codec must round-trip: all of {@link #allShapes()} unless a subclass says otherwise. */
    List<Object> shapes() {
        return allShapes();
    }

    /** Every shape a codec must round-trip. */
    static List<Object> allShapes() {
        List<Object> shapes = new ArrayList<>(Arrays.asList(
                null, 42, -7L, 3.5d, 2.5f, (short) 12, (byte) -3, 'x', true,
                "", "hello", "x".repeat(100), "unicode: \u00e9\u4e2d\ud83d\ude00",
                new byte[0], new byte[] {1, -2, 3}, new boolean[] {true, false, true}, new char[] {'a', '\u4e2d'},
                new short[] {1, -1, Short.MAX_VALUE}, new int[] {1, -1, Integer.MIN_VALUE},
                new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, new float[] {1.5f, Float.NaN},
                new double[] {Math.PI, -0.0, Double.MAX_VALUE}, new double[1000],
                new String[] {"a", null, "c"}, new Integer[] {1, null, 3}, new Object[] {1, "two", 3.0, null},
                // the fast path's tuples and scalars, and their edges
                Integer.MIN_VALUE, Long.MAX_VALUE, Double.NaN, -0.0d, false, "\u00ff\u0000", "lone \ud800 surrogate",
                new Object[] {123456789, 3.14159, "hello"}, new Object[0], new Object[] {new Object[] {1L, true},
                    new int[] {1, 2}, new double[0], null, "\u4e2d"},
                new Object[] {new Object[] {new Object[] {new Object[] {new Object[] {"five deep"}}}}},
                new Object[] {1, new ArrayList<>(List.of(2))},
                new ArrayList<>(List.of(1, 2, 3)), new LinkedList<>(List.of("a", "b")),
                new HashSet<>(Set.of(1, 2, 3)), new LinkedHashSet<>(List.of("z", "a")),
                new TreeSet<>(Set.of(5, 1, 3)), new HashMap<>(Map.of("a", 1, "b", 2)),
                new LinkedHashMap<>(Map.of("k", List.of(1))), new TreeMap<>(Map.of("b", 2, "a", 1)),
                new ConcurrentHashMap<>(Map.of(1, "one")),
                List.of(), List.of(1), List.of(1, 2, 3), List.of(1, 2, 3, 4).subList(1, 3), Set.of(), Set.of("s"),
                Set.of(1, 2, 3), Map.of(), Map.of("a", 1), Map.of("a", 1, "b", 2, "c", 3),
                Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(),
                Collections.singletonList(9), Collections.singleton("one"), Collections.singletonMap("k", 1),
                Arrays.asList(1, null, 3),
                IntStream.range(0, 100).boxed().collect(Collectors.toList()),
                IntStream.range(0, 10).boxed().collect(Collectors.toMap(i -> "key" + i, i -> i)),
                new BigInteger("123456789012345678901234567890"), new BigDecimal("-3.14159265358979323846"),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), URI.create("shm://segment/1"),
                BitSet.valueOf(new long[] {0b1011, 1L << 63}), Optional.of("present"), Optional.empty(),
                OptionalInt.of(3), Duration.ofMillis(1500), Instant.ofEpochSecond(1_700_000_000L, 5),
                LocalDate.of(2026, 11, 27), LocalDateTime.of(2026, 11, 27, 1, 2, 3),
                ZonedDateTime.of(2026, 11, 27, 1, 2, 3, 4, ZoneId.of("Europe/Paris")),
                new Order(1, "pear", 3), Side.SELL,
                new Book("book", List.of(new Order(1, "a", 2), new Order(2, "b", 3)), Map.of("a", 2), Side.BUY,
                        new int[] {1, 2, 3}),
                new Point(1, -2, "p"), new Point(3, 4, null),
                new ArrayList<>(List.of(new Order(1, "x", 1), new Order(2, "y", 2))),
                new Order[] {new Order(5, "arr", 1), null}));
        return shapes;
    }

    static void assertSameValue(Object expected, Object actual) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        String what = "round trip of a " + expected.getClass().getName();
        if (expected.getClass().isArray()) {
            assertEquals(expected.getClass(), actual.getClass(), what);
            assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual}), what + ": "
                    + Arrays.deepToString(new Object[] {actual}));
        } else if (expected instanceof ArrayDeque) {
            assertEquals(new ArrayList<>((ArrayDeque<?>) expected), new ArrayList<>((ArrayDeque<?>) actual), what);
        } else {
            assertEquals(expected, actual, what);
            String name = expected.getClass().getName();
            if (!name.startsWith("java.util.ImmutableCollections") && !name.startsWith("java.util.Collections$")) {
                assertEquals(expected.getClass(), actual.getClass(), what);
            }
        }
    }

    Object roundTrip(Object value) {
        return codec().decode(codec().encode(value));
    }

    @Test
    void shouldRoundTripEveryShape() {
        for (Object value : shapes()) {
            assertSameValue(value, roundTrip(value));
        }
        ArrayDeque<Integer> deque = new ArrayDeque<>(List.of(3, 2, 1));
        assertSameValue(deque, roundTrip(deque));
    }

    @Test
    void shouldKeepImmutableCollectionsImmutable() {
        Object list = roundTrip(List.of(1, 2, 3));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) list).clear());
        Object map = roundTrip(Map.of("a", 1));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<?, ?>) map).clear());
    }

    @Test
    void shouldRoundTripThroughEveryBufferForm() {
        Codec codec = codec();
        CodecBuffer out = new CodecBuffer(1);
        List<int[]> regions = new ArrayList<>();
        for (Object value : shapes()) {
            int start = out.length();
            int n = codec.encode(value, out);
            assertEquals(out.length() - start, n);
            assertArrayEquals(codec.encode(value), Arrays.copyOfRange(out.array(), start, start + n),
                    "every encode form writes the same bytes");
            regions.add(new int[] {start, n});
        }
        List<Object> shapes = shapes();
        for (int i = 0; i < shapes.size(); i++) {
            assertSameValue(shapes.get(i), codec.decode(out.array(), regions.get(i)[0], regions.get(i)[1]));
            ByteBuffer direct = ByteBuffer.allocateDirect(regions.get(i)[1] + 3);
            direct.position(3);
            assertEquals(regions.get(i)[1], codec.encode(shapes.get(i), direct));
            direct.flip().position(3);
            assertSameValue(shapes.get(i), codec.decode(direct));
            assertEquals(direct.limit(), direct.position(), "decode consumes the buffer up to its limit");
        }
    }

    @Test
    void shouldReturnNegatedSizeWhenTheTargetIsTooSmall() {
        for (Object value : List.of(new Order(1, "pear", 3), new double[100])) {
            int size = codec().encode(value).length;
            ByteBuffer small = ByteBuffer.allocate(size - 1);
            small.position(0);
            assertEquals(-size, codec().encode(value, small));
            assertEquals(0, small.position(), "position unchanged when the message does not fit");
            ByteBuffer exact = ByteBuffer.allocate(size);
            assertEquals(size, codec().encode(value, exact));
            assertEquals(size, exact.position());
        }
        assertThrows(ReadOnlyBufferException.class,
                () -> codec().encode("x", ByteBuffer.allocate(16).asReadOnlyBuffer()));
    }

    @Test
    void shouldTakeTheFastPathForPrimitiveArrays() {
        double[] values = {1.0, 2.0, -3.5};
        byte[] bytes = codec().encode(values);
        assertEquals(5 + 3 * 8, bytes.length, "tag, count, raw elements");
        assertEquals(Wire.DOUBLES, bytes[0]);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, le.getInt(1));
        assertEquals(-3.5, le.getDouble(5 + 16));
        byte[] raw = {9, 8, 7};
        assertArrayEquals(new byte[] {Wire.BYTES, 3, 0, 0, 0, 9, 8, 7}, codec().encode(raw));
        // any codec reads any codec's fast-path bytes
        for (Codec other : List.of(Codecs.fast(), Codecs.jdk())) {
            assertArrayEquals(values, (double[]) other.decode(bytes));
            assertArrayEquals(raw, (byte[]) other.decode(codec().encode(raw)));
        }
        assertArrayEquals(new byte[] {Wire.NULL}, codec().encode(null));
    }

    @Test
    void shouldCarryShareablesAsHandlesAndReattach(@TempDir Path dir) throws Exception {
        try (FileCounter counter = new FileCounter(dir.resolve("counter"))) {
            counter.set(41);
            Object top = roundTrip(counter);
            Job job = (Job) roundTrip(new Job("job", counter));
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) roundTrip(new ArrayList<>(List.of("a", counter)));
            for (Object attached : List.of(top, job.counter(), list.get(1))) {
                FileCounter copy = assertInstanceOf(FileCounter.class, attached);
                try (copy) {
                    assertNotSame(counter, copy, "a new object, attached to the same resource");
                    assertEquals(counter.file, copy.file);
                    assertEquals(41, copy.get());
                    copy.set(copy.get() + 1);
                    assertEquals(copy.get(), counter.get(), "writes through the attached copy are shared");
                    counter.set(41);
                }
            }
            assertEquals("job", job.name());
        }
    }

    @Test
    void shouldFailWithTheHandleWhenAttachFails(@TempDir Path dir) throws Exception {
        byte[] bytes;
        Path file = dir.resolve("gone");
        try (FileCounter counter = new FileCounter(file)) {
            bytes = codec().encode(new Job("job", counter));
        }
        java.nio.file.Files.delete(file);
        SerializationException e = assertThrows(SerializationException.class, () -> codec().decode(bytes));
        assertTrue(e.getMessage().contains("no counter file " + file), e.getMessage());
        if (codec() instanceof KryoCodec) {
            assertTrue(e.getMessage().contains("cannot attach " + new CounterHandle(file.toString())), e.getMessage());
        }
    }

    @Test
    void shouldNameTheClassOfAnUnencodableValue() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> codec().encode(new Payloads.Opaque()));
        assertTrue(e.getMessage().contains(Payloads.Opaque.class.getName()), e.getMessage());
        CodecBuffer out = new CodecBuffer();
        codec().encode("kept", out);
        int before = out.length();
        assertThrows(SerializationException.class, () -> codec().encode(new Payloads.Opaque(), out));
        assertEquals(before, out.length(), "a failed encode leaves the buffer's length unchanged");
        assertEquals("kept", codec().decode(out.array(), 0, out.length()));
    }

    @Test
    void shouldRefuseEmptyAndForeignInput() {
        assertMessage(() -> codec().decode(new byte[0]), "empty");
        assertMessage(() -> codec().decode(new byte[8]), "first byte 0");
        assertMessage(() -> codec().decode(new byte[] {(byte) 200, 1, 2}), "first byte 200");
        Codec other = codec() instanceof JdkCodec ? Codecs.fast() : Codecs.jdk();
        String otherKind = other instanceof JdkCodec ? "the JDK codec" : "the fast (Kryo) codec";
        assertMessage(() -> codec().decode(other.encode(new ArrayList<>(List.of('c')))), "written by " + otherKind);
        assertThrows(IndexOutOfBoundsException.class, () -> codec().decode(new byte[4], 2, 3));
    }

    @Test
    void shouldTakeTheFastPathForScalarsAndTuplesWhichEveryCodecReads() {
        Object[] tuple = {123456789, 3.14159, "hello"};
        byte[] bytes = codec().encode(tuple);
        assertEquals(Wire.TUPLE, bytes[0]);
        assertEquals(5 + 5 + 9 + (5 + 5), bytes.length, "tag+count, int, double, Latin-1 string");
        assertEquals(5, codec().encode(7).length);
        assertEquals(5 + 2 * 3, codec().encode("\u4e2d\u6587!").length, "UTF-16 when a char is above 255");
        Codec other = codec() instanceof JdkCodec ? Codecs.fast() : Codecs.jdk();
        assertArrayEquals(tuple, (Object[]) other.decode(bytes));
        assertEquals(0, codec().encode(new Object[] {1, new ArrayList<>()})[0] == Wire.TUPLE ? 1 : 0,
                "a tuple holding anything else takes the codec's own path");
    }

    @Test
    @Timeout(120)
    void shouldRefuseTruncatedInputAtEveryLength() {
        for (Object value : shapes()) {
            byte[] bytes = codec().encode(value);
            for (int n = 1; n < bytes.length; n++) {
                int length = n;
                try {
                    codec().decode(bytes, 0, length);
                    fail("decoded " + length + " of " + bytes.length + " bytes of a " + value.getClass().getName());
                } catch (SerializationException expected) {
                    // the contract
                }
            }
        }
    }

    /**
     * Where to corrupt a message of this length: every byte of a short one; of a long one (a large array, a
     * JDK-serialized record), every byte of its first 192 and last 64, where the headers, lengths and type
     * descriptions are, and 192 random bytes between them, where the elements repeat the same shapes.
     */
    private static int[] corruptionPositions(int length, Random random) {
        if (length <= 448) {
            return IntStream.range(0, length).toArray();
        }
        IntStream middle = random.ints(192, 192, length - 64);
        return IntStream.concat(IntStream.concat(IntStream.range(0, 192), middle), IntStream.range(length - 64, length))
                .toArray();
    }

    /**
     * Corrupts the bytes of encoded messages (every one, or a sample of a long message's) in several ways: each decode either returns a value or throws
     * {@link SerializationException}, quickly, without allocating by a bogus length.
     */
    @Test
    @Timeout(240)
    void shouldSurviveCorruptInput() {
        Random random = new Random(7);
        byte[] patterns = {(byte) 0xff, (byte) 0x7f, (byte) 0x80, 0, 1};
        for (Object value : shapes()) {
            byte[] good = codec().encode(value);
            for (int i : corruptionPositions(good.length, random)) {
                for (int p = 0; p <= patterns.length; p++) {
                    byte[] bad = good.clone();
                    bad[i] = p < patterns.length ? patterns[p] : (byte) random.nextInt();
                    if (Arrays.equals(bad, good)) {
                        continue;
                    }
                    if (i + 4 < bad.length && p == 0) {
                        Arrays.fill(bad, i, i + 4, (byte) 0xff); // a huge varint or int
                    }
                    try {
                        codec().decode(bad);
                    } catch (SerializationException expected) {
                        // the contract
                    } catch (Throwable t) {
                        throw new AssertionError("decoding a " + (value == null ? "null" : value.getClass().getName())
                                + " corrupted at byte " + i + " of " + good.length + " threw " + t, t);
                    }
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldEncodeAndDecodeFromManyThreadsAtOnce() throws Exception {
        Codec codec = codec();
        List<Object> shapes = shapes();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    start.await();
                    CodecBuffer out = new CodecBuffer();
                    Random random = new Random(seed);
                    int checked = 0;
                    for (int i = 0; i < 300; i++) {
                        Object value = shapes.get(random.nextInt(shapes.size()));
                        out.clear();
                        codec.encode(value, out);
                        assertSameValue(value, codec.decode(out.array(), 0, out.length()));
                        assertSameValue(value, codec.decode(codec.encode(value)));
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertEquals(300, f.get(50, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void shouldWorkOnVirtualThreadsWhereTheyExist() throws Exception {
        ExecutorService virtual;
        try {
            virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            org.junit.jupiter.api.Assumptions.abort("no virtual threads before Java 21");
            return;
        }
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Order order = new Order(i, "v" + i, i % 7);
                results.add(virtual.submit(() -> codec().decode(codec().encode(order))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(new Order(i, "v" + i, i % 7), results.get(i).get(50, TimeUnit.SECONDS));
            }
        } finally {
            virtual.shutdownNow();
        }
    }

    @Test
    void shouldCheckTheExpectedType() {
        byte[] bytes = codec().encode(new Order(1, "a", 1));
        assertEquals(new Order(1, "a", 1), codec().decode(bytes, Order.class));
        assertMessage(() -> codec().decode(bytes, String.class),
                "decoded a " + Order.class.getName() + " where a java.lang.String was expected");
        assertNull(codec().decode(codec().encode(null), String.class));
    }

    @Test
    void shouldTravelAsSerializableConfiguration() throws Exception {
        Codec copy = (Codec) Codecs.jdk().decode(Codecs.jdk().encode(codec()));
        assertSame(codec().getClass(), copy.getClass());
        Object value = new Book("b", List.of(new Order(1, "x", 2)), Map.of("x", 2), Side.SELL, new int[] {4});
        assertEquals(value, copy.decode(codec().encode(value)));
        assertEquals(value, codec().decode(copy.encode(value)));
    }

    static SerializationException assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        SerializationException e = assertThrows(SerializationException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        return e;
    }
}
