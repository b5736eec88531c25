package org.multiproc4j.benchmarks.sidebyside;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.benchmarks.support.ArchiveWarmup;
import org.multiproc4j.benchmarks.support.ChildTasks;
import org.multiproc4j.benchmarks.support.Hello;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.core.StartMethod;

/**
 * {@code process_start}: a child process, from {@code start()} to the first line of its task, and from
 * {@code start()} to {@code join()} of a no-op; with the bare interpreter launches as floors.
 *
 * <p>multiproc4j's side: {@link JvmProcess} children started from the runner's classpath (the shaded
 * {@code benchmarks.jar}, so core's class-data archive applies; {@link #prepare} warms it up and reports
 * whether the children map it). The first-line task prints {@link System#nanoTime()}, CLOCK_MONOTONIC on Linux,
 * the clock Python's {@code time.perf_counter_ns()} reads, so the child's stamp compares with the parent's.
 * The JVM floor is a bare {@code java -cp <classpath> Hello} that prints the same stamp.
 *
 * <p>Python's side: the {@code spawn} start method (a fresh interpreter, as a JVM is), and {@code python3
 * -c pass} as the floor; {@code fork} for context only.
 */
public final class ProcessStartWorkload implements Workload {
    private static final SerializableRunnable FIRST_LINE = ChildTasks::printStamp;
    private static final SerializableRunnable NOOP = ChildTasks::noop;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for a spare JVM to boot on a loaded 2-core machine. */
    private static final Duration SPARE_BOOT = Duration.ofMillis(300);

    @Override
    public String name() {
        return "process_start";
    }

    @Override
    public String title() {
        return "a child process: start → first line of its task, start → join of a no-op";
    }

    @Override
    public String idleStrategy() {
        return "none: the parent blocks (pipe read, waitpid)";
    }

    @Override
    public Map<String, Object> parameters(Settings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("java_child", "JvmProcess, default options (start method WARM_SPARE), classpath "
                + System.getProperty("java.class.path") + "; untimed pause of " + SPARE_BOOT.toMillis()
                + " ms before each start, so the spare the previous start launched has booted");
        p.put("java_child_back_to_back", "the same without the pause: each start gets a spare that has booted"
                + " only for as long as the previous trial took");
        p.put("java_child_spawn", "the same with StartMethod.SPAWN: a fresh JVM at every start()");
        p.put("java_floor", "java -cp <same classpath> " + Hello.class.getName());
        p.put("python_start_method", "spawn (fork for context)");
        p.put("python_floor", "python3 -c pass");
        return p;
    }

    @Override
    public List<Comparison> comparisons() {
        return List.of(
                new Comparison("start → first line of the task (Python: spawn)", "start → first line",
                        "first_line_ms", "spawn_first_line_ms"),
                new Comparison("start → join of a no-op (Python: spawn)", "start → join (no-op)",
                        "start_to_join_noop_ms", "spawn_start_to_join_noop_ms"),
                new Comparison("WARM_SPARE, starts back to back: start → first line (Python: spawn)",
                        "back to back: start → first line", "first_line_back_to_back_ms", "spawn_first_line_ms"),
                new Comparison("WARM_SPARE, starts back to back: start → join of a no-op (Python: spawn)",
                        "back to back: start → join", "start_to_join_noop_back_to_back_ms",
                        "spawn_start_to_join_noop_ms"),
                new Comparison("StartMethod.SPAWN: start → first line (Python: spawn)", "SPAWN: start → first line",
                        "first_line_spawn_ms", "spawn_first_line_ms"),
                new Comparison("StartMethod.SPAWN: start → join of a no-op (Python: spawn)", "SPAWN: start → join",
                        "start_to_join_noop_spawn_ms", "spawn_start_to_join_noop_ms"),
                new Comparison("bare interpreter, whole run: `java -cp <jar> Hello` vs `python3 -c pass`",
                        "bare interpreter run", "hello_run_ms", "bare_interpreter_run_ms"));
    }

    @Override
    public List<Target> targets() {
        return List.of(
                new Target("start → first line ≤ 1.3× bare `java Hello` start → its first line",
                        Target.Ref.java("first_line_ms"), Target.Ref.java("hello_first_line_ms"), 1.3, "issue 2"),
                new Target("start → first line ≤ 1.3× bare `java Hello` whole run",
                        Target.Ref.java("first_line_ms"), Target.Ref.java("hello_run_ms"), 1.3, "issue 2"),
                new Target("start → first line ≤ 1.0× Python spawn start → first line",
                        Target.Ref.java("first_line_ms"), Target.Ref.python("spawn_first_line_ms"), 1.0, "issue 2"),
                new Target("SPAWN: start → first line ≤ 1.3× bare `java Hello` start → its first line",
                        Target.Ref.java("first_line_spawn_ms"), Target.Ref.java("hello_first_line_ms"), 1.3, "issue 2"),
                new Target("SPAWN: start → first line ≤ 1.0× Python spawn start → first line",
                        Target.Ref.java("first_line_spawn_ms"), Target.Ref.python("spawn_first_line_ms"), 1.0,
                        "issue 2"));
    }

    @Override
    public Map<String, Object> prepare(Settings settings) throws InterruptedException {
        ArchiveWarmup.Result r = ArchiveWarmup.run(new JvmProcess.Options(),
                Duration.ofSeconds(settings.quick() ? 30 : 90));
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("class_data_archive_in_use", r.inUse());
        facts.put("archives_mapped_by_child", r.archives());
        facts.put("warmup_launches", r.launches());
        facts.put("warmup_s", Math.round(r.seconds() * 100) / 100.0);
        if (r.problem() != null) {
            facts.put("archive_problem", r.problem());
        }
        return facts;
    }

    @Override
    public void runJava(TrialSet set, Settings settings) throws Exception {
        Duration pause = settings.quick() ? Duration.ofMillis(150) : SPARE_BOOT;
        set.repeat(settings.warmup(), settings.trials(), () -> {
            Thread.sleep(pause.toMillis());
            firstLine(set, StartMethod.WARM_SPARE, "");
        });
        set.repeat(settings.warmup(), settings.trials(), () -> {
            Thread.sleep(pause.toMillis());
            startJoin(set, StartMethod.WARM_SPARE, "");
        });
        set.repeat(settings.warmup(), settings.trials(),
                () -> firstLine(set, StartMethod.WARM_SPARE, "_back_to_back"));
        set.repeat(settings.warmup(), settings.trials(),
                () -> startJoin(set, StartMethod.WARM_SPARE, "_back_to_back"));
        JvmProcess.discardSpares();
        set.repeat(settings.warmup(), settings.trials(), () -> firstLine(set, StartMethod.SPAWN, "_spawn"));
        set.repeat(settings.warmup(), settings.trials(), () -> startJoin(set, StartMethod.SPAWN, "_spawn"));
        set.repeat(settings.warmup(), settings.trials(), () -> bareHello(set));
    }

    private static void firstLine(TrialSet set, StartMethod method, String suffix) throws Exception {
        JvmProcess p = new JvmProcess(FIRST_LINE, new JvmProcess.Options().stdout(ProcessBuilder.Redirect.PIPE)
                .startMethod(method));
        try {
            long t0 = System.nanoTime();
            p.start();
            long t1 = System.nanoTime();
            String line;
            long t2;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.US_ASCII))) {
                line = r.readLine();
                t2 = System.nanoTime();
            }
            awaitExit(p);
            if (line == null) {
                throw new IllegalStateException("the first-line child printed nothing; it ended with exit code "
                        + p.exitCode());
            }
            long tc = Long.parseLong(line.trim());
            set.addMillis("start_call" + suffix + "_ms", t0, t1);
            set.addMillis("first_line" + suffix + "_ms", t0, tc);
            set.addMillis("first_line_seen_by_parent" + suffix + "_ms", t0, t2);
        } finally {
            p.close();
        }
    }

    private static void startJoin(TrialSet set, StartMethod method, String suffix) throws Exception {
        JvmProcess p = new JvmProcess(NOOP, new JvmProcess.Options().startMethod(method));
        try {
            long t0 = System.nanoTime();
            p.start();
            p.join();
            long t1 = System.nanoTime();
            if (p.exitCode() != 0) {
                throw new IllegalStateException("the no-op child ended with exit code " + p.exitCode());
            }
            set.addMillis("start_to_join_noop" + suffix + "_ms", t0, t1);
        } finally {
            p.close();
        }
    }

    private static void bareHello(TrialSet set) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", cp, Hello.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String line;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.US_ASCII))) {
            line = r.readLine();
        } finally {
            if (!p.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("bare java Hello did not end within " + CHILD_TIMEOUT.toSeconds()
                        + " s");
            }
        }
        long t3 = System.nanoTime();
        if (p.exitValue() != 0 || line == null) {
            throw new IllegalStateException("bare `java -cp " + cp.split(File.pathSeparator)[0]
                    + " Hello` failed: exit code " + p.exitValue() + ", first line " + line);
        }
        set.addMillis("hello_first_line_ms", t0, Long.parseLong(line.trim()));
        set.addMillis("hello_run_ms", t0, t3);
    }

    private static void awaitExit(JvmProcess p) throws InterruptedException {
        if (!p.join(CHILD_TIMEOUT)) {
            throw new IllegalStateException(p + " did not end within " + CHILD_TIMEOUT.toSeconds() + " s");
        }
        if (p.exitCode() != 0) {
            throw new IllegalStateException(p + " ended with exit code " + p.exitCode());
        }
    }

    @Override
    public double estimatedSecondsPerSet(Settings settings) {
        return (settings.warmup() + settings.trials()) * (7 * 0.08 + 2 * SPARE_BOOT.toMillis() / 1000.0) + 0.3;
    }
}
