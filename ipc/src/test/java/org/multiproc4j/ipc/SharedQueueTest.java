package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

/** The {@code BlockingQueue} surface of {@link SharedQueue} and the joinable queue's counting, in one JVM. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedQueueTest {

    @Test
    void shouldBoundABoundedQueue() throws Exception {
        try (SharedQueue<Integer> q = SharedQueue.create(2)) {
            assertEquals(2, q.maxSize());
            assertEquals(2, q.remainingCapacity());
            assertTrue(q.offer(1));
            assertTrue(q.add(2));
            assertEquals(0, q.remainingCapacity());
            assertFalse(q.offer(3), "full");
            IllegalStateException full = assertThrows(IllegalStateException.class, () -> q.add(3));
            assertTrue(full.getMessage().contains("full"), full.getMessage());
            assertFalse(q.offer(3, 30, TimeUnit.MILLISECONDS));
            CompletableFuture<Void> putter = CompletableFuture.runAsync(() -> {
                try {
                    q.put(3);
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(50);
            assertFalse(putter.isDone(), "put waits while the queue is full");
            assertEquals(1, q.take());
            putter.get(5, TimeUnit.SECONDS);
            assertEquals(2, q.size());
            assertEquals(2, q.take());
            assertEquals(3, q.take());
        }
    }

    @Test
    void shouldReportSizeAndOfferPollWithoutWaiting() throws Exception {
        try (SharedQueue<String> q = SharedQueue.create()) {
            assertEquals(Integer.MAX_VALUE, q.remainingCapacity());
            assertNull(q.poll());
            assertNull(q.peek());
            assertThrows(java.util.NoSuchElementException.class, q::element);
            assertTrue(q.offer("a"));
            q.put("b");
            assertEquals(2, q.size());
            assertEquals("a", q.peek());
            assertEquals("a", q.element());
            assertEquals(List.of("a", "b"), new ArrayList<>(q), "the iterator is a snapshot, head first");
            assertTrue(q.contains("b"));
            assertThrows(UnsupportedOperationException.class, () -> q.remove("b"));
            assertEquals("a", q.poll());
            assertEquals("b", q.poll(1, TimeUnit.SECONDS));
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void shouldDrainWhatIsThere() throws Exception {
        try (SharedQueue<Integer> q = SharedQueue.create()) {
            for (int i = 0; i < 10; i++) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            assertEquals(3, q.drainTo(out, 3));
            assertEquals(7, q.drainTo(out));
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), out);
            assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
            q.put(1);
            q.clear();
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void shouldJoinWhenEveryTaskIsDone() throws Exception {
        try (JoinableSharedQueue<String> q = JoinableSharedQueue.create()) {
            assertTrue(q.join(Duration.ZERO), "nothing put: nothing to wait for");
            q.put("a");
            q.put("b");
            assertEquals(2, q.unfinishedTasks());
            assertFalse(q.join(Duration.ofMillis(20)));
            CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 2; i++) {
                        q.take();
                        Thread.sleep(20);
                        q.taskDone();
                    }
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            q.join();
            assertEquals(0, q.unfinishedTasks());
            worker.get(5, TimeUnit.SECONDS);
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(e.getMessage().contains("taskDone() called more times than values were put"), e.getMessage());
            assertTrue(e.getMessage().contains("(2 put, 2 already done)"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseABadBound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedQueue.create(0));
        assertTrue(e.getMessage().contains("maxSize must be at least 1, got 0"), e.getMessage());
    }
}
