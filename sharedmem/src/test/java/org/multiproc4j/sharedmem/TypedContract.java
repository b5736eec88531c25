package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.multiproc4j.sharedmem.AsLongs.Op.*;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.multiproc4j.core.Handle;
import org.multiproc4j.sharedmem.sync.SharedReentrantLock;
import org.multiproc4j.test.LeakCheck;

/**
 * The contract of every typed shared value and array, in one process: each generated {@code Shared*Test}
 * (from {@code src/test/templates}) runs it for its class through an {@link AsLongs} adapter. The values
 * used are small integers, exact in every element type (and 0 or 1 for a {@code boolean}).
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class TypedContract {

    abstract AsLongs.Maker maker();

    /** The value the tests give element {@code i}: 1, 2, 3, ... as the type holds them. */
    static long pattern(AsLongs a, long i) {
        return a.normalize(i + 1);
    }

    /** A value other than {@code v}. */
    static long other(AsLongs a, long v) {
        return a.elementType() == boolean.class ? 1 - v : a.normalize(~v);
    }

    // ------------------------------------------------------------------------------------------ the surface

    @Test
    void shouldHaveWhatItsElementTypeAllowsAndNothingElse() {
        try (AsLongs a = maker().create()) {
            Class<?> t = a.elementType();
            boolean integral = t == byte.class || t == short.class || t == char.class || t == int.class || t == long.class;
            boolean floating = t == float.class || t == double.class;
            Set<String> expectedCapabilities = new TreeSet<>();
            if (integral || floating) {
                expectedCapabilities.add("numeric");
            }
            if (integral) {
                expectedCapabilities.add("integral");
            }
            if (floating) {
                expectedCapabilities.add("floating");
            }
            if (integral || t == boolean.class) {
                expectedCapabilities.add("bitwise");
            }
            if (t == byte.class || t == short.class || t == char.class || t == float.class) {
                expectedCapabilities.add("narrow");
            }
            if (t == byte.class || t == short.class || t == char.class || t == boolean.class) {
                expectedCapabilities.add("subword");
            }
            assertEquals(expectedCapabilities, new TreeSet<>(a.capabilities()), "the table's capabilities of " + t);
            assertEquals(expectedSurface(a, integral || floating, expectedCapabilities.contains("bitwise")),
                    publicSurface(a.object().getClass()));
        }
    }

    private static Set<String> expectedSurface(AsLongs a, boolean numeric, boolean bitwise) {
        Class<?> t = a.elementType();
        String ty = t.getName();
        String ix = a.isArray() ? "long" : "";
        String ixc = a.isArray() ? "long," : "";
        Set<String> s = new TreeSet<>();
        s.add(ty + " get(" + ix + ")");
        for (String strength : List.of("", "Plain", "Opaque")) {
            s.add(ty + " get" + strength + "(" + ix + ")");
            s.add("void set" + strength + "(" + ixc + ty + ")");
        }
        s.add(ty + " getAcquire(" + ix + ")");
        s.add("void setRelease(" + ixc + ty + ")");
        s.add(ty + " getAndSet(" + ixc + ty + ")");
        s.add("boolean compareAndSet(" + ixc + ty + "," + ty + ")");
        for (String strength : List.of("", "Acquire", "Release")) {
            s.add(ty + " compareAndExchange" + strength + "(" + ixc + ty + "," + ty + ")");
        }
        for (String strength : List.of("Volatile", "Acquire", "Release", "Plain")) {
            s.add("boolean weakCompareAndSet" + strength + "(" + ixc + ty + "," + ty + ")");
        }
        String fn = t == long.class ? "Long" : t == float.class || t == double.class ? "Double" : "Int";
        if (numeric) {
            for (String m : List.of("getAndAdd", "addAndGet")) {
                s.add(ty + " " + m + "(" + ixc + ty + ")");
            }
            for (String m : List.of("getAndIncrement", "incrementAndGet", "getAndDecrement", "decrementAndGet")) {
                s.add(ty + " " + m + "(" + ix + ")");
            }
            for (String m : List.of("getAndUpdate", "updateAndGet")) {
                s.add(ty + " " + m + "(" + ixc + "java.util.function." + fn + "UnaryOperator)");
            }
            for (String m : List.of("getAndAccumulate", "accumulateAndGet")) {
                s.add(ty + " " + m + "(" + ixc + ty + ",java.util.function." + fn + "BinaryOperator)");
            }
        }
        if (bitwise) {
            for (String op : List.of("Or", "And", "Xor")) {
                s.add(ty + " getAndBitwise" + op + "(" + ixc + ty + ")");
            }
        }
        String c = a.object().getClass().getName();
        if (a.isArray()) {
            s.add("static " + c + " create(long)");
            s.add("static " + c + " createWithLock(long)");
            s.add("static " + c + " copyOf(" + ty + "[])");
            s.add("long length()");
            s.add("void copyTo(long," + ty + "[],int,int)");
            s.add("void copyFrom(" + ty + "[],int,long,int)");
            s.add("void copyTo(long,java.nio.ByteBuffer)");
            s.add("void copyFrom(java.nio.ByteBuffer,long)");
            s.add(ty + "[] toArray()");
            s.add("void fill(" + ty + ")");
            s.add("java.util.stream." + fn + "Stream stream()");
            s.add("void forEach(java.util.function." + fn + "Consumer)");
        } else {
            s.add("static " + c + " create(" + ty + ")");
            s.add("static " + c + " createWithLock(" + ty + ")");
        }
        s.add("static " + c + " attach(java.lang.String)");
        s.add("java.lang.String name()");
        s.add(SharedReentrantLock.class.getName() + " lock()");
        s.add("boolean hasLock()");
        s.add("void close()");
        s.add(Handle.class.getName() + " handle()");
        s.add("java.lang.String toString()");
        return s;
    }

    /**
     * The public methods of a class, but those of Object and the defaults of its interfaces; each must be
     * declared by the class itself (javac adds bridges for the public methods of a package-private base class,
     * but not for final ones, which reflection from another package then cannot call).
     */
    private static Set<String> publicSurface(Class<?> c) {
        Set<String> s = new TreeSet<>();
        for (Method m : c.getMethods()) {
            if (m.getDeclaringClass() == Object.class || m.getDeclaringClass().isInterface()
                    || m.getName().equals("handedOver")) {
                continue;
            }
            assertEquals(c, m.getDeclaringClass(), m + " is not declared in the public class");
            String params = java.util.Arrays.stream(m.getParameterTypes()).map(Class::getTypeName)
                    .collect(Collectors.joining(","));
            s.add((Modifier.isStatic(m.getModifiers()) ? "static " : "") + m.getReturnType().getTypeName() + " "
                    + m.getName() + "(" + params + ")");
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------ access

    @Test
    void shouldStartAsCreated() {
        try (AsLongs zero = maker().create(); AsLongs one = maker().copyOf(1)) {
            for (long i = 0; i < zero.length(); i++) {
                assertEquals(0, zero.get(i));
            }
            assertEquals(1, one.get(0));
            if (zero.isArray()) {
                assertEquals(AsLongs.Maker.LENGTH, zero.length());
                assertEquals(1, one.length());
                try (AsLongs big = maker().create(100_000)) {
                    assertEquals(100_000, big.length());
                    assertEquals(0, big.get(99_999));
                }
            }
        }
    }

    @Test
    void shouldReadAndWriteInEveryStrengthWithoutTouchingNeighbours() {
        try (AsLongs a = maker().create()) {
            long n = a.length();
            for (long i = 0; i < n; i++) {
                a.apply(SET_PLAIN, i, pattern(a, i));
            }
            for (long i = 0; i < n; i++) {
                long p = pattern(a, i);
                long q = other(a, p);
                long index = i;
                List<Runnable> writers = List.of(() -> a.set(index, q), () -> a.apply(SET_PLAIN, index, q),
                        () -> a.apply(SET_OPAQUE, index, q), () -> a.apply(SET_RELEASE, index, q));
                for (Runnable w : writers) {
                    w.run();
                    assertEquals(q, a.get(i));
                    assertEquals(q, a.apply(GET_PLAIN, i));
                    assertEquals(q, a.apply(GET_OPAQUE, i));
                    assertEquals(q, a.apply(GET_ACQUIRE, i));
                    for (long j = 0; j < n; j++) {
                        if (j != i) {
                            assertEquals(pattern(a, j), a.get(j), "element " + j + " after a write of element " + i);
                        }
                    }
                    a.set(i, p);
                }
            }
        }
    }

    @Test
    void shouldSwapAndCompareAtomically() {
        try (AsLongs a = maker().create()) {
            for (long i = 0; i < a.length(); i++) {
                long p = pattern(a, i);
                long q = other(a, p);
                a.set(i, p);
                assertEquals(p, a.apply(GET_AND_SET, i, q));
                assertEquals(q, a.get(i));
                assertTrue(a.test(COMPARE_AND_SET, i, q, p));
                assertFalse(a.test(COMPARE_AND_SET, i, q, p));
                assertEquals(p, a.get(i));
                assertEquals(p, a.apply(COMPARE_AND_EXCHANGE, i, p, q));
                assertEquals(q, a.apply(COMPARE_AND_EXCHANGE, i, p, q), "the witness of a failed exchange");
                assertEquals(q, a.apply(COMPARE_AND_EXCHANGE_ACQUIRE, i, q, p));
                assertEquals(p, a.apply(COMPARE_AND_EXCHANGE_ACQUIRE, i, q, p));
                assertEquals(p, a.apply(COMPARE_AND_EXCHANGE_RELEASE, i, p, q));
                assertEquals(q, a.apply(COMPARE_AND_EXCHANGE_RELEASE, i, p, q));
                assertEquals(q, a.get(i));
                long index = i;
                assertWeak(a, i, q, p, (e, v) -> a.test(WEAK_COMPARE_AND_SET_VOLATILE, index, e, v));
                assertWeak(a, i, p, q, (e, v) -> a.test(WEAK_COMPARE_AND_SET_ACQUIRE, index, e, v));
                assertWeak(a, i, q, p, (e, v) -> a.test(WEAK_COMPARE_AND_SET_RELEASE, index, e, v));
                assertWeak(a, i, p, q, (e, v) -> a.test(WEAK_COMPARE_AND_SET_PLAIN, index, e, v));
            }
        }
    }

    private interface WeakCas {
        boolean apply(long expected, long v);
    }

    /** A weak compare-and-set never succeeds on a wrong expectation, and succeeds when retried. */
    private static void assertWeak(AsLongs a, long i, long from, long to, WeakCas cas) {
        assertFalse(cas.apply(to, from), "a weak compare-and-set with the wrong expected value");
        assertEquals(from, a.get(i));
        int attempts = 0;
        while (!cas.apply(from, to)) {
            assertTrue(++attempts < 1_000_000, "a weak compare-and-set never succeeded");
        }
        assertEquals(to, a.get(i));
    }

    // ------------------------------------------------------------------------------------------ capabilities

    @Test
    void shouldDoArithmeticAtomically() {
        try (AsLongs a = maker().create()) {
            assumeTrue(a.can("numeric"));
            for (long i = 0; i < a.length(); i++) {
                a.set(i, 10);
                assertEquals(10, a.apply(GET_AND_ADD, i, 5));
                assertEquals(20, a.apply(ADD_AND_GET, i, 5));
                assertEquals(20, a.apply(GET_AND_INCREMENT, i));
                assertEquals(22, a.apply(INCREMENT_AND_GET, i));
                assertEquals(22, a.apply(GET_AND_DECREMENT, i));
                assertEquals(20, a.apply(DECREMENT_AND_GET, i));
                assertEquals(20, a.apply(GET_AND_ADD, i, -7));
                assertEquals(13, a.get(i));
            }
        }
    }

    @Test
    void shouldWrapAroundAsJavaArithmeticDoes() {
        try (AsLongs a = maker().create()) {
            assumeTrue(a.can("integral"));
            long max = a.maxValue();
            long min = a.minValue();
            for (long i = 0; i < a.length(); i++) {
                a.set(i, max);
                assertEquals(min, a.apply(INCREMENT_AND_GET, i));
                assertEquals(max, a.apply(DECREMENT_AND_GET, i));
                assertEquals(a.normalize(max + max), a.apply(ADD_AND_GET, i, max));
                assertEquals(a.normalize(max + max), a.apply(GET_AND_ADD, i, min));
                assertEquals(a.normalize(max + max + min), a.get(i));
            }
        }
    }

    /** One call of an atomic, from a known value, and what it must return. */
    private record Call(String name, long initial, LongSupplier call, long expected) {
    }

    /**
     * Every atomic returns exactly the element it found, also once the JIT has compiled it, including
     * negative values and failed exchanges. C2 (x86-64) compiles the JDK's sub-word {@code getAndAdd},
     * {@code getAndSet} (JDK 17) and {@code compareAndExchange} (JDK 17 and 25) into code that returns the
     * right low bits with wrong upper ones: 156 for -100, or -251 for a witness of 5.
     */
    @Test
    void shouldReturnExactlyWhatEveryAtomicFoundOnceCompiled() {
        try (AsLongs a = maker().create()) {
            long low = a.can("integral") ? a.minValue() : a.can("floating") ? -100 : 0;
            long high = a.normalize(5);
            List<Call> calls = new ArrayList<>(List.of(
                    new Call("getAndSet", high, () -> a.apply(GET_AND_SET, 0, low), high),
                    new Call("getAndSet", low, () -> a.apply(GET_AND_SET, 0, high), low),
                    new Call("compareAndExchange", low, () -> a.apply(COMPARE_AND_EXCHANGE, 0, low, high), low)));
            for (AsLongs.Op op : List.of(COMPARE_AND_EXCHANGE, COMPARE_AND_EXCHANGE_ACQUIRE, COMPARE_AND_EXCHANGE_RELEASE)) {
                calls.add(new Call(op + ", failing", high, () -> a.apply(op, 0, low, high), high));
                calls.add(new Call(op + ", failing", low, () -> a.apply(op, 0, high, low), low));
            }
            if (a.can("numeric")) {
                for (AsLongs.Op op : List.of(GET_AND_ADD, GET_AND_INCREMENT, GET_AND_DECREMENT, GET_AND_UPDATE,
                        GET_AND_ACCUMULATE)) {
                    calls.add(new Call(op.name(), low, () -> a.apply(op, 0, op == GET_AND_UPDATE ? 1 : 0), low));
                }
            }
            if (a.can("bitwise")) {
                calls.add(new Call("getAndBitwiseOr", low, () -> a.apply(GET_AND_BITWISE_OR, 0, 0), low));
                calls.add(new Call("getAndBitwiseAnd", high, () -> a.apply(GET_AND_BITWISE_AND, 0, low), high));
            }
            for (int k = 0; k < 50_000; k++) {
                for (Call c : calls) {
                    a.apply(SET_PLAIN, 0, c.initial());
                    long got = c.call().getAsLong();
                    if (got != c.expected()) {
                        assertEquals(c.expected(), got, c.name() + " from " + c.initial() + ", call " + k);
                    }
                }
            }
        }
    }

    @Test
    void shouldUpdateAndAccumulateWithFunctions() {
        try (AsLongs a = maker().create()) {
            assumeTrue(a.can("numeric"));
            for (long i = 0; i < a.length(); i++) {
                a.set(i, 3);
                assertEquals(3, a.apply(GET_AND_UPDATE, i, 2));
                assertEquals(18, a.apply(UPDATE_AND_GET, i, 3));
                assertEquals(18, a.apply(GET_AND_ACCUMULATE, i, 4));
                assertEquals(27, a.apply(ACCUMULATE_AND_GET, i, 5));
                assertEquals(27, a.get(i));
            }
        }
    }

    @Test
    void shouldNarrowWhatAFunctionReturns() {
        long big = (1L << 25) + 1;                  // wider than a short, a char, and a float's 24-bit mantissa
        try (AsLongs a = maker().create()) {
            assumeTrue(a.can("numeric"));
            a.set(0, 3);
            assertEquals(a.normalize(3 * big), a.apply(UPDATE_AND_GET, 0, big));
            assertEquals(a.normalize(3 * big), a.get(0));
        }
    }

    @Test
    void shouldApplyBitwiseOperationsAtomically() {
        try (AsLongs a = maker().create()) {
            assumeTrue(a.can("bitwise"));
            long[][] cases = {{0b1100, 0b1010}, {-1, 0b0101}, {0, 1}, {1, 0}, {0x5a5a_5a5a_5a5aL, -0x8000_0000_0000L}};
            for (long i = 0; i < a.length(); i++) {
                for (long[] c : cases) {
                    long v = a.normalize(c[0]);
                    long m = a.normalize(c[1]);
                    a.set(i, v);
                    assertEquals(v, a.apply(GET_AND_BITWISE_OR, i, m));
                    assertEquals(a.normalize(v | m), a.get(i), v + " | " + m);
                    a.set(i, v);
                    assertEquals(v, a.apply(GET_AND_BITWISE_AND, i, m));
                    assertEquals(a.normalize(v & m), a.get(i), v + " & " + m);
                    a.set(i, v);
                    assertEquals(v, a.apply(GET_AND_BITWISE_XOR, i, m));
                    assertEquals(a.normalize(v ^ m), a.get(i), v + " ^ " + m);
                }
            }
        }
    }

    @Test
    void shouldCountExactlyWhenThreadsContend() throws Exception {
        int threads = 4;
        int n = 20_000;
        try (AsLongs a = maker().create()) {
            List<Thread> started = new ArrayList<>();
            List<int[]> seen = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                AsLongs mine = maker().attach(a.name());
                long own = a.isArray() ? 1 + t : -1;       // beside element 0: in its word for sub-word types
                Thread th = new Thread(() -> {
                    try (mine) {
                        int[] h = Contention.hammer(mine, 0, own, n);
                        synchronized (seen) {
                            seen.add(h);
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                started.add(th);
            }
            started.forEach(Thread::start);
            for (Thread th : started) {
                th.join();
            }
            assertEquals(List.of(), failures);
            Contention.assertCounted(a, 0, seen, (long) threads * n);
        }
    }

    // ------------------------------------------------------------------------------------------ arrays

    /** An array of {@code length} zeros; skips the test for a value. */
    private AsLongs.OfArray array(long length) {
        assumeTrue(maker().makesArrays(), "arrays only");
        return (AsLongs.OfArray) maker().create(length);
    }

    @Test
    void shouldNameIndexAndLengthWhenOutOfBounds() {
        try (AsLongs.OfArray a = array(3)) {
            assertMessage("Index 3 out of bounds for length 3", IndexOutOfBoundsException.class, () -> a.get(3));
            assertMessage("Index -1 out of bounds for length 3", IndexOutOfBoundsException.class, () -> a.set(-1, 0));
            assertMessage("Index 3 out of bounds for length 3", IndexOutOfBoundsException.class,
                    () -> a.apply(GET_AND_SET, 3, 0));
            assertMessage("copyTo: range [2, 2 + 2) out of bounds for shared array length 3",
                    IndexOutOfBoundsException.class, () -> a.copyOut(2, 2));
            assertMessage("copyTo: range [1, 1 + 2) out of bounds for array length 2",
                    IndexOutOfBoundsException.class, () -> a.copyOut(0, 2, 1, 2));
            assertMessage("copyFrom: range [0, 0 + 4) out of bounds for shared array length 3",
                    IndexOutOfBoundsException.class, () -> a.copyIn(4, 0, 0, 4));
            assertMessage("copyFrom: range [-1, -1 + 1) out of bounds for array length 4",
                    IndexOutOfBoundsException.class, () -> a.copyIn(4, -1, 0, 1));
            assertMessage("copyTo: range [3, 3 + 1) out of bounds for shared array length 3",
                    IndexOutOfBoundsException.class, () -> a.copyOut(3, ByteBuffer.allocate(a.elementSize())));
            assertMessage("shared array length must not be negative: length=-5", IllegalArgumentException.class,
                    () -> maker().create(-5));
        }
    }

    @Test
    void shouldCopyToAndFromJavaArrays() {
        try (AsLongs.OfArray a = array(100)) {
            long[] values = new long[50];
            for (int i = 0; i < values.length; i++) {
                values[i] = a.normalize(i + 1);
            }
            a.copyIn(values, 25);
            assertEquals(0, a.get(24));
            assertEquals(values[0], a.get(25));
            assertEquals(values[49], a.get(74));
            assertEquals(0, a.get(75));
            assertArrayEquals(values, a.copyOut(25, 50));
            long[] all = a.toArray();
            assertEquals(100, all.length);
            assertEquals(values[49], all[74]);
            try (AsLongs.OfArray b = (AsLongs.OfArray) maker().copyOf(values)) {
                assertArrayEquals(values, b.toArray());
            }
        }
    }

    @Test
    void shouldCopyToAndFromBuffersInTheirByteOrder() {
        try (AsLongs.OfArray a = array(8)) {
            int size = a.elementSize();
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                for (boolean direct : new boolean[] {false, true}) {
                    String how = order + (direct ? " direct" : " heap");
                    ByteBuffer src = (direct ? ByteBuffer.allocateDirect(4 * size) : ByteBuffer.allocate(4 * size)).order(order);
                    for (int i = 0; i < 4; i++) {
                        a.put(src, 10 + i);
                    }
                    src.flip();
                    a.copyIn(src, 2);
                    assertFalse(src.hasRemaining(), how);
                    assertEquals(10, a.get(2), how);
                    assertEquals(13, a.get(5), how);
                    ByteBuffer dst = ByteBuffer.allocate(2 * size).order(order);
                    a.copyOut(3, dst);
                    assertFalse(dst.hasRemaining(), how);
                    dst.flip();
                    assertEquals(11, a.take(dst), how);
                    assertEquals(12, a.take(dst), how);
                    a.copyIn(ByteBuffer.allocate(4 * size).asReadOnlyBuffer(), 2);
                    assertEquals(0, a.get(2), "from a read-only buffer");
                }
            }
            if (size > 1) {
                assertMessage("copyTo: buffer.remaining()=" + (size + 1) + " is not a multiple of the " + size
                        + "-byte element size", IllegalArgumentException.class, () -> a.copyOut(0, ByteBuffer.allocate(size + 1)));
            }
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> a.copyOut(0, ByteBuffer.allocate(size).asReadOnlyBuffer()));
        }
    }

    @Test
    void shouldFillStreamAndVisit() {
        try (AsLongs.OfArray a = array(10_000)) {
            a.fill(3);
            assertEquals(3, a.get(0));
            assertEquals(3, a.get(4_095));
            assertEquals(3, a.get(4_096));
            assertEquals(3, a.get(9_999));
            assertEquals(30_000.0, a.streamSum());
            assertEquals(30_000.0, a.forEachSum());
        }
    }

    @Test
    void shouldPrintLikeAJavaArray() {
        assumeTrue(maker().makesArrays());
        try (AsLongs a = maker().copyOf(1, 2, 3); AsLongs.OfArray empty = array(0); AsLongs big = maker().create(1500)) {
            assertEquals("[" + a.format(1) + ", " + a.format(2) + ", " + a.format(3) + "]", a.object().toString());
            assertEquals("[]", empty.object().toString());
            assertEquals(0, empty.toArray().length);
            String cut = big.object().toString();
            assertTrue(cut.endsWith(", " + big.format(0) + ", ... (500 more)]"), cut);
        }
    }

    @Test
    void shouldPrintLikeAnAtomic() {
        assumeTrue(!maker().makesArrays());
        try (AsLongs a = maker().copyOf(1)) {
            assertEquals(a.format(1), a.object().toString());
        }
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Test
    void shouldSeeTheSameMemoryWhenAttachedAndThroughItsHandle() throws Exception {
        try (AsLongs a = maker().create();
             AsLongs b = maker().attach(a.name());
             AsLongs c = maker().adapt(a.object().handle().attach())) {
            long last = a.length() - 1;
            long p = pattern(a, last);
            b.set(last, p);
            assertEquals(p, a.get(last));
            c.set(0, other(a, p));
            assertEquals(other(a, p), b.get(0));
            assertEquals(a.length(), c.length());
            assertTrue(a.object().segment.isCreator());
            assertFalse(b.object().segment.isCreator());
            assertFalse(c.object().segment.isCreator());
        }
    }

    @Test
    void shouldCarryALockOnlyWhenCreatedWithOne() {
        try (AsLongs plain = maker().create(); AsLongs locked = maker().createWithLock();
             AsLongs attached = maker().attach(locked.name())) {
            String type = plain.object().getClass().getSimpleName();
            assertFalse(plain.object().hasLock());
            assertMessage(type + " " + plain.name() + " was created without a lock (use " + type + ".createWithLock)",
                    IllegalStateException.class, () -> plain.object().lock());
            assertTrue(attached.object().hasLock());
            attached.object().lock().lock();
            try {
                assertTrue(locked.object().lock().isHeldByCurrentThread(), "one lock, whichever object reaches it");
            } finally {
                attached.object().lock().unlock();
            }
        }
    }

    @Test
    void shouldRemoveItsLockWithIt() {
        AsLongs locked = maker().createWithLock();
        Path lockFile = ResourceTracker.directory().resolve(locked.object().lock().name());
        Path file = ResourceTracker.directory().resolve(locked.name());
        assertTrue(Files.exists(lockFile));
        locked.close();
        assertFalse(Files.exists(lockFile));
        assertFalse(Files.exists(file));
    }

    @Test
    void shouldRefuseToAttachAnotherTypeOrShape() {
        try (AsLongs a = maker().create();
             SharedInt otherInt = SharedInt.create(1);
             SharedLong otherLong = SharedLong.create(1);
             SharedIntArray otherInts = SharedIntArray.create(1);
             SharedLongArray otherLongs = SharedLongArray.create(1);
             SharedMemory raw = SharedMemory.create(64)) {
            String type = a.object().getClass().getSimpleName();
            boolean isLong = a.elementType() == long.class;
            SharedObject sameShapeOtherType = a.isArray() ? (isLong ? otherInts : otherLongs) : (isLong ? otherInt : otherLong);
            SharedObject otherShape = a.isArray() ? otherInt : otherInts;
            String shape = a.isArray() ? "array" : "value";
            assertMessage("cannot attach " + sameShapeOtherType.name() + " as a " + type + ": it holds a shared "
                            + (isLong ? "int " : "long ") + shape,
                    SharedMemoryException.class, () -> maker().attach(sameShapeOtherType.name()));
            assertMessage("cannot attach " + otherShape.name() + " as a " + type + ": it holds a shared "
                            + (a.isArray() ? "value" : "array"),
                    SharedMemoryException.class, () -> maker().attach(otherShape.name()));
            assertMessage("cannot attach " + raw.name() + " as a " + type + ": it holds a raw SharedMemory block",
                    SharedMemoryException.class, () -> maker().attach(raw.name()));
        }
    }

    @Test
    void shouldRefuseUseAfterCloseAndSaySo() {
        AsLongs a = maker().create();
        String type = a.object().getClass().getSimpleName();
        String closed = type + " " + a.name() + " is closed";
        a.close();
        List<Executable> uses = new ArrayList<>(List.of(() -> a.get(0), () -> a.set(0, 1)));
        for (AsLongs.Op op : List.of(GET_PLAIN, SET_OPAQUE, GET_ACQUIRE, GET_AND_SET, COMPARE_AND_SET,
                COMPARE_AND_EXCHANGE, WEAK_COMPARE_AND_SET_PLAIN)) {
            uses.add(() -> a.apply(op, 0, 0, 1));
        }
        if (a.can("numeric")) {
            uses.add(() -> a.apply(GET_AND_ADD, 0, 1));
            uses.add(() -> a.apply(UPDATE_AND_GET, 0, 2));
        }
        if (a.can("bitwise")) {
            uses.add(() -> a.apply(GET_AND_BITWISE_OR, 0, 1));
        }
        for (Executable use : uses) {
            assertMessage(closed, IllegalStateException.class, use);
        }
        if (a instanceof AsLongs.OfArray) {
            AsLongs.OfArray b = (AsLongs.OfArray) a;
            for (Executable bulk : List.<Executable>of(() -> b.copyOut(0, 1), () -> b.fill(1), b::toArray,
                    () -> b.copyOut(0, ByteBuffer.allocate(a.elementSize())))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, bulk);
                assertTrue(e.getMessage().endsWith(a.name() + " is closed"), e.getMessage());
            }
        }
        assertEquals(type + "[" + a.name() + ", closed]", a.object().toString());
        a.close();
    }

    static void assertMessage(String expected, Class<? extends Throwable> type, Executable e) {
        assertEquals(expected, assertThrows(type, e).getMessage());
    }
}
