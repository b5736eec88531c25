package org.multiproc4j.pool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.SerializableFunction;
import org.multiproc4j.core.SerializationException;

/** A worker's one-pass map of a packed chunk of numbers: the same results, and calls, as decode-apply-encode. */
class PackedApplyTest {
    private final PayloadCodec codec = new PayloadCodec(null);

    private Object[] apply(SerializableFunction<Object, Object> fn, Object[] chunk) throws Exception {
        byte[] in = codec.encode(chunk);
        byte[] padded = new byte[in.length + 7];                 // the chunk sits inside a larger message
        System.arraycopy(in, 0, padded, 3, in.length);
        byte[] out = Packed.applyNumbers(fn, padded, 3, in.length, codec);
        return (Object[]) codec.decode(out, 0, out.length);
    }

    @Test
    void shouldMapIntegersToIntegersPacked() throws Exception {
        Object[] in = {0, 1, -2, 3, 1000, Integer.MAX_VALUE};
        SerializableFunction<Object, Object> cube = x -> (Integer) x * (Integer) x * (Integer) x;
        byte[] enc = codec.encode(in);
        byte[] out = Packed.applyNumbers(cube, enc, 0, enc.length, codec);
        assertEquals(Packed.INTS, out[0]);
        Object[] expected = new Object[in.length];
        for (int i = 0; i < in.length; i++) {
            expected[i] = cube.apply(in[i]);
        }
        assertArrayEquals(expected, (Object[]) codec.decode(out, 0, out.length));
    }

    @Test
    void shouldMapLongsAndWidenIntegersToLongs() throws Exception {
        assertArrayEquals(new Object[] {2L, 4L, -6L}, apply(x -> (Long) x * 2, new Object[] {1L, 2L, -3L}));
        assertArrayEquals(new Object[] {10L, 20L}, apply(x -> (long) (Integer) x * 10, new Object[] {1, 2}));
        assertArrayEquals(new Object[] {1, 2}, apply(x -> (int) (long) (Long) x, new Object[] {1L, 2L}));
    }

    @Test
    void shouldFallBackWhenAResultIsOfAnotherTypeCallingEachElementOnceInOrder() throws Exception {
        List<Object> seen = new ArrayList<>();
        Object[] out = apply(x -> {
            seen.add(x);
            int v = (Integer) x;
            return v == 3 ? "three" : v == 4 ? null : v == 5 ? (Object) 5L : (Object) (v * 10);
        }, new Object[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new Object[] {10, 20, "three", null, 5L, 60}, out);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), seen);
    }

    @Test
    void shouldFallBackWhenTheFirstResultIsNotANumber() throws Exception {
        assertArrayEquals(new Object[] {null, "2", 3}, apply(x -> (Integer) x == 1 ? null : (Integer) x == 2 ? "2" : x,
                new Object[] {1, 2, 3}));
        Object[] strings = apply(String::valueOf, new Object[] {7, 8});
        assertArrayEquals(new Object[] {"7", "8"}, strings);
    }

    @Test
    void shouldPassOnWhatTheFunctionThrows() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> apply(x -> {
            if ((Integer) x == 2) {
                throw boom;
            }
            return x;
        }, new Object[] {1, 2, 3}));
        assertSame(boom, thrown);
    }

    @Test
    void shouldRefuseATruncatedChunk() {
        byte[] in = codec.encode(new Object[] {1, 2, 3});
        assertThrows(SerializationException.class, () -> Packed.applyNumbers(x -> x, in, 0, in.length - 1, codec));
    }
}
