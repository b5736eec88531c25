package org.multiproc4j.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.test.LeakCheck;

/**
 * A producer or consumer that dies at each instant of the queue protocol (simulated: the thread stops there and
 * leaves the shared lock held by a process that does not exist, as {@code kill -9} would): the queue is never
 * wedged, never delivers a torn value, loses at most the one value being taken, and keeps its size exact.
 * {@code QueueFaultIT} does the same with real processes and {@code kill -9}.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueCrashTest {
    private static final int RING = 8192; // max record payload 1016 bytes
    private static final long SOON = 5_000_000_000L;

    private QueueCore q;

    @AfterEach
    void disarm() {
        CrashPoints.disarm();
        if (q != null) {
            q.close();
        }
    }

    private static byte[] value(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    private Object takeSoon() throws InterruptedException {
        Object v = q.take(System.nanoTime() + SOON);
        assertTrue(v != QueueCore.NOTHING, "a value within 5 s: the queue is not wedged");
        return v;
    }

    /** Places the tail so that a record of {@code length} payload bytes must wrap (needs padding). */
    private void moveTailNearEnd(int length) throws InterruptedException {
        int filler = 200;
        while (true) {
            long tail = q.ring().tail();
            int toEnd = RING - (int) (tail & (RING - 1));
            int need = QueueRing.aligned(length + 8 + 5) + 8;
            if (toEnd < need && toEnd > 16) {
                return;
            }
            int size = Math.min(filler, Math.max(1, toEnd - need + 8 - 8 - 5 - 1));
            q.put(value(size, 1), Long.MAX_VALUE);
            q.take(Long.MAX_VALUE);
        }
    }

    static Stream<Arguments> producerPoints() {
        List<Arguments> a = new ArrayList<>();
        int[] single = {CrashPoints.P_MSG_TAIL, CrashPoints.P_MSG_FRAG_CLEARED, CrashPoints.P_STAGE,
            CrashPoints.P_FRAG_CLEARED, CrashPoints.P_FRAG_META, CrashPoints.P_FRAG_TAIL, CrashPoints.R_NEXT_ZEROED,
            CrashPoints.R_TAIL, CrashPoints.P_COPIED, CrashPoints.R_TYPE, CrashPoints.R_COMMITTED, CrashPoints.P_DONE};
        for (String shape : new String[] {"single", "wrapping", "fragmented"}) {
            for (boolean repairByConsumer : new boolean[] {true, false}) {
                for (int p : single) {
                    a.add(Arguments.of(shape, p, 1, repairByConsumer));
                }
                if (shape.equals("wrapping")) {
                    for (int p : new int[] {CrashPoints.R_WRAP_ZEROED, CrashPoints.R_PADDING_TYPE, CrashPoints.R_PADDING}) {
                        a.add(Arguments.of(shape, p, 1, repairByConsumer));
                    }
                }
                if (shape.equals("fragmented")) {
                    for (int p : new int[] {CrashPoints.P_BEGIN_TOTAL, CrashPoints.P_FRAG_TAIL, CrashPoints.R_TAIL,
                        CrashPoints.P_COPIED, CrashPoints.R_COMMITTED, CrashPoints.P_MSG_FRAG_CLEARED,
                        CrashPoints.P_STAGE}) {
                        a.add(Arguments.of(shape, p, p == CrashPoints.P_BEGIN_TOTAL ? 1 : 2, repairByConsumer));
                    }
                    for (int p : new int[] {CrashPoints.P_FRAG_TAIL, CrashPoints.R_TAIL, CrashPoints.R_COMMITTED}) {
                        a.add(Arguments.of(shape, p, 3, repairByConsumer));
                    }
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} value, producer dies at point {1} (occurrence {2}), repaired by consumer: {3}")
    @MethodSource("producerPoints")
    void shouldRepairAProducerThatDiedAnywhere(String shape, int point, int occurrence, boolean repairByConsumer)
            throws Exception {
        q = QueueCore.create(QueueDescriptor.KIND_QUEUE, RING, 0, new ChannelOptions());
        int xLength = shape.equals("fragmented") ? 2500 : 100;
        if (shape.equals("wrapping")) {
            moveTailNearEnd(xLength);
        }
        q.put("before", Long.MAX_VALUE);
        byte[] x = value(xLength, 3);
        CrashPoints.arm(point, occurrence);
        assertThrows(CrashPoints.SimulatedDeath.class, () -> q.put(x, Long.MAX_VALUE), "died at " + point);
        boolean complete = point == CrashPoints.P_DONE
                || (point == CrashPoints.R_COMMITTED && (!shape.equals("fragmented") || occurrence == 3));
        List<Object> got = new ArrayList<>();
        if (repairByConsumer) {
            got.add(takeSoon()); // "before"
            if (complete) {
                got.add(takeSoon());
            }
            q.put("after", Long.MAX_VALUE);
        } else {
            q.put("after", Long.MAX_VALUE); // the next producer takes the lock over and repairs
            got.add(takeSoon());
            if (complete) {
                got.add(takeSoon());
            }
        }
        got.add(takeSoon());
        assertEquals("before", got.get(0));
        if (complete) {
            assertArrayEquals(x, (byte[]) got.get(1), "a value committed before the death is delivered whole");
        }
        assertEquals("after", got.get(got.size() - 1), "nothing torn in between: " + got);
        assertEquals(0, q.size(), "size stays exact");
        assertEquals(QueueCore.NOTHING, q.take(System.nanoTime() + 20_000_000L));
    }

    static Stream<Arguments> consumerPoints() {
        return Stream.of(
                Arguments.of("single", CrashPoints.C_READ, 1, false),
                Arguments.of("single", CrashPoints.C_END_HEAD, 1, false),
                Arguments.of("single", CrashPoints.C_FINISHING, 1, true),
                Arguments.of("single", CrashPoints.C_HEAD, 1, true),
                Arguments.of("single", CrashPoints.C_DONE, 1, true),
                Arguments.of("fragmented", CrashPoints.C_MSG_HEAD, 1, false),
                Arguments.of("fragmented", CrashPoints.C_TAKING, 1, false),
                Arguments.of("fragmented", CrashPoints.C_FRAGMENT, 1, true),
                Arguments.of("fragmented", CrashPoints.C_FRAGMENT, 2, true),
                Arguments.of("fragmented", CrashPoints.C_END_HEAD, 1, true),
                Arguments.of("fragmented", CrashPoints.C_FINISHING, 1, true),
                Arguments.of("fragmented", CrashPoints.C_HEAD, 1, true));
    }

    @ParameterizedTest(name = "{0} value, consumer dies at point {1} (occurrence {2}), value lost: {3}")
    @MethodSource("consumerPoints")
    void shouldLoseAtMostTheValueADeadConsumerWasTaking(String shape, int point, int occurrence, boolean lost)
            throws Exception {
        q = QueueCore.create(QueueDescriptor.KIND_QUEUE, RING, 0, new ChannelOptions());
        byte[] x = value(shape.equals("fragmented") ? 2500 : 100, 5);
        q.put(x, Long.MAX_VALUE);
        q.put("after", Long.MAX_VALUE);
        assertEquals(2, q.size());
        CrashPoints.arm(point, occurrence);
        assertThrows(CrashPoints.SimulatedDeath.class, () -> q.take(Long.MAX_VALUE));
        Object next = takeSoon(); // takes the consumer lock over from the dead consumer
        if (lost) {
            assertEquals("after", next, "the one value the dead consumer took is lost, nothing else");
        } else {
            assertArrayEquals(x, (byte[]) next, "the dead consumer had passed nothing: the value is taken again");
            assertEquals("after", takeSoon());
        }
        assertEquals(0, q.size(), "size stays exact");
    }
}
