package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InvalidObjectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.SerializableRunnable;

class TaskWireTest {
    static final AtomicReference<String> SEEN = new AtomicReference<>();
    private static final ClassLoader LOADER = TaskWireTest.class.getClassLoader();

    static int twice(int x) {
        return 2 * x;
    }

    @Test
    void shouldSendAPlainLambdaInTheDirectFormAndRunIt() throws Exception {
        int x = 7;
        String s = "seven";
        double[] d = {1.5, 2.5};
        SerializableRunnable task = () -> SEEN.set(x + " " + s + " " + (d[0] + d[1]));
        byte[] bytes = TaskWire.encodeTask(task);
        assertEquals('D', bytes[0]);
        Object decoded = TaskWire.decodeTask(bytes, LOADER, new ArrayList<>());
        assertFalse(TaskWire.isCallable(decoded));
        assertEquals(null, ((java.util.concurrent.Callable<?>) decoded).call(), "a runnable's direct form returns null");
        assertEquals("7 seven 4.0", SEEN.get());
    }

    @Test
    void shouldSendAStaticMethodReferenceDirectlyAndReturnItsValue() throws Exception {
        long big = 1L << 40;
        SerializableCallable<Long> task = () -> big + twice(21);
        byte[] bytes = TaskWire.encodeTask(task);
        assertEquals('D', bytes[0]);
        Object decoded = TaskWire.decodeTask(bytes, LOADER, null);
        assertTrue(TaskWire.isCallable(decoded));
        assertEquals(big + 42, ((Callable<?>) decoded).call());
    }

    @Test
    void shouldSerializeALambdaThatCapturesAnObject() throws Exception {
        List<Integer> list = new ArrayList<>(List.of(1, 2, 3));
        SerializableCallable<Integer> task = () -> list.size();
        byte[] bytes = TaskWire.encodeTask(task);
        assertEquals('S', bytes[0]);
        assertEquals(3, ((Callable<?>) TaskWire.decodeTask(bytes, LOADER, null)).call());
    }

    @Test
    void shouldRethrowTheTasksOwnExceptionNotAReflectionWrapper() throws Exception {
        SerializableCallable<Object> task = () -> {
            throw new java.io.IOException("disk");
        };
        Callable<?> decoded = (Callable<?>) TaskWire.decodeTask(TaskWire.encodeTask(task), LOADER, null);
        java.io.IOException e = assertThrows(java.io.IOException.class, decoded::call);
        assertEquals("disk", e.getMessage());
    }

    @Test
    void shouldRoundTripOutcomesOfEveryPlainTypeAndOthers() throws Exception {
        Object[] values = {null, 1, 2L, 3.0, 4.0f, (short) 5, (byte) 6, 'x', true, "text é",
            new byte[] {1, 2}, new int[] {3, 4}, new long[] {5}, new double[] {6.5}, new boolean[] {true},
            new Object[] {1, "two", new float[] {3f}}};
        for (Object v : values) {
            byte[] bytes = TaskWire.encodeOutcome(Outcome.returned(v));
            assertTrue(Wire.isPlain(bytes[0]), "plain form for " + v);
            assertEquals(Wire.encodedLength(v), bytes.length, "the outcome is the value's plain message");
            Object back = TaskWire.decodeOutcome(bytes, LOADER).value();
            if (v != null && v.getClass().isArray()) {
                assertEquals(java.util.Arrays.deepToString(new Object[] {v}), java.util.Arrays.deepToString(new Object[] {back}));
            } else {
                assertEquals(v, back);
            }
        }
        byte[] list = TaskWire.encodeOutcome(Outcome.returned(List.of(1, 2)));
        assertEquals('S', list[0]);
        assertEquals(List.of(1, 2), TaskWire.decodeOutcome(list, LOADER).value());
        byte[] failed = TaskWire.encodeOutcome(Outcome.failed(RemoteException.describe(new IllegalStateException("x"))));
        Outcome o = TaskWire.decodeOutcome(failed, LOADER);
        assertNull(o.value());
        assertEquals("java.lang.IllegalStateException", o.failure().remoteClassName());
    }

    @Test
    void shouldSendCapturedTuplesAndEveryPlainKindDirectly() throws Exception {
        Object[] tuple = {1, "two", new Object[] {3.0f, 'c'}};
        short small = 5;
        char c = 'q';
        SerializableCallable<String> task = () -> java.util.Arrays.deepToString(tuple) + small + c;
        byte[] bytes = TaskWire.encodeTask(task);
        assertEquals('D', bytes[0]);
        assertEquals("[1, two, [3.0, c]]5q", ((Callable<?>) TaskWire.decodeTask(bytes, LOADER, null)).call());
    }

    @Test
    void shouldRefuseCorruptBytesWithoutAllocatingWhatTheyClaim() {
        byte[] hugeString = {Wire.UTF16, -1, -1, -1, 0x7f, 'a'};
        SerializationException e = assertThrows(SerializationException.class,
                () -> TaskWire.decodeOutcome(hugeString, LOADER));
        assertTrue(e.getMessage().contains("a String needs 4294967299 bytes but 6 are left"), e.getMessage());
        byte[] hugeArray = {Wire.DOUBLES, 0x10, 0, 0, 0};
        assertThrows(SerializationException.class, () -> TaskWire.decodeOutcome(hugeArray, LOADER));
        assertThrows(InvalidObjectException.class, () -> TaskWire.decodeTask(new byte[] {'Q'}, LOADER, null));
        assertThrows(InvalidObjectException.class, () -> TaskWire.decodeTask(new byte[0], LOADER, null));
        InvalidObjectException unknown = assertThrows(InvalidObjectException.class,
                () -> TaskWire.decodeOutcome(new byte[] {'q'}, LOADER));
        assertEquals("an outcome starts with a plain value's tag or 'S', not byte 113", unknown.getMessage());
        assertThrows(InvalidObjectException.class, () -> TaskWire.decodeOutcome(new byte[0], LOADER));
        byte[] truncatedTask = java.util.Arrays.copyOf(TaskWire.trainingTask(), TaskWire.trainingTask().length - 1);
        assertThrows(SerializationException.class, () -> TaskWire.decodeTask(truncatedTask, LOADER, null));
        byte[] notATuple = {'D', Wire.INT, 1, 0, 0, 0};
        InvalidObjectException shape = assertThrows(InvalidObjectException.class,
                () -> TaskWire.decodeTask(notATuple, LOADER, null));
        assertEquals("a direct task is a tuple (class, method, descriptor, callable, arguments), not a value of type"
                + " Integer", shape.getMessage());
    }

    @Test
    void shouldNameTheMissingMethodWhenTheChildsClassesDiffer() throws Exception {
        byte[] bytes = TaskWire.encodeTask((SerializableRunnable) () -> SEEN.set("x"));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("lambda$", "lambdX$");
        NoSuchMethodException e = assertThrows(NoSuchMethodException.class, () -> TaskWire.decodeTask(
                text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), LOADER, null));
        assertTrue(e.getMessage().contains("is the child's classpath the parent's?"), e.getMessage());
    }
}
