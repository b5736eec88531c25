package org.multiproc4j.manager.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.internal.TaskWire;
import org.multiproc4j.core.spi.ChildWarmUp;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.ipc.net.ConnectionOptions;
import org.multiproc4j.manager.ManagedMap;

/**
 * Puts the manager's classes into the class-data archive children map (run by the JVM that trains it, see
 * {@link ChildWarmUp}): a manager's server and a child that uses proxies then map the manager's, the
 * sockets', the handshake's, the pipes' and the codec's classes, the security providers behind the HMAC and
 * the NIO classes of a Unix socket, instead of loading them from jars: a cold JVM otherwise spends much of a
 * manager's start, and of a child's first calls, doing that. The work is in steps (this class,
 * {@link Handshake}, {@link Sockets}, {@link Proxies}), each a provider of its own. None opens a file, socket
 * address or shared-memory segment: only a selector and two unbound socket channels, closed at once. In a spare
 * told it will become a manager's server, {@link #rehearse(String)} also lives a server's start on a socket and
 * pipe of its own, and closes them.
 */
public final class ManagerWarmUp implements ChildWarmUp {
    /** The classes a server and a client load on their paths (from class-loading logs, less what core loads). */
    static final List<String> CLASSES = List.of(
            "org.multiproc4j.manager.internal.Server",
            "org.multiproc4j.manager.internal.Server$Session",
            "org.multiproc4j.manager.internal.Server$Entry",
            "org.multiproc4j.manager.internal.Server$Type",
            "org.multiproc4j.manager.internal.Server$ClientGoneException",
            "org.multiproc4j.manager.internal.ServerMain",
            "org.multiproc4j.manager.internal.ServerMain$Task",
            "org.multiproc4j.manager.internal.BuiltIns",
            "org.multiproc4j.manager.internal.BuiltIns$DictImpl",
            "org.multiproc4j.manager.internal.Sync",
            "org.multiproc4j.manager.internal.Channel",
            "org.multiproc4j.manager.internal.Channel$OverConnection",
            "org.multiproc4j.manager.internal.ClientEndpoint$Conn",
            "org.multiproc4j.manager.internal.ClientEndpoint$Key",
            "org.multiproc4j.manager.internal.ProxyHandler$Plan",
            "org.multiproc4j.manager.internal.ClientEndpoint",
            "org.multiproc4j.manager.internal.Protocol",
            "org.multiproc4j.manager.internal.CompactFrames",
            "org.multiproc4j.manager.internal.CompactFrames$Out",
            "org.multiproc4j.manager.internal.CompactFrames$In",
            "org.multiproc4j.manager.internal.CompactFrames$Request",
            "org.multiproc4j.manager.internal.ProxyHandle",
            "org.multiproc4j.manager.internal.ProxyHandler",
            "org.multiproc4j.manager.Manager",
            "org.multiproc4j.manager.ManagerException",
            "org.multiproc4j.ipc.Pipe",
            "org.multiproc4j.ipc.PipeConnection",
            "org.multiproc4j.ipc.PipeConnection$ConnectionHandle",
            "org.multiproc4j.ipc.ChannelOptions",
            "org.multiproc4j.ipc.BrokenPipeException",
            "org.multiproc4j.ipc.internal.AgronaWire",
            "org.multiproc4j.ipc.internal.ChannelSegment",
            "org.multiproc4j.ipc.internal.Frames",
            "org.multiproc4j.ipc.internal.PipeDescriptor",
            "org.multiproc4j.ipc.internal.PipeEnd",
            "org.multiproc4j.ipc.internal.PipeReceiver",
            "org.multiproc4j.ipc.internal.PipeSender",
            "org.multiproc4j.ipc.internal.Sink",
            "org.multiproc4j.ipc.internal.Sink$1",
            "org.multiproc4j.ipc.internal.SmallRecords",
            "org.multiproc4j.ipc.internal.PeerWatch",
            "org.agrona.UnsafeApi",
            "org.agrona.concurrent.ControlledMessageHandler$Action",
            "org.multiproc4j.ipc.net.Client",
            "org.multiproc4j.ipc.net.Listener",
            "org.multiproc4j.ipc.net.SocketConnection",
            "org.multiproc4j.ipc.net.AuthenticationException",
            "org.multiproc4j.ipc.net.internal.FrameChannel",
            "org.multiproc4j.ipc.net.internal.Handshake",
            "org.multiproc4j.sharedmem.IdlePolicy",
            "org.multiproc4j.sharedmem.internal.TimedBackoffIdleStrategy",
            "org.multiproc4j.sharedmem.internal.Segments",
            "org.multiproc4j.sharedmem.internal.Segment",
            "org.multiproc4j.sharedmem.internal.SegmentUsers",
            "org.multiproc4j.sharedmem.internal.RetiredMappings",
            "org.multiproc4j.sharedmem.internal.ProcessIdentity",
            "org.multiproc4j.sharedmem.internal.LockWord",
            "org.agrona.concurrent.UnsafeBuffer",
            "org.agrona.concurrent.ringbuffer.OneToOneRingBuffer",
            "org.agrona.concurrent.ringbuffer.RingBufferDescriptor",
            "org.agrona.concurrent.ringbuffer.RecordDescriptor",
            "org.agrona.ExpandableArrayBuffer");

    /** How long a rehearsal waits for its server, and for its thread to end. */
    private static final Duration REHEARSAL_WAIT = Duration.ofSeconds(5);

    /** The interfaces of the built-in types whose proxies most programs make. */
    private static final List<Class<?>> TYPES = List.of(ManagedMap.class, List.class);

    /** Creates the warm-up (found by {@link java.util.ServiceLoader}). */
    public ManagerWarmUp() {
    }

    @Override
    public void warmUp() {
        prepare();
    }

    /** In a warm spare, initializes the same classes (no pipe, segment, socket or thread). */
    @Override
    public void prepare() {
        ChildWarmUp.initialize(ManagerWarmUp.class.getClassLoader(), CLASSES);
    }

    /**
     * In a warm spare whose parent expects it to become a manager's server ({@code taskClass} is
     * {@link ServerMain.Task}'s): {@link #rehearseServer()}. Other classes are ignored.
     */
    @Override
    public void rehearse(String taskClass) throws Exception {
        if (ServerMain.Task.class.getName().equals(taskClass)) {
            rehearseServer();
        }
    }

    /**
     * A server's start as a spare that becomes one lives it, on a socket and a pipe of its own: its task encoded as
     * {@code Manager.start()} sends it and decoded as the child does (attaching the pipe end through its handle),
     * then run on a thread up to its "ready" answer (the listener bound in a private directory, the built-in types
     * registered, the answer sent), which this step reads as the starting process does; then the server is closed.
     * The server's thread has ended, the pipe's segments are unlinked and the directory is deleted when it
     * returns.
     *
     * @return the server's answer: {@code ["ready", address]}.
     * @throws Exception if anything fails, or the server does not answer within 5 s.
     */
    static Object[] rehearseServer() throws Exception {
        Path dir = Files.createTempDirectory("multiproc4j-manager-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        SocketAddress where = UnixDomainSocketAddress.of(dir.resolve("socket"));
        List<AutoCloseable> attached = new ArrayList<>();
        Pipe control = Pipe.open();
        Thread server = null;
        try {
            byte[] task;
            List<Shareable> captured = new ArrayList<>();
            try {
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key); // the socket is private, and so is the key
                task = TaskWire.encodeTask(new ServerMain.Task(where, key, control.second()), captured);
            } finally {
                for (Shareable sh : captured) {
                    sh.handedOver(ProcessHandle.current());     // this process attaches them, below
                }
                control.second().close();                       // as Manager.start() does once the child has it
            }
            SerializableRunnable run = (SerializableRunnable) TaskWire.decodeTask(task,
                    ManagerWarmUp.class.getClassLoader(), attached);
            server = new Thread(() -> {
                try {
                    run.run();
                } catch (Exception ignored) {
                    // only a rehearsal
                }
            }, "multiproc4j-manager-rehearsal");
            server.setDaemon(true);
            server.start();
            return (Object[]) control.first().recv(REHEARSAL_WAIT);
        } finally {
            Server s = Server.local(where);
            if (s != null) {
                s.close();
            }
            control.first().close();
            if (server != null) {
                server.join(REHEARSAL_WAIT.toMillis());
            }
            for (int i = attached.size() - 1; i >= 0; i--) {
                try {
                    attached.get(i).close();
                } catch (Exception ignored) {
                    // closed with the pipe
                }
            }
            control.close();
            Files.deleteIfExists(dir.resolve("socket"));
            Files.deleteIfExists(dir);
        }
    }

    /** The handshake's HMAC: the first {@code Mac.getInstance} loads and verifies the security providers. */
    public static final class Handshake implements ChildWarmUp {
        /** Creates the step (found by {@link java.util.ServiceLoader}). */
        public Handshake() {
        }

        /**
         * In a warm spare: the same (the security providers' set-up, some 10 ms in a fresh JVM, which a manager's
         * server and every client's first call need to authenticate).
         */
        @Override
        public void prepare() throws Exception {
            warmUp();
        }

        @Override
        public void warmUp() throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            mac.doFinal(new byte[32]);
        }
    }

    /**
     * The NIO classes of a Unix-socket listener and client, and a call and its answer through the codec and as
     * compact frames.
     */
    public static final class Sockets implements ChildWarmUp {
        /** Creates the step (found by {@link java.util.ServiceLoader}). */
        public Sockets() {
        }

        @Override
        public void warmUp() throws Exception {
            try (Selector selector = Selector.open();
                 ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                 SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.configureBlocking(false);
                client.configureBlocking(false);
                client.register(selector, SelectionKey.OP_READ);
                selector.selectNow();
            }
            Codec codec = new ConnectionOptions().codec();
            Method put = Map.class.getMethod("put", Object.class, Object.class);
            String key = Protocol.key(put);
            Object[] request = {1L, 0, new Object[] {1, "v"}};
            Object[] answer = {Protocol.OK, 1};
            CompactFrames.Out out = new CompactFrames.Out();
            for (int i = 0; i < 2; i++) {
                codec.decode(codec.encode(key));
                codec.decode(codec.encode(request));
                codec.decode(codec.encode(answer));
                CompactFrames.request(out, 1L, 0, new Object[] {1, "v"});
                CompactFrames.readRequest(java.util.Arrays.copyOf(out.bytes, out.length));
                CompactFrames.response(out, 1L);
                CompactFrames.readResponse(java.util.Arrays.copyOf(out.bytes, out.length));
            }
        }
    }

    /**
     * The method tables the server dispatches through (and one reflective call) and the proxy classes a
     * client makes, for a map and a list; and a proxy's handle through JDK serialization, as a task that captures a proxy travels.
     */
    public static final class Proxies implements ChildWarmUp {
        /** Creates the step (found by {@link java.util.ServiceLoader}). */
        public Proxies() {
        }

        @Override
        public void warmUp() throws Exception {
            SocketAddress nowhere = UnixDomainSocketAddress.of("/nonexistent/multiproc4j-warm-up");
            Dispatcher none = new Unconnected(nowhere);
            for (Class<?> type : TYPES) {
                Server.methods(type);
                ProxyHandler.proxy(none, 1, type);
            }
            Server.methods(ManagedMap.class).get("size()").invoke(new BuiltIns.DictImpl<>()); // reflective dispatch
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(new ProxyHandle(nowhere, new byte[32], true, 1, List.class.getName()));
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                in.readObject();
            }
        }
    }

    /** A dispatcher for proxies that are made and dropped: never called. */
    private static final class Unconnected implements Dispatcher {
        private final SocketAddress address;

        Unconnected(SocketAddress address) {
            this.address = address;
        }

        @Override
        public SocketAddress address() {
            return address;
        }

        @Override
        public byte[] authkey() {
            return new byte[0];
        }

        @Override
        public boolean sharedMemory() {
            return true;
        }

        @Override
        public Object[] call(long id, String key, Object[] args, Method method) {
            throw new IllegalStateException("a warm-up proxy is never called");
        }

        @Override
        public void dropChannel() {
            // holds none
        }
    }
}
