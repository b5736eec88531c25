package org.multiproc4j.benchmarks.manager;

import java.util.concurrent.TimeUnit;

import org.multiproc4j.manager.Manager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code manager_start}: {@link Manager#start()} until the server answers, its first map put, and its shutdown,
 * as one operation (single-shot: each starts a server JVM).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class ManagerStartBenchmark {

    /**
     * Starts a manager, puts one entry, shuts it down.
     *
     * @return the entry's previous value (none).
     */
    @Benchmark
    public Object startPutShutdown() {
        try (Manager m = Manager.start()) {
            return m.map().put("x", 1);
        }
    }
}
