package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Waitable;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * The {@link Connection} contract, once, for every kind of connection and every place its peer can be: one
 * subclass per kind (pipe, TCP socket, Unix domain socket) and per place (a thread of this JVM, a child JVM).
 * Each test starts the peer once with a task to run on the other end ({@link #start}); the test's thread uses
 * this side's end.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ConnectionContract {
    /** What the peer does with its end; it travels to a child JVM, so it captures only serializable values. */
    @FunctionalInterface
    public interface PeerTask extends Serializable {
        /**
         * Runs on the peer's end.
         *
         * @param peer the other end.
         * @return a result for the test.
         * @throws Exception anything; the test sees it from {@link #peerResult()}.
         */
        Object run(Connection peer) throws Exception;
    }

    /** A thread pool for this side's helper threads and for peers that run in this JVM. */
    protected ExecutorService pool;
    private Connection mine;
    private Future<?> peer;

    /**
     * Starts the peer running {@code task} on the other end, with {@link #runPeer}, and returns this side's end.
     * The peer's end is closed when the task returns (its process exits, for a child).
     *
     * @param task what the peer does.
     * @return this side's end, connected.
     * @throws Exception if the connection cannot be made.
     */
    protected abstract Connection connect(PeerTask task) throws Exception;

    /**
     * Tells whether the peer runs in another process (so that it can die).
     *
     * @return {@code true} for a child JVM.
     */
    protected abstract boolean peerInAnotherProcess();

    @BeforeEach
    void startPool() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopPool() throws Exception {
        if (mine != null) {
            mine.close();
        }
        if (peer != null) {
            try {
                peer.get(Timeouts.LONG.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // the test looked at it if it mattered
            }
        }
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "test threads did not end");
    }

    /**
     * Runs the peer's side: in a child JVM if {@link #peerInAnotherProcess()}, else in a thread of this JVM.
     *
     * @param side what the peer's side does, from connecting to its end to the task's result.
     */
    protected void runPeer(SerializableCallable<Object> side) {
        peer = peerInAnotherProcess() ? JvmProcess.call(side) : pool.submit(side::call);
    }

    private Connection start(PeerTask task) throws Exception {
        mine = connect(task);
        return mine;
    }

    private Object peerResult() throws Exception {
        return peer.get(Timeouts.LONG.toSeconds(), TimeUnit.SECONDS);
    }

    // -------------------------------------------------------------------------------------------- peers

    /** Sends back what it receives, objects as objects and bytes as bytes, until end of file. */
    static int echo(Connection c) throws Exception {
        int n = 0;
        while (true) {
            Object o;
            try {
                o = c.recv();
            } catch (EOFException e) {
                return n;
            }
            if (o instanceof byte[]) {
                c.sendBytes((byte[]) o);
            } else {
                c.send(o);
            }
            n++;
        }
    }

    static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    // -------------------------------------------------------------------------------------------- messages

    @Test
    void shouldCarryObjectsBothWaysInOrder() throws Exception {
        Connection c = start(p -> {
            List<Object> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(p.recv());
            }
            p.send(got);
            p.send(42L, Timeouts.MEDIUM);
            return null;
        });
        Map<String, List<Integer>> map = new HashMap<>();
        map.put("cubes", List.of(0, 1, 8, 27));
        c.send(map);
        c.send(null);
        c.send("third", Timeouts.MEDIUM);
        assertEquals(Arrays.asList(map, null, "third"), c.recv(Timeouts.MEDIUM));
        assertEquals(42L, c.recv());
        assertNull(peerResult());
    }

    @Test
    void shouldCarryBytesWholeWhateverTheirSize() throws Exception {
        Connection c = start(p -> {
            byte[] small = "sixty-four bytes? no, fewer".getBytes(StandardCharsets.UTF_8);
            byte[] big = pattern(10 << 20, 7);
            p.sendBytes(new byte[0]);
            p.sendBytes(small);
            p.sendBytes(big, 1, big.length - 2);
            p.sendBytes(ByteBuffer.wrap(small, 6, 5));
            p.sendBytes(ByteBuffer.allocateDirect(3).put(new byte[] {4, 5, 6}).flip());
            p.sendBytes(small, 0, small.length, Timeouts.MEDIUM);
            return null;
        });
        byte[] small = "sixty-four bytes? no, fewer".getBytes(StandardCharsets.UTF_8);
        byte[] big = pattern(10 << 20, 7);
        assertArrayEquals(new byte[0], c.recvBytes());
        assertArrayEquals(small, c.recvBytes(Timeouts.MEDIUM));
        assertArrayEquals(Arrays.copyOfRange(big, 1, big.length - 1), c.recvBytes(Timeouts.MEDIUM));
        ByteBuffer into = ByteBuffer.allocate(10);
        assertEquals(5, c.recvBytesInto(into, Timeouts.MEDIUM));
        assertEquals("four ", new String(into.array(), 0, 5, StandardCharsets.UTF_8));
        byte[] arr = new byte[8];
        assertEquals(3, c.recvBytesInto(arr, 2, Timeouts.MEDIUM));
        assertArrayEquals(new byte[] {0, 0, 4, 5, 6, 0, 0, 0}, arr);
        byte[] whole = new byte[small.length];
        assertEquals(small.length, c.recvBytesInto(whole));
        assertArrayEquals(small, whole);
        assertNull(peerResult());
    }

    @Test
    void shouldReceiveBytesWithRecvAndObjectsWithRecvBytes() throws Exception {
        Connection c = start(p -> {
            p.sendBytes(new byte[] {1, 2, 3});
            p.send("an object");
            return p.recv(); // waits for this side to be done
        });
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) c.recv(Timeouts.MEDIUM), "a bytes message is a byte[]");
        byte[] encoded = c.recvBytes(Timeouts.MEDIUM);
        assertTrue(encoded.length > 0, "an object arrives as its encoded form");
        c.send("done");
        assertEquals("done", peerResult());
    }

    @Test
    void shouldRefuseTooSmallABufferAndKeepTheMessage() throws Exception {
        Connection c = start(p -> {
            p.sendBytes(pattern(100, 3));
            return p.recv();
        });
        byte[] buf = new byte[64];
        BufferTooShortException e = assertThrows(BufferTooShortException.class,
                () -> c.recvBytesInto(buf, 4, Timeouts.MEDIUM));
        assertEquals(100, e.messageLength());
        assertTrue(e.getMessage().contains("100"), e.getMessage());
        assertThrows(BufferTooShortException.class, () -> c.recvBytesInto(ByteBuffer.allocate(99)));
        byte[] bigger = new byte[120];
        assertEquals(100, c.recvBytesInto(bigger, 20));
        assertArrayEquals(pattern(100, 3), Arrays.copyOfRange(bigger, 20, 120));
        c.send("done");
        assertEquals("done", peerResult());
    }

    @Test
    void shouldRefuseAnUnserializableValueBeforeSendingAnything() throws Exception {
        Connection c = start(ConnectionContract::echo);
        SerializationException e = assertThrows(SerializationException.class, () -> c.send(new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        c.send("still fine");
        assertEquals("still fine", c.recv(Timeouts.MEDIUM));
        c.close();
        assertEquals(1, peerResult(), "the peer received one message, then end of file");
    }

    @Test
    void shouldKeepMessagesWholeAndInOrderWithConcurrentSenders() throws Exception {
        int threads = 4;
        int each = 300;
        Connection c = start(p -> {
            int[] next = new int[threads];
            for (int n = 0; n < threads * each; n++) {
                ByteBuffer b = ByteBuffer.wrap(p.recvBytes());
                int id = b.getShort();
                int i = b.getShort();
                if (i != next[id]++ || b.remaining() != (i * 97) % 40_000) {
                    return "message " + i + " of sender " + id + " out of order or of the wrong size";
                }
                while (b.hasRemaining()) {
                    if (b.get() != (byte) id) {
                        return "torn message " + i + " of sender " + id;
                    }
                }
            }
            return "ok";
        });
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    byte[] msg = new byte[(i * 97) % 40_000 + 4];
                    Arrays.fill(msg, (byte) id);
                    ByteBuffer.wrap(msg).putShort((short) id).putShort((short) i);
                    c.sendBytes(msg);
                }
                return null;
            }));
        }
        for (Future<?> f : senders) {
            f.get(Timeouts.LONG.toSeconds(), TimeUnit.SECONDS);
        }
        assertEquals("ok", peerResult());
    }

    @Test
    void shouldDeliverNothingOfASendThatTimesOut() throws Exception {
        Connection c = start(p -> {
            Thread.sleep(Timeouts.SHORT.toMillis()); // lets this side fill the pipe's ring or the socket's buffers
            int n = 0;
            while (true) {
                Object o;
                try {
                    o = p.recv(Timeouts.LONG);
                } catch (EOFException e) {
                    return n; // a socket closed by its timed-out send: what came whole is all there is
                }
                if ("end".equals(o)) {
                    return n;
                }
                if (((byte[]) o).length != 64 << 10) {
                    return -1;
                }
                n++;
            }
        });
        byte[] chunk = new byte[64 << 10];
        int sent = 0;
        TimeoutException timedOut = null;
        while (timedOut == null) {
            try {
                if (sent % 2 == 0) {
                    c.send(chunk, Duration.ofMillis(50));
                } else {
                    c.sendBytes(chunk, 0, chunk.length, Duration.ofMillis(50));
                }
                sent++;
            } catch (TimeoutException e) {
                timedOut = e;
            }
            assertTrue(sent < 100_000, "the other end's buffers never filled");
        }
        assertTrue(timedOut.getMessage() != null && !timedOut.getMessage().isEmpty());
        if (!c.isClosed()) {
            c.send("end", Timeouts.LONG);
        } else {
            assertTrue(timedOut.getMessage().contains("connection is closed"), timedOut.getMessage());
        }
        assertEquals(sent, peerResult(), "the peer received every message whose send returned, and no other");
    }

    // ------------------------------------------------------------------------------------------- waiting

    @Test
    void shouldTimeOutWithoutLosingAMessageAndBeReadyWhenOneWaits() throws Exception {
        Connection c = start(p -> {
            Object go = p.recv();
            p.send("late");
            return go;
        });
        TimeoutException e = assertThrows(TimeoutException.class, () -> c.recv(Duration.ofMillis(50)));
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        assertThrows(TimeoutException.class, () -> c.recvBytes(Duration.ZERO));
        assertThrows(TimeoutException.class, () -> c.recvBytesInto(new byte[8], 0, Duration.ofMillis(10)));
        assertFalse(c.poll());
        assertFalse(c.poll(Duration.ofMillis(20)));
        assertFalse(c.isReady());
        assertEquals(List.of(), Waitable.await(List.of(c), Duration.ofMillis(20)));
        c.send("go");
        assertEquals(List.of(c), Waitable.await(List.of(c), Timeouts.MEDIUM));
        assertTrue(c.isReady());
        assertTrue(c.poll());
        assertTrue(c.poll(Duration.ZERO));
        assertEquals("late", c.recv(Duration.ZERO));
        assertEquals("go", peerResult());
    }

    @Test
    void shouldWakeABlockedReceiverWhenInterruptedLosingNothing() throws Exception {
        Connection c = start(ConnectionContract::echo);
        AtomicReference<Thread> receiver = new AtomicReference<>();
        Future<Object> interrupted = pool.submit(() -> {
            receiver.set(Thread.currentThread());
            return c.recv();
        });
        while (receiver.get() == null) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        receiver.get().interrupt();
        ExecutionException ie = assertThrows(ExecutionException.class,
                () -> interrupted.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, ie.getCause());
        c.send("after the interrupt");
        assertEquals("after the interrupt", c.recv(Timeouts.MEDIUM), "an interrupted recv loses nothing");
    }

    // ------------------------------------------------------------------------------------------ closing

    @Test
    void shouldFailEveryCallOnAClosedEndWithClosedChannelException() throws Exception {
        Connection c = start(ConnectionContract::echo);
        c.close();
        c.close();
        assertTrue(c.isClosed());
        assertTrue(c.isReady(), "a receive would throw at once");
        assertThrows(ClosedChannelException.class, () -> c.send("x"));
        assertThrows(ClosedChannelException.class, () -> c.send("x", Timeouts.SHORT));
        assertThrows(ClosedChannelException.class, () -> c.sendBytes(new byte[1]));
        assertThrows(ClosedChannelException.class, () -> c.sendBytes(ByteBuffer.allocate(1)));
        ClosedChannelException e = assertThrows(ClosedChannelException.class, c::recv);
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertThrows(ClosedChannelException.class, () -> c.recv(Timeouts.SHORT));
        assertThrows(ClosedChannelException.class, c::recvBytes);
        assertThrows(ClosedChannelException.class, () -> c.recvBytesInto(new byte[4]));
        assertThrows(ClosedChannelException.class, () -> c.recvBytesInto(ByteBuffer.allocate(4)));
        assertThrows(ClosedChannelException.class, c::poll);
        assertThrows(ClosedChannelException.class, () -> c.poll(Timeouts.SHORT));
        assertEquals(0, peerResult(), "the peer saw end of file");
    }

    @Test
    void shouldWakeABlockedReceiverWithAsynchronousCloseException() throws Exception {
        Connection c = start(ConnectionContract::echo);
        Future<Object> blocked = pool.submit(() -> c.recv());
        Thread.sleep(100);
        Future<Object> polling = pool.submit(() -> c.poll(Timeouts.LONG)); // waits for the receiver, or polls
        Thread.sleep(50);
        c.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> blocked.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(AsynchronousCloseException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("is closed"), e.getCause().getMessage());
        ExecutionException p = assertThrows(ExecutionException.class,
                () -> polling.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, p.getCause());
    }

    @Test
    void shouldReportEndOfFileAfterDeliveringWhatAClosedPeerSent() throws Exception {
        Connection c = start(p -> {
            p.send("one");
            p.sendBytes(new byte[] {2});
            p.close();
            p.close();
            assertThrows(ClosedChannelException.class, () -> p.send("after close"));
            return null;
        });
        assertNull(peerResult());
        assertTrue(c.poll(Timeouts.MEDIUM));
        assertEquals("one", c.recv());
        assertArrayEquals(new byte[] {2}, c.recvBytes());
        assertTrue(c.poll(), "a peer that is gone makes poll true, as in Python");
        assertTrue(c.isReady());
        assertThrows(EOFException.class, c::recv);
        assertThrows(EOFException.class, () -> c.recv(Timeouts.SHORT));
        assertThrows(EOFException.class, c::recvBytes);
        assertThrows(EOFException.class, () -> c.recvBytesInto(new byte[4]));
        assertBrokenPipe(c);
    }

    @Test
    void shouldReportEndOfFileAfterDeliveringWhatADeadPeerSent() throws Exception {
        assumeTrue(peerInAnotherProcess(), "a peer in this JVM cannot die alone");
        Connection c = start(p -> {
            p.send("last words");
            p.sendBytes(new byte[] {9});
            Runtime.getRuntime().halt(9);
            return null;
        });
        assertEquals("last words", c.recv(Timeouts.LONG));
        assertArrayEquals(new byte[] {9}, c.recvBytes(Timeouts.LONG));
        EOFException eof = assertThrows(EOFException.class, () -> c.recv(Timeouts.LONG));
        assertFalse(eof instanceof BrokenPipeException, "a receive says end of file");
        assertTrue(c.isReady());
        assertBrokenPipe(c);
        assertThrows(ExecutionException.class, this::peerResult, "the peer died without a result");
    }

    /** Sending to a peer that is gone fails, soon, with BrokenPipeException (an EOFException). */
    private static void assertBrokenPipe(Connection c) {
        BrokenPipeException e = assertThrows(BrokenPipeException.class, () -> {
            for (int i = 0; i < 10_000; i++) {
                c.sendBytes(new byte[16 << 10]);
                c.send(i);
            }
        });
        assertInstanceOf(EOFException.class, e);
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        BrokenPipeException again = assertThrows(BrokenPipeException.class, () -> c.send("again"));
        assertInstanceOf(IOException.class, again);
    }
}
