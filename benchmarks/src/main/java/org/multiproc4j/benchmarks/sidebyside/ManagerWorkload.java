package org.multiproc4j.benchmarks.sidebyside;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.manager.ManagedMap;
import org.multiproc4j.manager.Manager;

/**
 * {@code manager_start}, {@code manager_dict_ops}, {@code manager_list_append} and {@code manager_proxy_rtt}, as
 * {@code mp_bench.py} measures Python's {@code Manager()}.
 *
 * <p>{@code manager_start}: {@link Manager#start()} returning (server JVM started and answering), then the first
 * {@code map().put}, then {@code close()}. {@code manager_dict_ops}: a child JVM does k {@code put(i, i)}, then k
 * {@code get(i)}, through a {@link ManagedMap} proxy (timed in the child). {@code manager_list_append}: a child
 * appends k ints to a list proxy. {@code manager_proxy_rtt}: the parent calls {@code list.size()} and
 * {@code map.get("k")} k times each, over shared memory (the default for a local client) and over the
 * manager's Unix socket ({@code Manager.connect(address, key, false)}). {@code manager_start_quiet}:
 * {@code manager_start} with an untimed pause of {@value #QUIET_PAUSE_MS} ms before each trial, so that starts are
 * far apart (the spare a start launches has booted and prepared), on both sides. One manager serves a whole trial set
 * of the last three, as in Python.
 */
public final class ManagerWorkload implements Workload {
    private static final int OPS = 5000;
    /** The untimed pause before each trial of {@code manager_start_quiet}. */
    static final long QUIET_PAUSE_MS = 1000;

    private final String name;
    private Manager manager;
    private Manager overSocket;

    /**
     * Creates one of the four workloads.
     *
     * @param name {@code manager_start}, {@code manager_dict_ops}, {@code manager_list_append} or
     *             {@code manager_proxy_rtt}.
     */
    public ManagerWorkload(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** The quiet start row is left to full runs: its trial is the start row's, after a pause of a second. */
    @Override
    public boolean inQuickRun() {
        return !name.endsWith("_quiet");
    }

    @Override
    public String title() {
        switch (name) {
            case "manager_start":
                return "a manager's server process started and answering; its first dict set; its shutdown";
            case "manager_start_quiet":
                return "manager_start with each trial after an untimed " + QUIET_PAUSE_MS + " ms pause (starts far "
                        + "apart; Python: spawn, the same pause)";
            case "manager_dict_ops":
                return "a child does k map puts, then k gets, through a proxy of the manager's map";
            case "manager_list_append":
                return "a child appends k ints to a proxy of the manager's list";
            default:
                return "parent-side proxy calls list.size() and map.get(key), one request/response each";
        }
    }

    @Override
    public String idleStrategy() {
        return "multiproc4j: the pipe's default IdlePolicy (spin 2 µs, yield 100 µs, park up to 1 ms) on both ends, "
                + "or, over a socket (socket_*), non-blocking reads with yields for up to 50 µs, then the selector; Python: blocking socket reads";
    }

    /** Whether this is one of the start workloads (no manager of its own). */
    private boolean start() {
        return name.equals("manager_start") || name.equals("manager_start_quiet");
    }

    private static int ops(Settings s) {
        return s.quick() ? OPS / 10 : OPS;
    }

    @Override
    public Map<String, Object> parameters(Settings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (!start()) {
            p.put("ops", ops(settings));
        }
        if (name.equals("manager_start_quiet")) {
            p.put("pause_ms", QUIET_PAUSE_MS);
        }
        p.put("transport", "local client: Unix-socket handshake, then a shared-memory pipe; socket_*: the Unix "
                + "socket");
        p.put("codec", "calls whose arguments and result are null, Integer, Long, String, Boolean or Double: the "
                + "manager's compact byte frames; others: JDK serialization with core's default filter (tuples of "
                + "scalars take the fast path)");
        return p;
    }

    @Override
    public Map<String, String> pythonParameters(Settings settings) {
        switch (name) {
            case "manager_start":
                return Map.of();
            case "manager_start_quiet":
                return Map.of("pause_s", Double.toString(QUIET_PAUSE_MS / 1000.0));
            case "manager_proxy_rtt":
                return Map.of("calls", Integer.toString(ops(settings)));
            default:
                return Map.of("ops", Integer.toString(ops(settings)));
        }
    }

    @Override
    public List<Comparison> comparisons() {
        switch (name) {
            case "manager_start":
                return List.of(
                        new Comparison("start (Python: spawn)", "start", "start_ms", "spawn_start_ms"),
                        new Comparison("start to first dict set (Python: spawn)", "first set",
                                "start_to_first_dict_set_ms", "spawn_start_to_first_dict_set_ms"),
                        new Comparison("shutdown (Python: spawn)", "shutdown", "shutdown_ms", "spawn_shutdown_ms"));
            case "manager_start_quiet":
                return List.of(
                        new Comparison("start after a pause (Python: spawn, same pause)", "start quiet", "start_ms",
                                "spawn_start_ms"),
                        new Comparison("start to first dict set after a pause (Python: spawn, same pause)",
                                "first set quiet", "start_to_first_dict_set_ms", "spawn_start_to_first_dict_set_ms"));
            case "manager_dict_ops":
                return List.of(
                        new Comparison("map puts per second from a child", "puts", "child_set_ops_per_s",
                                "child_set_ops_per_s"),
                        new Comparison("map gets per second from a child", "gets", "child_get_ops_per_s",
                                "child_get_ops_per_s"));
            case "manager_list_append":
                return List.of(new Comparison("list appends per second from a child", "appends",
                        "child_append_ops_per_s", "child_append_ops_per_s"));
            default:
                return List.of(
                        new Comparison("list.size() round trip, shared memory", "size shm", "list_len_rtt_us",
                                "list_len_rtt_us"),
                        new Comparison("map.get round trip, shared memory", "get shm", "dict_getitem_rtt_us",
                                "dict_getitem_rtt_us"),
                        new Comparison("list.size() round trip, Unix socket", "size socket",
                                "socket_list_len_rtt_us", "list_len_rtt_us"),
                        new Comparison("map.get round trip, Unix socket", "get socket", "socket_dict_getitem_rtt_us",
                                "dict_getitem_rtt_us"));
        }
    }

    @Override
    public List<Target> targets() {
        switch (name) {
            case "manager_start":
                return List.of(new Target("manager start ≤ 0.5× Python's spawn Manager()",
                        Target.Ref.java("start_ms"), Target.Ref.python("spawn_start_ms"), 0.5, "issue 12"));
            case "manager_start_quiet":
                return List.of(new Target("manager start after a pause ≤ 0.5× Python's spawn Manager() after the same "
                        + "pause", Target.Ref.java("start_ms"), Target.Ref.python("spawn_start_ms"), 0.5, "issue 12"));
            case "manager_dict_ops":
                return List.of(new Target("map puts from a child ≥ 10× Python's (ratio Python / multiproc4j)",
                        Target.Ref.python("child_set_ops_per_s"), Target.Ref.java("child_set_ops_per_s"), 0.1,
                        "issue 12"));
            case "manager_proxy_rtt":
                return List.of(
                        new Target("proxy round trip, local client ≤ 1/10 of Python's",
                                Target.Ref.java("dict_getitem_rtt_us"), Target.Ref.python("dict_getitem_rtt_us"),
                                0.1, "issue 12"),
                        new Target("proxy round trip over a socket ≤ 1/2 of Python's",
                                Target.Ref.java("socket_dict_getitem_rtt_us"),
                                Target.Ref.python("dict_getitem_rtt_us"), 0.5, "issue 12"));
            default:
                return List.of();
        }
    }

    @Override
    public Map<String, Object> prepare(Settings settings) throws Exception {
        if (!start()) {
            manager = Manager.start();
            if (name.equals("manager_proxy_rtt")) {
                overSocket = Manager.connect(manager.address(), manager.authkey(), false);
            }
        }
        return Map.of();
    }

    static long[] dictChild(ManagedMap<Integer, Integer> d, int k) {
        long t0 = System.nanoTime();
        for (int i = 0; i < k; i++) {
            d.put(i, i);
        }
        long t1 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < k; i++) {
            sum += d.get(i);
        }
        long t2 = System.nanoTime();
        return new long[] {t0, t1, t2, sum};
    }

    static long[] listChild(List<Integer> list, int k) {
        long t0 = System.nanoTime();
        for (int i = 0; i < k; i++) {
            list.add(i);
        }
        return new long[] {t0, System.nanoTime()};
    }

    @Override
    public void runJava(TrialSet set, Settings settings) throws Exception {
        int k = ops(settings);
        Duration wait = Duration.ofSeconds(300);
        switch (name) {
            case "manager_start":
            case "manager_start_quiet":
                boolean quiet = name.equals("manager_start_quiet");
                set.repeat(settings.warmup(), settings.trials(), () -> {
                    if (quiet) {
                        Thread.sleep(QUIET_PAUSE_MS);
                    }
                    long t0 = System.nanoTime();
                    Manager m = Manager.start();
                    long t1 = System.nanoTime();
                    long t2;
                    try {
                        m.map().put("x", 1);
                        t2 = System.nanoTime();
                    } finally {
                        m.close();
                    }
                    long t3 = System.nanoTime();
                    set.add("start_ms", (t1 - t0) / 1e6, "ms", Better.LOWER);
                    set.add("start_to_first_dict_set_ms", (t2 - t0) / 1e6, "ms", Better.LOWER);
                    set.add("shutdown_ms", (t3 - t2) / 1e6, "ms", Better.LOWER);
                });
                return;
            case "manager_dict_ops":
                set.repeat(settings.warmup(), settings.trials(), () -> {
                    ManagedMap<Integer, Integer> d = manager.map();
                    long[] r = JvmProcess.call(() -> dictChild(d, k)).get(wait);
                    if (r[3] != (long) k * (k - 1) / 2 || d.size() != k) {
                        throw new IllegalStateException("manager_dict_ops: the gets summed to " + r[3]
                                + " and the map holds " + d.size() + " keys, for k = " + k);
                    }
                    set.add("child_set_ops_per_s", k / ((r[1] - r[0]) / 1e9), "ops/s", Better.HIGHER);
                    set.add("child_get_ops_per_s", k / ((r[2] - r[1]) / 1e9), "ops/s", Better.HIGHER);
                });
                return;
            case "manager_list_append":
                set.repeat(settings.warmup(), settings.trials(), () -> {
                    List<Integer> list = manager.list();
                    long[] r = JvmProcess.call(() -> listChild(list, k)).get(wait);
                    if (list.size() != k) {
                        throw new IllegalStateException("manager_list_append: the list holds " + list.size()
                                + " items, for k = " + k);
                    }
                    set.add("child_append_ops_per_s", k / ((r[1] - r[0]) / 1e9), "ops/s", Better.HIGHER);
                });
                return;
            default:
                rtt(set, settings, manager, "", k);
                rtt(set, settings, overSocket, "socket_", k);
        }
    }

    private static void rtt(TrialSet set, Settings settings, Manager m, String prefix, int k) throws Exception {
        List<Integer> list = m.list(List.of(1, 2, 3));
        ManagedMap<String, Integer> d = m.map(Map.of("k", 1));
        set.repeat(settings.warmup(), settings.trials(), () -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < k; i++) {
                list.size();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < k; i++) {
                d.get("k");
            }
            long t2 = System.nanoTime();
            set.add(prefix + "list_len_rtt_us", (t1 - t0) / 1e3 / k, "us", Better.LOWER);
            set.add(prefix + "dict_getitem_rtt_us", (t2 - t1) / 1e3 / k, "us", Better.LOWER);
        });
    }

    @Override
    public double estimatedSecondsPerSet(Settings settings) {
        return settings.quick() ? 3 : name.equals("manager_start_quiet") ? 15 : name.equals("manager_start") ? 10 : 8;
    }

    @Override
    public void close() {
        if (overSocket != null) {
            overSocket.close();
            overSocket = null;
        }
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }
}
