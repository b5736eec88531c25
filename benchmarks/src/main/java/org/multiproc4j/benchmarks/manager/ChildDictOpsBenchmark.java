package org.multiproc4j.benchmarks.manager;

import java.io.EOFException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.manager.ManagedMap;
import org.multiproc4j.manager.Manager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code manager_dict_ops} in steady state: a child JVM that holds a proxy of the manager's map does
 * {@value #BATCH} {@code put(i, i)} or {@code get(i)} calls each time the benchmark asks it (over a pipe of its
 * own), so the figure is the child's time per map operation once its JVM is warm. The side-by-side runner's
 * {@code manager_dict_ops} measures a fresh child's first calls instead, as Python's does. {@code transport} is
 * how the child talks to the server: {@code sharedMemory} (the default) or {@code socket}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ChildDictOpsBenchmark {
    /** Map operations per benchmark call. */
    static final int BATCH = 1000;
    private static final String PUTS = "puts";
    private static final String GETS = "gets";

    /** How the child talks to the manager's server. */
    @Param({"sharedMemory", "socket"})
    public String transport;

    private Manager manager;
    private Manager client;
    private Pipe pipe;
    private Connection mine;
    private TaskFuture<Long> child;

    /**
     * Starts the manager and the child, and waits for the child's first batch.
     *
     * @throws Exception if the child does not answer.
     */
    @Setup(Level.Trial)
    public void start() throws Exception {
        manager = Manager.start();
        client = "socket".equals(transport) ? Manager.connect(manager.address(), manager.authkey(), false)
                : manager;
        ManagedMap<Integer, Integer> map = client.map();
        pipe = Pipe.open();
        mine = pipe.first();
        Connection childs = pipe.second();
        child = JvmProcess.call(() -> serve(map, childs), new JvmProcess.Options().daemon(true).name("dict-child"));
        childs.close();
        mine.send(PUTS);
        mine.recv(Duration.ofSeconds(60));
    }

    /**
     * What the child runs: a batch of map operations per command, until the pipe closes.
     *
     * @param map the proxy.
     * @param end the child's end of the command pipe.
     * @return how many operations it did.
     * @throws Exception if the pipe fails.
     */
    static long serve(ManagedMap<Integer, Integer> map, Connection end) throws Exception {
        long ops = 0;
        long sum = 0;
        while (true) {
            Object command;
            try {
                command = end.recv();
            } catch (EOFException e) {
                return ops;
            }
            if (PUTS.equals(command)) {
                for (int i = 0; i < BATCH; i++) {
                    map.put(i, i);
                }
            } else {
                for (int i = 0; i < BATCH; i++) {
                    sum += map.get(i);
                }
            }
            ops += BATCH;
            end.send(sum);
        }
    }

    /**
     * {@value #BATCH} puts in the child.
     *
     * @return the child's answer.
     * @throws Exception if the pipe fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object childPut() throws Exception {
        mine.send(PUTS);
        return mine.recv();
    }

    /**
     * {@value #BATCH} gets in the child.
     *
     * @return the child's answer.
     * @throws Exception if the pipe fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object childGet() throws Exception {
        mine.send(GETS);
        return mine.recv();
    }

    /**
     * Closes the pipe (the child ends) and shuts the manager down.
     *
     * @throws Exception if the child does not end.
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
        pipe.close();
        System.out.println("the child did " + child.get(Duration.ofSeconds(30)) + " map operations over " + transport);
        if (client != manager) {
            client.close();
        }
        manager.close();
    }
}
