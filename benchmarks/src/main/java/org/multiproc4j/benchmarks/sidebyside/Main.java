package org.multiproc4j.benchmarks.sidebyside;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The side-by-side runner: runs the same named workloads in multiproc4j and in Python's multiprocessing on
 * this machine, alternating trial sets (A B A B ...) so that the drift of a shared machine falls on both
 * sides, and writes {@code side-by-side.json}, {@code side-by-side.md} and {@code side-by-side.png}.
 *
 * <pre>
 * bin/bench [--quick] [--out DIR] [--workloads a,b] [--python PATH] [--rounds N] [--trials N] [--warmup N]
 * </pre>
 *
 * Exit status: 0 when every workload ran on both sides (or Python was absent and said so), 1 when a workload
 * failed, 2 for a usage error.
 */
public final class Main {
    private static final String USAGE = String.join("\n",
            "usage: bin/bench [options]          (java -cp benchmarks.jar " + Main.class.getName() + " [options])",
            "  --quick             smoke test: seconds, figures not meaningful",
            "  --out DIR           where the report goes (default bench-out/<date-time>)",
            "  --workloads a,b     only these workloads (see --list)",
            "  --python PATH       the Python interpreter (default /usr/bin/python3, else python3 on PATH)",
            "  --no-python         measure multiproc4j only",
            "  --rounds N          trial sets per side, alternating (default " + Settings.FULL_ROUNDS + ", quick "
                    + Settings.QUICK_ROUNDS + ")",
            "  --trials N          timed trials per metric per trial set (default " + Settings.FULL_TRIALS
                    + ", quick " + Settings.QUICK_TRIALS + ")",
            "  --warmup N          untimed trials per metric per trial set (default 1)",
            "  --list              list the workloads and exit",
            "JMH benchmarks: java -jar benchmarks.jar (bin/bench jmh [JMH options])");

    private final PrintStream out;
    private final long started = System.nanoTime();

    private Main(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the side-by-side benchmarks.
     *
     * @param args see the class description.
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int status;
        try {
            status = new Main(System.out).run(args);
        } catch (UsageException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(USAGE);
            status = 2;
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private int run(String[] args) throws Exception {
        boolean quick = false;
        boolean noPython = false;
        String outDir = null;
        String python = null;
        Integer rounds = null;
        Integer trials = null;
        int warmup = 1;
        Set<String> only = new LinkedHashSet<>();
        List<Workload> all = Workloads.all();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick":
                    quick = true;
                    break;
                case "--no-python":
                    noPython = true;
                    break;
                case "--out":
                    outDir = value(args, ++i, a);
                    break;
                case "--python":
                    python = value(args, ++i, a);
                    break;
                case "--workloads":
                    for (String w : value(args, ++i, a).split(",")) {
                        if (!w.isBlank()) {
                            only.add(w.trim());
                        }
                    }
                    break;
                case "--rounds":
                    rounds = count(value(args, ++i, a), a);
                    break;
                case "--trials":
                    trials = count(value(args, ++i, a), a);
                    break;
                case "--warmup":
                    warmup = count(value(args, ++i, a), a);
                    break;
                case "--list":
                    for (Workload w : all) {
                        out.println(w.name() + "  " + w.title());
                    }
                    return 0;
                case "-h":
                case "--help":
                    out.println(USAGE);
                    return 0;
                default:
                    throw new UsageException("unknown option '" + a + "'");
            }
        }
        List<Workload> selected = new ArrayList<>();
        for (Workload w : all) {
            if (only.isEmpty() ? !quick || w.inQuickRun() : only.contains(w.name())) {
                selected.add(w);
            } else if (only.isEmpty()) {
                out.println("[bench] " + w.name() + " is left out of quick runs (name it with --workloads to run it)");
            }
        }
        for (String name : only) {
            if (all.stream().noneMatch(w -> w.name().equals(name))) {
                throw new UsageException("unknown workload '" + name + "'; known: "
                        + all.stream().map(Workload::name).toList());
            }
        }
        Path out = Paths.get(outDir != null ? outDir
                : "bench-out/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")));
        Files.createDirectories(out);
        Settings settings;
        try {
            settings = new Settings(quick, rounds != null ? rounds : quick ? Settings.QUICK_ROUNDS
                    : Settings.FULL_ROUNDS, trials != null ? trials : quick ? Settings.QUICK_TRIALS
                    : Settings.FULL_TRIALS, warmup, out.toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }

        Run run = new Run(settings, commandLine(args), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                Machine.facts(), Machine.java());
        PythonSide py = null;
        if (noPython) {
            run.pythonSkipped = "--no-python";
        } else {
            Path interpreter = PythonSide.locate(python);
            if (python != null && !Files.isExecutable(interpreter)) {
                throw new UsageException("--python " + python + ": not an executable file");
            }
            if (interpreter == null) {
                run.pythonSkipped = "python3 not found (neither /usr/bin/python3 nor python3 on PATH; use --python)";
            } else {
                py = PythonSide.open(interpreter, out);
                run.python = py.meta();
            }
        }
        say(quick ? "QUICK MODE: a smoke test, figures not meaningful" : "full run");
        say("machine: " + run.machine.get("cores_available") + " cores, " + run.machine.get("cpu_model") + "; "
                + Machine.javaLabel() + "; " + run.pythonLabel());
        if (py == null) {
            say("Python side skipped: " + run.pythonSkipped);
        }
        say(settings.rounds() + " rounds × " + settings.trials() + " trials (+" + settings.warmup()
                + " warm-up) per side, workloads " + selected.stream().map(Workload::name).toList() + " → " + out);

        run.loadStart = Machine.loadAverage();
        int sidesPerRound = py == null ? 1 : 2;
        double[] guess = new double[selected.size()];
        for (int i = 0; i < selected.size(); i++) {
            guess[i] = selected.get(i).estimatedSecondsPerSet(settings) * settings.rounds() * sidesPerRound;
        }
        for (int wi = 0; wi < selected.size(); wi++) {
            Workload w = selected.get(wi);
            WorkloadResult r = new WorkloadResult(w, w.parameters(settings));
            run.results.add(r);
            long wStart = System.nanoTime();
            String tag = w.name() + " (" + (wi + 1) + "/" + selected.size() + ")";
            try (w) {
                say(tag + ": " + w.title() + "; warming up");
                r.facts.putAll(w.prepare(settings));
                if (!r.facts.isEmpty()) {
                    say(tag + ": warm-up: " + r.facts);
                }
                int sets = settings.rounds() * sidesPerRound;
                int done = 0;
                double spent = 0;
                for (int round = 1; round <= settings.rounds(); round++) {
                    List<Double> load = Machine.loadAverage();
                    r.roundLoad.add(load.isEmpty() ? null : load.get(0));
                    long t = System.nanoTime();
                    TrialSet set = new TrialSet();
                    w.runJava(set, settings);
                    r.addJavaRound(set);
                    double s = seconds(t);
                    spent += s;
                    done++;
                    progress(tag, round, settings.rounds(), "multiproc4j", s, spent / done * (sets - done)
                            + rest(guess, wi));
                    if (py != null) {
                        t = System.nanoTime();
                        Map<String, Object> json = py.trialSet(w.name(), settings.trials(), settings.warmup(),
                                w.pythonParameters(settings), Duration.ofMinutes(settings.quick() ? 2 : 20));
                        r.addPythonRound(json);
                        checkPython(w, json);
                        s = seconds(t);
                        spent += s;
                        done++;
                        progress(tag, round, settings.rounds(), "python", s, spent / done * (sets - done)
                                + rest(guess, wi));
                    }
                }
            } catch (Exception e) {
                r.errors.add(e.toString() + (e.getCause() != null ? " (cause: " + e.getCause() + ")" : ""));
                say(tag + ": FAILED: " + e);
            }
            r.wallSeconds = seconds(wStart);
        }
        run.loadEnd = Machine.loadAverage();
        run.wallSeconds = seconds(started);

        Path json = out.resolve(Report.JSON_FILE);
        Path md = out.resolve(Report.MARKDOWN_FILE);
        Path png = out.resolve(Report.CHART_FILE);
        Report.writeJson(run, json);
        String markdown = Report.markdown(run);
        Files.writeString(md, markdown);
        Report.writeChart(run, png);
        out().println();
        out().println(markdown);
        say("wrote " + json + ", " + md + ", " + png + " in " + String.format(Locale.ROOT, "%.1f", run.wallSeconds)
                + " s");
        return run.hasErrors() ? 1 : 0;
    }

    private PrintStream out() {
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void checkPython(Workload w, Map<String, Object> json) throws IOException {
        Map<String, Object> checks = (Map<String, Object>) json.getOrDefault("checks", Map.of());
        for (Map.Entry<String, Object> e : checks.entrySet()) {
            Map<String, Object> c = (Map<String, Object>) e.getValue();
            if (!Boolean.TRUE.equals(c.get("ok"))) {
                throw new IOException(w.name() + ": Python check " + e.getKey() + " failed: " + c.get("detail"));
            }
        }
    }

    private static double rest(double[] guess, int current) {
        double s = 0;
        for (int i = current + 1; i < guess.length; i++) {
            s += guess[i];
        }
        return s;
    }

    private void progress(String tag, int round, int rounds, String side, double seconds, double left) {
        say(String.format(Locale.ROOT, "%s: round %d/%d %-11s %5.1f s   about %s left", tag, round, rounds, side,
                seconds, clock(left)));
    }

    private void say(String line) {
        out.println("[bench " + clock(seconds(started)) + "] " + line);
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static double seconds(long fromNanos) {
        return (System.nanoTime() - fromNanos) / 1e9;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int count(String s, String option) throws UsageException {
        try {
            int n = Integer.parseInt(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " wants a whole number, got '" + s + "'");
        }
    }

    private static String commandLine(String[] args) {
        String cmd = System.getProperty("multiproc4j.bench.command", "bin/bench");
        return args.length == 0 ? cmd : cmd + " " + String.join(" ", args);
    }
}
