package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.sharedmem.SharedMemory;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** Queues shared by child JVMs: many producers and consumers with checksums, joinable and bounded queues. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SharedQueueIT {
    /** Messages in the many-to-many test, in total. The issue asks for 1 M; it runs in seconds. */
    static final int MESSAGES = Integer.getInteger("multiproc4j.test.queueMessages", 1_000_000);

    /**
     * A self-checking message: producer, sequence number, a pattern, and the CRC32 of all that. Every 1000th is
     * larger than a ring record, so it travels in fragments among the small ones.
     */
    static byte[] message(int producer, int seq) {
        int size = seq % 1000 == 999 ? 600_000 : 16 + (seq * 7 + producer) % 48;
        ByteBuffer b = ByteBuffer.allocate(size + 8);
        b.putInt(producer).putInt(seq);
        for (int i = 8; i < size; i++) {
            b.put((byte) (i * 13 + seq));
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, size);
        b.putLong(crc.getValue());
        return b.array();
    }

    /** Checks a message's CRC; returns producer << 32 | seq. */
    static long check(byte[] m) {
        CRC32 crc = new CRC32();
        crc.update(m, 0, m.length - 8);
        ByteBuffer b = ByteBuffer.wrap(m);
        if (b.getLong(m.length - 8) != crc.getValue()) {
            throw new AssertionError("torn message of " + m.length + " bytes");
        }
        return ((long) b.getInt(0) << 32) | b.getInt(4);
    }

    static int produce(SharedQueue<byte[]> q, int producer, int from, int to) throws InterruptedException {
        for (int seq = from; seq < to; seq++) {
            q.put(message(producer, seq));
        }
        return to - from;
    }

    static BitSet[] consume(SharedQueue<byte[]> q, int producers) throws InterruptedException {
        BitSet[] seen = new BitSet[producers + 1]; // the last one collects duplicates
        for (int i = 0; i <= producers; i++) {
            seen[i] = new BitSet();
        }
        while (true) {
            byte[] m = q.take();
            if (m.length == 0) {
                return seen;
            }
            long id = check(m);
            int p = (int) (id >>> 32);
            int seq = (int) id;
            if (seen[p].get(seq)) {
                seen[producers].set(seq);
            }
            seen[p].set(seq);
        }
    }

    @Test
    void shouldDeliverEveryMessageOnceAcrossFourProducerAndFourConsumerProcesses() throws Exception {
        int producers = 4;
        int consumers = 4;
        int each = MESSAGES / producers;
        try (SharedQueue<byte[]> q = SharedQueue.create()) {
            List<TaskFuture<BitSet[]>> takers = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                takers.add(JvmProcess.call(() -> consume(q, producers)));
            }
            long t0 = System.nanoTime();
            List<TaskFuture<Integer>> putters = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                putters.add(JvmProcess.call(() -> produce(q, id, 0, each)));
            }
            for (TaskFuture<Integer> f : putters) {
                assertEquals(each, f.get(Timeouts.scaled(java.time.Duration.ofSeconds(180))));
            }
            for (int c = 0; c < consumers; c++) {
                q.put(new byte[0]);
            }
            BitSet[] all = new BitSet[producers];
            for (int p = 0; p < producers; p++) {
                all[p] = new BitSet();
            }
            long taken = 0;
            for (TaskFuture<BitSet[]> f : takers) {
                BitSet[] seen = f.get(Timeouts.LONG);
                assertTrue(seen[producers].isEmpty(), "no consumer took a message twice: " + seen[producers]);
                for (int p = 0; p < producers; p++) {
                    assertFalse(all[p].intersects(seen[p]), "two consumers took the same message");
                    all[p].or(seen[p]);
                    taken += seen[p].cardinality();
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            for (int p = 0; p < producers; p++) {
                assertEquals(each, all[p].cardinality(), "every message of producer " + p + " arrived");
                assertEquals(each, all[p].nextClearBit(0));
            }
            assertEquals((long) producers * each, taken);
            assertEquals(0, q.size());
            System.out.printf("%d messages, 4 producer and 4 consumer processes, checksummed: %.1f s incl. start-up%n",
                    taken, s);
        }
    }

    static Integer work(JoinableSharedQueue<Integer> q) throws InterruptedException {
        int n = 0;
        while (true) {
            int v = q.take();
            q.taskDone();
            if (v < 0) {
                return n;
            }
            n++;
        }
    }

    @Test
    void shouldJoinWhenChildWorkersHaveDoneEveryTask() throws Exception {
        try (JoinableSharedQueue<Integer> q = JoinableSharedQueue.create()) {
            List<TaskFuture<Integer>> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(JvmProcess.call(() -> work(q)));
            }
            for (int i = 0; i < 10_000; i++) {
                q.put(i);
            }
            assertTrue(q.join(Timeouts.LONG), "every task done; unfinished: " + q.unfinishedTasks());
            assertEquals(0, q.unfinishedTasks());
            q.put(-1);
            q.put(-1);
            int total = 0;
            for (TaskFuture<Integer> w : workers) {
                total += w.get(Timeouts.LONG);
            }
            assertEquals(10_000, total);
            assertTrue(q.join(Timeouts.LONG));
        }
    }

    static Integer putMany(SharedQueue<Integer> q, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            q.put(i);
        }
        return n;
    }

    @Test
    void shouldKeepABoundedQueueWithinItsBoundAcrossProcesses() throws Exception {
        try (SharedQueue<Integer> q = SharedQueue.create(10)) {
            TaskFuture<Integer> producer = JvmProcess.call(() -> putMany(q, 2000));
            int maxSeen = 0;
            for (int i = 0; i < 2000; i++) {
                maxSeen = Math.max(maxSeen, q.size());
                assertEquals(i, q.poll(Timeouts.LONG.toMillis(), TimeUnit.MILLISECONDS));
                if (i % 200 == 0) {
                    Thread.sleep(20); // let the producer fill it up
                    maxSeen = Math.max(maxSeen, q.size());
                }
            }
            assertEquals(2000, producer.get(Timeouts.LONG));
            assertTrue(maxSeen <= 10, "never more than 10 values: saw " + maxSeen);
            assertEquals(10, maxSeen, "the producer filled it up to its bound");
        }
    }

    static long sumMarks(SharedQueue<SharedMemory> q) throws InterruptedException {
        try (SharedMemory block = q.take()) { // arrives as its handle: mapped here, not copied
            long sum = 0;
            for (long at = 0; at < block.size(); at += 512L << 20) {
                sum += block.buffer(at, 8).getLong(0);
            }
            return sum;
        }
    }

    @Test
    void shouldHandAMultiGibibyteBlockToAConsumerThroughAQueue() throws Exception {
        long size = 3L << 30; // larger than any byte[]: it travels by reference, as a SharedMemory handle
        try (SharedQueue<SharedMemory> q = SharedQueue.create(); SharedMemory block = SharedMemory.create(size)) {
            long expected = 0;
            for (long at = 0; at < size; at += 512L << 20) {
                block.buffer(at, 8).putLong(0, at + 7);
                expected += at + 7;
            }
            TaskFuture<Long> consumer = JvmProcess.call(() -> sumMarks(q));
            q.put(block);
            assertEquals(expected, consumer.get(Timeouts.LONG));
        }
    }

    static Void putOne(SimpleSharedQueue<String> q, String s) throws InterruptedException {
        q.put(s);
        return null;
    }

    @Test
    void shouldCarryASimpleQueueToChildren() throws Exception {
        try (SimpleSharedQueue<String> q = SimpleSharedQueue.create()) {
            List<TaskFuture<Void>> kids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String s = "child " + i;
                kids.add(JvmProcess.call(() -> putOne(q, s)));
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(q.poll(Timeouts.LONG));
            }
            got.sort(null);
            assertEquals(List.of("child 0", "child 1", "child 2"), got);
            for (TaskFuture<Void> k : kids) {
                k.get(Timeouts.LONG);
            }
            assertTrue(q.isEmpty());
        }
    }
}
