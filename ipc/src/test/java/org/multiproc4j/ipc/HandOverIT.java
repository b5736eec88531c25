package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.LaunchException;
import org.multiproc4j.core.ProcessException;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.StartMethod;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.sharedmem.ResourceTracker;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Pipe ends and queues handed to a child by {@code JvmProcess.start()}: they stay for the child whatever the
 * parent does after {@code start()}, and a child that dies before attaching them (killed, or a JVM that cannot
 * boot) is seen dead as promptly as one that died after attaching: end of file, a broken pipe, and no segment
 * left behind.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HandOverIT {
    private static final long SEED = Long.getLong("multiproc4j.test.seed", System.nanoTime());
    /** A fresh JVM each time, so that a kill 50-300 ms after start() often comes before the child attached. */
    private static final JvmProcess.Options SPAWN = new JvmProcess.Options().startMethod(StartMethod.SPAWN);

    /** The segments this JVM created and that still have a name. */
    static Set<String> ours() throws IOException {
        String prefix = "mp4j-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(ResourceTracker.directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))
                    .collect(Collectors.toSet());
        }
    }

    static int echo(Connection c) throws Exception {
        int n = 0;
        while (true) {
            try {
                c.send(c.recv());
            } catch (EOFException e) {
                return n;
            }
            n++;
        }
    }

    @Test
    void shouldKeepAPipeEndAndAQueueForTheChildTheyWereHandedTo() throws Exception {
        Set<String> before = ours();
        for (int run = 0; run < 3; run++) {
            Pipe pipe = Pipe.open();
            SharedQueue<Integer> q = SharedQueue.create();
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            TaskFuture<Integer> child = JvmProcess.call(() -> {
                q.put(q.take() + 1);
                return echo(childs);
            }, SPAWN);
            childs.close();
            SharedQueue<Integer> again = q; // the parent keeps its queue for the answer
            again.put(41);
            mine.send("ping");
            assertEquals("ping", mine.recv(Timeouts.MEDIUM));
            assertEquals(42, again.poll(Timeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS));
            q.close();
            mine.close();
            assertEquals(1, child.get(Timeouts.MEDIUM));
        }
        assertEquals(before, ours(), "segments left");
    }

    static Void recvForever(Connection c) throws Exception {
        while (true) {
            c.recv();
        }
    }

    /** Receives until end of file and returns how long it took; fails on a timeout. */
    private static long millisUntilEndOfFile(Connection mine, String expected) throws Exception {
        long t0 = System.nanoTime();
        EOFException eof = assertThrows(EOFException.class, () -> mine.recv(Timeouts.MEDIUM));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(eof.getMessage().contains(expected), eof.getMessage());
        return ms;
    }

    @Test
    void shouldSeeEndOfFileAndABrokenPipeWhenTheChildIsKilledBeforeAttachingItsEnd() throws Exception {
        Random random = new Random(SEED);
        System.out.println("seed " + SEED);
        Set<String> before = ours();
        long worst = 0;
        for (int run = 0; run < 8; run++) {
            Pipe pipe = Pipe.open();
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            JvmProcess child = new JvmProcess(() -> recvForever(childs), SPAWN).start();
            childs.close();
            Thread.sleep(50 + random.nextInt(251));
            child.kill();
            assertTrue(child.join(Timeouts.MEDIUM));
            long ms = millisUntilEndOfFile(mine, "pid " + child.pid() + ", which died");
            worst = Math.max(worst, ms);
            assertTrue(ms < Timeouts.SHORT.toMillis(), "end of file " + ms + " ms after the death (seed " + SEED + ")");
            BrokenPipeException broken = assertThrows(BrokenPipeException.class, () -> mine.send("anyone?"));
            assertTrue(broken.getMessage().contains("died"), broken.getMessage());
            mine.close();
            assertEquals(before, ours(), "the last live user's close removes the pipe (seed " + SEED + ")");
        }
        System.out.printf("end of file at most %d ms after a child died (killed 50-300 ms after start)%n", worst);
    }

    @Test
    void shouldSeeEndOfFileWhenTheChildCannotBoot() throws Exception {
        Set<String> before = ours();
        for (String[] bad : List.of(new String[] {"-XX:+NoSuchFlag"}, new String[] {"-Xmx2m", "-Xms2m"})) {
            JvmProcess.Options options = new JvmProcess.Options().startMethod(StartMethod.SPAWN)
                    .jvmOptions(bad).stderr(ProcessBuilder.Redirect.DISCARD).stdout(ProcessBuilder.Redirect.DISCARD);
            Pipe pipe = Pipe.open();
            SharedQueue<String> q = SharedQueue.create();
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            JvmProcess child = new JvmProcess(() -> {
                q.put("booted");
                recvForever(childs);
            }, options).start();
            childs.close();
            assertThrows(LaunchException.class, () -> child.join(Timeouts.MEDIUM),
                    "a JVM with " + String.join(" ", bad) + " must not boot");
            assertTrue(child.exitCode() != 0);
            assertTrue(millisUntilEndOfFile(mine, "handed to pid " + child.pid() + ", which died before attaching it")
                    < Timeouts.SHORT.toMillis());
            BrokenPipeException broken = assertThrows(BrokenPipeException.class, () -> mine.send("anyone?"));
            assertTrue(broken.getMessage().contains("the process the other end was handed to (pid " + child.pid()
                    + ") died before attaching it"), broken.getMessage());
            assertNull(q.poll(10, TimeUnit.MILLISECONDS));
            mine.close();
            q.close();
            assertEquals(before, ours(), "segments left after " + String.join(" ", bad));
        }
    }

    static Void takeForever(SharedQueue<Integer> q) throws InterruptedException {
        while (true) {
            q.take();
        }
    }

    @Test
    void shouldRemoveAQueueWhoseConsumerWasKilledBeforeAttachingIt() throws Exception {
        Random random = new Random(SEED + 1);
        Set<String> before = ours();
        for (int run = 0; run < 6; run++) {
            SharedQueue<Integer> q = SharedQueue.create(4);
            JvmProcess consumer = new JvmProcess(() -> takeForever(q), SPAWN).start();
            Thread.sleep(50 + random.nextInt(251));
            consumer.kill();
            assertTrue(consumer.join(Timeouts.MEDIUM));
            for (int i = 0; i < 4; i++) {
                assertTrue(q.offer(i, Timeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS), "the queue is not wedged");
            }
            int taken = 0;
            while (q.poll(50, TimeUnit.MILLISECONDS) != null) {
                taken++;
            }
            assertTrue(taken <= 4, "taken " + taken);
            q.close();
            assertEquals(before, ours(), "the last live user's close removes the queue (seed " + (SEED + 1) + ")");
        }
    }

    @Test
    void shouldRemoveChannelsWhoseTaskCouldNotBeSentAndEndThePipeOnClose() throws Exception {
        Set<String> before = ours();
        Object notSerializable = new Object();
        JvmProcess.Options noJava = new JvmProcess.Options().javaExecutable(Paths.get("/no/such/java"));
        for (int failure = 0; failure < 2; failure++) {
            Pipe pipe = Pipe.open();
            SharedQueue<Integer> q = SharedQueue.create();
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            if (failure == 0) {
                assertThrows(SerializationException.class,
                        () -> JvmProcess.call(() -> childs.toString() + q + notSerializable.hashCode()));
            } else {
                assertThrows(ProcessException.class, () -> JvmProcess.call(() -> childs.toString() + q, noJava));
            }
            childs.close(); // never handed to anyone: this closes the end, as if it had never been captured
            EOFException eof = assertThrows(EOFException.class, () -> mine.recv(Timeouts.SHORT));
            assertTrue(eof.getMessage().contains("closed"), eof.getMessage());
            q.close();
            mine.close();
            assertEquals(before, ours(), "the creator's close removes what no task took away");
        }
    }
}
