package org.multiproc4j.manager.internal;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.ipc.net.AuthenticationException;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.net.ConnectionOptions;
import org.multiproc4j.ipc.net.Listener;
import org.multiproc4j.ipc.net.SocketConnection;

/**
 * The manager's server: owns the shared objects, accepts authenticated clients and serves each connection
 * in a thread of its own, as Python's {@code multiprocessing.managers.Server} does.
 */
public final class Server implements Dispatcher, AutoCloseable {
    /** How long a new client has to say hello after authenticating. */
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    /** Servers running in this JVM, by address: a proxy attached here calls its object directly. */
    private static final ConcurrentHashMap<SocketAddress, Server> LOCAL = new ConcurrentHashMap<>();
    private static final ThreadLocal<Session> SESSION = new ThreadLocal<>();
    private static final Map<Class<?>, Map<String, Method>> METHODS = new ConcurrentHashMap<>();

    private final Listener listener;
    private final SocketAddress address;
    private final byte[] authkey;
    private final ConcurrentHashMap<Long, Entry> objects = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Type> types = new ConcurrentHashMap<>();
    private final Set<Class<?>> proxiedTypes = ConcurrentHashMap.newKeySet();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Counted down when the first {@link #close()} has finished (the listener closed, its socket file deleted). */
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private volatile boolean closed;

    /**
     * A shared object and the interface through which it is used. A class, not a record: a session keeps the
     * entry it served last, and {@link #released} tells it that the object was released meanwhile.
     */
    private static final class Entry {
        final long id;
        final Object target;
        final Class<?> type;
        /** Whether the interface is a {@link Map} or a {@link List}: the calls {@link Direct} makes. */
        final boolean map;
        final boolean list;
        volatile boolean released;

        Entry(long id, Object target, Class<?> type) {
            this.id = id;
            this.target = target;
            this.type = type;
            this.map = Map.class.isAssignableFrom(type) && target instanceof Map;
            this.list = List.class.isAssignableFrom(type) && target instanceof List;
        }
    }

    /**
     * The methods of a map and a list that most calls are, made by a plain interface call instead of
     * {@link Method#invoke}: named by their method key, they are the same virtual method of the target that
     * reflection would call, so only the way of calling differs (no argument array copy, no accessor, no
     * wrapped exception).
     */
    static final class Direct {
        static final int NONE = 0;
        static final int MAP_GET = 1;
        static final int MAP_PUT = 2;
        static final int MAP_CONTAINS_KEY = 3;
        /** {@code size()}, of a map or a list. */
        static final int SIZE = 4;
        static final int LIST_ADD = 5;
        static final int LIST_GET = 6;

        private Direct() {
        }

        /** The direct call of a method key, or {@link #NONE}. */
        static int of(String key) {
            switch (key) {
                case "get(java.lang.Object)":
                    return MAP_GET;
                case "put(java.lang.Object,java.lang.Object)":
                    return MAP_PUT;
                case "containsKey(java.lang.Object)":
                    return MAP_CONTAINS_KEY;
                case "size()":
                    return SIZE;
                case "add(java.lang.Object)":
                    return LIST_ADD;
                case "get(int)":
                    return LIST_GET;
                default:
                    return NONE;
            }
        }
    }

    /** A type the server can create: its interface and its factory. */
    private record Type(Class<?> type, Factory factory) {
    }

    /** Makes a new shared object from the arguments of a create request. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Makes the object.
         *
         * @param args the arguments.
         * @return the object.
         * @throws Exception whatever the factory throws.
         */
        Object make(Object[] args) throws Exception;
    }

    /**
     * Binds a server to an address; clients are served once {@link #serve()} runs.
     *
     * @param address where to listen; a Unix socket's file is made readable and writable by its owner only.
     * @param authkey the key clients must hold.
     * @param options the socket options (codec, handshake timeout).
     * @throws IOException if the address cannot be bound.
     */
    public Server(SocketAddress address, byte[] authkey, ConnectionOptions options) throws IOException {
        this.listener = new Listener(address, authkey, options);
        this.address = listener.address();
        this.authkey = authkey.clone();
        if (address instanceof UnixDomainSocketAddress) {
            try {
                Files.setPosixFilePermissions(((UnixDomainSocketAddress) address).getPath(),
                        PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions are what protects it
            }
        }
        BuiltIns.registerAll(this);
        LOCAL.put(this.address, this);
    }

    /**
     * Returns the server of this JVM listening at an address, if any.
     *
     * @param address the address.
     * @return the server, or {@code null}.
     */
    static Server local(SocketAddress address) {
        return LOCAL.get(address);
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
        return true;
    }

    /**
     * Adds a type the server can create.
     *
     * @param typeid  the type's name.
     * @param type    the interface its proxies implement.
     * @param factory makes an instance.
     */
    public void define(String typeid, Class<?> type, Factory factory) {
        types.put(typeid, new Type(type, factory));
    }

    /**
     * Serves clients until {@link #close()} or a shutdown request.
     */
    public void serve() {
        try {
            while (!closed) {
                SocketConnection conn;
                try {
                    conn = listener.accept();
                } catch (AuthenticationException e) {
                    System.err.println("multiproc4j manager at " + address + ": refused a client: " + e.getMessage());
                    continue;
                } catch (IOException | InterruptedException e) {
                    if (!closed) {
                        System.err.println("multiproc4j manager at " + address + ": stops listening: " + e);
                    }
                    break;
                }
                Session s = new Session(conn);
                sessions.add(s);
                Thread t = new Thread(s::run, "multiproc4j-manager-session-" + conn.remoteAddress());
                t.setDaemon(true);
                t.start();
            }
        } finally {
            close();
            awaitCloseDone();
            stopped.countDown();
        }
    }

    /**
     * Waits (a bounded time) until the first {@link #close()} has finished: a shutdown request closes in another
     * thread, and the stand-alone server's JVM, which exits when {@link #serve()} returns, must not end before
     * that thread has deleted the socket file.
     */
    private void awaitCloseDone() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                closeDone.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Serves one client over a channel that needs no greeting, in a new daemon thread: the pipe through which
     * the process that started the server talks to it first.
     *
     * @param channel the channel.
     */
    public void serve(Channel channel) {
        Session s = new Session(channel);
        sessions.add(s);
        Thread t = new Thread(s::run, "multiproc4j-manager-session-starter");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits until {@link #serve()} has returned.
     *
     * @param timeout how long to wait.
     * @return whether it has.
     * @throws InterruptedException if interrupted.
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Stops listening and ends every session; shared objects are dropped. Harmless twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LOCAL.remove(address, this);
            listener.close();
            for (Session s : sessions) {
                s.end();
            }
        } finally {
            closeDone.countDown();
        }
    }

    // ------------------------------------------------------------------------------------------- sessions

    /**
     * Throws if the client whose call this thread is serving went away (used by blocking operations, which
     * wait in slices so that a dead client's call ends).
     *
     * @throws ClientGoneException if the client is gone or the server is closing.
     */
    public static void checkClient() {
        Session s = SESSION.get();
        if (s != null && (s.server().closed || s.channel != null && s.channel.poll())) {
            throw new ClientGoneException();
        }
    }

    /**
     * The session this thread serves, or {@code null} in a thread that serves none (a local call).
     *
     * @return an opaque owner token for locks.
     */
    public static Object currentOwner() {
        Session s = SESSION.get();
        return s != null ? s : Thread.currentThread();
    }

    /**
     * Registers what to do when the current session ends (its client closed, exited or died): releasing the
     * locks it holds.
     *
     * @param owner   the owner token from {@link #currentOwner()}.
     * @param cleanup what to run; it runs at most once.
     */
    public static void onEnd(Object owner, Runnable cleanup) {
        if (owner instanceof Session) {
            ((Session) owner).cleanups.add(cleanup);
        }
    }

    /**
     * Forgets a cleanup registered with {@link #onEnd} (the lock was released normally).
     *
     * @param owner   the owner token.
     * @param cleanup the cleanup.
     */
    public static void offEnd(Object owner, Runnable cleanup) {
        if (owner instanceof Session) {
            ((Session) owner).cleanups.remove(cleanup);
        }
    }

    /** Thrown inside the server when the client of a blocked call went away. */
    public static final class ClientGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGoneException() {
            super("the client went away", null, false, false);
        }
    }

    private final class Session {
        private final SocketConnection socket;
        private final Set<Runnable> cleanups = ConcurrentHashMap.newKeySet();
        private volatile Channel channel;
        /** The method keys the client defined, by index. Used by the session's thread only. */
        private final List<String> keys = new ArrayList<>();
        /** By index, the {@link Direct} call of each key. Used by the session's thread only. */
        private int[] direct = new int[16];
        /** The object this session served last (see {@link Entry#released}). Session's thread only. */
        private Entry last;
        /** The compact response being written. Used by the session's thread only. */
        private final CompactFrames.Out out = new CompactFrames.Out();

        Session(SocketConnection socket) {
            this.socket = socket;
        }

        /** A session over a channel that needs no greeting (the starting process's pipe). */
        Session(Channel channel) {
            this.socket = null;
            this.channel = channel;
        }

        Server server() {
            return Server.this;
        }

        void run() {
            SESSION.set(this);
            try {
                if (socket != null) {
                    greet();
                }
                if (channel == null || closed) {
                    return;
                }
                Channel ch = channel;
                while (true) {
                    Object request;
                    try {
                        request = ch.recv();
                    } catch (org.multiproc4j.core.SerializationException e) {
                        ch.send(Protocol.error(e));
                        continue;
                    }
                    if (request instanceof String) {
                        define((String) request);
                        continue;
                    }
                    if (request instanceof byte[]) {
                        CompactFrames.Request q = CompactFrames.readRequest((byte[]) request);
                        Object[] response = dispatchIndexed(q.id, q.index, q.args);
                        if (((Integer) response[0]) == Protocol.OK && CompactFrames.response(out, response[1])) {
                            ch.sendBytes(out.bytes, out.length);
                        } else {
                            reply(ch, response);
                        }
                        if (closed) {
                            return;
                        }
                        continue;
                    }
                    Object[] r = (Object[]) request;
                    Object k = r[1];
                    Object[] response = k instanceof Integer ? dispatchIndexed(((Number) r[0]).longValue(),
                            (Integer) k, (Object[]) r[2])
                            : dispatch(((Number) r[0]).longValue(), (String) k, (Object[]) r[2]);
                    reply(ch, response);
                    if (closed) {
                        return;
                    }
                }
            } catch (EOFException | ClientGoneException e) {
                // the client is done (closed, exited or died)
            } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
                if (!closed) {
                    System.err.println("multiproc4j manager at " + address + ": a client's session ended: " + e);
                }
            } finally {
                end();
                sessions.remove(this);
                SESSION.remove();
            }
        }

        /** A method key the client will name by its index (see {@link Protocol}). */
        private void define(String key) throws IOException {
            if (keys.size() >= Protocol.MAX_KEYS) {
                throw new IOException("the client defined more than " + Protocol.MAX_KEYS + " method keys");
            }
            if (keys.size() == direct.length) {
                direct = java.util.Arrays.copyOf(direct, 2 * direct.length);
            }
            direct[keys.size()] = Direct.of(key);
            keys.add(key);
        }

        /** Sends a response through the codec; one whose value cannot be serialized goes back as that error. */
        private void reply(Channel ch, Object[] response) throws IOException, InterruptedException {
            try {
                ch.send(response);
            } catch (org.multiproc4j.core.SerializationException e) {
                ch.send(Protocol.error(e));
            }
        }

        private Object[] dispatchIndexed(long id, int index, Object[] args) {
            if (index < 0 || index >= keys.size()) {
                return Protocol.error(new IllegalArgumentException("method index " + index + " was never defined "
                        + "on this connection (" + keys.size() + " are)"));
            }
            int d = direct[index];
            if (d != Direct.NONE && id != Protocol.MANAGER) {
                Entry e = last;
                if (e == null || e.id != id || e.released) {
                    e = objects.get(id);
                    last = e;
                }
                if (e != null && (e.map || e.list)) {
                    Object[] r = Server.this.direct(e, d, args);
                    if (r != null) {
                        return r;
                    }
                }
            }
            return dispatch(id, keys.get(index), args);
        }

        /** Reads the client's greeting on the socket: a pipe end to move to, or staying on the socket. */
        private void greet() throws IOException, InterruptedException, TimeoutException {
            Object hello = socket.recv(HELLO_TIMEOUT);
            Object[] h = hello instanceof Object[] ? (Object[]) hello : new Object[0];
            if (h.length == 2 && Protocol.HELLO_PIPE.equals(h[0]) && h[1] instanceof Connection) {
                channel = Channel.of((Connection) h[1]);
                socket.send("ok");
                socket.close();
            } else if (h.length == 1 && Protocol.HELLO_SOCKET.equals(h[0])) {
                channel = Channel.of(socket);
                socket.send("ok");
            } else {
                socket.close();
            }
        }

        void end() {
            for (Runnable r : new ArrayList<>(cleanups)) {
                if (cleanups.remove(r)) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        System.err.println("multiproc4j manager at " + address + ": cleanup failed: " + e);
                    }
                }
            }
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            if (socket != null) {
                socket.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------- dispatch

    @Override
    public Object[] call(long id, String key, Object[] args, Method method) {
        return dispatch(id, key, args);
    }

    @Override
    public void dropChannel() {
        // a local call holds no channel
    }

    /**
     * Makes a {@link Direct} call on a map or a list, as {@link #dispatch} would through reflection.
     *
     * @return the response tuple, or {@code null} if this call is not one the target takes directly (the
     *         caller then dispatches it the general way, which also says what is wrong with it).
     */
    private Object[] direct(Entry e, int call, Object[] args) {
        int n = args == null ? 0 : args.length;
        Object result;
        try {
            if (e.map) {
                @SuppressWarnings("unchecked")
                Map<Object, Object> m = (Map<Object, Object>) e.target;
                if (call == Direct.MAP_GET && n == 1) {
                    result = m.get(args[0]);
                } else if (call == Direct.MAP_PUT && n == 2) {
                    result = m.put(args[0], args[1]);
                } else if (call == Direct.MAP_CONTAINS_KEY && n == 1) {
                    result = m.containsKey(args[0]);
                } else if (call == Direct.SIZE && n == 0) {
                    result = m.size();
                } else {
                    return null;
                }
            } else {
                @SuppressWarnings("unchecked")
                List<Object> l = (List<Object>) e.target;
                if (call == Direct.SIZE && n == 0) {
                    result = l.size();
                } else if (call == Direct.LIST_ADD && n == 1) {
                    result = l.add(args[0]);
                } else if (call == Direct.LIST_GET && n == 1 && args[0] instanceof Integer) {
                    result = l.get((Integer) args[0]);
                } else {
                    return null;
                }
            }
        } catch (ClientGoneException x) {
            throw x;
        } catch (RuntimeException | Error x) {
            return Protocol.error(x);
        }
        if (result != null && result == e.target) {
            return new Object[] {Protocol.PROXY, e.id, e.type.getName()};
        }
        return new Object[] {Protocol.OK_STATUS, copy(result)};
    }

    /**
     * Serves one request.
     *
     * @param id   the object.
     * @param key  the method key.
     * @param args the arguments.
     * @return the response tuple.
     */
    Object[] dispatch(long id, String key, Object[] args) {
        try {
            if (id == Protocol.MANAGER) {
                return manage(key, args);
            }
            Entry e = objects.get(id);
            if (e == null) {
                throw new IllegalStateException("the manager at " + address + " has no shared object #" + id
                        + " (it was released, or belongs to another manager)");
            }
            Method m = methods(e.type).get(key);
            if (m == null) {
                throw new UnsupportedOperationException(key + " is not a method of " + e.type.getName()
                        + ", the interface through which object #" + id + " is shared");
            }
            Object result;
            try {
                result = m.invoke(e.target, args == null ? new Object[0] : args);
            } catch (InvocationTargetException ite) {
                Throwable cause = ite.getCause();
                if (cause instanceof ClientGoneException) {
                    throw (ClientGoneException) cause;
                }
                return Protocol.error(cause);
            }
            if (result != null && result == e.target) {
                return new Object[] {Protocol.PROXY, e.id, e.type.getName()};
            }
            if (result != null && proxiedTypes.contains(m.getReturnType())) {
                return keep(result, m.getReturnType());
            }
            return new Object[] {Protocol.OK, copy(result)};
        } catch (ClientGoneException e) {
            throw e;
        } catch (IllegalAccessException | IllegalArgumentException e) {
            return Protocol.error(new IllegalArgumentException("cannot call " + key + " on shared object #" + id
                    + ": " + e.getMessage(), e));
        } catch (RuntimeException | Error e) {
            return Protocol.error(e);
        } catch (Exception e) {
            return Protocol.error(e);
        }
    }

    private Object[] manage(String key, Object[] args) throws Exception {
        switch (key) {
            case Protocol.PING:
                return new Object[] {Protocol.OK, "pong"};
            case Protocol.CREATE: {
                String typeid = (String) args[0];
                Type t = types.get(typeid);
                if (t == null) {
                    throw new IllegalArgumentException("no type '" + typeid + "' is registered with the manager at "
                            + address + "; registered: " + new java.util.TreeSet<>(types.keySet()));
                }
                Object target = t.factory.make(args.length > 1 ? (Object[]) args[1] : new Object[0]);
                if (target == null) {
                    throw new IllegalStateException("the factory of type '" + typeid + "' returned null");
                }
                if (!t.type.isInstance(target)) {
                    throw new ClassCastException("the factory of type '" + typeid + "' made a "
                            + target.getClass().getName() + ", which does not implement " + t.type.getName());
                }
                return keep(target, t.type);
            }
            case Protocol.REGISTER: {
                String typeid = (String) args[0];
                String typeName = (String) args[1];
                @SuppressWarnings("unchecked")
                SerializableCallable<Object> factory = (SerializableCallable<Object>) args[2];
                Class<?> type = Class.forName(typeName, false, contextLoader());
                if (!type.isInterface()) {
                    throw new IllegalArgumentException(typeName + " is not an interface: register an object by an "
                            + "interface its proxies can implement");
                }
                if (types.containsKey(typeid) && BuiltIns.isBuiltIn(typeid)) {
                    throw new IllegalArgumentException("'" + typeid + "' is a built-in type of the manager;"
                            + " register under another name");
                }
                define(typeid, type, a -> factory.call());
                proxiedTypes.add(type);
                return new Object[] {Protocol.OK, null};
            }
            case Protocol.DRAIN: {
                Entry e = objects.get(((Number) args[0]).longValue());
                if (e == null || !(e.target instanceof java.util.concurrent.BlockingQueue)) {
                    throw new IllegalStateException("no queue #" + args[0] + " in the manager at " + address);
                }
                List<Object> out = new ArrayList<>();
                @SuppressWarnings("unchecked")
                java.util.concurrent.BlockingQueue<Object> q = (java.util.concurrent.BlockingQueue<Object>) e.target;
                q.drainTo(out, ((Number) args[1]).intValue());
                return new Object[] {Protocol.OK, out};
            }
            case Protocol.RELEASE: {
                Entry e = objects.remove(((Number) args[0]).longValue());
                if (e != null) {
                    e.released = true;
                }
                return new Object[] {Protocol.OK, null};
            }
            case Protocol.SHUTDOWN:
                Thread stopper = new Thread(this::close, "multiproc4j-manager-shutdown");
                stopper.setDaemon(true);
                stopper.start();
                return new Object[] {Protocol.OK, null};
            default:
                throw new UnsupportedOperationException("unknown manager request " + key);
        }
    }

    private static ClassLoader contextLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : Server.class.getClassLoader();
    }

    private Object[] keep(Object target, Class<?> type) {
        long id = ids.incrementAndGet();
        objects.put(id, new Entry(id, target, type));
        return new Object[] {Protocol.PROXY, id, type.getName()};
    }

    /** The methods a proxy of {@code type} may call, by key: the interface's, and Object's three. */
    static Map<String, Method> methods(Class<?> type) {
        return METHODS.computeIfAbsent(type, t -> {
            Map<String, Method> m = new ConcurrentHashMap<>();
            for (Method method : t.getMethods()) {
                if (!Modifier.isStatic(method.getModifiers())) {
                    if (!Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                        method.trySetAccessible();      // an interface nested in a class, not public
                    }
                    m.putIfAbsent(Protocol.key(method), method);
                }
            }
            try {
                for (Method method : new Method[] {Object.class.getMethod("toString"),
                        Object.class.getMethod("hashCode"), Object.class.getMethod("equals", Object.class)}) {
                    m.putIfAbsent(Protocol.key(method), method);
                }
            } catch (NoSuchMethodException e) {
                throw new AssertionError(e);
            }
            return m;
        });
    }

    /** Results that are views of a shared object (a map's key set, a sub-list) travel as copies. */
    private static Object copy(Object value) {
        if (value instanceof Map.Entry && !(value instanceof AbstractMap.SimpleImmutableEntry)) {
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) value;
            return new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
        }
        if (value instanceof org.multiproc4j.core.Shareable) {
            return value;
        }
        if (value instanceof List) {
            return value.getClass() == ArrayList.class ? value : new ArrayList<>((List<?>) value);
        }
        if (value instanceof Set) {
            Set<Object> s = new LinkedHashSet<>();
            for (Object o : (Set<?>) value) {
                s.add(copy(o));
            }
            return s;
        }
        if (value instanceof Map) {
            return value.getClass() == LinkedHashMap.class ? value : new LinkedHashMap<>((Map<?, ?>) value);
        }
        if (value instanceof Collection) {
            return new ArrayList<>((Collection<?>) value);
        }
        return value;
    }
}
