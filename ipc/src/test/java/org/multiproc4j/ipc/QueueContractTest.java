package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Waitable;
import org.multiproc4j.test.LeakCheck;

/**
 * What every kind of shared queue does through the verbs of {@link MessageQueue}, in one JVM (threads as
 * producers and consumers); one small subclass per kind. Cross-process behaviour is in {@code SharedQueueIT}.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class QueueContractTest {

    abstract MessageQueue<Object> create(ChannelOptions options);

    MessageQueue<Object> q;

    @BeforeEach
    void open() {
        q = create(new ChannelOptions());
    }

    @AfterEach
    void shut() {
        q.close();
    }

    @Test
    void shouldTakeWhatWasPutInOrder() throws Exception {
        assertTrue(q.isEmpty());
        for (int i = 0; i < 1000; i++) {
            q.put(i);
        }
        assertFalse(q.isEmpty());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, q.take());
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void shouldCarryValuesOfEveryKind() throws Exception {
        q.put("hello");
        q.put(new int[] {1, 2, 3});
        q.put(List.of("a", "b"));
        q.put(new Object[] {123456789, 3.14159, "hello"});
        assertEquals("hello", q.take());
        assertArrayEquals(new int[] {1, 2, 3}, (int[]) q.take());
        assertEquals(List.of("a", "b"), q.take());
        assertArrayEquals(new Object[] {123456789, 3.14159, "hello"}, (Object[]) q.take());
    }

    @Test
    void shouldTimeOutOnAnEmptyQueue() throws Exception {
        long t0 = System.nanoTime();
        assertNull(q.poll(Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - t0 >= 45_000_000L, "waited the timeout");
        q.put(7);
        assertEquals(7, q.poll(Duration.ofSeconds(1)));
    }

    @Test
    void shouldOfferAndPollWithAndWithoutWaiting() throws Exception {
        assertNull(q.poll());
        assertNull(q.poll(Duration.ZERO));
        assertTrue(q.offer(1));
        assertTrue(q.offer(2, Duration.ofMillis(10)));
        assertTrue(q.offer(3, Duration.ZERO));
        assertEquals(1, q.poll());
        assertEquals(2, q.poll(Duration.ZERO));
        assertEquals(3, q.poll(Duration.ofSeconds(1)));
        assertNull(q.poll());
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.offer(null, Duration.ZERO));
    }

    @Test
    void shouldBeReadyWhenAValueWaitsOrItIsClosed() throws Exception {
        assertFalse(q.isReady());
        assertEquals(List.of(), Waitable.await(List.of(q), Duration.ofMillis(20)));
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(50);
                q.put("ready");
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(List.of(q), Waitable.await(List.of(q), Duration.ofSeconds(10)));
        assertTrue(q.isReady());
        assertTrue(q.isReady(), "looking does not take");
        assertEquals("ready", q.take());
        assertFalse(q.isReady());
        q.close();
        assertTrue(q.isClosed());
        assertTrue(q.isReady(), "a take would throw at once");
    }

    @Test
    void shouldRejectNullAndUnserializableValuesPuttingNothing() throws Exception {
        assertThrows(NullPointerException.class, () -> q.put(null));
        SerializationException e = assertThrows(SerializationException.class, () -> q.put(List.of(new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertTrue(q.isEmpty(), "nothing was put");
    }

    @Test
    void shouldCarryValuesLargerThanTheRing() throws Exception {
        q.close();
        q = create(new ChannelOptions().capacity(64 * 1024));
        byte[] mib = PipeTest.pattern(1 << 20, 9);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                q.put(mib);
                q.put(new long[200_000]);
                q.put("after");
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        assertArrayEquals(mib, (byte[]) q.take());
        assertEquals(200_000, ((long[]) q.take()).length);
        assertEquals("after", q.take());
        producer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldCarryAHundredMebibyteValue() throws Exception {
        byte[] big = PipeTest.pattern(100 << 20, 11);
        CRC32 crc = new CRC32();
        crc.update(big);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                q.put(big);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] got = (byte[]) q.take();
        producer.get(30, TimeUnit.SECONDS);
        CRC32 crc2 = new CRC32();
        crc2.update(got);
        assertEquals(crc.getValue(), crc2.getValue());
    }

    @Test
    void shouldDeliverEveryValueOnceToCompetingThreads() throws Exception {
        int producers = 4;
        int consumers = 4;
        int each = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        try {
            List<Future<List<Integer>>> taken = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                taken.add(pool.submit(() -> {
                    List<Integer> got = new ArrayList<>();
                    while (true) {
                        int v = (Integer) q.take();
                        if (v < 0) {
                            return got;
                        }
                        got.add(v);
                    }
                }));
            }
            List<Future<?>> puts = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * each;
                puts.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        q.put(base + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : puts) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (int c = 0; c < consumers; c++) {
                q.put(-1);
            }
            BitSet seen = new BitSet();
            int total = 0;
            for (Future<List<Integer>> f : taken) {
                for (int v : f.get(30, TimeUnit.SECONDS)) {
                    assertFalse(seen.get(v), "value " + v + " taken twice");
                    seen.set(v);
                    total++;
                }
            }
            assertEquals(producers * each, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldFailOperationsAfterCloseAndWakeBlockedTakers() throws Exception {
        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                q.take();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(50);
        q.close();
        Throwable t = blocked.get(5, TimeUnit.SECONDS);
        assertTrue(t instanceof IllegalStateException, String.valueOf(t));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.put(1));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        q.close(); // harmless
    }
}
