package org.multiproc4j.benchmarks.manager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.manager.ManagedMap;
import org.multiproc4j.manager.Manager;
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
 * {@code manager_proxy_rtt}, {@code manager_dict_ops} and {@code manager_list_append} from the benchmark's own
 * JVM: one proxy call is one request/response with the manager's server JVM. {@code transport} is
 * {@code sharedMemory} (the default for a client on the server's machine: a pipe in shared memory after the
 * socket handshake) or {@code socket} (the server's Unix socket).
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ProxyRoundTripBenchmark {

    /** How this JVM talks to the server. */
    @Param({"sharedMemory", "socket"})
    public String transport;

    private Manager manager;
    private Manager client;
    private List<Integer> list;
    private ManagedMap<String, Integer> map;
    private List<Integer> appended;
    private int next;

    /** Starts the manager and makes the proxies. */
    @Setup(Level.Trial)
    public void start() {
        manager = Manager.start();
        client = "socket".equals(transport) ? Manager.connect(manager.address(), manager.authkey(), false)
                : manager;
        list = client.list(List.of(1, 2, 3));
        map = client.map(Map.of("k", 1));
        appended = client.list();
    }

    /**
     * {@code list.size()}: the smallest call.
     *
     * @return the size.
     */
    @Benchmark
    public int listSize() {
        return list.size();
    }

    /**
     * {@code map.get("k")}.
     *
     * @return the value.
     */
    @Benchmark
    public Integer mapGet() {
        return map.get("k");
    }

    /**
     * {@code map.put(i, i)} with a changing key.
     *
     * @return the previous value.
     */
    @Benchmark
    public Integer mapPut() {
        int i = next++ & 4095;
        return map.put("k" + i, i);
    }

    /**
     * {@code map.merge("n", 1, Integer::sum)}: the function travels to the server and runs there.
     *
     * @return the new value.
     */
    @Benchmark
    public Integer mapMerge() {
        return map.merge("n", 1, Integer::sum);
    }

    /**
     * {@code list.add(i)} (the list is cleared at each iteration's end).
     *
     * @return {@code true}.
     */
    @Benchmark
    public boolean listAppend() {
        return appended.add(next++);
    }

    /** Keeps the appended list small. */
    @TearDown(Level.Iteration)
    public void clear() {
        appended.clear();
    }

    /** Shuts the manager down. */
    @TearDown(Level.Trial)
    public void stop() {
        if (client != manager) {
            client.close();
        }
        manager.close();
    }
}
