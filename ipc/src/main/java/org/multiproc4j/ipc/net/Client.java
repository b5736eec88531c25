package org.multiproc4j.ipc.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.net.internal.FrameChannel;
import org.multiproc4j.ipc.net.internal.Handshake;

/**
 * Connects to a {@link Listener}: Python's {@code multiprocessing.connection.Client}.
 *
 * <pre>{@code
 * import java.net.InetAddress;
 * import java.nio.charset.StandardCharsets;
 *
 * byte[] authkey = "secret password".getBytes(StandardCharsets.UTF_8);
 * try (Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), authkey)) {
 *     SocketAddress listenerAddress = listener.address();
 *     JvmProcess client = new JvmProcess(() -> {             // another process, or another machine
 *         try (SocketConnection conn = Client.connect(listenerAddress, authkey)) {
 *             conn.send("hello");
 *             System.out.println(conn.recv(Duration.ofSeconds(10)));   // hello to you
 *         }
 *     }).start();
 *     try (SocketConnection conn = listener.accept(Duration.ofSeconds(30))) {
 *         conn.send(conn.recv(Duration.ofSeconds(10)) + " to you");
 *     }
 *     client.join();
 * }
 * }</pre>
 *
 * <p>Connecting and the mutual authentication (see {@link Listener}) must finish within
 * {@link ConnectionOptions#handshakeTimeout(java.time.Duration)}.
 *
 * <p><b>Thread safety.</b> The methods may be called from any thread.
 */
public final class Client {

    private Client() {
    }

    /**
     * Connects to a listener and authenticates, with default options.
     *
     * @param address the listener's address ({@link Listener#address()}).
     * @param authkey the key the listener holds.
     * @return the authenticated connection.
     * @throws AuthenticationException if the listener refuses the key, fails to prove it holds it, or is not a
     *                                 multiproc4j listener.
     * @throws ConnectException        if nothing listens at the address.
     * @throws SocketTimeoutException  if connecting and authenticating took longer than the handshake timeout.
     * @throws InterruptedException    if the thread is interrupted meanwhile.
     * @throws IOException             on another I/O error (the listener closed the connection midway, say).
     */
    public static SocketConnection connect(SocketAddress address, byte[] authkey)
            throws IOException, InterruptedException {
        return connect(address, authkey, new ConnectionOptions());
    }

    /**
     * Connects to a listener and authenticates.
     *
     * @param address the listener's address ({@link Listener#address()}).
     * @param authkey the key the listener holds.
     * @param options handshake timeout, message size limit, object filter.
     * @return the authenticated connection.
     * @throws AuthenticationException  if the listener refuses the key, fails to prove it holds it, or is not
     *                                  a multiproc4j listener.
     * @throws ConnectException         if nothing listens at the address.
     * @throws SocketTimeoutException   if connecting and authenticating took longer than the handshake timeout.
     * @throws IllegalArgumentException if the key is empty or the address of an unsupported kind.
     * @throws InterruptedException     if the thread is interrupted meanwhile.
     * @throws IOException              on another I/O error (the listener closed the connection midway, say).
     */
    public static SocketConnection connect(SocketAddress address, byte[] authkey, ConnectionOptions options)
            throws IOException, InterruptedException {
        Objects.requireNonNull(address, "address");
        byte[] key = Handshake.checkKey(Objects.requireNonNull(authkey, "authkey"));
        ConnectionOptions opts = new ConnectionOptions(Objects.requireNonNull(options, "options"));
        long deadline = Deadlines.of(opts.handshakeTimeout());
        SocketChannel ch;
        if (address instanceof UnixDomainSocketAddress) {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else if (address instanceof InetSocketAddress) {
            ch = SocketChannel.open();
        } else {
            throw new IllegalArgumentException("unsupported address " + address + " (" + address.getClass().getName()
                    + "): use an InetSocketAddress or a UnixDomainSocketAddress");
        }
        boolean done = false;
        FrameChannel fc = null;
        try {
            ch.configureBlocking(false);
            if (!ch.connect(address)) {
                finishConnect(ch, address, deadline, opts);
            }
            fc = FrameChannel.open(ch, "listener " + address, Handshake.MAX_FRAME);
            Handshake.client(fc, key, deadline, opts.handshakeTimeout());
            SocketConnection conn = new SocketConnection(fc, opts);
            done = true;
            return conn;
        } finally {
            if (!done) {
                if (fc != null) {
                    fc.close();
                } else {
                    ch.close();
                }
            }
        }
    }

    private static void finishConnect(SocketChannel ch, SocketAddress address, long deadline, ConnectionOptions opts)
            throws IOException, InterruptedException {
        try (Selector s = Selector.open()) {
            ch.register(s, SelectionKey.OP_CONNECT);
            while (true) {
                try {
                    if (ch.finishConnect()) {
                        return;
                    }
                } catch (ConnectException e) {
                    ConnectException c = new ConnectException("cannot connect to " + address + ": " + e.getMessage());
                    c.initCause(e);
                    throw c;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("cannot connect to " + address + " within "
                            + opts.handshakeTimeout());
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                s.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
                s.selectedKeys().clear();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }
}
