package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.core.Waitable;
import org.multiproc4j.ipc.net.Client;
import org.multiproc4j.ipc.net.Listener;
import org.multiproc4j.ipc.net.SocketConnection;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * {@link Waitable#await} over every kind at once: pipe ends, socket connections, shared queues, child processes
 * and task results, made ready by child JVMs. (Durable queues are awaited in {@code ipc-durable}'s tests.)
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WaitableIT {
    static final byte[] KEY = "an authkey for the waitable test".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldReturnWhatIsReadyAmongEveryKind() throws Exception {
        try (Pipe pipe = Pipe.open(); SharedQueue<String> queue = SharedQueue.create();
             SimpleSharedQueue<String> simple = SimpleSharedQueue.create();
             JoinableSharedQueue<String> joinable = JoinableSharedQueue.create();
             Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY)) {
            PipeConnection mine = pipe.first();
            PipeConnection childs = pipe.second();
            JvmProcess sleeper = new JvmProcess(() -> Thread.sleep(120_000)).start();
            ProcessHandle sleeperHandle = ProcessHandle.of(sleeper.pid()).orElseThrow();
            CompletableFuture<String> later = new CompletableFuture<>();
            List<Object> idle = List.of(mine, queue, simple, joinable, sleeper, sleeperHandle, later);
            assertEquals(List.of(), Waitable.await(idle, Duration.ofMillis(50)), "nothing is ready yet");

            // a child sends on the pipe and returns: the pipe end and the task's result are ready
            TaskFuture<String> sender = JvmProcess.call(() -> {
                childs.send("through the pipe");
                return "sent";
            });
            childs.close();
            assertEquals("sent", sender.get(Timeouts.LONG));
            List<Object> withSender = List.of(mine, queue, simple, joinable, sleeper, sleeperHandle, later, sender,
                    sender.process());
            assertEquals(List.of(mine, sender, sender.process()), Waitable.await(withSender, Duration.ZERO));
            assertEquals("through the pipe", mine.recv(Duration.ZERO));
            assertTrue(mine.isReady(), "the child's end is closed: a receive says end of file at once");

            // a child puts into each queue
            TaskFuture<Void> putter = JvmProcess.call(() -> {
                queue.put("q");
                simple.put("s");
                joinable.put("j");
                return null;
            });
            List<Object> queues = List.of(queue, simple, joinable, sleeper, later);
            assertTrue(Waitable.await(queues, Timeouts.LONG).size() >= 1);
            putter.get(Timeouts.LONG);
            assertEquals(List.of(queue, simple, joinable), Waitable.await(queues, Duration.ZERO));
            assertEquals("q", queue.take());
            assertEquals("s", simple.take());
            assertEquals("j", joinable.take());
            joinable.taskDone();

            // a child connects and sends on a socket
            SocketAddress address = listener.address();
            TaskFuture<Void> client = JvmProcess.call(() -> {
                try (SocketConnection c = Client.connect(address, KEY)) {
                    c.send("through the socket");
                    c.recv(); // until this side closes
                } catch (java.io.EOFException e) {
                    // closed: done
                }
                return null;
            });
            try (SocketConnection conn = listener.accept(Timeouts.LONG)) {
                List<Object> sockets = List.of(conn, queue, sleeper);
                assertEquals(List.of(conn), Waitable.await(sockets, Timeouts.LONG));
                assertEquals("through the socket", conn.recv(Duration.ZERO));
                assertEquals(List.of(), Waitable.await(sockets, Duration.ofMillis(20)));
            }
            client.get(Timeouts.LONG);

            // the sleeper is killed, the future completes
            sleeper.kill();
            assertEquals(List.of(sleeper), Waitable.await(List.of(queue, sleeper), Timeouts.LONG));
            assertEquals(List.of(sleeperHandle), Waitable.await(List.of(queue, sleeperHandle), Timeouts.LONG));
            later.complete("done");
            assertEquals(List.of(later), Waitable.await(List.of(queue, later)));
            sleeper.join();
        }
    }

    @Test
    void shouldRefuseWhatCannotBeWaitedFor() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Waitable.await(List.of("a string"), Duration.ZERO));
        assertTrue(e.getMessage().contains("cannot wait for a java.lang.String"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Waitable.await(java.util.Arrays.asList((Object) null)));
        assertEquals(List.of(), Waitable.await(List.of(), Duration.ZERO));
    }
}
