package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/**
 * Several parties (threads or processes) step one shared element at once, each through its own attached
 * object: a numeric element is incremented, a {@code boolean} flipped with an atomic XOR. If every step is
 * atomic, the values the steps returned are exactly 0, 1, 2, ... (each once), whatever the interleaving; a
 * lost or doubled update shows as a value returned twice and another never. Each party keeps a histogram of
 * what its steps returned (modulo the buckets), and the sum of the histograms is checked.
 *
 * <p>A party may also step an element of its own, which no other party writes, between its steps of the
 * shared one: each of those steps must return exactly the previous value. For {@code byte}, {@code short} and
 * {@code char} arrays these elements lie in the same aligned word as the shared one, so an atomic operation
 * that rewrote the whole word without comparing it would be caught here.
 */
final class Contention {

    private Contention() {
    }

    /** How many values the histogram tells apart: the values a step returns are counted modulo this. */
    static int buckets(AsLongs a) {
        return a.elementType() == boolean.class ? 2 : a.elementSize() == 1 ? 256 : 65_536;
    }

    /** The value after {@code k} steps from 0. */
    static long after(AsLongs a, long k) {
        return a.can("numeric") ? a.normalize(k) : k & 1;
    }

    private static long step(AsLongs a, long index) {
        return a.apply(a.can("numeric") ? AsLongs.Op.GET_AND_INCREMENT : AsLongs.Op.GET_AND_BITWISE_XOR, index, 1);
    }

    /**
     * Steps element {@code shared} {@code n} times (and element {@code own} after each, if not negative).
     *
     * @return the histogram of the values the shared steps returned.
     * @throws AssertionError if a step of the own element returned anything but its previous value.
     */
    static int[] hammer(AsLongs a, long shared, long own, int n) {
        int buckets = buckets(a);
        int[] seen = new int[buckets];
        long expectedOwn = own >= 0 ? a.get(own) : 0;
        for (int k = 0; k < n; k++) {
            seen[Math.floorMod(step(a, shared), buckets)]++;
            if (own >= 0) {
                long p = step(a, own);
                if (p != expectedOwn) {
                    throw new AssertionError(a.object().getClass().getSimpleName() + " element " + own
                            + ", written by this party alone, held " + p + " instead of " + expectedOwn + " after " + k
                            + " steps: an atomic update of element " + shared + " reached it");
                }
                expectedOwn = a.can("numeric") ? a.normalize(p + 1) : p ^ 1;
            }
        }
        return seen;
    }

    /** Checks that the parties' steps of element {@code shared}, {@code total} in all from 0, were atomic. */
    static void assertCounted(AsLongs a, long shared, List<int[]> seen, long total) {
        int buckets = buckets(a);
        int[] expected = new int[buckets];
        for (long k = 0; k < total; k++) {
            expected[Math.floorMod(after(a, k), buckets)]++;
        }
        int[] sum = new int[buckets];
        for (int[] h : seen) {
            for (int b = 0; b < buckets; b++) {
                sum[b] += h[b];
            }
        }
        assertEquals(after(a, total), a.get(shared), "the shared element after " + total + " steps");
        assertArrayEquals(expected, sum, "the values the steps returned: each exactly once");
    }
}
