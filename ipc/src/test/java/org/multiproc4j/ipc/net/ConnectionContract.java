package org.multiproc4j.ipc.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.ipc.AuthenticationException;
import org.multiproc4j.test.Timeouts;

/**
 * What every kind of socket must do (one subclass per address family): real sockets, real threads.
 */
@Timeout(60)
abstract class ConnectionContract {
    static final byte[] KEY = "the right key, 32 bytes long....".getBytes(StandardCharsets.US_ASCII);
    static final byte[] WRONG = "the wrong key, 32 bytes long....".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    ExecutorService pool;
    Listener listener;

    /** Returns a fresh address to listen on. */
    abstract SocketAddress newAddress() throws IOException;

    @BeforeEach
    void setUp() throws IOException {
        pool = Executors.newCachedThreadPool();
        listener = new Listener(newAddress(), KEY);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        listener.close();
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "test threads did not end");
    }

    /** Connects a client in another thread and accepts it here. */
    SocketConnection[] pair() throws Exception {
        return pair(new ConnectionOptions(), new ConnectionOptions());
    }

    SocketConnection[] pair(ConnectionOptions serverOptions, ConnectionOptions clientOptions) throws Exception {
        Listener l = listener;
        if (serverOptions != null) {
            listener.close();
            listener = new Listener(newAddress(), KEY, serverOptions);
            l = listener;
        }
        SocketAddress address = l.address();
        Future<SocketConnection> client = pool.submit(() -> Client.connect(address, KEY, clientOptions));
        SocketConnection server = l.accept(Timeouts.MEDIUM);
        return new SocketConnection[] {server, client.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS)};
    }

    @Test
    void shouldCarryObjectsBothWaysInOrder() throws Exception {
        SocketConnection[] p = pair();
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            Map<String, List<Integer>> map = new HashMap<>();
            map.put("cubes", List.of(0, 1, 8, 27));
            client.send(map);
            client.send(null);
            client.send("third");
            assertEquals(map, server.recv());
            assertNull(server.recv());
            assertEquals("third", server.recv(Timeouts.SHORT));
            server.send(42L);
            assertEquals(42L, client.recv());
        }
    }

    @Test
    void shouldCarryBytesWholeWhateverTheirSize() throws Exception {
        SocketConnection[] p = pair();
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            byte[] empty = new byte[0];
            byte[] small = "sixty-four bytes? no, fewer".getBytes(StandardCharsets.UTF_8);
            byte[] big = new byte[10 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + 7);
            }
            Future<?> writer = pool.submit(() -> {
                client.sendBytes(empty);
                client.sendBytes(small);
                client.sendBytes(big, 1, big.length - 2);
                client.sendBytes(ByteBuffer.wrap(small, 6, 5));
                return null;
            });
            assertArrayEquals(empty, server.recvBytes());
            assertArrayEquals(small, server.recvBytes(Timeouts.SHORT));
            byte[] got = server.recvBytes(Timeouts.MEDIUM);
            assertEquals(big.length - 2, got.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(big, 1, big.length - 1), got);
            ByteBuffer into = ByteBuffer.allocate(10);
            assertEquals(5, server.recvBytesInto(into));
            assertEquals("four ", new String(into.array(), 0, 5, StandardCharsets.UTF_8));
            writer.get();
        }
    }

    @Test
    void shouldRefuseTooSmallBufferAndKeepTheMessage() throws Exception {
        SocketConnection[] p = pair();
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            client.sendBytes(new byte[100]);
            byte[] buf = new byte[64];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> server.recvBytesInto(buf, 4));
            assertTrue(e.getMessage().contains("has 100 bytes but the buffer has 60 from offset 4"), e.getMessage());
            byte[] bigger = new byte[120];
            assertEquals(100, server.recvBytesInto(bigger, 20));
        }
    }

    @Test
    void shouldTimeOutWithoutLosingAPartlyArrivedMessage() throws Exception {
        SocketConnection[] p = pair();
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            TimeoutException e = assertThrows(TimeoutException.class, () -> server.recv(Duration.ofMillis(50)));
            assertTrue(e.getMessage().startsWith("no whole message from"), e.getMessage());
            assertFalse(server.poll());
            assertFalse(server.poll(Duration.ofMillis(20)));
            client.send("late");
            assertTrue(server.poll(Timeouts.SHORT));
            assertTrue(server.poll());
            assertEquals("late", server.recv(Duration.ZERO));
        }
    }

    @Test
    void shouldReportEofAfterDrainingWhatThePeerSent() throws Exception {
        SocketConnection[] p = pair();
        SocketConnection server = p[0];
        SocketConnection client = p[1];
        try {
            client.send("one");
            client.sendBytes(new byte[] {2});
            client.close();
            client.close();
            assertTrue(server.poll(Timeouts.SHORT));
            assertEquals("one", server.recv());
            assertArrayEquals(new byte[] {2}, server.recvBytes());
            assertTrue(server.poll(), "a closed peer makes poll true, as in Python");
            EOFException eof = assertThrows(EOFException.class, server::recv);
            assertTrue(eof.getMessage().contains("closed the connection"), eof.getMessage());
            assertThrows(EOFException.class, () -> server.recv(Timeouts.SHORT));
            IOException closed = assertThrows(IOException.class, () -> client.send("after close"));
            assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
            // the peer is gone: sending eventually fails with EOF instead of hanging
            assertThrows(EOFException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    server.sendBytes(new byte[64 << 10]);
                }
            });
        } finally {
            server.close();
            client.close();
        }
    }

    @Test
    void shouldRefuseAnUnserializableObjectBeforeSendingAnything() throws Exception {
        SocketConnection[] p = pair();
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            SerializationException e = assertThrows(SerializationException.class, () -> client.send(new Object()));
            assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
            client.send("still fine");
            assertEquals("still fine", server.recv(Timeouts.SHORT));
        }
    }

    @Test
    void shouldApplyTheObjectFilterWhenReceiving() throws Exception {
        ConnectionOptions strict = new ConnectionOptions().codec(Codecs.jdk("java.lang.String;!*"));
        SocketConnection[] p = pair(strict, new ConnectionOptions());
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            client.send(new ArrayList<>(List.of("a")));
            SerializationException e = assertThrows(SerializationException.class, () -> server.recv(Timeouts.SHORT));
            assertTrue(e.getMessage().contains("java.util.ArrayList") && e.getMessage().contains("(it is consumed)"),
                    e.getMessage());
            client.send("allowed");
            assertEquals("allowed", server.recv(Timeouts.SHORT));
        }
    }

    @Test
    void shouldCarryObjectsWithTheFastCodecAndReportACodecMismatch() throws Exception {
        ConnectionOptions fast = new ConnectionOptions().codec(Codecs.fast());
        SocketConnection[] p = pair(fast, fast);
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            client.send(List.of(123456789, 3.14159, "hello"));
            assertEquals(List.of(123456789, 3.14159, "hello"), server.recv(Timeouts.SHORT));
            client.send(new double[] {1.5, 2.5});
            assertArrayEquals(new double[] {1.5, 2.5}, (double[]) server.recv(Timeouts.SHORT), 0.0);
        }
        SocketConnection[] q = pair(new ConnectionOptions(), fast);
        try (SocketConnection server = q[0]; SocketConnection client = q[1]) {
            client.send(List.of("from a fast codec")); // (a bare String would take the codecs' common fast path)
            SerializationException e = assertThrows(SerializationException.class, () -> server.recv(Timeouts.SHORT));
            assertTrue(e.getMessage().contains("cannot read a message"), e.getMessage());
            server.send(List.of(7));
            assertThrows(SerializationException.class, () -> client.recv(Timeouts.SHORT));
        }
    }

    @Test
    void shouldNotDecodeRawBytesAsAnObject() throws Exception {
        SocketConnection[] p = pair();
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            client.sendBytes(new byte[] {1, 2, 3});
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.recv(Timeouts.SHORT));
            assertTrue(e.getMessage().contains("raw bytes (3 bytes, sent with sendBytes)"), e.getMessage());
            assertArrayEquals(new byte[] {1, 2, 3}, server.recvBytes());
        }
    }

    @Test
    void shouldRefuseOversizeMessagesOnBothSides() throws Exception {
        ConnectionOptions small = new ConnectionOptions().maxMessageSize(1000);
        SocketConnection[] p = pair(small, new ConnectionOptions());
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> server.sendBytes(new byte[1001]));
            assertTrue(refused.getMessage().contains("raw bytes of 1001 bytes")
                    && refused.getMessage().contains("maximum message size of 1000 bytes")
                    && refused.getMessage().contains("nothing was sent"), refused.getMessage());
            server.sendBytes(new byte[1000]);
            assertEquals(1000, client.recvBytes(Timeouts.SHORT).length);

            client.sendBytes(new byte[999]);
            client.sendBytes(new byte[5000]);
            assertEquals(999, server.recvBytes(Timeouts.SHORT).length);
            ProtocolException e = assertThrows(ProtocolException.class, () -> server.recvBytes(Timeouts.SHORT));
            assertTrue(e.getMessage().contains("sent a message of 5000 bytes, more than this connection's maximum"
                    + " of 1000 bytes"), e.getMessage());
            assertTrue(server.isClosed());
            assertThrows(EOFException.class, () -> client.recv(Timeouts.SHORT));
        }
    }

    @Test
    void shouldKeepMessagesWholeWithConcurrentSenders() throws Exception {
        SocketConnection[] p = pair();
        try (SocketConnection server = p[0]; SocketConnection client = p[1]) {
            int threads = 4;
            int each = 500;
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        byte[] msg = new byte[(i * 97) % 40_000 + 4];
                        ByteBuffer.wrap(msg).putShort((short) id).putShort((short) i);
                        java.util.Arrays.fill(msg, 4, msg.length, (byte) id);
                        client.sendBytes(msg);
                    }
                    return null;
                }));
            }
            int[] next = new int[threads];
            for (int n = 0; n < threads * each; n++) {
                byte[] msg = server.recvBytes(Timeouts.MEDIUM);
                ByteBuffer b = ByteBuffer.wrap(msg);
                int id = b.getShort();
                int i = b.getShort();
                assertEquals(next[id]++, i, "messages of one sender arrive in order");
                assertEquals((i * 97) % 40_000 + 4, msg.length);
                for (int k = 4; k < msg.length; k++) {
                    if (msg[k] != (byte) id) {
                        throw new AssertionError("torn message from sender " + id + " at byte " + k);
                    }
                }
            }
            for (Future<?> f : senders) {
                f.get();
            }
        }
    }

    @Test
    void shouldWakeABlockedReceiverWhenClosedOrInterrupted() throws Exception {
        SocketConnection[] p = pair();
        SocketConnection server = p[0];
        SocketConnection client = p[1];
        try {
            AtomicReference<Thread> receiver = new AtomicReference<>();
            Future<Object> interrupted = pool.submit(() -> {
                receiver.set(Thread.currentThread());
                return server.recv();
            });
            while (receiver.get() == null) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
            receiver.get().interrupt();
            ExecutionException ie = assertThrows(ExecutionException.class, () -> interrupted.get(5, TimeUnit.SECONDS));
            assertInstanceOf(InterruptedException.class, ie.getCause());
            client.send("after the interrupt");
            assertEquals("after the interrupt", server.recv(Timeouts.SHORT), "an interrupted recv loses nothing");

            Future<Object> blocked = pool.submit(() -> server.recv());
            Thread.sleep(50);
            server.close();
            ExecutionException ce = assertThrows(ExecutionException.class, () -> blocked.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, ce.getCause());
            assertTrue(ce.getCause().getMessage().contains("is closed"), ce.getCause().getMessage());
        } finally {
            server.close();
            client.close();
        }
    }

    @Test
    void shouldRefuseAWrongKeyOnBothSidesAndKeepServing() throws Exception {
        SocketAddress address = listener.address();
        Future<SocketConnection> wrong = pool.submit(() -> Client.connect(address, WRONG));
        AuthenticationException serverSide = assertThrows(AuthenticationException.class,
                () -> listener.accept(Timeouts.MEDIUM));
        assertTrue(serverSide.getMessage().contains("failed authentication: it holds a different authkey"),
                serverSide.getMessage());
        ExecutionException clientSide = assertThrows(ExecutionException.class,
                () -> wrong.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(AuthenticationException.class, clientSide.getCause());
        assertTrue(clientSide.getCause().getMessage().contains("refused the authkey"),
                clientSide.getCause().getMessage());

        Future<SocketConnection> right = pool.submit(() -> Client.connect(address, KEY));
        try (SocketConnection server = listener.accept(Timeouts.MEDIUM);
             SocketConnection client = right.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS)) {
            client.send("served after a refusal");
            assertEquals("served after a refusal", server.recv(Timeouts.SHORT));
        }
    }

    @Test
    void shouldNotLetASilentClientBlockOthers() throws Exception {
        listener.close();
        listener = new Listener(newAddress(), KEY, new ConnectionOptions().handshakeTimeout(Duration.ofMillis(700)));
        SocketAddress address = listener.address();
        try (SocketChannel silent = rawConnect(address)) {
            Thread.sleep(50);
            long start = System.nanoTime();
            Future<SocketConnection> good = pool.submit(() -> Client.connect(address, KEY));
            try (SocketConnection server = listener.accept(Timeouts.MEDIUM);
                 SocketConnection client = good.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS)) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms < 600, "a good client was served in " + ms + " ms behind a silent one");
                client.send(1);
                assertEquals(1, server.recv(Timeouts.SHORT));
            }
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> listener.accept(Timeouts.MEDIUM));
            assertTrue(e.getMessage().contains("did not complete the authentication handshake within PT0.7S"),
                    e.getMessage());
            assertEquals(-1, readToEof(silent), "the listener closed the silent client's connection");
        }
    }

    @Test
    void shouldRefuseAPeerThatSpeaksAnotherProtocol() throws Exception {
        SocketAddress address = listener.address();
        try (SocketChannel junk = rawConnect(address)) {
            OutputStream out = Channels.newOutputStream(junk);
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> listener.accept(Timeouts.MEDIUM));
            assertTrue(e.getMessage().contains("is not a multiproc4j Client"), e.getMessage());
        }
        // and a client talking to something that is not a listener
        try (java.nio.channels.ServerSocketChannel fake = openFakeServer()) {
            SocketAddress fakeAddress = fake.getLocalAddress();
            Future<SocketConnection> c = pool.submit(() -> Client.connect(fakeAddress, KEY,
                    new ConnectionOptions().handshakeTimeout(Duration.ofSeconds(5))));
            try (SocketChannel accepted = fake.accept()) {
                accepted.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 3, 'H', 'x', 'y', 'z'}));
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> c.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(AuthenticationException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("is not a multiproc4j Listener"),
                        e.getCause().getMessage());
            }
            Future<SocketConnection> silent = pool.submit(() -> Client.connect(fakeAddress, KEY,
                    new ConnectionOptions().handshakeTimeout(Duration.ofMillis(300))));
            try (SocketChannel accepted = fake.accept()) {
                assertTrue(accepted.isOpen());
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> silent.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(SocketTimeoutException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("within PT0.3S"), e.getCause().getMessage());
            }
        }
    }

    @Test
    void shouldTimeOutAnAcceptWithNoClientAndCloseWakesIt() throws Exception {
        long start = System.nanoTime();
        TimeoutException e = assertThrows(TimeoutException.class, () -> listener.accept(Duration.ofMillis(100)));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 95);
        assertTrue(e.getMessage().contains("no client authenticated within PT0.1S"), e.getMessage());
        assertThrows(TimeoutException.class, () -> listener.accept(Duration.ZERO));

        CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (Exception x) {
                return x;
            }
        }, pool);
        Thread.sleep(50);
        listener.close();
        listener.close();
        Object outcome = blocked.get(5, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, outcome);
        assertTrue(((IOException) outcome).getMessage().contains("is closed"), outcome.toString());
    }

    @Test
    void shouldRefuseAnEmptyKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Client.connect(listener.address(), new byte[0]));
        assertTrue(e.getMessage().contains("authkey is empty"), e.getMessage());
    }

    private static int readToEof(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1024);
        int n;
        while ((n = ch.read(b)) >= 0) {
            b.clear();
        }
        return n;
    }

    SocketChannel rawConnect(SocketAddress address) throws IOException {
        SocketChannel ch = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        ch.connect(address);
        return ch;
    }

    java.nio.channels.ServerSocketChannel openFakeServer() throws IOException {
        SocketAddress a = newAddress();
        java.nio.channels.ServerSocketChannel s = a instanceof UnixDomainSocketAddress
                ? java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : java.nio.channels.ServerSocketChannel.open();
        s.bind(a);
        return s;
    }

    static Path socketPath(Path dir) throws IOException {
        return Files.createTempDirectory(dir, "s").resolve("l.sock");
    }
}
