package org.multiproc4j.manager.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.ipc.net.Client;
import org.multiproc4j.ipc.net.ConnectionOptions;
import org.multiproc4j.ipc.net.SocketConnection;
import org.multiproc4j.manager.ManagerException;

/**
 * This process's way to one manager: a connection per thread (so that a thread blocked in a lock or a queue
 * holds up no other), each authenticated on the server's socket and then, for a client on the server's
 * machine, moved to a pipe in shared memory. Endpoints are shared by every proxy of that manager in this
 * process.
 */
public final class ClientEndpoint implements Dispatcher, AutoCloseable {
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    private static final ConcurrentHashMap<Key, ClientEndpoint> ENDPOINTS = new ConcurrentHashMap<>();

    private final Key key;
    private final SocketAddress address;
    private final byte[] authkey;
    private final boolean sharedMemory;
    private final ConnectionOptions socketOptions;
    private final ChannelOptions pipeOptions;
    private final ThreadLocal<Conn> channel = new ThreadLocal<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private int leases;
    private boolean pinned;

    /** Process-wide numbers of method keys (see {@link #keyId}). */
    private static final ConcurrentHashMap<String, Integer> KEY_IDS = new ConcurrentHashMap<>();

    /** A thread's channel and the method keys it has defined on it (see {@link Protocol}). */
    private static final class Conn {
        final Channel ch;
        /** The thread whose channel this is. */
        final Thread owner;
        /** Key to index, for the keys sent as definitions on {@link #ch}. Used by the owning thread only. */
        final java.util.HashMap<String, Integer> keys = new java.util.HashMap<>();
        /** By key number ({@link #keyId}): 1 + the key's index on {@link #ch}, 0 if not defined. Owner only. */
        int[] indexes = new int[16];
        /** The frame being written (see {@link CompactFrames}). Used by the owning thread only. */
        final CompactFrames.Out out = new CompactFrames.Out();

        Conn(Channel ch) {
            this.ch = ch;
            this.owner = Thread.currentThread();
        }
    }

    /**
     * The channel of the thread that called last: found by comparing threads, not through the thread-local map.
     * Racy on purpose: each thread only ever stores its own channel here and checks the owner before using it.
     */
    private Conn last;

    /** Written-out equals and hashCode: a record's generated ones bootstrap an invokedynamic on first use. */
    private record Key(SocketAddress address, ByteBuffer authkey, boolean sharedMemory) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).address.equals(address) && ((Key) o).authkey.equals(authkey)
                    && ((Key) o).sharedMemory == sharedMemory;
        }

        @Override
        public int hashCode() {
            return (address.hashCode() * 31 + authkey.hashCode()) * 31 + Boolean.hashCode(sharedMemory);
        }
    }

    private ClientEndpoint(Key key, ConnectionOptions socketOptions) {
        this.key = key;
        this.address = key.address;
        this.authkey = key.authkey.array().clone();
        this.sharedMemory = key.sharedMemory && isLocal(key.address);
        this.socketOptions = socketOptions;
        this.pipeOptions = new ChannelOptions().codec(socketOptions.codec());
    }

    /**
     * Returns this process's endpoint for a manager, making it if needed.
     *
     * @param address      the server.
     * @param authkey      the key.
     * @param sharedMemory whether to move to shared memory when the server is on this machine.
     * @return the endpoint.
     */
    public static ClientEndpoint of(SocketAddress address, byte[] authkey, boolean sharedMemory) {
        return of(address, authkey, sharedMemory, new ConnectionOptions());
    }

    /**
     * Returns this process's endpoint for a manager, making it with the given socket options if needed.
     *
     * @param address       the server.
     * @param authkey       the key.
     * @param sharedMemory  whether to move to shared memory when the server is on this machine.
     * @param socketOptions the options of a new endpoint's sockets.
     * @return the endpoint.
     */
    public static ClientEndpoint of(SocketAddress address, byte[] authkey, boolean sharedMemory,
                                    ConnectionOptions socketOptions) {
        Key k = new Key(address, ByteBuffer.wrap(authkey.clone()), sharedMemory);
        return ENDPOINTS.computeIfAbsent(k, kk -> new ClientEndpoint(kk, socketOptions));
    }

    private static boolean isLocal(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return true;
        }
        if (address instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) address;
            if (a.getAddress() == null) {
                return false;
            }
            if (a.getAddress().isLoopbackAddress() || a.getAddress().isAnyLocalAddress()) {
                return true;
            }
            try {
                return NetworkInterface.getByInetAddress(a.getAddress()) != null;
            } catch (SocketException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public SocketAddress address() {
        return address;
    }

    @Override
    public byte[] authkey() {
        return authkey.clone();
    }

    @Override
    public boolean sharedMemory() {
        return key.sharedMemory;
    }

    /**
     * Tells whether this thread's calls go through shared memory (after its first call).
     *
     * @return {@code true} for a pipe.
     */
    public boolean usesSharedMemory() {
        return sharedMemory;
    }

    /**
     * Checks that the server answers, opening this thread's connection.
     *
     * @throws ManagerException if it cannot be reached or does not answer.
     */
    public void ping() {
        try {
            call(Protocol.MANAGER, Protocol.PING, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerException("interrupted while connecting to the manager at " + address, e);
        }
    }

    private Conn channel() throws InterruptedException {
        Conn c = channel.get();
        if (c != null && !closed) {
            return c;
        }
        if (closed) {
            throw new ManagerException("this process's connection to the manager at " + address + " is closed");
        }
        Channel ch = open();
        c = new Conn(ch);
        channel.set(c);
        channels.add(ch);
        if (closed) {
            dropChannel();
            throw new ManagerException("this process's connection to the manager at " + address + " is closed");
        }
        return c;
    }

    private Channel open() throws InterruptedException {
        SocketConnection sc;
        try {
            sc = Client.connect(address, authkey, socketOptions);
        } catch (org.multiproc4j.ipc.net.AuthenticationException e) {
            throw new ManagerException("the manager at " + address + " refused this process: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ManagerException("cannot reach the manager at " + address + " (is it running?): " + e, e);
        }
        boolean done = false;
        Pipe pipe = null;
        try {
            Channel result;
            if (sharedMemory) {
                pipe = Pipe.open(pipeOptions);
                sc.send(new Object[] {Protocol.HELLO_PIPE, pipe.second()});
                expectOk(sc.recv(HELLO_TIMEOUT));
                pipe.second().close();
                sc.close();
                result = Channel.of(pipe.first());
            } else {
                sc.send(new Object[] {Protocol.HELLO_SOCKET});
                expectOk(sc.recv(HELLO_TIMEOUT));
                result = Channel.of(sc);
            }
            done = true;
            return result;
        } catch (IOException | TimeoutException e) {
            throw new ManagerException("the manager at " + address + " did not accept this process's connection: "
                    + e, e);
        } finally {
            if (!done) {
                sc.close();
                if (pipe != null) {
                    pipe.second().handedOver(null);     // its handle was sent but may never be attached
                    pipe.close();
                }
            }
        }
    }

    private void expectOk(Object reply) {
        if (!"ok".equals(reply)) {
            throw new ManagerException("the manager at " + address + " answered the greeting with " + reply);
        }
    }

    /**
     * Returns a method key's number in this process: small, dense, the same for every endpoint, so that a channel
     * finds the key's index in an array (see {@link #call(long, String, int, Object[], Method)}).
     *
     * @param key the method key.
     * @return its number, from 0.
     */
    static int keyId(String key) {
        Integer n = KEY_IDS.get(key);
        if (n == null) {
            synchronized (KEY_IDS) {
                n = KEY_IDS.get(key);
                if (n == null) {
                    n = KEY_IDS.size();
                    KEY_IDS.put(key, n);
                }
            }
        }
        return n;
    }

    /**
     * The short way of a call from a proxy: the thread's channel found by a compare, the key's index in an array,
     * the request written as a compact frame in one pass and a compact answer read in one pass; anything else
     * takes {@link #call(long, String, Object[], Method)}'s way.
     */
    @Override
    public Object[] call(long id, String key, int keyId, Object[] args, Method method) throws InterruptedException {
        Conn c = last;
        if (c == null || c.owner != Thread.currentThread() || closed) {
            c = channel();
            last = c;
        }
        int[] indexes = c.indexes;
        int index = keyId < indexes.length ? indexes[keyId] - 1 : -1;
        if (index < 0 || !CompactFrames.request(c.out, id, index, args)) {
            return call(c, id, key, args);
        }
        return exchange(c, null, null);
    }

    @Override
    public Object[] call(long id, String key, Object[] args, Method method) throws InterruptedException {
        return call(channel(), id, key, args);
    }

    private Object[] call(Conn c, long id, String key, Object[] args) throws InterruptedException {
        Object k = c.keys.get(key);
        String definition = null;
        if (k == null) {
            if (c.keys.size() < Protocol.MAX_KEYS) {
                // defined by sending the key ahead of the call: a send that fails drops the channel and its keys
                Integer index = c.keys.size();
                c.keys.put(key, index);
                remember(c, keyId(key), index);
                definition = key;
                k = index;
            } else {
                k = key;
            }
        }
        boolean compact = k instanceof Integer && CompactFrames.request(c.out, id, (Integer) k, args);
        return exchange(c, definition, compact ? null : new Object[] {id, k, args});
    }

    /**
     * One round trip on a channel: a key's definition if one is due, the request (the compact frame in
     * {@code c.out} when {@code message} is null), then the answer.
     */
    private Object[] exchange(Conn c, String definition, Object[] message) throws InterruptedException {
        Channel ch = c.ch;
        try {
            if (definition != null) {
                ch.send(definition);
            }
            if (message == null) {
                ch.sendBytes(c.out.bytes, c.out.length);
            } else {
                ch.send(message);
            }
            Object reply = ch.recv();
            if (reply instanceof byte[]) {
                return new Object[] {Protocol.OK_STATUS, CompactFrames.readResponse((byte[]) reply)};
            }
            return (Object[]) reply;
        } catch (SerializationException e) {
            throw e;                                    // nothing sent, or the answer consumed: still in step
        } catch (IOException e) {
            dropChannel();
            throw gone(e);
        } catch (InterruptedException e) {
            dropChannel();                              // an answer may be pending: this channel is out of step
            throw e;
        }
    }

    /** Notes a key's index on a channel in its array by key number. */
    private static void remember(Conn c, int keyId, int index) {
        if (keyId >= c.indexes.length) {
            c.indexes = java.util.Arrays.copyOf(c.indexes, Math.max(2 * c.indexes.length, keyId + 1));
        }
        c.indexes[keyId] = index + 1;
    }

    /**
     * Makes a channel that is already open (the pipe to a server this process started) the calling thread's.
     *
     * @param ch the channel; closed with the endpoint's others.
     * @throws IllegalStateException if the thread has a channel already.
     */
    public void adopt(Channel ch) {
        if (channel.get() != null) {
            throw new IllegalStateException("this thread has a connection to " + address + " already");
        }
        channel.set(new Conn(ch));
        channels.add(ch);
    }

    private ManagerException gone(IOException e) {
        return new ManagerException("the manager at " + address + " is gone (its server process ended or closed "
                + "this connection): " + e, e);
    }

    @Override
    public void dropChannel() {
        Conn c = channel.get();
        if (c != null) {
            if (last == c) {
                last = null;
            }
            channel.remove();
            channels.remove(c.ch);
            c.ch.close();
        }
    }

    /**
     * Closes every connection of this endpoint and forgets it; proxies that use it later fail with
     * {@link ManagerException}. Harmless twice.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        ENDPOINTS.remove(key, this);
        for (Channel ch : channels) {
            ch.close();
        }
        channels.clear();
    }

    /**
     * Returns this process's endpoint for a manager, counting one more {@code Manager} object that uses it.
     *
     * @param address      the server.
     * @param authkey      the key.
     * @param sharedMemory whether to move to shared memory when the server is on this machine.
     * @return the endpoint; give it back with {@link #release()}.
     */
    public static ClientEndpoint lease(SocketAddress address, byte[] authkey, boolean sharedMemory) {
        while (true) {
            ClientEndpoint e = of(address, authkey, sharedMemory);
            synchronized (e) {
                if (!e.closed) {
                    e.leases++;
                    return e;
                }
            }
        }
    }

    /**
     * Returns this process's endpoint for a proxy attached from a handle: such proxies have no owner to close
     * them, so the endpoint then stays open until the process ends (or a manager that started the server
     * closes it).
     *
     * @param address      the server.
     * @param authkey      the key.
     * @param sharedMemory whether to move to shared memory when the server is on this machine.
     * @return the endpoint.
     */
    static ClientEndpoint pinned(SocketAddress address, byte[] authkey, boolean sharedMemory) {
        while (true) {
            ClientEndpoint e = of(address, authkey, sharedMemory);
            synchronized (e) {
                if (!e.closed) {
                    e.pinned = true;
                    return e;
                }
            }
        }
    }

    /**
     * Gives back a lease taken with {@link #lease}: the last one closes the endpoint, unless proxies attached
     * from handles use it.
     */
    public void release() {
        boolean close;
        synchronized (this) {
            close = --leases <= 0 && !pinned;
        }
        if (close) {
            close();
        }
    }

    /**
     * Closes this process's endpoint for a manager, if there is one.
     *
     * @param address      the server.
     * @param authkey      the key.
     * @param sharedMemory as given to {@link #of}.
     */
    public static void closeIfOpen(SocketAddress address, byte[] authkey, boolean sharedMemory) {
        ClientEndpoint e = ENDPOINTS.get(new Key(address, ByteBuffer.wrap(authkey.clone()), sharedMemory));
        if (e != null) {
            e.close();
        }
    }

    @Override
    public String toString() {
        return "ClientEndpoint[" + address + (sharedMemory ? ", shared memory" : ", socket") + "]";
    }
}
