package org.multiproc4j.benchmarks.ipc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.net.Client;
import org.multiproc4j.ipc.net.SocketConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Authenticated socket connections ({@code ipc.net}) against an echo server in a child JVM
 * ({@link SocketEcho}), over TCP on the loopback interface and over a Unix domain socket: the round trip of
 * the small object Python's {@code pipe_pingpong_small} sends ({@code (123456789, 3.14159, "hello")}, here a
 * {@code List}, JDK serialization), of 64 raw bytes, and the cost of connecting with the HMAC handshake in both
 * directions. Python's side: {@code multiprocessing.connection.Listener}/{@code Client} with an authkey.
 *
 * <p>Waiting: both sides block in {@code epoll} (a {@code Selector}); nothing spins.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SocketConnectionBenchmark {
    static final byte[] KEY = "benchmark authkey, 32 bytes long".getBytes(StandardCharsets.US_ASCII);
    static final List<Object> SMALL = List.of(123456789, 3.14159, "hello");

    /** The socket family. */
    @Param({"tcp", "unix"})
    public String transport;

    private Path dir;
    private JvmProcess server;
    private SocketAddress address;
    private SocketConnection objects;
    private SocketConnection bytes;
    private final byte[] payload = new byte[64];

    /**
     * Starts the echo server and connects the two echo connections.
     *
     * @throws Exception if the server does not come up.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("mp4j-bench-net");
        SocketAddress bind = transport.equals("tcp")
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)
                : UnixDomainSocketAddress.of(dir.resolve("echo.sock"));
        String file = dir.resolve("address").toString();
        server = JvmProcess.call(() -> {
            SocketEcho.serve(bind, file, KEY);
            return null;
        }, new JvmProcess.Options().daemon(true).name("socket-echo")).process();
        address = SocketEcho.awaitAddress(Path.of(file), Duration.ofSeconds(60));
        objects = Client.connect(address, KEY);
        objects.send("objects");
        bytes = Client.connect(address, KEY);
        bytes.send("bytes");
        objects.send(SMALL);
        if (!SMALL.equals(objects.recv())) {
            throw new IllegalStateException("the echo server did not echo");
        }
    }

    /**
     * One round trip of a small object.
     *
     * @return the echo.
     * @throws Exception on failure.
     */
    @Benchmark
    public Object roundTripSmallObject() throws Exception {
        objects.send(SMALL);
        return objects.recv();
    }

    /**
     * One round trip of 64 raw bytes.
     *
     * @return the echo.
     * @throws Exception on failure.
     */
    @Benchmark
    public byte[] roundTripBytes64() throws Exception {
        bytes.sendBytes(payload);
        return bytes.recvBytes();
    }

    /**
     * Connects, authenticates both ways, and closes.
     *
     * @return the connection (closed).
     * @throws Exception on failure.
     */
    @Benchmark
    public SocketConnection connectAuthenticateClose() throws Exception {
        SocketConnection c = Client.connect(address, KEY);
        c.close();
        return c;
    }

    /**
     * Stops the server and deletes the temporary directory.
     *
     * @throws Exception on failure.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            objects.close();
            bytes.close();
            try (SocketConnection quit = Client.connect(address, KEY)) {
                quit.send("quit");
            }
            if (!server.join(Duration.ofSeconds(10))) {
                System.err.println("the echo server did not quit within 10 s");
            }
        } finally {
            server.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
