package org.multiproc4j.benchmarks.baseline;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.benchmarks.support.Hello;
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
 * The JVM floor: a bare {@code java -cp benchmarks.jar Hello}, started with {@link ProcessBuilder}, until its
 * first line is read ({@code toFirstLine}) or until it has exited ({@code wholeRun}). The {@code share}
 * parameter runs it with the JDK's default class-data archive ({@code -Xshare:auto}, what a user gets) or
 * without ({@code -Xshare:off}), which shows what class-data sharing is worth on this machine.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 30)
@Fork(1)
@State(Scope.Benchmark)
public class BareJvmLaunchBenchmark {
    /** {@code auto}: the JDK's default archive; {@code off}: none. */
    @Param({"auto", "off"})
    public String share;

    private List<String> command;
    private Process started;

    /** Builds the command line. */
    @Setup
    public void command() {
        command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:" + share);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Hello.class.getName());
    }

    /**
     * Launches Hello and reads its line.
     *
     * @return the line.
     * @throws Exception if it cannot be launched.
     */
    @Benchmark
    public String toFirstLine() throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started = p;
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        if (line == null) {
            throw new IllegalStateException("Hello printed nothing");
        }
        return line;
    }

    /**
     * Reaps the JVM {@code toFirstLine} started, outside the measurement.
     *
     * @throws InterruptedException if interrupted.
     */
    @TearDown(Level.Invocation)
    public void reap() throws InterruptedException {
        Process p = started;
        started = null;
        if (p != null && !p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Hello did not end within 60 s");
        }
    }

    /**
     * Launches Hello and waits for it to exit.
     *
     * @return the exit status.
     * @throws Exception if it cannot be launched or fails.
     */
    @Benchmark
    public int wholeRun() throws Exception {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command).replace(File.pathSeparator, " ")
                    + " exited with " + code);
        }
        return code;
    }
}
