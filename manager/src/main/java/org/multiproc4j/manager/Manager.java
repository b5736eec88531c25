package org.multiproc4j.manager;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.internal.StartTrace;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.ipc.net.ConnectionOptions;
import org.multiproc4j.manager.internal.Channel;
import org.multiproc4j.manager.internal.ClientEndpoint;
import org.multiproc4j.manager.internal.ProxyHandler;
import org.multiproc4j.manager.internal.Protocol;
import org.multiproc4j.manager.internal.Server;
import org.multiproc4j.manager.internal.ServerMain;

/**
 * A server process that owns shared objects, which other processes use through proxies: Python's
 * {@code multiprocessing.Manager()} ({@code SyncManager}, {@code BaseManager}). {@link #start()} starts the
 * server in a child JVM; {@link #connect(SocketAddress, byte[])} reaches one already running, on this machine
 * or another; {@link #serve(SocketAddress, byte[])} (or {@link #main(String[])}) runs one in the foreground.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedMap<String, String> d = manager.map();
 *     List<Integer> l = manager.list(List.of(9, 3));
 *     new JvmProcess(() -> {                       // the proxies travel to the child
 *         d.put("car", "ford");
 *         l.sort(null);
 *     }).start().join();
 *     System.out.println(d);                       // {car=ford}
 *     System.out.println(l);                       // [3, 9]
 * }
 * }</pre>
 *
 * <p><b>Proxies.</b> Each factory method ({@link #list()}, {@link #map()}, {@link #namespace()},
 * {@link #value(Object)}, ...) creates an object in the server and returns a proxy implementing the usual Java
 * interface ({@link List}, {@link java.util.concurrent.ConcurrentMap}, ...). Every method of the proxy is
 * one round trip, run atomically in the server; methods that return iterators or streams, or visit every
 * element ({@code forEach}), work on a snapshot taken in one round trip, and views ({@code keySet()},
 * {@code subList}) are copies. {@code toString}, {@code equals} and {@code hashCode} of collections follow
 * their interfaces' contracts on the server's contents; other proxies are equal when they stand for the
 * same object. Objects live as long as the server.
 *
 * <p><b>Processes.</b> A proxy captured by a task travels to the child as a small handle; the child opens its
 * own connection to the server (one per thread, so that a thread blocked in a queue holds up no other). A
 * client on the server's machine talks to it through a pipe in shared memory after authenticating on the
 * server's socket; a client elsewhere, or one that asks for it ({@link Options#sharedMemory(boolean)}),
 * stays on the socket. The code is the same.
 *
 * <p><b>Security.</b> Every connection proves it holds the authkey (HMAC challenges both ways, see
 * {@link org.multiproc4j.ipc.net.Listener}) before anything it sends is deserialized; a client with a wrong
 * key is refused and the server goes on serving the others. By default {@link #start()} listens on a Unix
 * socket in a directory only this user can enter, the socket file itself readable and writable only by its
 * owner, with a random 32-byte authkey: another user of the machine cannot connect. Listening on a TCP
 * address is an explicit choice ({@link Options#address(SocketAddress)}); authentication is not encryption.
 * Everything the server reads passes through the JDK codec's filter
 * ({@link org.multiproc4j.core.codec.JdkCodec}). Functions sent to run in the server (a {@code merge}'s) and
 * registered factories run there with the server's rights: hand the authkey only to code you trust, as with
 * Python's pickles.
 *
 * <p><b>Thread and process safety.</b> A manager and its proxies may be used by any number of threads and
 * processes at once. Each call is atomic in the server; sequences of calls are not (use {@link ManagedMap}'s
 * atomic methods, or a {@link #lock()}).
 *
 * <p><b>Memory consistency effects.</b> Calls through proxies of one object are totally ordered by the server;
 * a call that returns happens-before any call that the server handles after it, from any process. See
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> An exception thrown by a shared object in the server comes back to the caller: as the
 * same class when this JVM can make it and the method may throw it (an unchecked exception, or one it
 * declares), with a {@link org.multiproc4j.core.RemoteException} carrying the server's stack trace as its
 * cause; otherwise as that {@code RemoteException}. The server survives it. When the server is gone (shut
 * down, killed, its machine unreachable), every proxy call fails with {@link ManagerException} instead of
 * hanging: within about 10 ms over shared memory, as soon as the operating system closes the socket
 * otherwise. A client killed mid-call harms neither the server nor other clients; a lock it held is
 * released, and the next holder is told through {@link ManagedLock#ownerDied()}. A server started by
 * {@link #start()} never outlives the process that started it (even if that process is killed), and
 * {@link #close()} shuts it down.
 */
public final class Manager implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SocketAddress address;
    private final byte[] authkey;
    private final boolean sharedMemory;
    private final JvmProcess process;
    private final Path privateDirectory;
    private final ClientEndpoint endpoint;
    private volatile boolean closed;

    private Manager(SocketAddress address, byte[] authkey, boolean sharedMemory, JvmProcess process,
                    Path privateDirectory) {
        this.address = address;
        this.authkey = authkey.clone();
        this.sharedMemory = sharedMemory;
        this.process = process;
        this.privateDirectory = privateDirectory;
        this.endpoint = ClientEndpoint.lease(address, authkey, sharedMemory);
    }

    // ------------------------------------------------------------------------------------------- starting

    /**
     * Starts a manager's server in a child JVM, listening on a private Unix socket with a random authkey.
     *
     * @return the manager, whose server answers.
     * @throws ManagerException if the server could not be started or did not answer within
     *                          {@link Options#DEFAULT_START_TIMEOUT}.
     */
    public static Manager start() {
        return start(new Options());
    }

    /**
     * Starts a manager's server in a child JVM.
     *
     * @param options where it listens, its authkey, the transport of local clients, how long to wait.
     * @return the manager, whose server answers.
     * @throws ManagerException if the server could not be started (the address is in use, say) or did not
     *                          answer within {@link Options#startTimeout()}.
     */
    public static Manager start(Options options) {
        StartTrace.mark("manager: start()");
        Options o = new Options(Objects.requireNonNull(options, "options"));
        byte[] key = o.authkey == null ? randomKey() : o.authkey.clone();
        Path dir = null;
        SocketAddress bindTo = o.address;
        try {
            if (bindTo == null) {
                dir = Files.createTempDirectory("multiproc4j-manager-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                bindTo = UnixDomainSocketAddress.of(dir.resolve("socket"));
            }
        } catch (IOException e) {
            throw new ManagerException("cannot make a private directory for the manager's socket: " + e, e);
        }
        SocketAddress where = bindTo;
        JvmProcess child = null;
        Pipe control = Pipe.open();
        boolean done = false;
        try {
            Connection serversEnd = control.second();
            child = new JvmProcess(new ServerMain.Task(where, key, serversEnd),
                    new JvmProcess.Options().name("multiproc4j-manager")).start();
            serversEnd.close();
            Object[] answer;
            try {
                answer = (Object[]) control.first().recv(o.startTimeout);
            } catch (EOFException e) {
                child.join(Duration.ofSeconds(5));
                throw new ManagerException("the manager's server JVM ended before it listened on " + where
                        + (child.launchFailure().isPresent() ? ": " + child.launchFailure().get().getMessage()
                        : child.failure().map(f -> ": " + f.getMessage()).orElse(" (exit code "
                        + (child.isAlive() ? "none yet" : String.valueOf(child.exitCode())) + ")")), e);
            } catch (TimeoutException e) {
                throw new ManagerException("the manager's server did not listen on " + where + " within "
                        + o.startTimeout, e);
            }
            StartTrace.mark("manager: server answered");
            if (!"ready".equals(answer[0])) {
                throw new ManagerException("the manager's server could not listen on " + where + ": " + answer[1]);
            }
            Manager m = new Manager((SocketAddress) answer[1], key, o.sharedMemory, child, dir);
            if (o.sharedMemory) {
                m.endpoint.adopt(Channel.of(control.first()));   // this thread's connection, with no handshake
            } else {
                control.close();
            }
            done = true;
            return m;
        } catch (IOException e) {
            throw new ManagerException("lost the manager's server while it started: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerException("interrupted while the manager's server started", e);
        } finally {
            if (!done) {
                control.close();
                if (child != null) {
                    child.kill();
                    child.close();
                }
                deleteDirectory(dir);
            }
        }
    }

    /**
     * Connects to a manager's server that is already running, here or on another machine, by its address and
     * authkey (Python's {@code BaseManager(address, authkey).connect()}). Closing the returned manager leaves the
     * server running (see {@link #close()}).
     *
     * @param address the server's address ({@link #address()} of the manager that started it, or what
     *                {@link #main(String[])} printed).
     * @param authkey its authkey.
     * @return the manager.
     * @throws ManagerException if the server cannot be reached or refuses the key.
     */
    public static Manager connect(SocketAddress address, byte[] authkey) {
        return connect(address, authkey, true);
    }

    /**
     * Connects to a manager's server that is already running, choosing the transport.
     *
     * @param address      the server's address.
     * @param authkey      its authkey.
     * @param sharedMemory {@code true} to talk through shared memory when the server is on this machine,
     *                     {@code false} to stay on the socket.
     * @return the manager.
     * @throws ManagerException if the server cannot be reached or refuses the key.
     */
    public static Manager connect(SocketAddress address, byte[] authkey, boolean sharedMemory) {
        Objects.requireNonNull(address, "address");
        checkKey(authkey);
        Manager m = new Manager(address, authkey, sharedMemory, null, null);
        try {
            m.endpoint.ping();
        } catch (RuntimeException e) {
            m.closed = true;
            m.endpoint.release();
            throw e;
        }
        return m;
    }

    /**
     * Runs a manager's server in this thread until a client shuts it down ({@link #shutdown()}): Python's
     * {@code manager.get_server().serve_forever()}. A Unix socket's file is made readable and writable by its
     * owner only, and deleted when the server stops.
     *
     * @param address where to listen: a {@link UnixDomainSocketAddress} whose file does not exist yet, or an
     *                {@link InetSocketAddress} (port 0 lets the system choose; see {@link #main(String[])} for
     *                learning it).
     * @param authkey the key clients must hold.
     * @throws UncheckedIOException     if the address cannot be bound.
     * @throws IllegalArgumentException if the key is empty.
     */
    public static void serve(SocketAddress address, byte[] authkey) {
        Objects.requireNonNull(address, "address");
        checkKey(authkey);
        try (Server server = new Server(address, authkey, new ConnectionOptions())) {
            server.serve();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve a manager at " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs a stand-alone manager's server until a client shuts it down:
     * <pre class="shell">{@code
     * java -cp app.jar:multiproc4j-manager.jar:... org.multiproc4j.manager.Manager \
     *      --address 0.0.0.0:50000 --authkey-file secret.key
     * }</pre>
     * {@code --address} is {@code host:port} (TCP) or {@code unix:/path} (a Unix socket); the default is
     * {@code 127.0.0.1:0}. {@code --authkey-file} names a file whose bytes are the key; without it a random key
     * is made and printed in hexadecimal. The server prints {@code manager serving at <address>} once it
     * listens. Unlike one made by {@link #start()}, it does not end with the process that launched it.
     *
     * @param args the command line.
     * @throws IOException              if the key file cannot be read or the address bound.
     * @throws IllegalArgumentException on a bad command line (the message says what is wrong).
     */
    public static void main(String[] args) throws IOException {
        String addressText = "127.0.0.1:0";
        byte[] key = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--address") || a.equals("--authkey-file")) && i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            if (a.equals("--address")) {
                addressText = args[++i];
            } else if (a.equals("--authkey-file")) {
                key = Files.readAllBytes(Path.of(args[++i]));
            } else {
                throw new IllegalArgumentException("unknown argument '" + a
                        + "'; usage: Manager [--address host:port|unix:/path] [--authkey-file file]");
            }
        }
        if (key == null) {
            key = randomKey();
            System.out.println("manager authkey (hex) " + HexFormat.of().formatHex(key));
        }
        try (Server server = new Server(parseAddress(addressText), key, new ConnectionOptions())) {
            System.out.println("manager serving at " + formatAddress(server.address()));
            System.out.flush();
            server.serve();
        }
    }

    /**
     * Parses an address as {@link #main(String[])} takes it: {@code host:port}, {@code [v6-address]:port} or
     * {@code unix:/path}.
     *
     * @param text the address.
     * @return the socket address.
     * @throws IllegalArgumentException if it is neither form (the message quotes it).
     */
    public static SocketAddress parseAddress(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(text.substring("unix:".length()));
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("a manager's address is host:port or unix:/path, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a manager's address is host:port or unix:/path, got '" + text
                    + "' (the port is not a number)", e);
        }
        return new InetSocketAddress(host, port);
    }

    /**
     * Formats an address the way {@link #parseAddress(String)} reads it.
     *
     * @param address the address.
     * @return {@code host:port} or {@code unix:/path}.
     */
    public static String formatAddress(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return "unix:" + ((UnixDomainSocketAddress) address).getPath();
        }
        if (address instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) address;
            InetAddress ip = a.getAddress();
            String host = ip == null ? a.getHostString() : ip.getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(address);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static void checkKey(byte[] authkey) {
        Objects.requireNonNull(authkey, "authkey");
        if (authkey.length == 0) {
            throw new IllegalArgumentException("the authkey is empty");
        }
    }

    // ------------------------------------------------------------------------------------------- about it

    /**
     * Returns the server's address, for {@link #connect(SocketAddress, byte[])} from another process.
     *
     * @return the address.
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * Returns the authkey (a copy): with the address, what another process needs to connect.
     *
     * @return the key.
     */
    public byte[] authkey() {
        return authkey.clone();
    }

    /**
     * Returns the server's process id, when this manager started it.
     *
     * @return the pid, or empty for a manager reached with {@code connect}.
     */
    public OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    // ------------------------------------------------------------------------------------------- objects

    /**
     * Creates an empty list in the server (Python's {@code manager.list()}).
     *
     * @param <E> the elements' type.
     * @return its proxy, a {@link List} (see "Proxies" above for iteration and views).
     * @throws ManagerException if the server is gone.
     */
    public <E> List<E> list() {
        return create("list", List.class, (Object) null);
    }

    /**
     * Creates a list in the server holding copies of the given elements, in one round trip.
     *
     * @param <E>      the elements' type.
     * @param elements the first elements.
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <E> List<E> list(Collection<? extends E> elements) {
        return create("list", List.class, new java.util.ArrayList<>(elements));
    }

    /**
     * Creates a fixed-size list in the server (Python's {@code manager.Array(typecode, sequence)}): its
     * elements can be set, not added or removed ({@link UnsupportedOperationException}).
     *
     * @param <E>      the elements' type.
     * @param elements the elements.
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <E> List<E> array(Collection<? extends E> elements) {
        return create("array", List.class, new java.util.ArrayList<>(elements));
    }

    /**
     * Creates an empty map in the server (Python's {@code manager.dict()}).
     *
     * @param <K> the keys' type.
     * @param <V> the values' type.
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <K, V> ManagedMap<K, V> map() {
        return create("dict", ManagedMap.class, (Object) null);
    }

    /**
     * Creates a map in the server holding copies of the given entries, in one round trip.
     *
     * @param <K>     the keys' type.
     * @param <V>     the values' type.
     * @param entries the first entries (no {@code null} keys or values).
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <K, V> ManagedMap<K, V> map(Map<? extends K, ? extends V> entries) {
        return create("dict", ManagedMap.class, new java.util.LinkedHashMap<>(entries));
    }

    /**
     * Creates an empty map in the server: {@link #map()} under Python's name.
     *
     * @param <K> the keys' type.
     * @param <V> the values' type.
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <K, V> ManagedMap<K, V> dict() {
        return map();
    }

    /**
     * Creates an empty set in the server (iteration in the order elements were first added).
     *
     * @param <E> the elements' type.
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <E> Set<E> set() {
        return create("set", Set.class, (Object) null);
    }

    /**
     * Creates a set in the server holding copies of the given elements, in one round trip.
     *
     * @param <E>      the elements' type.
     * @param elements the first elements.
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <E> Set<E> set(Collection<? extends E> elements) {
        return create("set", Set.class, new java.util.ArrayList<>(elements));
    }

    /**
     * Creates an empty namespace in the server (Python's {@code manager.Namespace()}).
     *
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public Namespace namespace() {
        return create("namespace", Namespace.class);
    }

    /**
     * Creates a value in the server (Python's {@code manager.Value(typecode, value)}).
     *
     * @param <T>     the value's type.
     * @param initial the first value, {@code null} allowed; it must be serializable.
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <T> ManagedValue<T> value(T initial) {
        return create("value", ManagedValue.class, initial);
    }

    /**
     * Creates an unbounded queue in the server (Python's {@code manager.Queue()}).
     *
     * <pre>{@code
     * try (Manager manager = Manager.start()) {
     *     BlockingQueue<String> queue = manager.queue();
     *     new JvmProcess(() -> queue.put("hello from the child")).start().join();
     *     System.out.println(queue.poll(30, TimeUnit.SECONDS));   // hello from the child
     * }
     * }</pre>
     *
     * <p>Blocking methods ({@code put}, {@code take}, timed {@code offer} and {@code poll}) wait in the server;
     * a client killed while waiting takes nothing. {@code drainTo} moves the items in one round trip;
     * iteration walks a snapshot.
     *
     * @param <E> the items' type.
     * @return its proxy, a {@link BlockingQueue}.
     * @throws ManagerException if the server is gone.
     */
    public <E> BlockingQueue<E> queue() {
        return create("queue", BlockingQueue.class, (Object) null);
    }

    /**
     * Creates a queue in the server that holds at most {@code capacity} items (Python's
     * {@code manager.Queue(maxsize)}).
     *
     * @param <E>      the items' type.
     * @param capacity the most items it holds; {@code put} waits for room beyond it.
     * @return its proxy.
     * @throws IllegalArgumentException if {@code capacity} is not positive.
     * @throws ManagerException         if the server is gone.
     */
    public <E> BlockingQueue<E> queue(int capacity) {
        checkPositive("capacity", capacity);
        return create("queue", BlockingQueue.class, capacity);
    }

    /**
     * Creates an unbounded joinable queue in the server (Python's {@code manager.JoinableQueue()}).
     *
     * @param <E> the items' type.
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public <E> ManagedJoinableQueue<E> joinableQueue() {
        return create("joinableQueue", ManagedJoinableQueue.class, (Object) null);
    }

    /**
     * Creates a lock in the server (Python's {@code manager.Lock()}): not reentrant, and released with an
     * {@linkplain ManagedLock#ownerDied() owner-died} signal if its holder dies.
     *
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public ManagedLock lock() {
        return create("lock", ManagedLock.class);
    }

    /**
     * Creates a reentrant lock in the server (Python's {@code manager.RLock()}).
     *
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public ManagedLock reentrantLock() {
        return create("rlock", ManagedLock.class);
    }

    /**
     * Creates a condition, with its own reentrant lock, in the server (Python's {@code manager.Condition()}).
     *
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public ManagedCondition condition() {
        return create("condition", ManagedCondition.class);
    }

    /**
     * Creates a semaphore in the server (Python's {@code manager.Semaphore(permits)}).
     *
     * @param permits the initial permits.
     * @return its proxy.
     * @throws IllegalArgumentException if {@code permits} is negative.
     * @throws ManagerException         if the server is gone.
     */
    public ManagedSemaphore semaphore(int permits) {
        checkNotNegative(permits);
        return create("semaphore", ManagedSemaphore.class, permits);
    }

    /**
     * Creates a bounded semaphore in the server (Python's {@code manager.BoundedSemaphore(permits)}): releasing
     * it above {@code permits} fails.
     *
     * @param permits the initial and highest permits.
     * @return its proxy.
     * @throws IllegalArgumentException if {@code permits} is negative.
     * @throws ManagerException         if the server is gone.
     */
    public ManagedSemaphore boundedSemaphore(int permits) {
        checkNotNegative(permits);
        return create("boundedSemaphore", ManagedSemaphore.class, permits);
    }

    /**
     * Creates an event, cleared, in the server (Python's {@code manager.Event()}).
     *
     * @return its proxy.
     * @throws ManagerException if the server is gone.
     */
    public ManagedEvent event() {
        return create("event", ManagedEvent.class);
    }

    /**
     * Creates a barrier in the server (Python's {@code manager.Barrier(parties)}).
     *
     * @param parties how many parties must arrive.
     * @return its proxy.
     * @throws IllegalArgumentException if {@code parties} is not positive.
     * @throws ManagerException         if the server is gone.
     */
    public ManagedBarrier barrier(int parties) {
        checkPositive("parties", parties);
        return create("barrier", ManagedBarrier.class, parties);
    }

    private static void checkPositive(String what, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + n);
        }
    }

    private static void checkNotNegative(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative, got " + permits);
        }
    }

    // ------------------------------------------------------------------------------------------- user types

    /**
     * Registers a type of shared object under a name, so that {@link #create(String, Class)} makes instances of
     * it in the server (Python's {@code BaseManager.register(typeid, callable)}). Proxies implement
     * {@code type}; a method of it whose declared return type is itself a registered interface returns a
     * proxy of the object it returned (which stays in the server), any other method a copy of its result.
     * Calls from several clients run concurrently, as in Python: the object must be thread-safe.
     *
     * <pre>{@code
     * interface Counter {
     *     int incrementAndGet();
     * }
     *
     * final class SimpleCounter implements Counter {
     *     private int n;
     *     public synchronized int incrementAndGet() {
     *         return ++n;
     *     }
     * }
     *
     * try (Manager manager = Manager.start()) {
     *     manager.register("counter", Counter.class, SimpleCounter::new);
     *     Counter counter = manager.create("counter", Counter.class);
     *     new JvmProcess(() -> counter.incrementAndGet()).start().join();
     *     System.out.println(counter.incrementAndGet());    // 2
     * }
     * }</pre>
     *
     * @param <I>     the interface.
     * @param typeid  the name, unique in this server.
     * @param type    the interface proxies implement; the server must be able to load it (it has the
     *                starting process's class path when made by {@link #start()}).
     * @param factory makes an instance, in the server; it travels there, so it must be serializable, as a
     *                lambda or method reference written in the call is.
     * @throws IllegalArgumentException if {@code type} is not an interface or {@code typeid} names a built-in
     *                                  type.
     * @throws ManagerException         if the server is gone.
     */
    public <I> void register(String typeid, Class<I> type, SerializableCallable<? extends I> factory) {
        Objects.requireNonNull(typeid, "typeid");
        Objects.requireNonNull(factory, "factory");
        if (!Objects.requireNonNull(type, "type").isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface: register an object by an "
                    + "interface its proxies can implement");
        }
        callManager(Protocol.REGISTER, typeid, type.getName(), factory);
    }

    /**
     * Creates an instance of a registered type in the server.
     *
     * @param <I>    the interface.
     * @param typeid the name it was registered under.
     * @param type   the interface it was registered with (or a super-interface of it).
     * @return its proxy.
     * @throws IllegalArgumentException if no type has this name.
     * @throws ClassCastException       if the registered interface is not a {@code type}.
     * @throws ManagerException         if the server is gone.
     */
    public <I> I create(String typeid, Class<I> type) {
        return create(typeid, type, new Object[0]);
    }

    @SuppressWarnings("unchecked")
    private <T> T create(String typeid, Class<?> type, Object... args) {
        Object proxy = callManager(type, Protocol.CREATE, typeid, args);
        return (T) type.cast(proxy);
    }

    private Object callManager(String key, Object... args) {
        return callManager(Object.class, key, args);
    }

    private Object callManager(Class<?> expected, String key, Object... args) {
        ensureOpen();
        try {
            return ProxyHandler.result(endpoint, endpoint.call(Protocol.MANAGER, key, args, null), expected);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerException("interrupted while waiting for the manager at " + address, e);
        } catch (Throwable t) {
            throw new ManagerException("the manager at " + address + " failed: " + t, t);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ManagerException("this manager (" + address + ") is closed");
        }
    }

    // ------------------------------------------------------------------------------------------- ending

    /**
     * Stops the server: it closes every client's connection and drops its objects; proxies fail from then on
     * with {@link ManagerException}. For a manager made by {@link #start()}, waits for the server's JVM to end
     * (killing it after a few seconds if it does not). Harmless if the server is already gone.
     */
    public void shutdown() {
        if (closed) {
            return;
        }
        try {
            callManager(Protocol.SHUTDOWN);
        } catch (ManagerException e) {
            // gone already
        }
        close();
    }

    /**
     * For a manager made by {@link #start()}, {@link #shutdown()}; for one reached with {@code connect}, leaves
     * the server running and closes this process's connections to it once no other {@code Manager} object
     * of this process uses them and no proxy of it reached this process inside a task or a message (those
     * keep working until the process ends). Harmless twice.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (process != null) {
            try {
                ProxyHandler.result(endpoint, endpoint.call(Protocol.MANAGER, Protocol.SHUTDOWN, new Object[0], null),
                        Object.class);
            } catch (Throwable e) {
                // gone already
            }
        }
        closed = true;
        if (process != null) {
            endpoint.close();
        } else {
            endpoint.release();
        }
        if (process != null) {
            try {
                if (!process.join(Duration.ofSeconds(5))) {
                    process.kill();
                    process.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                process.kill();
                Thread.currentThread().interrupt();
            } finally {
                process.close();
                deleteDirectory(privateDirectory);
            }
        }
    }

    private static void deleteDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve("socket"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a stale private directory in the temp dir is harmless
        }
    }

    @Override
    public String toString() {
        return "Manager[" + formatAddress(address) + (process != null ? ", pid " + process.pid() : "")
                + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------- options

    /**
     * How {@link Manager#start(Options)} starts a server: where it listens, its authkey, how clients on its
     * machine talk to it, and how long to wait for it.
     *
     * <pre>{@code
     * import java.net.InetAddress;
     *
     * Manager.Options options = new Manager.Options()
     *         .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))   // TCP, a free port
     *         .sharedMemory(false);                                                  // stay on the socket
     * try (Manager manager = Manager.start(options)) {
     *     System.out.println(manager.address() instanceof InetSocketAddress);        // true
     * }
     * }</pre>
     *
     * <p>Not thread-safe: configure it in one thread; {@code start} copies it, so later changes do not affect
     * the manager.
     */
    public static final class Options {
        /** Default {@link #startTimeout()}: 60 seconds (a loaded machine boots a JVM slowly). */
        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
        /** Default {@link #sharedMemory()}: {@code true}. */
        public static final boolean DEFAULT_SHARED_MEMORY = true;

        private SocketAddress address;
        private byte[] authkey;
        private boolean sharedMemory = DEFAULT_SHARED_MEMORY;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        /** Creates options with every default. */
        public Options() {
        }

        /**
         * Copies options.
         *
         * @param other the options to copy.
         * @throws NullPointerException if {@code other} is {@code null}.
         */
        public Options(Options other) {
            address = other.address;
            authkey = other.authkey == null ? null : other.authkey.clone();
            sharedMemory = other.sharedMemory;
            startTimeout = other.startTimeout;
        }

        /**
         * Sets where the server listens.
         *
         * @param address an {@link InetSocketAddress} (port 0 lets the system choose; a non-loopback address
         *                lets other machines connect) or a {@link UnixDomainSocketAddress} whose file does not
         *                exist; {@code null} restores the default, a Unix socket in a new directory only this
         *                user can enter.
         * @return these options.
         * @throws IllegalArgumentException if the address is of another kind.
         */
        public Options address(SocketAddress address) {
            if (address != null && !(address instanceof InetSocketAddress)
                    && !(address instanceof UnixDomainSocketAddress)) {
                throw new IllegalArgumentException("address must be an InetSocketAddress or a UnixDomainSocketAddress,"
                        + " got " + address.getClass().getName());
            }
            this.address = address;
            return this;
        }

        /**
         * Returns where the server listens.
         *
         * @return the address, or empty for the default (a private Unix socket).
         */
        public Optional<SocketAddress> address() {
            return Optional.ofNullable(address);
        }

        /**
         * Sets the authkey.
         *
         * @param authkey the key, copied; {@code null} restores the default, 32 random bytes.
         * @return these options.
         * @throws IllegalArgumentException if the key is empty.
         */
        public Options authkey(byte[] authkey) {
            if (authkey != null && authkey.length == 0) {
                throw new IllegalArgumentException("authkey must not be empty, got 0 bytes");
            }
            this.authkey = authkey == null ? null : authkey.clone();
            return this;
        }

        /**
         * Returns the authkey.
         *
         * @return the key, as a read-only buffer over a copy (buffers with the same bytes are equal), or empty
         *         for the default (random).
         */
        public Optional<ByteBuffer> authkey() {
            return Optional.ofNullable(authkey == null ? null : ByteBuffer.wrap(authkey.clone()).asReadOnlyBuffer());
        }

        /**
         * Sets whether clients on the server's machine talk to it through shared memory (after authenticating
         * on its socket) or stay on the socket.
         *
         * @param sharedMemory {@code true} for shared memory; default {@value #DEFAULT_SHARED_MEMORY}.
         * @return these options.
         */
        public Options sharedMemory(boolean sharedMemory) {
            this.sharedMemory = sharedMemory;
            return this;
        }

        /**
         * Returns whether local clients use shared memory.
         *
         * @return the setting; default {@value #DEFAULT_SHARED_MEMORY}.
         */
        public boolean sharedMemory() {
            return sharedMemory;
        }

        /**
         * Sets how long {@code start} waits for the server's JVM to listen.
         *
         * @param timeout positive; default {@link #DEFAULT_START_TIMEOUT}.
         * @return these options.
         * @throws IllegalArgumentException if it is zero or negative.
         * @throws NullPointerException     if it is {@code null}.
         */
        public Options startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startTimeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Returns how long {@code start} waits for the server.
         *
         * @return the timeout; default {@link #DEFAULT_START_TIMEOUT}.
         */
        public Duration startTimeout() {
            return startTimeout;
        }

        @Override
        public String toString() {
            return "Manager.Options[address=" + (address == null ? "default" : formatAddress(address))
                    + ", authkey=" + (authkey == null ? "default" : authkey.length + " bytes")
                    + ", sharedMemory=" + sharedMemory + ", startTimeout=" + startTimeout + "]";
        }
    }
}
