package org.multiproc4j.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.multiproc4j.core.SerializationException;

class ValueCodecTest {
    private final ValueCodec codec = ValueCodec.instance();

    private Object roundTrip(Object v) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        int n = codec.encode(v, out);
        return codec.decode(out, 0, n);
    }

    record Point(int x, String label) implements Serializable {
    }

    @Test
    void shouldRoundTripPlainValuesOnTheFastPath() {
        assertNull(roundTrip(null));
        for (Object v : new Object[] {42, -7L, 3.14159, 2.5f, true, (byte) 9, (short) 300, 'x', "héllo",
                                      ""}) {
            assertEquals(v, roundTrip(v), "round trip of " + v.getClass());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) roundTrip(new byte[] {1, 2, 3}));
        assertArrayEquals(new int[] {1, -2, 3}, (int[]) roundTrip(new int[] {1, -2, 3}));
        assertArrayEquals(new long[] {1L << 40, 5}, (long[]) roundTrip(new long[] {1L << 40, 5}));
        assertArrayEquals(new double[] {0.5, -1e300}, (double[]) roundTrip(new double[] {0.5, -1e300}));
        Object[] tuple = {123456789, 3.14159, "hello"};
        assertArrayEquals(tuple, (Object[]) roundTrip(tuple));
    }

    @Test
    void shouldUseTheFastPathForSmallValues() {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        assertEquals(5, codec.encode(125, out), "an int is a tag and four bytes");
        assertEquals('I', out.getByte(0));
        assertTrue(codec.encode(new Object[] {123456789, 3.14159, "hello"}, out) < 40,
                "a small tuple stays small");
    }

    @Test
    void shouldSerializeOtherValues() {
        assertEquals(new Point(3, "p"), roundTrip(new Point(3, "p")));
        assertEquals(List.of(1, 2, 3), roundTrip(List.of(1, 2, 3)));
        assertEquals(Map.of("car", "ford"), roundTrip(Map.of("car", "ford")));
        Object[] mixed = {1, new Point(1, "q")};
        assertArrayEquals(mixed, (Object[]) roundTrip(mixed), "an Object[] with a record falls back to serialization");
    }

    @Test
    void shouldNameTheTypeThatCannotBeSerialized() {
        Object bad = List.of(new Object());
        SerializationException e = assertThrows(SerializationException.class,
                () -> codec.encode(bad, new ExpandableArrayBuffer(16)));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
    }

    @Test
    void shouldRefuseBytesThatAreNotAValue() {
        ExpandableArrayBuffer raw = new ExpandableArrayBuffer(16);
        raw.putByte(0, (byte) 0x7F);
        SerializationException e = assertThrows(SerializationException.class, () -> codec.decode(raw, 0, 3));
        assertTrue(e.getMessage().contains("unknown tag 127"), e.getMessage());
    }
}
