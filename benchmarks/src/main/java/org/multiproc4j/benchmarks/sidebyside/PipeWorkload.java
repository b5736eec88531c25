package org.multiproc4j.benchmarks.sidebyside;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.multiproc4j.benchmarks.baseline.RingEcho;
import org.multiproc4j.benchmarks.ipc.PipePeers;
import org.multiproc4j.benchmarks.support.ShmFile;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.ipc.Pipe;

/**
 * {@code pipe_pingpong_small} and {@code pipe_pingpong_bytes}: round trips through a duplex {@link Pipe} to an
 * echoing child JVM, and one-way streaming of 1 MiB messages, as {@code mp_bench.py} measures Python's
 * {@code Pipe()} (a socketpair).
 *
 * <p>The small object is Python's {@code (123456789, 3.14159, "hello")}, an {@code Object[]} here. Both ends use
 * the default {@link IdlePolicy} (spin 2 µs, yield 100 µs, park up to 1 ms); {@code pipe_pingpong_small} also
 * measures the same pipe with both ends busy-spinning, and the raw-Agrona floor (16 bytes ping-ponged through
 * two bare {@code OneToOneRingBuffer}s, busy-spinning, {@code baseline.RingBufferPingPongBenchmark}'s peer), so
 * the ratio to the floor compares like with like. The default-policy children start in {@link #prepare} and
 * live for the run; the two busy-spinning peers run only while their own figures are taken.
 */
public final class PipeWorkload implements Workload {
    private static final Object[] SMALL = {123456789, 3.14159, "hello"};
    private static final int[] SIZES = {64, 65536, 1 << 20};
    private static final int[] SIZE_ROUNDS = {10_000, 2_000, 200};
    private static final int STREAM_SIZE = 1 << 20;
    private static final int STREAM_MESSAGES = 256;
    private static final Duration START = Duration.ofSeconds(60);

    private final boolean small;
    private final Peers peers = new Peers();

    /** The child JVMs and channels, closed by {@link #close()}. */
    private static final class Peers {
        Pipe pipe;
        Pipe spinPipe;
        Pipe streamPipe;
        Pipe streamIntoPipe;
        TaskFuture<Long> echo;
        TaskFuture<Long> spinEcho;
        TaskFuture<Long> sink;
        TaskFuture<Long> sinkInto;
        ShmFile ringFile;
        OneToOneRingBuffer ping;
        OneToOneRingBuffer pong;
        JvmProcess ringPeer;
    }

    private PipeWorkload(boolean small) {
        this.small = small;
    }

    /**
     * The {@code pipe_pingpong_small} workload.
     *
     * @return a new instance.
     */
    public static PipeWorkload small() {
        return new PipeWorkload(true);
    }

    /**
     * The {@code pipe_pingpong_bytes} workload.
     *
     * @return a new instance.
     */
    public static PipeWorkload bytes() {
        return new PipeWorkload(false);
    }

    @Override
    public String name() {
        return small ? "pipe_pingpong_small" : "pipe_pingpong_bytes";
    }

    @Override
    public String title() {
        return small ? "round trip of a small object through a duplex pipe to an echoing child"
                : "round trips of 64 B, 64 KiB and 1 MiB byte messages; one-way streaming of 1 MiB messages";
    }

    @Override
    public String idleStrategy() {
        return small ? "multiproc4j: default IdlePolicy (spin 2 µs, yield 100 µs, park 1 µs..1 ms) on both ends; "
                + "busyspin_* and raw_agrona_*: busy spin on both ends; Python: blocking socket reads"
                : "multiproc4j: default IdlePolicy (spin 2 µs, yield 100 µs, park 1 µs..1 ms); Python: blocking "
                + "socket reads";
    }

    private static int rounds(Settings s, int full) {
        return s.quick() ? Math.max(1, full / 20) : full;
    }

    @Override
    public Map<String, Object> parameters(Settings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (small) {
            p.put("rounds", rounds(settings, 10_000));
            p.put("message", "Object[] {123456789, 3.14159, \"hello\"} (Python: the same tuple)");
            p.put("raw_agrona_message", "16 bytes");
        } else {
            p.put("sizes_and_rounds", List.of(SIZES[0] + ":" + rounds(settings, SIZE_ROUNDS[0]),
                    SIZES[1] + ":" + rounds(settings, SIZE_ROUNDS[1]), SIZES[2] + ":" + rounds(settings, SIZE_ROUNDS[2])));
            p.put("stream", rounds(settings, STREAM_MESSAGES) + " messages of " + STREAM_SIZE + " bytes, then an "
                    + "empty one answered with the byte count");
            p.put("java_receive", "round trips: recvBytesInto a reused array; stream: recvBytes (a new array per "
                    + "message, like Python's recv_bytes), and stream_into: recvBytesInto");
        }
        p.put("ring_capacity", "1 MiB per direction (default)");
        return p;
    }

    @Override
    public Map<String, String> pythonParameters(Settings settings) {
        Map<String, String> p = new LinkedHashMap<>();
        if (small) {
            p.put("rounds", Integer.toString(rounds(settings, 10_000)));
        } else {
            p.put("size_rounds", SIZES[0] + ":" + rounds(settings, SIZE_ROUNDS[0]) + "," + SIZES[1] + ":"
                    + rounds(settings, SIZE_ROUNDS[1]) + "," + SIZES[2] + ":" + rounds(settings, SIZE_ROUNDS[2]));
            p.put("stream_msgs", Integer.toString(rounds(settings, STREAM_MESSAGES)));
        }
        return p;
    }

    @Override
    public List<Comparison> comparisons() {
        if (small) {
            return List.of(
                    new Comparison("round trip of (123456789, 3.14159, \"hello\")", "small RTT", "rtt_us", "rtt_us"),
                    new Comparison("one way (half the round trip)", "small one-way", "oneway_us", "oneway_us"));
        }
        return List.of(
                new Comparison("round trip, 64 B", "64 B RTT", "rtt_64B_us", "rtt_64B_us"),
                new Comparison("round trip, 64 KiB", "64 KiB RTT", "rtt_65536B_us", "rtt_65536B_us"),
                new Comparison("round trip, 1 MiB", "1 MiB RTT", "rtt_1048576B_us", "rtt_1048576B_us"),
                new Comparison("1 MiB messages streamed one way (Python: socketpair)", "1 MiB stream",
                        "stream_1048576B_oneway_MBps", "stream_1048576B_oneway_socketpair_MBps"));
    }

    @Override
    public List<Target> targets() {
        if (small) {
            return List.of(
                    new Target("small-object one-way latency ≥ 30× better than Python's Pipe",
                            Target.Ref.java("oneway_us"), Target.Ref.python("oneway_us"), 1.0 / 30, "issue 5"),
                    new Target("same pipe busy-spinning within 3× of the raw-Agrona floor (busy spin)",
                            Target.Ref.java("busyspin_rtt_us"), Target.Ref.java("raw_agrona_rtt_us"), 3.0, "issue 5"));
        }
        return List.of(new Target("1 MiB streaming ≥ 4× Python's send_bytes (ratio Python / multiproc4j)",
                Target.Ref.python("stream_1048576B_oneway_socketpair_MBps"),
                Target.Ref.java("stream_1048576B_oneway_MBps"), 0.25, "issue 5"));
    }

    @Override
    public Map<String, Object> prepare(Settings settings) throws Exception {
        JvmProcess.Options daemon = new JvmProcess.Options().daemon(true);
        if (small) {
            peers.pipe = Pipe.open();
            Connection e = peers.pipe.second();
            peers.echo = JvmProcess.call(() -> PipePeers.echoObjects(e), daemon);
            e.close();
            peers.pipe.first().send(SMALL);
            peers.pipe.first().recv(START);
        } else {
            peers.pipe = Pipe.open();
            Connection e = peers.pipe.second();
            int max = SIZES[SIZES.length - 1];
            peers.echo = JvmProcess.call(() -> PipePeers.echoBytes(e, max), daemon);
            e.close();
            peers.streamPipe = Pipe.open();
            Connection s = peers.streamPipe.second();
            peers.sink = JvmProcess.call(() -> PipePeers.sink(s, false, STREAM_SIZE), daemon);
            s.close();
            peers.streamIntoPipe = Pipe.open();
            Connection si = peers.streamIntoPipe.second();
            peers.sinkInto = JvmProcess.call(() -> PipePeers.sink(si, true, STREAM_SIZE), daemon);
            si.close();
            peers.pipe.first().sendBytes(new byte[1]);
            peers.pipe.first().recvBytes(START);
            for (Pipe p : List.of(peers.streamPipe, peers.streamIntoPipe)) {
                p.first().sendBytes(new byte[0]);
                p.first().recv(START);
            }
        }
        return Map.of();
    }

    /**
     * Starts the busy-spinning pipe peer. It runs only while its figures are taken, and never beside the raw
     * ring's peer: on a 2-core machine a third spinning process would take a core from the pair measured.
     */
    private void startSpinningPipePeer() throws Exception {
        peers.spinPipe = Pipe.open(new ChannelOptions().idle(IdlePolicy.busySpin()));
        Connection s = peers.spinPipe.second();
        peers.spinEcho = JvmProcess.call(() -> PipePeers.echoObjects(s), new JvmProcess.Options().daemon(true));
        s.close();
        peers.spinPipe.first().send(SMALL);
        peers.spinPipe.first().recv(START);
        for (int i = 0; i < 100_000; i++) { // the fresh child compiles its loop before the warm-up trial
            peers.spinPipe.first().send(SMALL);
            peers.spinPipe.first().recv();
        }
    }

    private void stopSpinningPipePeer() {
        if (peers.spinPipe != null) {
            peers.spinPipe.close();
            awaitQuietly(peers.spinEcho);
            peers.spinPipe = null;
            peers.spinEcho = null;
        }
    }

    private void stopRawPeer() {
        if (peers.ringPeer != null) {
            peers.ping.write(RingEcho.QUIT, raw, 0, 16);
            try {
                peers.ringPeer.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            peers.ringPeer.close();
            peers.ringPeer = null;
        }
        if (peers.ringFile != null) {
            try {
                peers.ringFile.close();
            } catch (Exception e) {
                // best effort
            }
            peers.ringFile = null;
        }
    }

    private void startRawPeer() throws Exception {
        int capacity = 64 * 1024;
        int ring = RingEcho.ringBytes(capacity);
        peers.ringFile = ShmFile.create("mp4j-bench-ring", 2 * ring);
        peers.ping = new OneToOneRingBuffer(new UnsafeBuffer(peers.ringFile.buffer(), 0, ring));
        peers.pong = new OneToOneRingBuffer(new UnsafeBuffer(peers.ringFile.buffer(), ring, ring));
        String path = peers.ringFile.path().toString();
        peers.ringPeer = new JvmProcess(() -> RingEcho.echo(path, capacity), new JvmProcess.Options().daemon(true));
        peers.ringPeer.start();
        rawRoundTrips(1, START.toNanos());
        rawRoundTrips(100_000, START.toNanos()); // the fresh child compiles its loop before the warm-up trial
    }

    private final UnsafeBuffer raw = new UnsafeBuffer(new byte[16]);
    private long pongs;
    private final MessageHandler countPong = (int type, MutableDirectBuffer b, int i, int l) -> pongs++;

    private void rawRoundTrips(int n, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        for (int k = 0; k < n; k++) {
            while (!peers.ping.write(RingEcho.PING, raw, 0, 16)) {
                Thread.onSpinWait();
            }
            long before = pongs;
            while (pongs == before) {
                if (peers.pong.read(countPong) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the raw ring peer did not answer");
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Override
    public void runJava(TrialSet set, Settings settings) throws Exception {
        if (small) {
            int n = rounds(settings, 10_000);
            Connection c = peers.pipe.first();
            set.repeat(settings.warmup(), settings.trials(), () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    c.send(SMALL);
                    c.recv();
                }
                long t1 = System.nanoTime();
                double rtt = (t1 - t0) / 1e3 / n;
                set.add("rtt_us", rtt, "us", Better.LOWER);
                set.add("oneway_us", rtt / 2, "us", Better.LOWER);
                set.add("roundtrips_per_s", n / ((t1 - t0) / 1e9), "1/s", Better.HIGHER);
            });
            startSpinningPipePeer();
            try {
                Connection spin = peers.spinPipe.first();
                set.repeat(settings.warmup(), settings.trials(), () -> {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        spin.send(SMALL);
                        spin.recv();
                    }
                    set.add("busyspin_rtt_us", (System.nanoTime() - t0) / 1e3 / n, "us", Better.LOWER);
                });
            } finally {
                stopSpinningPipePeer();
            }
            startRawPeer();
            try {
                set.repeat(settings.warmup(), settings.trials(), () -> {
                    long t0 = System.nanoTime();
                    rawRoundTrips(n, 60_000_000_000L);
                    set.add("raw_agrona_rtt_us", (System.nanoTime() - t0) / 1e3 / n, "us", Better.LOWER);
                });
            } finally {
                stopRawPeer();
            }
            return;
        }
        Connection c = peers.pipe.first();
        for (int k = 0; k < SIZES.length; k++) {
            int size = SIZES[k];
            int n = rounds(settings, SIZE_ROUNDS[k]);
            byte[] msg = new byte[size];
            for (int i = 0; i < size; i++) {
                msg[i] = (byte) i;
            }
            byte[] back = new byte[size];
            set.repeat(settings.warmup(), settings.trials(), () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    c.sendBytes(msg);
                    c.recvBytesInto(back);
                }
                long t1 = System.nanoTime();
                double rtt = (t1 - t0) / 1e3 / n;
                set.add("rtt_" + size + "B_us", rtt, "us", Better.LOWER);
                set.add("oneway_" + size + "B_us", rtt / 2, "us", Better.LOWER);
            });
        }
        int messages = rounds(settings, STREAM_MESSAGES);
        byte[] mib = new byte[STREAM_SIZE];
        for (int i = 0; i < STREAM_SIZE; i++) {
            mib[i] = (byte) (i * 7);
        }
        stream(set, settings, peers.streamPipe.first(), "stream_1048576B_oneway_MBps", mib, messages);
        stream(set, settings, peers.streamIntoPipe.first(), "stream_into_1048576B_oneway_MBps", mib, messages);
    }

    private static void stream(TrialSet set, Settings settings, Connection c, String metric, byte[] mib, int messages)
            throws Exception {
        set.repeat(settings.warmup(), settings.trials(), () -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                c.sendBytes(mib);
            }
            c.sendBytes(new byte[0]);
            long got = (Long) c.recv();
            long t1 = System.nanoTime();
            if (got != (long) mib.length * messages) {
                throw new IllegalStateException("the sink counted " + got + " bytes");
            }
            set.add(metric, got / 1e6 / ((t1 - t0) / 1e9), "MB/s", Better.HIGHER);
        });
    }

    @Override
    public double estimatedSecondsPerSet(Settings settings) {
        return settings.quick() ? 1 : small ? 3 : 4;
    }

    @Override
    public void close() {
        for (Pipe p : new Pipe[] {peers.pipe, peers.streamPipe, peers.streamIntoPipe}) {
            if (p != null) {
                p.close();
            }
        }
        for (TaskFuture<Long> f : java.util.Arrays.asList(peers.echo, peers.sink, peers.sinkInto)) {
            awaitQuietly(f);
        }
        stopSpinningPipePeer();
        stopRawPeer();
    }

    private static void awaitQuietly(TaskFuture<Long> f) {
        if (f == null) {
            return;
        }
        try {
            f.get(Duration.ofSeconds(10));
        } catch (Exception e) {
            f.process().kill();
        }
    }
}
