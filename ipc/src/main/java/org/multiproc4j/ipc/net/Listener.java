package org.multiproc4j.ipc.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.net.internal.FrameChannel;
import org.multiproc4j.ipc.net.internal.Handshake;

/**
 * A server socket that hands out authenticated {@link SocketConnection}s: Python's
 * {@code multiprocessing.connection.Listener}, over TCP ({@link InetSocketAddress}) or a Unix domain socket
 * ({@link UnixDomainSocketAddress}).
 *
 * <pre>{@code
 * import java.net.InetAddress;
 * import java.security.SecureRandom;
 *
 * byte[] authkey = new byte[32];                          // shared with the clients
 * new SecureRandom().nextBytes(authkey);
 * try (Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), authkey)) {
 *     SocketAddress address = listener.address();         // the port chosen by the system
 *     JvmProcess client = new JvmProcess(() -> {
 *         try (SocketConnection conn = Client.connect(address, authkey)) {
 *             conn.send("ping");
 *             System.out.println(conn.recv(Duration.ofSeconds(10)));   // ping
 *         }
 *     }).start();
 *     for (int served = 0; served < 1; ) {                // a server would go on for ever
 *         try (SocketConnection conn = listener.accept(Duration.ofSeconds(30))) {
 *             conn.send(conn.recv(Duration.ofSeconds(10)));   // echo one message
 *             served++;
 *         } catch (AuthenticationException e) {
 *             System.err.println(e.getMessage());         // a client with a wrong key: serve the next one
 *         }
 *     }
 *     client.join();
 * }
 * }</pre>
 *
 * <p><b>Authentication.</b> Every client must prove it holds the listener's authkey, and the listener proves
 * it to the client, with HMAC-SHA256 challenges in both directions, before either side reads a single
 * message (so nothing from an unauthenticated peer is ever deserialized). Handshakes run concurrently inside
 * {@link #accept()}: a client that connects and then says nothing delays nobody and is dropped after
 * {@link ConnectionOptions#handshakeTimeout(Duration)}. Authentication is not encryption: bind to the loopback
 * interface or a Unix socket, or tunnel the traffic, when the network is not trusted.
 *
 * <p><b>Unix domain sockets.</b> The socket file is created by the constructor (it must not exist) and
 * deleted by {@link #close()}. Its permissions are the process's umask; put it in a private directory to keep
 * other users from connecting at all.
 *
 * <p><b>Thread and process safety.</b> {@link #accept()} may be called from several threads; they are
 * served one at a time. {@link #close()} may be called from any thread and wakes a thread blocked in
 * {@code accept}. A listener cannot be passed to another process (pass its {@link #address()}).
 *
 * <p><b>Failure.</b> A client that fails the handshake (a wrong key, another protocol, a timeout, a connection
 * dropped midway) is reported by {@code accept} as an {@link AuthenticationException} naming its address; its
 * connection is closed and the listener stays open: the next {@code accept} serves the next client.
 */
public final class Listener implements AutoCloseable {
    /** Handshakes in progress beyond which new connections wait in the operating system's backlog. */
    private static final int MAX_PENDING_HANDSHAKES = 64;

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final Path socketFile;
    private final byte[] authkey;
    private final ConnectionOptions options;
    private final Selector selector;
    private final SelectionKey serverKey;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Object> outcomes = new ArrayDeque<>();
    private final Set<Handshake.Listening> pending = new LinkedHashSet<>();
    private volatile boolean closed;

    /**
     * Binds a listener to {@code address} with default options.
     *
     * @param address an {@link InetSocketAddress} (port 0 lets the system choose one) or a
     *                {@link UnixDomainSocketAddress} whose file does not exist yet.
     * @param authkey the key clients must hold; copied.
     * @throws IOException              if the address cannot be bound (in use, say).
     * @throws IllegalArgumentException if the key is empty or the address of an unsupported kind.
     */
    public Listener(SocketAddress address, byte[] authkey) throws IOException {
        this(address, authkey, new ConnectionOptions());
    }

    /**
     * Binds a listener to {@code address}.
     *
     * @param address an {@link InetSocketAddress} (port 0 lets the system choose one) or a
     *                {@link UnixDomainSocketAddress} whose file does not exist yet.
     * @param authkey the key clients must hold; copied.
     * @param options handshake timeout, message size limit, object filter, backlog; copied.
     * @throws IOException              if the address cannot be bound (in use, say).
     * @throws IllegalArgumentException if the key is empty or the address of an unsupported kind.
     */
    public Listener(SocketAddress address, byte[] authkey, ConnectionOptions options) throws IOException {
        Objects.requireNonNull(address, "address");
        this.authkey = Handshake.checkKey(Objects.requireNonNull(authkey, "authkey"));
        this.options = new ConnectionOptions(Objects.requireNonNull(options, "options"));
        ServerSocketChannel s;
        if (address instanceof UnixDomainSocketAddress) {
            s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            socketFile = ((UnixDomainSocketAddress) address).getPath();
        } else if (address instanceof InetSocketAddress) {
            s = ServerSocketChannel.open();
            socketFile = null;
        } else {
            throw new IllegalArgumentException("unsupported address " + address + " (" + address.getClass().getName()
                    + "): use an InetSocketAddress or a UnixDomainSocketAddress");
        }
        Selector sel = null;
        try {
            s.bind(address, this.options.backlog());
            s.configureBlocking(false);
            sel = Selector.open();
            serverKey = s.register(sel, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            s.close();
            if (sel != null) {
                sel.close();
            }
            if (socketFile != null && !(e instanceof java.net.BindException)) {
                Files.deleteIfExists(socketFile);
            }
            throw e;
        }
        server = s;
        selector = sel;
        this.address = s.getLocalAddress();
    }

    /**
     * Returns the address clients connect to: the bound one, with the actual port if port 0 was asked for.
     *
     * @return the address.
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * Waits for the next client that passes authentication.
     *
     * @return the connection to it.
     * @throws AuthenticationException if the next client to finish its handshake failed it (the message says
     *                                 who and why); the listener stays open.
     * @throws InterruptedException    if the thread is interrupted while waiting.
     * @throws IOException             if the listener is closed, or on an I/O error of the listening socket.
     */
    public SocketConnection accept() throws IOException, InterruptedException {
        try {
            return accept(FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    /**
     * Waits at most {@code timeout} for the next client that passes authentication.
     *
     * @param timeout how long to wait; zero or negative means only clients already waiting.
     * @return the connection to it.
     * @throws TimeoutException        if no client finished its handshake in time; handshakes in progress go
     *                                 on in the next call.
     * @throws AuthenticationException as for {@link #accept()}.
     * @throws InterruptedException    if the thread is interrupted while waiting.
     * @throws IOException             as for {@link #accept()}.
     */
    public SocketConnection accept(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return accept(Deadlines.of(timeout), timeout);
    }

    private SocketConnection accept(long deadline, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        if (deadline == FrameChannel.NO_DEADLINE) {
            lock.lockInterruptibly();
        } else if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("no client authenticated within " + timeout + " on " + address);
        }
        try {
            boolean lastPass = false;
            while (true) {
                ensureOpen();
                Object outcome = outcomes.poll();
                if (outcome != null) {
                    if (outcome instanceof AuthenticationException) {
                        throw (AuthenticationException) outcome;
                    }
                    return (SocketConnection) outcome;
                }
                if (lastPass) {
                    throw new TimeoutException("no client authenticated within " + timeout + " on " + address);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long now = System.nanoTime();
                try {
                    if (deadline != FrameChannel.NO_DEADLINE && now - deadline >= 0) {
                        lastPass = true;
                        selector.selectNow();
                    } else {
                        long wake = deadline;
                        for (Handshake.Listening h : pending) {
                            wake = Math.min(wake, h.deadline());
                        }
                        long millis = wake == FrameChannel.NO_DEADLINE ? 0
                                : Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.max(0, wake - now) + 999_999));
                        selector.select(millis);
                    }
                } catch (ClosedSelectorException e) {
                    ensureOpen();
                    throw e;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                ensureOpen();
                try {
                    processSelected();
                    expireHandshakes();
                } catch (ClosedSelectorException | java.nio.channels.CancelledKeyException e) {
                    ensureOpen();
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void processSelected() throws IOException {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key == serverKey) {
                acceptPending();
            } else {
                advance(key, (Handshake.Listening) key.attachment());
            }
        }
    }

    private void acceptPending() throws IOException {
        while (pending.size() < MAX_PENDING_HANDSHAKES) {
            SocketChannel ch = server.accept();
            if (ch == null) {
                break;
            }
            FrameChannel fc;
            String peer;
            try {
                SocketAddress remote = ch.getRemoteAddress();
                peer = remote == null || remote.toString().isEmpty() || remote.toString().equals(address.toString())
                        ? "a client of " + address : String.valueOf(remote);
                fc = FrameChannel.open(ch, peer, Handshake.MAX_FRAME);
            } catch (IOException e) {
                ch.close();
                continue;
            }
            long deadline = Deadlines.of(options.handshakeTimeout());
            Handshake.Listening h = new Handshake.Listening(fc, authkey, deadline);
            pending.add(h);
            SelectionKey key = ch.register(selector, 0, h);
            advance(key, h);
        }
        serverKey.interestOps(pending.size() < MAX_PENDING_HANDSHAKES ? SelectionKey.OP_ACCEPT : 0);
    }

    private void advance(SelectionKey key, Handshake.Listening h) {
        Handshake.Step step;
        try {
            step = h.step();
        } catch (AuthenticationException e) {
            finish(key, h);
            h.channel().close();
            outcomes.add(e);
            return;
        }
        switch (step) {
            case READ:
                key.interestOps(SelectionKey.OP_READ);
                break;
            case WRITE:
                key.interestOps(SelectionKey.OP_WRITE);
                break;
            default:
                finish(key, h);
                try {
                    outcomes.add(new SocketConnection(h.channel(), options));
                } catch (IOException e) {
                    h.channel().close();
                    outcomes.add(new AuthenticationException("client " + h.channel().peer()
                            + " was lost right after its handshake: " + e, e));
                }
        }
    }

    private void finish(SelectionKey key, Handshake.Listening h) {
        key.cancel();
        pending.remove(h);
        if (serverKey.isValid()) {
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private void expireHandshakes() {
        long now = System.nanoTime();
        for (Handshake.Listening h : new ArrayList<>(pending)) {
            if (now - h.deadline() >= 0) {
                SelectionKey key = h.channel().channel().keyFor(selector);
                if (key != null) {
                    finish(key, h);
                } else {
                    pending.remove(h);
                }
                h.channel().close();
                outcomes.add(new AuthenticationException("client " + h.channel().peer() + " did not complete the"
                        + " authentication handshake within " + options.handshakeTimeout() + "; connection closed"));
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("listener on " + address + " is closed");
        }
    }

    /**
     * Tells whether this listener was closed.
     *
     * @return {@code true} once {@link #close()} was called.
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops listening: closes the socket (deleting a Unix socket's file), drops handshakes in progress and
     * connections authenticated but not yet accepted, and wakes a thread blocked in {@code accept} (it throws
     * an {@link IOException}). Connections already accepted stay open. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        lock.lock();
        try {
            for (Handshake.Listening h : pending) {
                h.channel().close();
            }
            pending.clear();
            for (Object o : outcomes) {
                if (o instanceof SocketConnection) {
                    ((SocketConnection) o).close();
                }
            }
            outcomes.clear();
        } finally {
            lock.unlock();
        }
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                // closing: a file we cannot delete is left behind, as Python's Listener would
            }
        }
    }

    @Override
    public String toString() {
        return "Listener[" + address + (closed ? ", closed" : "") + "]";
    }
}
