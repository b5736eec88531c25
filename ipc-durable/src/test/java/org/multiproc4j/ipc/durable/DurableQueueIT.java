package org.multiproc4j.ipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.durable.internal.ClaimFile;
import org.multiproc4j.ipc.durable.internal.DurableLogProbe;
import org.multiproc4j.ipc.durable.internal.QueueDescriptor;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Producers and consumers in child JVMs, some of them killed with SIGKILL at random points and restarted: what
 * was appended is consumed exactly once, and the only messages a killed consumer loses are those it had
 * taken (as the documentation says), which the queue's markers show it consumed.
 */
@ExtendWith(LeakCheck.class)
@Timeout(300)
class DurableQueueIT {
    static final int PRODUCERS = 2;
    static final int CONSUMERS = 3;

    @TempDir
    Path dir;

    /** A message: who produced it, its number, and a check of both (a torn message would fail it). */
    record Msg(int producer, long seq, long check) implements Serializable {
        static Msg of(int producer, long seq) {
            return new Msg(producer, seq, mix(producer, seq));
        }

        static Msg pill() {
            return new Msg(-1, -1, mix(-1, -1));
        }

        boolean valid() {
            return check == mix(producer, seq);
        }

        static long mix(int producer, long seq) {
            long h = seq * 0x9E3779B97F4A7C15L + producer;
            return h ^ (h >>> 29);
        }
    }

    /**
     * A producer: appends messages {@code 0..total-1} of producer {@code id}, starting after the last one it
     * appended in an earlier life (found by replay: appends are atomic, so what one producer appended is always
     * a prefix).
     */
    static long produce(DurableQueue<Msg> q, int id, long total) {
        long[] next = {0};
        q.replay(m -> {
            if (m.producer() == id) {
                next[0] = Math.max(next[0], m.seq() + 1);
            }
        });
        for (long s = next[0]; s < total; s++) {
            q.append(Msg.of(id, s));
        }
        return total - next[0];
    }

    /**
     * A consumer: writes its session ("S slot epoch"), then one line per message ("M index producer seq
     * valid redelivered") right after taking it (take) or before acknowledging it (receive), until a pill.
     */
    static long consume(DurableQueue<Msg> q, String record, boolean ack) throws Exception {
        long n = 0;
        try (FileChannel out = FileChannel.open(Path.of(record), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ClaimFile.Session session = DurableLogProbe.session(q);
            write(out, "S " + session.slot() + " " + session.epoch() + "\n");
            while (true) {
                if (ack) {
                    Delivery<Msg> d = q.receive();
                    Msg m = d.value();
                    if (m.producer() < 0) {
                        d.ack();
                        return n;
                    }
                    work();
                    write(out, "M " + d.index() + " " + m.producer() + " " + m.seq() + " " + m.valid() + " "
                            + d.redelivered() + "\n");
                    work();
                    d.ack();
                } else {
                    Msg m = q.take();
                    if (m.producer() < 0) {
                        return n;
                    }
                    work();
                    write(out, "M 0 " + m.producer() + " " + m.seq() + " " + m.valid() + " false\n");
                }
                n++;
            }
        }
    }

    /** Some processing of a message (20 µs): it widens the windows where a kill loses or repeats work. */
    private static void work() {
        long end = System.nanoTime() + 20_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static void write(FileChannel out, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** What one consumer's record file says. */
    record Record(Path file, long slot, long epoch, List<String[]> lines) {
        static Record read(Path file) throws IOException {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            long slot = -1;
            long epoch = -1;
            List<String[]> lines = new ArrayList<>();
            int end = text.lastIndexOf('\n');
            for (String line : text.substring(0, end + 1).split("\n")) {
                String[] f = line.split(" ");
                if (f[0].equals("S")) {
                    slot = Long.parseLong(f[1]);
                    epoch = Long.parseLong(f[2]);
                } else if (f[0].equals("M")) {
                    lines.add(f);
                }
            }
            return new Record(file, slot, epoch, lines);
        }
    }

    /** The processes of one run, and the ones killed. */
    final class Run {
        final DurableQueue<Msg> queue;
        final long perProducer;
        final boolean ack;
        final Map<Integer, TaskFuture<Long>> producers = new HashMap<>();
        final Map<Integer, TaskFuture<Long>> consumers = new HashMap<>();
        final Map<Integer, Path> consumerRecords = new HashMap<>();
        final Set<Path> killedRecords = new HashSet<>();
        final List<JvmProcess> all = new ArrayList<>();
        int records;
        int producerKills;
        int consumerKills;

        Run(DurableQueue<Msg> queue, long perProducer, boolean ack) {
            this.queue = queue;
            this.perProducer = perProducer;
            this.ack = ack;
        }

        void startProducer(int id) {
            DurableQueue<Msg> q = queue;
            long total = perProducer;
            TaskFuture<Long> f = JvmProcess.call(() -> produce(q, id, total), options("producer-" + id));
            producers.put(id, f);
            all.add(f.process());
        }

        void startConsumer(int id) {
            DurableQueue<Msg> q = queue;
            Path file = dir.resolve("record-" + (records++) + ".txt");
            String record = file.toString();
            boolean a = ack;
            TaskFuture<Long> f = JvmProcess.call(() -> consume(q, record, a), options("consumer-" + id));
            consumers.put(id, f);
            consumerRecords.put(id, file);
            all.add(f.process());
        }

        private JvmProcess.Options options(String name) {
            return new JvmProcess.Options().name(name).daemon(true);
        }

        void killProducer(int id) throws InterruptedException {
            JvmProcess p = producers.get(id).process();
            if (p.isAlive()) {
                p.kill();
                assertTrue(p.join(Timeouts.MEDIUM));
                if (p.signal().isPresent()) {
                    producerKills++;
                }
                startProducer(id);
            }
        }

        void killConsumer(int id) throws InterruptedException {
            JvmProcess p = consumers.get(id).process();
            if (p.isAlive()) {
                p.kill();
                assertTrue(p.join(Timeouts.MEDIUM));
                if (p.signal().isPresent()) {
                    consumerKills++;
                    killedRecords.add(consumerRecords.get(id));
                }
                startConsumer(id);
            }
        }

        void finish() throws Exception {
            for (TaskFuture<Long> f : producers.values()) {
                f.get(Timeouts.LONG);
            }
            for (int c = 0; c < CONSUMERS; c++) {
                queue.append(Msg.pill());
            }
            for (TaskFuture<Long> f : consumers.values()) {
                f.get(Timeouts.LONG);
            }
        }

        void closeAll() {
            for (JvmProcess p : all) {
                p.close();
            }
        }
    }

    private <E> DurableQueue<E> openQueue() throws IOException {
        return DurableQueue.open(dir.resolve("queue"),
                new DurableQueue.Options().recoveryInterval(Duration.ofMillis(50)));
    }

    @Test
    void shouldConsumeEveryMessageExactlyOnceAcrossConsumerProcesses() throws Exception {
        try (DurableQueue<Msg> queue = openQueue()) {
            Run run = new Run(queue, 10_000, false);
            try {
                for (int c = 0; c < CONSUMERS; c++) {
                    run.startConsumer(c);
                }
                for (int p = 0; p < PRODUCERS; p++) {
                    run.startProducer(p);
                }
                run.finish();
                long[] perConsumer = new long[CONSUMERS];
                for (int c = 0; c < CONSUMERS; c++) {
                    perConsumer[c] = run.consumers.get(c).get(Timeouts.SHORT);
                }
                verify(run);
                long total = 0;
                for (long n : perConsumer) {
                    total += n;
                }
                assertEquals(PRODUCERS * 10_000L, total, "messages taken, per consumer: " + java.util.Arrays.toString(perConsumer));
            } finally {
                run.closeAll();
            }
        }
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenProducersAndConsumersAreKilledAndRestarted() throws Exception {
        killAndRestart(false);
    }

    @Test
    void shouldRedeliverWhatKilledConsumersHadNotAcknowledged() throws Exception {
        killAndRestart(true);
    }

    private void killAndRestart(boolean ack) throws Exception {
        Random random = new Random();
        try (DurableQueue<Msg> queue = openQueue()) {
            Run run = new Run(queue, 15_000, ack);
            try {
                for (int c = 0; c < CONSUMERS; c++) {
                    run.startConsumer(c);
                }
                for (int p = 0; p < PRODUCERS; p++) {
                    run.startProducer(p);
                }
                for (int round = 0; round < 3; round++) {
                    Thread.sleep(700 + random.nextInt(600));
                    run.killProducer(random.nextInt(PRODUCERS));
                    run.killConsumer(random.nextInt(CONSUMERS));
                }
                // then everything at once, and a restart of all
                Thread.sleep(500 + random.nextInt(500));
                for (int p = 0; p < PRODUCERS; p++) {
                    run.killProducer(p);
                }
                for (int c = 0; c < CONSUMERS; c++) {
                    run.killConsumer(c);
                }
                run.finish();
                verify(run);
                assertTrue(run.consumerKills >= 1, "no consumer was killed while running");
                System.out.println("durable queue kill test (" + (ack ? "receive/ack" : "take") + "): "
                        + run.producerKills + " producers and " + run.consumerKills + " consumers killed");
            } finally {
                run.closeAll();
            }
        }
    }

    @Test
    void shouldRedeliverTheMessageOfAConsumerKilledBeforeItsAck() throws Exception {
        try (DurableQueue<String> q = openQueue();
             DurableQueue<String> signals = DurableQueue.open(dir.resolve("signals"))) {
            long index = q.append("job");
            try (JvmProcess child = JvmProcess.call(() -> {
                Delivery<String> d = q.receive();
                signals.append("holding " + d.value());
                Thread.sleep(60_000);
                return d.value();
            }).process()) {
                assertEquals("holding job", signals.poll(Timeouts.LONG));
                long marker = DurableLogProbe.marker(q, index);
                assertTrue(QueueDescriptor.isClaimed(marker), QueueDescriptor.describe(marker));
                assertEquals(null, q.receive(Duration.ofMillis(300)), "not redelivered while its consumer lives");
                child.kill();
                assertTrue(child.join(Timeouts.MEDIUM));
                Delivery<String> again = q.receive(Timeouts.MEDIUM);
                assertTrue(again != null && again.redelivered(), "redelivered after its consumer was killed: " + again);
                assertEquals("job", again.value());
                assertEquals(index, again.index());
                again.ack();
                assertTrue(QueueDescriptor.isDone(DurableLogProbe.marker(q, index)));
                assertEquals(0, q.size());
            }
        }
    }

    @Test
    void shouldCountATakenMessageAsConsumedEvenIfItsConsumerIsKilledAfterwards() throws Exception {
        try (DurableQueue<String> q = openQueue();
             DurableQueue<String> signals = DurableQueue.open(dir.resolve("signals"))) {
            long index = q.append("taken");
            q.append("next");
            try (JvmProcess child = JvmProcess.call(() -> {
                String m = q.take();
                signals.append("took " + m);
                Thread.sleep(60_000);
                return m;
            }).process()) {
                assertEquals("took taken", signals.poll(Timeouts.LONG));
                child.kill();
                assertTrue(child.join(Timeouts.MEDIUM));
                long marker = DurableLogProbe.marker(q, index);
                assertTrue(QueueDescriptor.isDone(marker), QueueDescriptor.describe(marker));
                assertEquals("next", q.poll(Timeouts.SHORT), "take() consumed the first message: it is not redelivered");
                assertEquals(null, q.poll(Duration.ofMillis(300)));
            }
        }
    }

    @Test
    void shouldNotWedgeProducersWhenOneDiesHoldingChroniclesWriteLock() throws Exception {
        try (DurableQueue<String> q = openQueue();
             DurableQueue<String> signals = DurableQueue.open(dir.resolve("signals"))) {
            q.append("before");
            String queueDir = q.directory().toString();
            try (JvmProcess child = JvmProcess.call(() -> {
                // a producer killed in the middle of an append: it holds the write lock, half a message written
                try (net.openhft.chronicle.queue.ChronicleQueue cq = net.openhft.chronicle.queue.ChronicleQueue
                        .singleBuilder(queueDir).build()) {
                    net.openhft.chronicle.queue.ExcerptAppender a = cq.createAppender();
                    net.openhft.chronicle.wire.DocumentContext dc = a.writingDocument();
                    dc.wire().bytes().writeByte((byte) 1).write(new byte[100]);
                    signals.append("holding the lock");
                    Thread.sleep(60_000);
                    return dc.isPresent();
                }
            }).process()) {
                assertEquals("holding the lock", signals.poll(Timeouts.LONG));
                child.kill();
                assertTrue(child.join(Timeouts.MEDIUM));
                long start = System.nanoTime();
                q.append("after");
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 10_000, "an append waited " + ms + " ms for the lock of a dead producer");
                System.out.println("append after a producer died holding the write lock took " + ms + " ms");
                assertEquals("before", q.take());
                assertEquals("after", q.take(), "the half-written message is never delivered");
                assertEquals(null, q.poll());
            }
        }
    }

    /** Checks production (replay) and consumption (records and markers) against the guarantees. */
    private void verify(Run run) throws IOException {
        DurableQueue<Msg> queue = run.queue;
        // production: each producer's messages 0..n-1 exactly once, whole
        Map<Integer, Set<Long>> produced = new HashMap<>();
        Map<String, Long> indexOf = new HashMap<>();
        long[] pills = {0};
        queue.replayIndexed((index, m) -> {
            assertTrue(m.valid(), "torn message " + m);
            if (m.producer() < 0) {
                pills[0]++;
                return;
            }
            assertTrue(produced.computeIfAbsent(m.producer(), k -> new HashSet<>()).add(m.seq()),
                    "appended twice: " + m);
            indexOf.put(m.producer() + ":" + m.seq(), index);
        });
        for (int p = 0; p < PRODUCERS; p++) {
            assertEquals(run.perProducer, produced.get(p).size(), "messages of producer " + p);
        }
        // consumption: every record valid, no message recorded twice unless a consumer died before its ack
        Map<String, List<Path>> recorded = new TreeMap<>();
        Map<Path, Record> records = new HashMap<>();
        int redelivered = 0;
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().startsWith("record-"))::iterator) {
                Record r = Record.read(f);
                records.put(f, r);
                for (String[] line : r.lines()) {
                    assertEquals("true", line[4], "a torn message was delivered: " + String.join(" ", line));
                    recorded.computeIfAbsent(line[2] + ":" + line[3], k -> new ArrayList<>()).add(f);
                    if (line[5].equals("true")) {
                        redelivered++;
                    }
                }
            }
        }
        int duplicates = 0;
        for (Map.Entry<String, List<Path>> e : recorded.entrySet()) {
            if (e.getValue().size() > 1) {
                duplicates += e.getValue().size() - 1;
                assertTrue(run.ack, "take mode delivered " + e.getKey() + " twice: " + e.getValue());
                long fromKilled = e.getValue().stream().filter(run.killedRecords::contains).count();
                assertTrue(fromKilled >= e.getValue().size() - 1, e.getKey() + " recorded by " + e.getValue()
                        + " but only consumers killed before their ack may see a message again");
            }
        }
        assertTrue(duplicates <= run.consumerKills, duplicates + " duplicates for " + run.consumerKills + " kills");
        // messages never recorded: only in take mode, consumed by a killed consumer (at most one per kill)
        Set<String> killedSessions = new HashSet<>();
        for (Path f : run.killedRecords) {
            Record r = records.get(f);
            if (r != null && r.slot() >= 0) {
                killedSessions.add(r.slot() + "/" + r.epoch());
            }
        }
        List<String> missing = new ArrayList<>();
        for (String key : indexOf.keySet()) {
            if (!recorded.containsKey(key)) {
                missing.add(key);
            }
        }
        if (run.ack) {
            assertEquals(List.of(), missing, "receive/ack loses nothing");
        }
        assertTrue(missing.size() <= run.consumerKills, missing + " missing for " + run.consumerKills + " kills");
        for (String key : missing) {
            long marker = DurableLogProbe.marker(queue, indexOf.get(key));
            assertTrue(QueueDescriptor.isDone(marker), key + " is " + QueueDescriptor.describe(marker));
            String by = QueueDescriptor.slot(marker) + "/" + QueueDescriptor.epoch(marker);
            assertTrue(killedSessions.contains(by), key + " was consumed by " + by
                    + ", not by a consumer that was killed (" + killedSessions + ")");
        }
        // and the queue agrees: everything consumed
        for (long index : indexOf.values()) {
            long marker = DurableLogProbe.marker(queue, index);
            assertTrue(QueueDescriptor.isDone(marker), Long.toHexString(index) + " is " + QueueDescriptor.describe(marker));
        }
        assertEquals(0, queue.size());
        assertEquals(CONSUMERS + 0L, pills[0]);
        System.out.println("verified " + indexOf.size() + " messages: " + missing.size() + " taken by killed consumers"
                + " before being recorded, " + duplicates + " processed twice, " + redelivered + " redeliveries");
    }
}
