package org.multiproc4j.benchmarks.sidebyside;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.multiproc4j.benchmarks.ipc.QueuePeers;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.JoinableSharedQueue;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.ipc.SharedQueue;
import org.multiproc4j.ipc.SimpleSharedQueue;

/**
 * {@code queue_throughput_1p1c}, {@code _4p1c}, {@code _2p2c}, {@code simplequeue_throughput_1p1c} and
 * {@code joinablequeue_roundtrip}, as {@code mp_bench.py} measures Python's {@code Queue}, {@code SimpleQueue}
 * and {@code JoinableQueue}.
 *
 * <p>Throughput: producer child JVMs put 100 000 integers in all while consumer child JVMs take them. Python
 * starts fresh processes for each trial and times from a start event to the last item taken; here the children
 * start once, in {@link #prepare}, and each trial is a round timed from the producers' go to the consumers'
 * counts (after one end marker per consumer); process start-up is outside both clocks. Joinable: {@code put;
 * join} round trips with one worker child doing {@code take; taskDone}, and a batch of puts then one join.
 * Idle policy: the default (spin 2 µs, yield 100 µs, park 1 µs..1 ms).
 */
public final class QueueWorkload implements Workload {
    private static final int ITEMS = 100_000;
    private static final int ROUNDTRIPS = 2_000;
    private static final int BATCH = 20_000;
    private static final Duration START = Duration.ofSeconds(60);

    private final String name;
    private final int producersCount;
    private final int consumersCount;
    private AutoCloseable queue;
    private Object anyQueue;
    private final List<Pipe> pipes = new ArrayList<>();
    private final List<Connection> producers = new ArrayList<>();
    private final List<Connection> consumers = new ArrayList<>();
    private final List<TaskFuture<Long>> children = new ArrayList<>();

    /**
     * Creates one of the queue workloads.
     *
     * @param name {@code queue_throughput_1p1c}, {@code queue_throughput_4p1c}, {@code queue_throughput_2p2c},
     *             {@code simplequeue_throughput_1p1c} or {@code joinablequeue_roundtrip}.
     */
    public QueueWorkload(String name) {
        this.name = name;
        this.producersCount = name.contains("4p") ? 4 : name.contains("2p") ? 2 : 1;
        this.consumersCount = name.contains("2c") ? 2 : 1;
    }

    private boolean joinable() {
        return name.startsWith("joinable");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        if (joinable()) {
            return "put + join round trip through a joinable queue with one worker child; batch of puts then join";
        }
        return producersCount + " producer" + (producersCount > 1 ? "s" : "") + ", " + consumersCount + " consumer"
                + (consumersCount > 1 ? "s" : "") + ": integers through one "
                + (name.startsWith("simple") ? "simple queue" : "queue");
    }

    @Override
    public String idleStrategy() {
        return "multiproc4j: default IdlePolicy (spin 2 µs, yield 100 µs, park 1 µs..1 ms); Python: blocking pipe "
                + "reads and semaphores";
    }

    private static int scaled(Settings s, int full) {
        return s.quick() ? Math.max(1, full / 20) : full;
    }

    @Override
    public Map<String, Object> parameters(Settings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (joinable()) {
            p.put("roundtrips", scaled(settings, ROUNDTRIPS));
            p.put("batch_items", scaled(settings, BATCH));
        } else {
            p.put("items", scaled(settings, ITEMS));
            p.put("producers", producersCount);
            p.put("consumers", consumersCount);
            p.put("item", "Integer (Python: int)");
            p.put("java_processes", "children started once; one trial = one round");
            p.put("python_processes", "fresh processes per trial, clock from a start event");
        }
        return p;
    }

    @Override
    public Map<String, String> pythonParameters(Settings settings) {
        if (joinable()) {
            return Map.of("roundtrips", Integer.toString(scaled(settings, ROUNDTRIPS)),
                    "batch", Integer.toString(scaled(settings, BATCH)));
        }
        return Map.of("items", Integer.toString(scaled(settings, ITEMS)));
    }

    @Override
    public List<Comparison> comparisons() {
        if (joinable()) {
            return List.of(
                    new Comparison("put + join round trip", "put+join", "put_join_roundtrip_us", "put_join_roundtrip_us"),
                    new Comparison("batch of puts, then one join", "batch+join", "batch_put_then_join_items_per_s",
                            "batch_put_then_join_items_per_s"));
        }
        return List.of(new Comparison("items per second, " + producersCount + "p" + consumersCount + "c", name,
                "items_per_s", "items_per_s"));
    }

    @Override
    public List<Target> targets() {
        if (name.startsWith("queue_throughput")) {
            return List.of(new Target("queue throughput ≥ 20× Python's Queue (ratio Python / multiproc4j)",
                    Target.Ref.python("items_per_s"), Target.Ref.java("items_per_s"), 1.0 / 20, "issue 5"));
        }
        return List.of();
    }

    @Override
    public Map<String, Object> prepare(Settings settings) throws Exception {
        JvmProcess.Options daemon = new JvmProcess.Options().daemon(true);
        if (joinable()) {
            JoinableSharedQueue<Integer> q = JoinableSharedQueue.create();
            queue = q;
            anyQueue = q;
            children.add(JvmProcess.call(() -> QueuePeers.joinableWorker(q), daemon));
            q.put(0);
            if (!q.join(START)) {
                throw new IllegalStateException("the joinable worker did not start");
            }
            return Map.of();
        }
        if (name.startsWith("simple")) {
            SimpleSharedQueue<Integer> q = SimpleSharedQueue.create();
            queue = q;
            anyQueue = q;
        } else {
            SharedQueue<Integer> q = SharedQueue.create();
            queue = q;
            anyQueue = q;
        }
        Object q = anyQueue;
        for (int i = 0; i < producersCount + consumersCount; i++) {
            boolean producer = i < producersCount;
            Pipe pipe = Pipe.open();
            pipes.add(pipe);
            Connection theirs = pipe.second();
            children.add(JvmProcess.call(() -> producer ? QueuePeers.producer(q, theirs)
                    : QueuePeers.consumer(q, theirs), daemon));
            theirs.close();
            (producer ? producers : consumers).add(pipe.first());
        }
        round(producersCount); // every child answers once before the first trial
        return Map.of();
    }

    private void round(int items) throws Exception {
        for (Connection c : consumers) {
            c.send(0);
        }
        for (int i = 0; i < producers.size(); i++) {
            producers.get(i).send(items / producers.size() + (i < items % producers.size() ? 1 : 0));
        }
        for (Connection p : producers) {
            p.recv(START);
        }
        for (int i = 0; i < consumers.size(); i++) {
            QueuePeers.put(anyQueue, QueuePeers.END_OF_ROUND);
        }
        int taken = 0;
        for (Connection c : consumers) {
            taken += (Integer) c.recv(START);
        }
        if (taken != items) {
            throw new IllegalStateException("consumers took " + taken + " of " + items + " items");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void runJava(TrialSet set, Settings settings) throws Exception {
        if (joinable()) {
            JoinableSharedQueue<Integer> q = (JoinableSharedQueue<Integer>) anyQueue;
            int k = scaled(settings, ROUNDTRIPS);
            int n = scaled(settings, BATCH);
            set.repeat(settings.warmup(), settings.trials(), () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < k; i++) {
                    q.put(i);
                    q.join();
                }
                long t1 = System.nanoTime();
                set.add("put_join_roundtrip_us", (t1 - t0) / 1e3 / k, "us", Better.LOWER);
                t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
                q.join();
                t1 = System.nanoTime();
                set.add("batch_put_then_join_items_per_s", n / ((t1 - t0) / 1e9), "items/s", Better.HIGHER);
            });
            return;
        }
        int items = scaled(settings, ITEMS);
        set.repeat(settings.warmup(), settings.trials(), () -> {
            long t0 = System.nanoTime();
            round(items);
            long t1 = System.nanoTime();
            set.add("items_per_s", items / ((t1 - t0) / 1e9), "items/s", Better.HIGHER);
        });
    }

    @Override
    public double estimatedSecondsPerSet(Settings settings) {
        return settings.quick() ? 0.5 : 2;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void close() {
        if (joinable() && anyQueue != null) {
            try {
                ((JoinableSharedQueue<Integer>) anyQueue).put(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Pipe p : pipes) {
            p.close();
        }
        for (TaskFuture<Long> f : children) {
            try {
                f.get(Duration.ofSeconds(10));
            } catch (Exception e) {
                f.process().kill();
            }
        }
        if (queue != null) {
            try {
                queue.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }
}
