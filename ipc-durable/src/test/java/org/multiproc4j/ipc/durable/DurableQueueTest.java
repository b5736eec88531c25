package org.multiproc4j.ipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Waitable;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.ipc.MessageQueue;
import org.multiproc4j.ipc.durable.internal.DurableLogProbe;
import org.multiproc4j.ipc.durable.internal.QueueDescriptor;
import org.multiproc4j.test.OptionsStyle;
import org.multiproc4j.test.Timeouts;

/** The durable queue in one JVM: several queue objects on one directory compete as processes would. */
@Timeout(120)
class DurableQueueTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    private <E> DurableQueue<E> open() throws IOException {
        return open(new DurableQueue.Options());
    }

    private <E> DurableQueue<E> open(DurableQueue.Options options) throws IOException {
        DurableQueue<E> q = DurableQueue.open(dir.resolve("q"), options);
        open.add(q);
        return q;
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void shouldShareTheQueueVerbsOfMessageQueueAndBeAwaited() throws Exception {
        DurableQueue<String> producer = open();
        MessageQueue<String> q = open();
        assertFalse(q.isReady());
        assertEquals(List.of(), Waitable.await(List.of(q), Duration.ofMillis(20)));
        Future<?> put = pool.submit(() -> {
            Thread.sleep(50);
            producer.put("one");
            return null;
        });
        assertEquals(List.of(q), Waitable.await(List.of(q), Timeouts.MEDIUM));
        put.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS);
        assertTrue(q.isReady(), "looking does not consume");
        assertEquals("one", q.take());
        assertFalse(q.isReady());
        assertTrue(q.offer("two"), "a durable queue is never full");
        assertTrue(q.offer("three", Duration.ZERO));
        assertEquals("two", q.poll());
        assertEquals("three", q.poll(Duration.ZERO));
        assertNull(q.poll());
        assertNull(q.poll(Duration.ofMillis(10)));
        assertTrue(q.isEmpty());
        producer.put("delivered");
        Delivery<String> d = ((DurableQueue<String>) q).receive(Timeouts.MEDIUM);
        assertFalse(q.isReady(), "a message delivered and not acknowledged cannot be taken");
        assertFalse(q.isEmpty(), "but it is not consumed yet");
        d.ack();
        assertThrows(NullPointerException.class, () -> q.put(null));
        q.close();
        assertTrue(q.isClosed());
        assertTrue(q.isReady(), "a take would throw at once");
        assertThrows(IllegalStateException.class, q::take);
    }

    /**
     * A producer killed while Chronicle creates a cycle file leaves the file's first header incomplete: Chronicle
     * makes readers wait for it in vain (about two seconds each time), then the next producer renames the file
     * {@code *.discard} and starts the cycle anew. A consumer that had looked at the queue meanwhile must still
     * read every message at full speed, not only the one per recovery interval that its sweep finds.
     */
    @Test
    void shouldReadAtFullSpeedAfterAProducerDiedCreatingTheCycleFile() throws Exception {
        Path q = dir.resolve("q");
        Files.createDirectories(q);
        CycleFiles.plantIncompleteHeader(q);
        DurableQueue<Integer> consumer = open(new DurableQueue.Options().recoveryInterval(Duration.ofMillis(50)));
        DurableQueue<Integer> producer = open();
        assertNull(consumer.poll(), "nothing to read in a cycle file whose header is not written");
        int n = 1000;
        for (int i = 0; i < n; i++) {
            producer.append(i);
        }
        try (Stream<Path> files = Files.list(q)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".discard")),
                    "Chronicle set the unreadable cycle file aside");
        }
        long start = System.nanoTime();
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Integer m = consumer.poll(Timeouts.MEDIUM);
            assertNotNull(m, "message " + i + " of " + n + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
            assertTrue(got.add(m), "taken twice: " + m);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        // one message per 50 ms sweep would take 50 s
        assertTrue(ms < 5_000, n + " messages took " + ms + " ms");
        assertNull(consumer.poll());
    }

    @Test
    void shouldTakeWhatWasAppendedInOrder() throws Exception {
        DurableQueue<String> q = open();
        assertNull(q.poll());
        long first = q.append("one");
        long second = q.append("two");
        assertTrue(second > first, "indexes increase");
        q.append("three");
        assertEquals(3, q.size());
        assertEquals("one", q.take());
        assertEquals("two", q.poll());
        assertEquals("three", q.poll(Timeouts.SHORT));
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        long start = System.nanoTime();
        assertNull(q.poll(Duration.ofMillis(100)));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 95);
    }

    @Test
    void shouldKeepMessagesAndConsumptionAcrossReopening() throws Exception {
        DurableQueue<Integer> q = open();
        for (int i = 0; i < 10; i++) {
            q.append(i);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(i, q.take());
        }
        q.close();
        q.close();
        assertThrows(IllegalStateException.class, () -> q.append(99));
        assertThrows(IllegalStateException.class, q::poll);

        DurableQueue<Integer> again = open();
        assertEquals(6, again.size());
        for (int i = 4; i < 10; i++) {
            assertEquals(i, again.take());
        }
        assertNull(again.poll());
        List<Integer> all = new ArrayList<>();
        assertEquals(10, again.replay(all::add));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), all, "replay shows consumed messages too");
    }

    @Test
    void shouldGiveEachMessageToOneOfSeveralCompetingConsumers() throws Exception {
        int consumers = 3;
        int messages = 20_000;
        DurableQueue<Integer> producer = open();
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            DurableQueue<Integer> q = open();
            results.add(pool.submit(() -> {
                List<Integer> got = new ArrayList<>();
                while (true) {
                    Integer v = q.take();
                    if (v < 0) {
                        return got;
                    }
                    got.add(v);
                }
            }));
        }
        for (int i = 0; i < messages; i++) {
            producer.append(i);
        }
        for (int c = 0; c < consumers; c++) {
            producer.append(-1);
        }
        List<Integer> all = new ArrayList<>();
        for (Future<List<Integer>> f : results) {
            List<Integer> got = f.get(Timeouts.LONG.toSeconds(), TimeUnit.SECONDS);
            for (int k = 1; k < got.size(); k++) {
                assertTrue(got.get(k) > got.get(k - 1), "one consumer sees messages in append order");
            }
            all.addAll(got);
        }
        assertEquals(messages, all.size(), "nothing lost or duplicated");
        assertEquals(messages, new HashSet<>(all).size(), "no duplicate");
        assertTrue(producer.isEmpty());
    }

    @Test
    void shouldConsumeADeliveryOnlyWhenAcknowledged() throws Exception {
        DurableQueue<String> a = open();
        DurableQueue<String> b = open(new DurableQueue.Options().recoveryInterval(Duration.ofMillis(10)));
        a.append("job 1");
        a.append("job 2");

        Delivery<String> d1 = a.receive();
        assertEquals("job 1", d1.value());
        assertFalse(d1.redelivered());
        assertEquals(2, a.size(), "a delivered message is not consumed yet");
        d1.ack();
        assertEquals(1, a.size());
        IllegalStateException twice = assertThrows(IllegalStateException.class, d1::ack);
        assertTrue(twice.getMessage().contains("already acknowledged or released"), twice.getMessage());

        Delivery<String> d2 = a.receive(Timeouts.SHORT);
        assertEquals("job 2", d2.value());
        assertNull(b.receive(Duration.ofMillis(50)), "a message delivered to a live consumer is not redelivered");
        d2.release();
        Delivery<String> again = b.receive(Timeouts.SHORT);
        assertNotNull(again, "a released message is delivered again");
        assertEquals("job 2", again.value());
        assertTrue(again.redelivered());
        try (again) {
            assertEquals(1, b.size());
        }
        // closed without ack: released
        Delivery<String> third = b.receive(Timeouts.SHORT);
        assertEquals("job 2", third.value());
        third.ack();
        assertTrue(a.isEmpty());
    }

    @Test
    void shouldRedeliverWhatAClosedConsumerHadNotAcknowledged() throws Exception {
        DurableQueue<String> a = open();
        DurableQueue<String> b = open(new DurableQueue.Options().recoveryInterval(Duration.ofMillis(10)));
        a.append("work");
        Delivery<String> held = a.receive();
        long index = held.index();
        long marker = DurableLogProbe.marker(a, index);
        assertTrue(QueueDescriptor.isClaimed(marker), QueueDescriptor.describe(marker));
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, held::ack);
        assertTrue(e.getMessage().contains("is no longer held"), e.getMessage());
        Delivery<String> got = b.receive(Timeouts.MEDIUM);
        assertNotNull(got, "the message of a consumer that closed without ack is redelivered");
        assertEquals(index, got.index());
        assertTrue(got.redelivered());
        got.ack();
        assertTrue(QueueDescriptor.isDone(DurableLogProbe.marker(b, index)));
        assertNull(b.poll());
    }

    @Test
    void shouldRefuseBadInputAndSayWhy() throws Exception {
        DurableQueue<Object> q = open();
        assertThrows(NullPointerException.class, () -> q.append(null));
        SerializationException notSerializable = assertThrows(SerializationException.class, () -> q.append(new Object()));
        assertTrue(notSerializable.getMessage().contains("java.lang.Object"), notSerializable.getMessage());
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> q.append(new byte[DurableQueue.MAX_MESSAGE_SIZE]));
        assertTrue(tooBig.getMessage().contains("more than the maximum of " + DurableQueue.MAX_MESSAGE_SIZE
                + " bytes; nothing was appended"), tooBig.getMessage());
        assertEquals(0, q.size(), "nothing was appended by the refused calls");
        q.append(new byte[1 << 20]);
        assertEquals(1 << 20, ((byte[]) q.take()).length);

        IllegalArgumentException roll = assertThrows(IllegalArgumentException.class,
                () -> new DurableQueue.Options().rollPeriod(Duration.ofMinutes(7)));
        assertTrue(roll.getMessage().startsWith("rollPeriod must be one of [PT1S, PT1M"), roll.getMessage());
        assertTrue(roll.getMessage().endsWith("], got PT7M"), roll.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DurableQueue.Options().maxPause(Duration.ZERO));
    }

    @Test
    void shouldFollowTheOptionsStyle() {
        OptionsStyle.check(DurableQueue.Options.class, new DurableQueue.Options().rollPeriod(Duration.ofHours(1))
                .maxPause(Duration.ofMillis(5)).recoveryInterval(Duration.ofSeconds(2)).codec(Codecs.fast()));
    }

    @Test
    void shouldCopyOptionsAndTellTheirSettings() throws Exception {
        DurableQueue.Options defaults = new DurableQueue.Options();
        assertEquals(Duration.ofDays(1), defaults.rollPeriod());
        assertEquals(DurableQueue.Options.DEFAULT_MAX_PAUSE, defaults.maxPause());
        assertEquals(DurableQueue.Options.DEFAULT_RECOVERY_INTERVAL, defaults.recoveryInterval());
        assertNotNull(defaults.codec());

        DurableQueue.Options set = new DurableQueue.Options().rollPeriod(Duration.ofHours(1))
                .maxPause(Duration.ofMillis(5)).recoveryInterval(Duration.ofSeconds(2)).codec(Codecs.fast());
        DurableQueue.Options copy = new DurableQueue.Options(set);
        set.maxPause(Duration.ofMillis(9));
        assertEquals(Duration.ofHours(1), copy.rollPeriod());
        assertEquals(Duration.ofMillis(5), copy.maxPause(), "a copy does not follow its original");
        assertEquals(Duration.ofSeconds(2), copy.recoveryInterval());
        assertEquals(set.codec(), copy.codec());

        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new DurableQueue.Options().recoveryInterval(Duration.ofMillis(-1)));
        assertEquals("recoveryInterval must be positive, got PT-0.001S", negative.getMessage());
        NullPointerException none = assertThrows(NullPointerException.class,
                () -> new DurableQueue.Options().maxPause(null));
        assertEquals("maxPause", none.getMessage());
    }

    @Test
    void shouldConsumeButReportAMessageTheFilterRefuses() throws Exception {
        DurableQueue<Object> writer = open();
        DurableQueue<Object> strict = open(new DurableQueue.Options().codec(Codecs.jdk("java.lang.String;!*")));
        long index = writer.append(new ArrayList<>(List.of(1)));
        writer.append("fine");
        SerializationException e = assertThrows(SerializationException.class, strict::take);
        assertTrue(e.getMessage().contains("message " + Long.toHexString(index))
                && e.getMessage().contains("java.util.ArrayList"), e.getMessage());
        assertEquals("fine", strict.take(), "the refused message was consumed, the next one is served");
    }

    @Test
    void shouldStopWaitingWhenInterruptedOrClosed() throws Exception {
        DurableQueue<String> q = open();
        Future<String> interrupted = pool.submit(q::take);
        Thread.sleep(100);
        interrupted.cancel(true);
        assertThrows(java.util.concurrent.CancellationException.class, interrupted::get);
        Future<String> closed = pool.submit(q::take);
        Thread.sleep(100);
        q.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> closed.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("is closed"), e.getCause().getMessage());
    }

    @Test
    void shouldDeleteOnlyCyclesWhoseMessagesAreAllConsumed() throws Exception {
        DurableQueue.Options secondly = new DurableQueue.Options().rollPeriod(Duration.ofSeconds(1));
        DurableQueue<String> q = open(secondly);
        q.append("old 1");
        q.append("old 2");
        awaitNextSecond();
        q.append("middle");
        awaitNextSecond();
        q.append("new");
        assertEquals(3, cycleFiles().size(), cycleFiles().toString());
        assertEquals(0, q.deleteConsumedCycles(), "nothing is consumed yet");

        assertEquals("old 1", q.take());
        assertEquals(0, q.deleteConsumedCycles(), "a cycle with a message not consumed is kept");
        assertEquals("old 2", q.take());
        assertEquals(1, q.deleteConsumedCycles());
        assertEquals(2, cycleFiles().size());
        assertEquals("middle", q.take());
        assertEquals("new", q.take());
        assertEquals(1, q.deleteConsumedCycles(), "the last cycle is kept: it may still be written");
        List<String> left = new ArrayList<>();
        q.replay(left::add);
        assertEquals(List.of("new"), left);
        try (Stream<Path> marks = Files.list(dir.resolve("q").resolve(QueueDescriptor.MARKS_DIR))) {
            assertEquals(1, marks.count(), "markers of deleted cycles are deleted too");
        }

        q.append("after");
        DurableQueue<String> other = open(secondly);
        assertEquals("after", other.take(), "a queue opened after the deletion starts at the first cycle left");
        List<String> replayed = Collections.synchronizedList(new ArrayList<>());
        other.replay(replayed::add);
        assertEquals(List.of("new", "after"), replayed);
    }

    private List<Path> cycleFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("q"))) {
            return s.filter(p -> p.toString().endsWith(".cq4")).sorted().collect(Collectors.toList());
        }
    }

    private static void awaitNextSecond() throws InterruptedException {
        long now = System.currentTimeMillis();
        Thread.sleep(1000 - now % 1000 + 20);
    }

    @Test
    void shouldUseTheCodecOfItsOptions() throws Exception {
        DurableQueue<Object> q = open(new DurableQueue.Options().codec(Codecs.fast()));
        q.append(List.of(1, 2, 3));
        q.append(new long[] {4, 5});
        assertEquals(List.of(1, 2, 3), q.take());
        assertEquals(5L, ((long[]) q.take())[1]);
    }

    @Test
    void shouldCountWithoutConsuming() throws Exception {
        DurableQueue<Integer> q = open();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            q.append(i);
        }
        for (int i = 0; i < 50; i++) {
            seen.add(q.take());
        }
        assertEquals(50, q.size());
        assertEquals(50, q.size(), "size consumes nothing");
        assertEquals(100, q.replay(v -> { }));
        assertEquals(50, seen.size());
    }
}
