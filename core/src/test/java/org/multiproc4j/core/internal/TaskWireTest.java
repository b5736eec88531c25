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
            new byte[] {1, 2}, new int[] {3, 4}, new long[] {5}, new double[] {6.5}};
        for (Object v : values) {
            byte[] bytes = TaskWire.encodeOutcome(Outcome.returned(v));
            assertEquals('V', bytes[0], "plain form for " + v);
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
    void shouldRefuseCorruptBytesWithoutAllocatingWhatTheyClaim() {
        byte[] hugeString = {'V', 'T', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'};
        InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> TaskWire.decodeOutcome(hugeString, LOADER));
        assertEquals("corrupt length 2147483647 with 1 bytes left", e.getMessage());
        byte[] hugeArray = {'V', 'd', 0x10, 0, 0, 0};
        assertThrows(InvalidObjectException.class, () -> TaskWire.decodeOutcome(hugeArray, LOADER));
        assertThrows(InvalidObjectException.class, () -> TaskWire.decodeTask(new byte[] {'Q'}, LOADER, null));
        assertThrows(InvalidObjectException.class, () -> TaskWire.decodeTask(new byte[0], LOADER, null));
        assertInstanceOf(InvalidObjectException.class,
                assertThrows(InvalidObjectException.class, () -> TaskWire.decodeOutcome(new byte[] {'V', 'q'}, LOADER)));
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
