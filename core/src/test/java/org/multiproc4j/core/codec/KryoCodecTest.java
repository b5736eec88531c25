package org.multiproc4j.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.codec.Payloads.Book;
import org.multiproc4j.core.codec.Payloads.Holder;
import org.multiproc4j.core.codec.Payloads.Job;
import org.multiproc4j.core.codec.Payloads.Node;
import org.multiproc4j.core.codec.Payloads.Order;
import org.multiproc4j.core.codec.Payloads.Point;
import org.multiproc4j.core.codec.Payloads.Side;
import org.multiproc4j.core.codec.Payloads.Unlisted;
import org.multiproc4j.core.internal.Wire;

class KryoCodecTest extends CodecContractTest {

    static final KryoCodec CODEC = Codecs.fastBuilder()
            .register(Order.class, Book.class, Side.class, Point.class, Job.class, Holder.class)
            .build();

    @Override
    Codec codec() {
        return CODEC;
    }

    @Test
    void shouldRefuseToWriteAnUnregisteredClassNamingIt() {
        SerializationException e = assertMessage(() -> CODEC.encode(new Unlisted(1)),
                "the fast codec cannot encode " + Unlisted.class.getName()
                        + ": the class is neither registered nor allow-listed");
        assertTrue(e.getMessage().contains(".register(Unlisted.class)")
                && e.getMessage().contains(".allow(\"org.multiproc4j.core.codec.*\")"), e.getMessage());
    }

    @Test
    void shouldSayWhereInTheGraphAnUnregisteredClassWasMet() {
        assertMessage(() -> CODEC.encode(new Holder("h", new Unlisted(2))), Unlisted.class.getName());
        assertMessage(() -> CODEC.encode(new Holder("h", new Unlisted(2))), "(at inside (");
        assertMessage(() -> CODEC.encode(new ArrayList<>(List.of(1, new Unlisted(3)))), Unlisted.class.getName());
    }

    @Test
    void shouldRefuseLambdas() {
        Supplier<String> lambda = () -> "x";
        assertMessage(() -> CODEC.encode(lambda), "the fast codec cannot encode a lambda declared in "
                + KryoCodecTest.class.getName());
    }

    @Test
    void shouldRefuseToReadAClassItDoesNotKnowNamingIt() {
        // the writer allow-lists the package: the class travels by name; the reader has the same registrations
        // (same fingerprint) but no allow-list, so the name is refused before the class is loaded
        Codec writer = Codecs.fastBuilder().allow("org.multiproc4j.core.codec.*").build();
        Codec reader = Codecs.fast();
        byte[] bytes = writer.encode(new Unlisted(5));
        assertEquals(new Unlisted(5), writer.decode(bytes));
        assertMessage(() -> reader.decode(bytes), "the fast codec refused to decode class " + Unlisted.class.getName()
                + ": it is neither registered nor allow-listed in this codec");
        assertMessage(() -> reader.decode(writer.encode(new Unlisted[] {new Unlisted(1)})),
                "refused to decode class [L" + Unlisted.class.getName() + ";");
    }

    @Test
    void shouldRefuseBytesWrittenWithOtherRegistrations() {
        Codec writer = Codecs.fast(Order.class);
        Codec reader = Codecs.fast(Point.class);
        assertNotEquals(((KryoCodec) writer).fingerprint(), ((KryoCodec) reader).fingerprint());
        assertMessage(() -> reader.decode(writer.encode(new Order(1, "a", 2))), "the bytes were written by a fast"
                + " codec with other registrations");
        assertEquals(((KryoCodec) writer).fingerprint(), ((KryoCodec) Codecs.fast(Order.class)).fingerprint(),
                "same registrations, same fingerprint");
    }

    @Test
    void shouldRefuseAnUnknownClassId() {
        byte[] bytes = CODEC.encode(new Order(1, "a", 2));
        bytes[KryoCodec.HEADER] = (byte) 120; // class id 118: not registered
        assertMessage(() -> CODEC.decode(bytes), "the input names class id 118, which this codec has not"
                + " registered");
    }

    @Test
    void shouldRefuseBogusLengthsInsideAMessage() {
        // a String whose char count claims far more than the message holds
        byte[] string = CODEC.encode(new Order(1, "\u00e9t\u00e9", 2));
        int at = indexOfUtf8String(string);
        byte[] bogus = Arrays.copyOf(string, string.length);
        bogus[at] = (byte) 0xff; // varint flag byte: UTF-8, and a continuation
        bogus[at + 1] = (byte) 0xff;
        bogus[at + 2] = (byte) 0xff;
        bogus[at + 3] = (byte) 0x0f;
        assertMessage(() -> CODEC.decode(bogus), "cannot decode: a String of 16777214 chars needs at least");
        // a list whose count claims two billion elements
        byte[] list = CODEC.encode(new LinkedList<>(List.of(1, 2))); // not in the compact form: Kryo writes it
        byte[] huge = new byte[list.length + 3];
        System.arraycopy(list, 0, huge, 0, KryoCodec.HEADER + 1);
        // LinkedList: class id, then a varint flag byte (bit 7 of the first byte: same type) and count + 1
        huge[KryoCodec.HEADER + 1] = (byte) 0xff;
        huge[KryoCodec.HEADER + 2] = (byte) 0xff;
        huge[KryoCodec.HEADER + 3] = (byte) 0xff;
        huge[KryoCodec.HEADER + 4] = (byte) 0xff;
        huge[KryoCodec.HEADER + 5] = (byte) 0x0f;
        assertMessage(() -> CODEC.decode(huge), "java.util.LinkedList claims");
        byte[] ints = CODEC.encode(new Book("b", List.of(), java.util.Map.of(), Side.BUY, new int[] {1, 2, 3}));
        assertTrue(ints.length > 8);
    }

    private static int indexOfUtf8String(byte[] bytes) {
        // "été" is written with a varint char count: first byte 0x80 | (3 + 1) (flag bit 7 = UTF-8)
        for (int i = KryoCodec.HEADER; i < bytes.length; i++) {
            if ((bytes[i] & 0xff) == (0x80 | 4)) {
                return i;
            }
        }
        throw new AssertionError("no UTF-8 string header in " + Arrays.toString(bytes));
    }

    @Test
    void shouldFailAtTheDepthLimitInsteadOfOverflowingTheStack() {
        Codec codec = Codecs.fastBuilder().allow("org.multiproc4j.core.codec.Payloads$Node").build();
        Node head = new Node();
        Node node = head;
        for (int i = 0; i < 5000; i++) {
            node.next = new Node();
            node = node.next;
        }
        assertMessage(() -> codec.encode(head), "its object graph is deeper than 512 levels (a cycle?");
        Node cycle = new Node();
        cycle.next = cycle;
        assertMessage(() -> codec.encode(cycle), "deeper than 512 levels");
    }

    @Test
    void shouldCarryCyclesAndSharedObjectsWithReferencesOn() {
        Codec codec = Codecs.fastBuilder().register(Order.class).allow("org.multiproc4j.core.codec.Payloads$Node")
                .references(true).build();
        Node a = new Node();
        Node b = new Node();
        a.next = b;
        b.next = a;
        a.value = 1;
        b.value = 2;
        Node back = (Node) codec.decode(codec.encode(a));
        assertSame(back, back.next.next);
        assertEquals(2, back.next.value);
        Order shared = new Order(1, "s", 1);
        List<?> list = (List<?>) codec.decode(codec.encode(new ArrayList<>(List.of(shared, shared))));
        assertSame(list.get(0), list.get(1));
        assertNotEquals(((KryoCodec) codec).fingerprint(),
                Codecs.fastBuilder().register(Order.class).build().fingerprint(),
                "references change the bytes, hence the fingerprint");
    }

    @Test
    void shouldValidateTheBuilder() {
        IllegalArgumentException shareable = assertThrows(IllegalArgumentException.class,
                () -> Codecs.fastBuilder().register(Payloads.FileCounter.class));
        assertTrue(shareable.getMessage().contains("is Shareable: it travels as its handle"), shareable.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codecs.fastBuilder().register(Runnable.class));
        for (String bad : List.of("", "com.*.x", "com.example.", "*", "a b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Codecs.fastBuilder().allow(bad));
            assertTrue(e.getMessage().contains("pattern"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Codecs.fastBuilder().maxDepth(0));
        // JDK types and repeats are skipped: the fingerprint is that of the plain registration
        assertEquals(((KryoCodec) Codecs.fast(Order.class)).fingerprint(),
                Codecs.fastBuilder().register(String.class, Order.class, ArrayList.class, Order.class).build()
                        .fingerprint());
        assertEquals(List.of(Order.class), Codecs.fastBuilder().register(Order.class, Integer.class).build()
                .registeredClasses());
    }

    @Test
    void shouldMatchAllowListPatternsExactly() {
        KryoSetup.AllowList list = new KryoSetup.AllowList(List.of("com.a.Exact", "com.b.*", "com.c.**"));
        assertTrue(list.matches("com.a.Exact"));
        assertTrue(!list.matches("com.a.Exactly"));
        assertTrue(list.matches("com.b.X") && list.matches("com.b.X$Inner"));
        assertTrue(!list.matches("com.b.sub.X"));
        assertTrue(list.matches("com.c.X") && list.matches("com.c.deep.er.X"));
        assertTrue(!list.matches("com.cx.X"));
    }

    @Test
    void shouldBeCompactForRegisteredClasses() {
        byte[] bytes = CODEC.encode(new Order(7, "pear", 3));
        assertTrue(bytes.length <= KryoCodec.HEADER + 1 + 1 + 5 + 1, "tag, fingerprint, id, fields: "
                + bytes.length + " bytes");
        assertEquals(Wire.KRYO, bytes[0]);
        assertEquals(CODEC.fingerprint(), ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(1));
    }

    /** A handle whose attach() decodes with the same codec on the same thread (re-entrant use). */
    record ReentrantHandle(byte[] inner) implements Handle {
        @Override
        public Object attach() {
            return new Reentrant((String) CODEC.decode(inner), inner);
        }
    }

    record Reentrant(String text, byte[] inner) implements Shareable, Serializable {
        @Override
        public Handle handle() {
            return new ReentrantHandle(inner);
        }
    }

    @Test
    void shouldAllowReentrantUseFromAHandle() {
        Reentrant value = new Reentrant("nested", CODEC.encode("nested"));
        @SuppressWarnings("unchecked")
        List<Object> back = (List<Object>) CODEC.decode(CODEC.encode(new ArrayList<>(List.of(1, value, 2))));
        assertEquals(List.of(1, 2), List.of(back.get(0), back.get(2)));
        assertEquals("nested", ((Reentrant) back.get(1)).text());
        assertEquals(Collections.nCopies(3, 7),
                CODEC.decode(CODEC.encode(new ArrayList<>(Collections.nCopies(3, 7)))));
    }

    @Test
    void shouldUseJdkCodecToCarryTheHandleOnly() {
        Codec jdkRefusing = Codecs.jdk("!*");
        assertTrue(jdkRefusing.toString().contains("!*"));
        // Kryo codec's shareables do not depend on the user's JDK filters: still round-trips
        assertEquals("nested", ((Reentrant) CODEC.decode(CODEC.encode(new Reentrant("nested",
                CODEC.encode("nested"))))).text());
    }

    @Test
    void shouldRefuseTrailingBytes() {
        byte[] bytes = CODEC.encode(new Order(1, "a", 2));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
        assertMessage(() -> CODEC.decode(longer), "2 bytes follow the value");
    }
}
