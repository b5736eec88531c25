package org.multiproc4j.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.agrona.BufferUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.core.internal.Wire;

/**
 * The Agrona side of the one wire format: plain values are core's {@link Wire} bytes, read in place from every
 * kind of Agrona buffer a ring or a reassembled message is; other values go through the channel's codec. The
 * format itself (every kind, edges, malformed input) is {@code WireTest}'s.
 */
class AgronaWireTest {
    private final AgronaWire wire = AgronaWire.instance();

    record Point(int x, String label) implements Serializable {
    }

    private Object roundTrip(Object v) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        int n = wire.encode(v, out);
        return wire.decode(out, 0, n);
    }

    @Test
    void shouldWriteCoresBytesForPlainValuesAndReadThemInPlaceFromEveryBufferARingUses() {
        Object[] values = {null, 42, -7L, 3.14159, 2.5f, true, (byte) 9, (short) 300, 'x', "héllo", "\u4e2d",
            new byte[] {1, 2, 3}, new int[] {1, -2, 3}, new long[] {1L << 40}, new double[] {0.5, -1e300},
            new double[500], new Object[] {123456789, 3.14159, "hello"}};
        for (Object v : values) {
            ExpandableArrayBuffer out = new ExpandableArrayBuffer(4); // grows
            int n = wire.encode(v, out);
            byte[] expected = new byte[Wire.encodedLength(v)];
            Wire.write(v, expected, 0);
            assertArrayEquals(expected, Arrays.copyOf(out.byteArray(), n), "core's bytes for " + v);
            // a ring in mapped memory: a direct slice in big-endian order, the message at an offset
            ByteBuffer mapped = ByteBuffer.allocateDirect(n + 64).order(ByteOrder.BIG_ENDIAN);
            ByteBuffer window = mapped.position(16).slice();
            UnsafeBuffer ring = new UnsafeBuffer(window);
            ring.putBytes(8, out, 0, n);
            assertDeepEquals(v, wire.decode(ring, 8, n), "from a direct window");
            // a reassembled message: an array, wrapped at an offset
            byte[] assembly = new byte[n + 5];
            out.getBytes(0, assembly, 5, n);
            assertDeepEquals(v, wire.decode(new UnsafeBuffer(assembly, 5, n), 0, n), "from a wrapped array");
            // a buffer over a bare address
            ByteBuffer bare = BufferUtil.allocateDirectAligned(64 + n, 64);
            UnsafeBuffer address = new UnsafeBuffer(BufferUtil.address(bare), 64 + n);
            address.putBytes(3, out, 0, n);
            assertDeepEquals(v, wire.decode(address, 3, n), "from an address");
        }
    }

    /**
     * Decodes many messages (never {@code null}) from a ring and from arrays until the JIT has compiled the
     * decoding, then every kind once more: the pattern under which JDK 17's C2 compiled an earlier
     * {@link Wire#isPlain} (a pair of compares) wrongly and refused {@code null} (in this module's whole unit
     * suite, and in a standalone program; this test alone did not always show it).
     */
    @Test
    void shouldReadEveryTagOnceDecodingIsCompiled() {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16).position(64).slice());
        Object[] warm = {123, new Object[] {123456789, 3.14159, "hello"}, 7L, "abc", new int[] {1, 2}, List.of(1),
            new byte[100]};
        for (int r = 0; r < 300_000; r++) {
            Object v = warm[r % warm.length];
            int n = wire.encode(v, out);
            int at = (r * 8) & 0x7fff;
            ring.putBytes(at, out, 0, n);
            assertDeepEquals(v, wire.decode(ring, at, n), "warming up");
            assertDeepEquals(v, wire.decode(new UnsafeBuffer(Arrays.copyOf(out.byteArray(), n)), 0, n), "warming up");
        }
        Object[] values = {null, 42, -7L, 3.14159, 2.5f, true, (byte) 9, (short) 300, 'x', "h\u00e9llo", "\u4e2d",
            new byte[] {1, 2, 3}, new int[] {1, -2, 3}, new long[] {1L << 40}, new double[] {0.5, -1e300},
            new double[500], new Object[] {123456789, 3.14159, "hello"}, new Object[] {null}};
        for (Object v : values) {
            int n = wire.encode(v, out);
            UnsafeBuffer window = new UnsafeBuffer(ByteBuffer.allocateDirect(n + 64).position(16).slice());
            window.putBytes(8, out, 0, n);
            assertDeepEquals(v, wire.decode(window, 8, n), "compiled");
        }
    }

    @Test
    void shouldSendOtherValuesThroughTheChannelsCodec() {
        assertEquals(new Point(3, "p"), roundTrip(new Point(3, "p")));
        assertEquals(List.of(1, 2, 3), roundTrip(List.of(1, 2, 3)));
        assertEquals(Map.of("car", "ford"), roundTrip(Map.of("car", "ford")));
        Object[] mixed = {1, new Point(1, "q")};
        assertArrayEquals(mixed, (Object[]) roundTrip(mixed), "an Object[] with a record goes through the codec");
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        int n = wire.encode(List.of(1), out);
        assertEquals(Wire.CODEC, out.getByte(0));
        assertEquals(Wire.JDK, out.getByte(1), "the JDK codec's own message follows");
        AgronaWire fast = AgronaWire.of(Codecs.fast());
        n = fast.encode(List.of(1), out);
        assertEquals(Wire.KRYO, out.getByte(1));
        assertEquals(List.of(1), fast.decode(out, 0, n));
        assertEquals(5, fast.encode(125, out), "plain values do not depend on the codec");
        assertEquals(Wire.INT, out.getByte(0));
    }

    @Test
    void shouldNameTheTypeThatCannotBeSerialized() {
        Object bad = List.of(new Object());
        SerializationException e = assertThrows(SerializationException.class,
                () -> wire.encode(bad, new ExpandableArrayBuffer(16)));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertTrue(e.getMessage().endsWith("nothing was sent"), e.getMessage());
    }

    @Test
    void shouldRefuseBytesThatAreNotAValue() {
        ExpandableArrayBuffer raw = new ExpandableArrayBuffer(16);
        raw.putByte(0, (byte) 0x7F);
        SerializationException e = assertThrows(SerializationException.class, () -> wire.decode(raw, 0, 3));
        assertTrue(e.getMessage().contains("unknown tag 127"), e.getMessage());
        e = assertThrows(SerializationException.class, () -> wire.decode(raw, 0, 0));
        assertTrue(e.getMessage().contains("empty message"), e.getMessage());
        raw.putByte(0, Wire.INTS);
        raw.putInt(1, 1000, ByteOrder.LITTLE_ENDIAN);
        e = assertThrows(SerializationException.class, () -> wire.decode(raw, 0, 9));
        assertTrue(e.getMessage().contains("int[] of 1000 elements is 4005 bytes but 9 were given"), e.getMessage());
        assertNull(wire.decode(new UnsafeBuffer(new byte[] {Wire.NULL}), 0, 1));
    }

    private static void assertDeepEquals(Object expected, Object actual, String where) {
        assertTrue(java.util.Objects.deepEquals(expected, actual), () -> where + ": " + expected + " became " + actual);
    }
}
