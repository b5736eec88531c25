package org.multiproc4j.ipc.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** Listeners and clients in different JVMs, over real sockets. */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class ListenerClientIT {
    static final byte[] KEY = "a key shared by parent and child".getBytes(StandardCharsets.US_ASCII);
    static final byte[] WRONG = "a key nobody else holds, at all!".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /**
     * The child's server: reports its address on the control connection, then echoes every message of every
     * authenticated client (one thread each) and counts refusals, until told to stop.
     */
    static void echoServer(SocketAddress control) throws Exception {
        AtomicInteger refused = new AtomicInteger();
        StringBuilder reasons = new StringBuilder();
        Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY);
        try (SocketConnection ctl = Client.connect(control, KEY)) {
            ctl.send(listener.address());
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        SocketConnection conn = listener.accept();
                        Thread echo = new Thread(() -> {
                            try (conn) {
                                while (true) {
                                    conn.send(conn.recv());
                                }
                            } catch (EOFException e) {
                                // the client is done
                            } catch (Exception e) {
                                e.printStackTrace();
                            }
                        });
                        echo.setDaemon(true);
                        echo.start();
                    } catch (AuthenticationException e) {
                        synchronized (reasons) {
                            reasons.append(e.getMessage()).append('\n');
                        }
                        refused.incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            acceptor.start();
            while (!"stop".equals(ctl.recv())) {
                synchronized (reasons) {
                    ctl.send(List.of(refused.get(), reasons.toString()));
                }
            }
            listener.close();
            acceptor.join();
        } finally {
            listener.close();
        }
    }

    @Test
    void shouldServeClientsFromAChildJvmAndRefuseAWrongKeyWhileServingOthers() throws Exception {
        try (Listener control = new Listener(UnixDomainSocketAddress.of(dir.resolve("control.sock")), KEY)) {
            SocketAddress controlAddress = control.address();
            try (JvmProcess server = JvmProcess.call(() -> {
                echoServer(controlAddress);
                return null;
            }).process();
                 SocketConnection ctl = control.accept(Timeouts.MEDIUM)) {
                SocketAddress serverAddress = (SocketAddress) ctl.recv(Timeouts.MEDIUM);
                try (SocketConnection a = Client.connect(serverAddress, KEY)) {
                    a.send("first");
                    assertEquals("first", a.recv(Timeouts.MEDIUM));

                    AuthenticationException e = assertThrows(AuthenticationException.class,
                            () -> Client.connect(serverAddress, WRONG));
                    assertTrue(e.getMessage().contains("refused the authkey"), e.getMessage());

                    // the first client is still served, and so is a new one
                    a.send(List.of(1, 8, 27));
                    assertEquals(List.of(1, 8, 27), a.recv(Timeouts.MEDIUM));
                    try (SocketConnection c = Client.connect(serverAddress, KEY)) {
                        c.send(new byte[1 << 20]);
                        assertEquals(1 << 20, ((byte[]) c.recv(Timeouts.MEDIUM)).length);
                    }
                    a.send("last");
                    assertEquals("last", a.recv(Timeouts.MEDIUM));
                }
                ctl.send("status?");
                List<?> status = (List<?>) ctl.recv(Timeouts.MEDIUM);
                assertEquals(1, status.get(0), "refusals seen by the server: " + status.get(1));
                assertTrue(((String) status.get(1)).contains("failed authentication: it holds a different authkey"),
                        String.valueOf(status.get(1)));
                ctl.send("stop");
                assertTrue(server.join(Timeouts.MEDIUM), "the server did not stop");
                assertEquals(0, server.exitCode());
            }
        }
    }

    @Test
    void shouldReportEofWhenThePeerProcessIsKilled() throws Exception {
        for (SocketAddress address : List.of(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                UnixDomainSocketAddress.of(dir.resolve("kill.sock")))) {
            try (Listener listener = new Listener(address, KEY)) {
                SocketAddress a = listener.address();
                try (JvmProcess child = JvmProcess.call(() -> {
                    SocketConnection conn = Client.connect(a, KEY);
                    conn.send("ready");
                    Thread.sleep(60_000);
                    return conn;
                }).process();
                     SocketConnection conn = listener.accept(Timeouts.MEDIUM)) {
                    assertEquals("ready", conn.recv(Timeouts.MEDIUM));
                    long start = System.nanoTime();
                    child.kill();
                    EOFException eof = assertThrows(EOFException.class, () -> conn.recv(Timeouts.MEDIUM));
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(ms < Timeouts.MEDIUM.toMillis(), "EOF took " + ms + " ms");
                    assertTrue(eof.getMessage().contains("closed the connection") || eof.getMessage().contains("is gone"),
                            eof.getMessage());
                    assertTrue(child.join(Timeouts.MEDIUM));
                }
            }
        }
    }

    @Test
    void shouldConnectAChildToAUnixSocketListenerWithAHandshakeTimeout() throws Exception {
        ConnectionOptions quick = new ConnectionOptions().handshakeTimeout(Duration.ofSeconds(2));
        try (Listener listener = new Listener(UnixDomainSocketAddress.of(dir.resolve("u.sock")), KEY, quick)) {
            SocketAddress a = listener.address();
            try (JvmProcess child = JvmProcess.call(() -> {
                try (SocketConnection conn = Client.connect(a, KEY)) {
                    int n = (Integer) conn.recv();
                    conn.send(n * n * n);
                }
                return null;
            }).process();
                 SocketConnection conn = listener.accept(Timeouts.MEDIUM)) {
                conn.send(7);
                assertEquals(343, conn.recv(Timeouts.MEDIUM));
                assertThrows(EOFException.class, () -> conn.recv(Timeouts.MEDIUM));
                assertTrue(child.join(Timeouts.MEDIUM));
                assertEquals(0, child.exitCode());
            }
        }
    }
}
