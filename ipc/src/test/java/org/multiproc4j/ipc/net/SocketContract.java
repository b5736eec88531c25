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
import org.multiproc4j.test.Timeouts;

/**
 * What listeners, clients and socket connections do beyond the {@code Connection} contract (which
 * {@code org.multiproc4j.ipc.ConnectionContract} checks for every kind of connection): authentication, codecs,
 * message size limits. One subclass per address family: real sockets, real threads.
 */
@Timeout(60)
abstract class SocketContract {
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
        Duration handshake = Timeouts.scaled(Duration.ofMillis(700)); // a loaded machine is slow for good clients too
        listener = new Listener(newAddress(), KEY, new ConnectionOptions().handshakeTimeout(handshake));
        SocketAddress address = listener.address();
        try (SocketChannel silent = rawConnect(address)) {
            Thread.sleep(50);
            long start = System.nanoTime();
            Future<SocketConnection> good = pool.submit(() -> Client.connect(address, KEY));
            try (SocketConnection server = listener.accept(Timeouts.MEDIUM);
                 SocketConnection client = good.get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS)) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms < handshake.toMillis() - 100, "a good client was served in " + ms + " ms behind a silent one");
                client.send(1);
                assertEquals(1, server.recv(Timeouts.SHORT));
            }
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> listener.accept(Timeouts.MEDIUM));
            assertTrue(e.getMessage().contains("did not complete the authentication handshake within " + handshake),
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
