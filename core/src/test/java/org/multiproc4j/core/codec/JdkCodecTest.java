package org.multiproc4j.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import org.multiproc4j.core.codec.Payloads.Node;
import org.multiproc4j.core.codec.Payloads.Order;

class JdkCodecTest extends CodecContractTest {

    @Override
    Codec codec() {
        return Codecs.jdk();
    }

    /** Optional, OptionalInt and List.of(...).subList(...) are not Serializable. */
    @Override
    List<Object> shapes() {
        return allShapes().stream().filter(o -> o == null || o instanceof Serializable || o.getClass().isArray())
                .collect(Collectors.toList());
    }

    @Test
    void shouldRefuseWhatTheFilterRefusesNamingTheClass() {
        Codec allowList = Codecs.jdk("java.base/*;!*");
        byte[] bytes = Codecs.jdk().encode(new Order(1, "a", 2));
        assertMessage(() -> allowList.decode(bytes), "the JDK codec refused to decode class " + Order.class.getName()
                + " (refused by the codec's ObjectInputFilter)");
        assertEquals(List.of(1, 2), allowList.decode(allowList.encode(new ArrayList<>(List.of(1, 2)))));
    }

    @Test
    void shouldRefuseGadgetPackagesByDefault() throws Exception {
        byte[] bytes = Codecs.jdk().encode(new ObjectName("d:type=x"));
        assertMessage(() -> Codecs.jdk().decode(bytes), "refused to decode class javax.management.ObjectName");
        assertTrue(JdkCodec.DEFAULT_FILTER_PATTERN.contains("!javax.management.**"));
    }

    @Test
    void shouldCarryJdkValuesWhoseFieldsLiveInInternalPackages() {
        java.util.GregorianCalendar calendar = new java.util.GregorianCalendar(
                java.util.TimeZone.getTimeZone("Europe/Paris"));
        calendar.setTimeInMillis(1_700_000_000_000L);
        assertEquals(calendar, Codecs.jdk().decode(Codecs.jdk().encode(calendar)));
    }

    @Test
    void shouldUseAFilterObject() {
        ObjectInputFilter noOrders = info -> info.serialClass() == Order.class ? ObjectInputFilter.Status.REJECTED
                : ObjectInputFilter.Status.UNDECIDED;
        Codec codec = Codecs.jdk(noOrders);
        assertMessage(() -> codec.decode(codec.encode(new Order(1, "a", 1))), "refused to decode class "
                + Order.class.getName());
        assertEquals("ok", codec.decode(codec.encode("ok")));
        assertSame(noOrders, ((JdkCodec) codec).filter());
        NotSerializableException e = assertThrows(NotSerializableException.class,
                () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(codec));
        assertTrue(e.getMessage().contains("build it from a pattern"), e.getMessage());
    }

    @Test
    void shouldApplyTheDepthLimit() {
        Node head = new Node();
        Node node = head;
        for (int i = 0; i < 1500; i++) {
            node.next = new Node();
            node = node.next;
        }
        byte[] bytes;
        try {
            bytes = Codecs.jdk().encode(head);
        } catch (org.multiproc4j.core.SerializationException tooDeepForThisStack) {
            return; // the writer's stack ran out first: also a clear failure
        }
        assertMessage(() -> Codecs.jdk().decode(bytes), "a stream past a limit (depth 1001");
    }

    @Test
    void shouldRefuseAnArrayLongerThanTheInputCouldHold() {
        // (a StringBuilder keeps the tuple off the fast path: this is about the JDK stream)
        byte[] bytes = Codecs.jdk().encode(new Object[] {new StringBuilder("x"), new long[] {1, 2}});
        // the long[]'s length field is the 4 bytes before its 16 bytes of elements at the end
        int at = bytes.length - 16 - 4;
        bytes[at] = 0x7f;
        assertMessage(() -> Codecs.jdk().decode(bytes), "an array of " + (0x7f000002) + " elements in a message of");
    }

    @Test
    void shouldCarrySerializableLambdasAndCycles() {
        Supplier<String> lambda = (Supplier<String> & Serializable) () -> "from a lambda";
        @SuppressWarnings("unchecked")
        Supplier<String> back = (Supplier<String>) Codecs.jdk().decode(Codecs.jdk().encode(lambda));
        assertEquals("from a lambda", back.get());
        Node a = new Node();
        a.next = a;
        Node copy = (Node) Codecs.jdk().decode(Codecs.jdk().encode(a));
        assertSame(copy, copy.next);
    }

    @Test
    void shouldNameANonSerializableLambda() {
        Supplier<String> lambda = () -> "x";
        assertMessage(() -> Codecs.jdk().encode(lambda), "a lambda declared in " + JdkCodecTest.class.getName());
    }
}
