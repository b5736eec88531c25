package org.multiproc4j.benchmarks.sidebyside;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.jr.ob.JSON;

/**
 * Python's half: the project's own {@code mp_side.py}, carried inside {@code benchmarks.jar}, written next to
 * the report and run with the chosen interpreter, one trial set per invocation.
 *
 * <p>Not thread-safe.
 */
public final class PythonSide {
    /** The script's resource name inside the jar. */
    static final String SCRIPT_RESOURCE = "python/mp_side.py";
    private static final Duration META_TIMEOUT = Duration.ofSeconds(30);

    private final Path python;
    private final Path script;
    private final Path log;
    private volatile Process running;

    private PythonSide(Path python, Path script, Path log) {
        this.python = python;
        this.script = script;
        this.log = log;
        Runtime.getRuntime().addShutdownHook(new Thread(this::killRunning, "bench-python-cleanup"));
    }

    /**
     * Finds the interpreter: {@code explicit} if given, else the system's {@code /usr/bin/python3}, else
     * {@code python3} on the {@code PATH}.
     *
     * @param explicit the interpreter the user named, or {@code null}.
     * @return the interpreter, or {@code null} if there is none.
     */
    public static Path locate(String explicit) {
        if (explicit != null) {
            return Paths.get(explicit);
        }
        Path system = Paths.get("/usr/bin/python3");
        if (Files.isExecutable(system)) {
            return system;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Paths.get(dir, "python3");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Writes the script into {@code dir} and prepares to run it.
     *
     * @param python the interpreter.
     * @param dir    the report directory; the script and {@code python-stderr.log} go there.
     * @return the Python side.
     * @throws IOException if the script cannot be written.
     */
    public static PythonSide open(Path python, Path dir) throws IOException {
        Path script = dir.resolve("mp_side.py");
        try (InputStream in = PythonSide.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IOException("mp_side.py is missing from the classpath (resource "
                        + PythonSide.class.getPackageName().replace('.', '/') + "/" + SCRIPT_RESOURCE
                        + "): build benchmarks.jar with ./mvnw package -pl benchmarks -am");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = dir.resolve("python-stderr.log");
        Files.deleteIfExists(log);
        Files.createFile(log);
        return new PythonSide(python, script, log);
    }

    /**
     * Returns the interpreter's facts ({@code mp_side.py --meta}).
     *
     * @return version, executable, implementation, cpu count.
     * @throws IOException          if the interpreter cannot be run or answers nonsense.
     * @throws InterruptedException if interrupted.
     */
    public Map<String, Object> meta() throws IOException, InterruptedException {
        return run(List.of("--meta"), META_TIMEOUT);
    }

    /**
     * Runs one trial set of a workload.
     *
     * @param workload the workload's name.
     * @param trials   timed trials per metric.
     * @param warmup   untimed trials before them.
     * @param params   workload parameters.
     * @param timeout  how long the trial set may take.
     * @return the script's JSON object: {@code metrics} (name → unit, better, values), {@code checks},
     *         {@code params}, {@code notes}.
     * @throws IOException          if the script fails (the message carries the end of its standard error).
     * @throws InterruptedException if interrupted.
     */
    public Map<String, Object> trialSet(String workload, int trials, int warmup, Map<String, String> params,
                                        Duration timeout) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(workload, "--trials", Integer.toString(trials),
                "--warmup", Integer.toString(warmup)));
        for (Map.Entry<String, String> e : params.entrySet()) {
            args.add("--param");
            args.add(e.getKey() + "=" + e.getValue());
        }
        return run(args, timeout);
    }

    private Map<String, Object> run(List<String> args, Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(python.toString());
        cmd.add(script.toString());
        cmd.addAll(args);
        Path outFile = Files.createTempFile(log.getParent(), "python-", ".json");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(outFile.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process p = pb.start();
            running = p;
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    killTree(p);
                    throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout.toSeconds()
                            + " s" + stderrTail());
                }
            } finally {
                running = null;
            }
            String out = Files.readString(outFile, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed with exit code " + p.exitValue() + stderrTail());
            }
            try {
                return JSON.std.mapFrom(out);
            } catch (IOException e) {
                throw new IOException(String.join(" ", cmd) + " printed no JSON object: '" + abbreviate(out) + "'"
                        + stderrTail(), e);
            }
        } finally {
            Files.deleteIfExists(outFile);
        }
    }

    private String stderrTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
            return tail.isEmpty() ? "" : "; end of its stderr (" + log + "):\n  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "";
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    private void killRunning() {
        Process p = running;
        if (p != null) {
            killTree(p);
        }
    }

    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The interpreter.
     *
     * @return its path.
     */
    public Path python() {
        return python;
    }
}
