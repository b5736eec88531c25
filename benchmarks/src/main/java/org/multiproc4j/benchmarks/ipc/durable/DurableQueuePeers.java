package org.multiproc4j.benchmarks.ipc.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.multiproc4j.ipc.durable.DurableQueue;

/** The child-JVM halves of the durable queue benchmarks, and their housekeeping. */
public final class DurableQueuePeers {
    /** The message that stops a peer. */
    public static final Long STOP = Long.MIN_VALUE;

    private DurableQueuePeers() {
    }

    /**
     * Takes from {@code in} and appends what it took to {@code out}, until {@link #STOP}.
     *
     * @param in  the queue to take from.
     * @param out the queue to answer on.
     * @throws InterruptedException if interrupted.
     */
    public static void echo(DurableQueue<Object> in, DurableQueue<Object> out) throws InterruptedException {
        while (true) {
            Object m = in.take();
            if (STOP.equals(m)) {
                return;
            }
            out.append(m);
        }
    }

    /**
     * Appends as many messages to {@code data} as each number taken from {@code control} says, until a negative
     * number.
     *
     * @param control the orders.
     * @param data    the queue to fill.
     * @throws InterruptedException if interrupted.
     */
    public static void produce(DurableQueue<Long> control, DurableQueue<Long> data) throws InterruptedException {
        while (true) {
            long n = control.take();
            if (n < 0) {
                return;
            }
            for (long i = 0; i < n; i++) {
                data.append(i);
            }
        }
    }

    /**
     * Deletes a directory tree (a benchmark's queues: Chronicle's files are sparse but 80 MiB each).
     *
     * @param dir the directory.
     * @throws IOException if listing fails.
     */
    public static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
