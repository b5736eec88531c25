package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.sharedmem.sync.SharedBarrier;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * The contract of every typed shared value and array across processes: a child JVM that captured the object
 * sees the same memory, and atomics stay atomic when two processes contend. Each generated
 * {@code Shared*IT} (from {@code src/test/templates}) runs it for its class.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class TypedProcessContract {
    private static final int ROUNDS = 5;
    private static final int STEPS = 100_000;

    abstract AsLongs.Maker maker();

    @Test
    void shouldShareItsMemoryWithAChild() throws Exception {
        try (AsLongs a = maker().create()) {
            long n = a.length();
            long[] written = new long[(int) n];
            for (int i = 0; i < n; i++) {
                written[i] = TypedContract.pattern(a, i);
                a.set(i, written[i]);
            }
            long[] seen = a.inChild(attached -> {
                if (attached.object().segment.isCreator()) {
                    throw new IllegalStateException("the child must be an attacher");
                }
                long[] r = new long[(int) attached.length()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = attached.get(i);
                    attached.set(i, TypedContract.other(attached, r[i]));
                }
                return r;
            }).get(Timeouts.LONG);
            assertArrayEquals(written, seen, "what the child read");
            for (int i = 0; i < n; i++) {
                assertEquals(TypedContract.other(a, written[i]), a.get(i), "what the child wrote at " + i);
            }
        }
    }

    @Test
    void shouldCountExactlyWhenTwoProcessesContend() throws Exception {
        try (AsLongs a = maker().create(); SharedBarrier barrier = SharedBarrier.create(2)) {
            long childOwn = a.isArray() ? 1 : -1;            // in element 0's word for sub-word types
            long parentOwn = a.isArray() ? 2 : -1;
            TaskFuture<int[]> child = a.inChild(attached -> {
                int[] sum = new int[Contention.buckets(attached)];
                for (int r = 0; r < ROUNDS; r++) {
                    barrier.await(Timeouts.LONG);                    // go
                    int[] h = Contention.hammer(attached, 0, childOwn, STEPS);
                    for (int b = 0; b < sum.length; b++) {
                        sum[b] += h[b];
                    }
                    barrier.await(Timeouts.LONG);                    // done; the parent checks
                }
                return sum;
            });
            try {
                int[] parentSum = new int[Contention.buckets(a)];
                for (int r = 0; r < ROUNDS; r++) {
                    barrier.await(Timeouts.LONG);
                    int[] h = Contention.hammer(a, 0, parentOwn, STEPS);
                    for (int b = 0; b < parentSum.length; b++) {
                        parentSum[b] += h[b];
                    }
                    barrier.await(Timeouts.LONG);
                    assertEquals(Contention.after(a, 2L * STEPS * (r + 1)), a.get(0), "after round " + r);
                }
                List<int[]> seen = List.of(parentSum, child.get(Timeouts.LONG));
                Contention.assertCounted(a, 0, seen, 2L * STEPS * ROUNDS);
            } catch (Exception | AssertionError e) {
                barrier.abort();                                      // let a waiting child go
                child.cancel(true);
                throw e;
            }
        }
    }
}
