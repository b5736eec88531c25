package org.multiproc4j.mpi.contract;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.multiproc4j.core.internal.ChildCommand;

/**
 * Runs a Java main under Open MPI's real {@code mpirun}, for tests: finds {@code mpirun}, builds its command line
 * ({@code -n N --oversubscribe --bind-to none}, {@code --allow-run-as-root} when run by root, {@code -x} of the
 * environment ranks need, then the java executable, the JVM options the project's modules contribute through
 * core's {@code JvmOptionsProvider} for that Java version, {@code -Djava.library.path} of Open MPI's library
 * directory, the classpath and the main class), runs it with a timeout, and returns its exit status and output.
 * On timeout it first appends a thread dump of every Java process of the job to the output ({@code jcmd <pid>
 * Thread.print}, all at once, within {@link #DUMP_LIMIT}), so that a rare hang can be diagnosed from a test's
 * report, then kills {@code mpirun}, its process group and every descendant, so that no rank is left behind.
 * Open MPI's shared-memory segments go to a directory of their own ({@code btl_vader_backing_directory}), removed
 * after the run, so that a job that failed leaves nothing in {@code /dev/shm}.
 *
 * <p>Immutable: every setter returns a copy.
 *
 * <pre>
 * Optional&lt;String&gt; why = Mpirun.unavailable();
 * Assumptions.assumeTrue(why.isEmpty(), () -&gt; why.get());
 * Mpirun.Result r = Mpirun.ranks(4).timeout(Duration.ofMinutes(2)).run(ContractMain.class);
 * assertEquals(0, r.status(), r.output());
 * </pre>
 */
public final class Mpirun {
    /** Environment variable naming the {@code mpirun} to use (else {@code mpirun} on the {@code PATH}). */
    public static final String MPIRUN_ENV = "MULTIPROC4J_MPIRUN";
    /** How long the thread dumps of a timed-out job may take, all of them together. */
    public static final Duration DUMP_LIMIT = Duration.ofSeconds(10);

    private final int n;
    private final Path javaHome;
    private final List<String> jvmFlags;
    private final List<Path> extraClasspath;
    private final List<String> mpirunFlags;
    private final Map<String, String> env;
    private final Duration timeout;

    private Mpirun(int n, Path javaHome, List<String> jvmFlags, List<Path> extraClasspath, List<String> mpirunFlags,
            Map<String, String> env, Duration timeout) {
        this.n = n;
        this.javaHome = javaHome;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.extraClasspath = List.copyOf(extraClasspath);
        this.mpirunFlags = List.copyOf(mpirunFlags);
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /**
     * Starts a description of a job of {@code n} ranks, run by the JVM running this code, with a 2-minute timeout.
     *
     * @param n the number of ranks, at least 1.
     * @return the description.
     * @throws IllegalArgumentException if {@code n < 1}.
     */
    public static Mpirun ranks(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("ranks must be at least 1, got " + n);
        }
        return new Mpirun(n, Paths.get(System.getProperty("java.home")), List.of(), List.of(), List.of(), Map.of(),
                Duration.ofMinutes(2));
    }

    /**
     * Runs the ranks on another JDK or JRE.
     *
     * @param home its home directory (holding {@code bin/java}).
     * @return a copy.
     */
    public Mpirun javaHome(Path home) {
        return new Mpirun(n, home, jvmFlags, extraClasspath, mpirunFlags, env, timeout);
    }

    /**
     * Adds JVM options for every rank, after those the modules contribute.
     *
     * @param flags the options.
     * @return a copy.
     */
    public Mpirun jvmFlags(String... flags) {
        List<String> all = new ArrayList<>(jvmFlags);
        all.addAll(List.of(flags));
        return new Mpirun(n, javaHome, all, extraClasspath, mpirunFlags, env, timeout);
    }

    /**
     * Adds classpath entries, after this JVM's.
     *
     * @param entries the entries.
     * @return a copy.
     */
    public Mpirun classpath(Path... entries) {
        List<Path> all = new ArrayList<>(extraClasspath);
        all.addAll(List.of(entries));
        return new Mpirun(n, javaHome, jvmFlags, all, mpirunFlags, env, timeout);
    }

    /**
     * Adds options for {@code mpirun} itself (such as {@code --mca btl self,vader}), before the java command.
     *
     * @param flags the options.
     * @return a copy.
     */
    public Mpirun mpirunFlags(String... flags) {
        List<String> all = new ArrayList<>(mpirunFlags);
        all.addAll(List.of(flags));
        return new Mpirun(n, javaHome, jvmFlags, extraClasspath, all, env, timeout);
    }

    /**
     * Sets an environment variable for every rank (passed with {@code -x}).
     *
     * @param name  the name.
     * @param value the value.
     * @return a copy.
     */
    public Mpirun env(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put(name, value);
        return new Mpirun(n, javaHome, jvmFlags, extraClasspath, mpirunFlags, all, timeout);
    }

    /**
     * Sets how long the job may run before it is killed.
     *
     * @param limit the limit, positive.
     * @return a copy.
     */
    public Mpirun timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + limit);
        }
        return new Mpirun(n, javaHome, jvmFlags, extraClasspath, mpirunFlags, env, limit);
    }

    /**
     * Returns the {@code mpirun} executable: {@value #MPIRUN_ENV} if set, else the first on the {@code PATH}.
     *
     * @return its path, or empty if there is none.
     */
    public static Optional<Path> find() {
        String named = System.getenv(MPIRUN_ENV);
        if (named != null && !named.isBlank()) {
            Path p = Paths.get(named);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Paths.get(dir, "mpirun");
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Tells why jobs cannot run here, for a test's assumption.
     *
     * @return the reason, or empty if {@code mpirun} and Open MPI's library directory were found.
     */
    public static Optional<String> unavailable() {
        Optional<Path> mpirun = find();
        if (mpirun.isEmpty()) {
            String named = System.getenv(MPIRUN_ENV);
            return Optional.of(named != null && !named.isBlank() ? MPIRUN_ENV + "=" + named + " is not executable"
                    : "no mpirun on the PATH (bin/setup-mpi installs Open MPI)");
        }
        if (libdir(mpirun.get()).isEmpty()) {
            return Optional.of("cannot find Open MPI's library directory: `ompi_info --path libdir` next to "
                    + mpirun.get() + " failed");
        }
        return Optional.empty();
    }

    /**
     * Returns the command line that {@link #run(Class, String...)} would start.
     *
     * @param main the main class (on this JVM's classpath or an added entry).
     * @param args its arguments.
     * @return the command.
     * @throws IllegalStateException if {@code mpirun} cannot be found (the message says why).
     */
    public List<String> command(Class<?> main, String... args) {
        return command(main.getName(), main.getClassLoader(), args);
    }

    private List<String> command(String main, ClassLoader loader, String... args) {
        return command(main, loader, null, args);
    }

    private List<String> command(String main, ClassLoader loader, Path shmDir, String... args) {
        Optional<String> why = unavailable();
        if (why.isPresent()) {
            throw new IllegalStateException(why.get());
        }
        Path mpirun = find().orElseThrow();
        Path java = javaHome.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("no java executable at " + java);
        }
        Runtime.Version version = ChildCommand.versionOf(java);
        List<String> cmd = new ArrayList<>();
        cmd.add(mpirun.toString());
        cmd.add("-n");
        cmd.add(Integer.toString(n));
        cmd.add("--oversubscribe");
        cmd.add("--bind-to");
        cmd.add("none");
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-run-as-root");
        }
        Map<String, String> exported = new LinkedHashMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("MULTIPROC4J_")) {
                exported.put(k, v);
            }
        });
        exported.putAll(env);
        for (String name : exported.keySet()) {
            cmd.add("-x");
            cmd.add(name);
        }
        if (shmDir != null) {
            cmd.add("--mca");
            cmd.add("btl_vader_backing_directory");
            cmd.add(shmDir.toString());
        }
        cmd.addAll(mpirunFlags);
        cmd.add(java.toString());
        cmd.addAll(ChildCommand.providerOptions(version));
        cmd.addAll(ChildCommand.inheritedProperties());
        if (version.feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-Djava.library.path=" + libdir(mpirun).orElseThrow());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, ChildCommand.classpath(loader, extraClasspath)));
        cmd.add(main);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs a main class on every rank and waits for the job to end or the timeout to pass.
     *
     * @param main the main class.
     * @param args its arguments.
     * @return the exit status and output (standard output and error merged).
     * @throws IOException           if {@code mpirun} cannot be started.
     * @throws InterruptedException  if interrupted while waiting (the job is killed first).
     * @throws IllegalStateException if {@code mpirun} cannot be found.
     */
    public Result run(Class<?> main, String... args) throws IOException, InterruptedException {
        return run(main.getName(), main.getClassLoader(), args);
    }

    /**
     * Runs a main class, given by name, on every rank.
     *
     * @param main the main class's binary name (on this JVM's classpath or an added entry).
     * @param args its arguments.
     * @return the exit status and output.
     * @throws IOException          if {@code mpirun} cannot be started.
     * @throws InterruptedException if interrupted while waiting (the job is killed first).
     */
    public Result run(String main, String... args) throws IOException, InterruptedException {
        return run(main, Mpirun.class.getClassLoader(), args);
    }

    private Result run(String main, ClassLoader loader, String... args) throws IOException, InterruptedException {
        Path shmDir = Files.createTempDirectory(SHM_ROOT, "mp4j-mpirun-" + ProcessHandle.current().pid() + "-");
        try {
            return run(main, loader, shmDir, args);
        } finally {
            deleteTree(shmDir);
        }
    }

    private Result run(String main, ClassLoader loader, Path shmDir, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = command(main, loader, shmDir, args);
        ProcessBuilder pb = new ProcessBuilder(withSetsid(cmd)).redirectErrorStream(true);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(p.getInputStream(), out), "mpirun-output");
        reader.setDaemon(true);
        reader.start();
        boolean timedOut = false;
        String dumps = "";
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                dumps = threadDumps(p);
                kill(p);
            }
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        long millis = (System.nanoTime() - start) / 1_000_000;
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        if (timedOut) {
            text += "\n[Mpirun: killed after " + timeout + "]\n" + dumps;
        }
        return new Result(timedOut ? -1 : p.exitValue(), text, timedOut, millis, cmd);
    }

    /** A finished (or killed) job. */
    public static final class Result {
        private final int status;
        private final String output;
        private final boolean timedOut;
        private final long millis;
        private final List<String> command;

        Result(int status, String output, boolean timedOut, long millis, List<String> command) {
            this.status = status;
            this.output = output;
            this.timedOut = timedOut;
            this.millis = millis;
            this.command = List.copyOf(command);
        }

        /**
         * Returns {@code mpirun}'s exit status.
         *
         * @return the status, {@code -1} if it was killed on timeout.
         */
        public int status() {
            return status;
        }

        /**
         * Returns the output of {@code mpirun} and every rank, standard error merged.
         *
         * @return the output.
         */
        public String output() {
            return output;
        }

        /**
         * Returns the output's lines.
         *
         * @return the lines.
         */
        public List<String> lines() {
            return output.lines().collect(Collectors.toList());
        }

        /**
         * Tells whether the job was killed on timeout.
         *
         * @return {@code true} if so.
         */
        public boolean timedOut() {
            return timedOut;
        }

        /**
         * Returns how long the job took.
         *
         * @return milliseconds from start to exit.
         */
        public long millis() {
            return millis;
        }

        /**
         * Returns the command that ran, for messages.
         *
         * @return the command.
         */
        public List<String> command() {
            return command;
        }

        /**
         * Describes the run for an assertion message: the command, status and output.
         *
         * @return the description.
         */
        public String describe() {
            return "mpirun exited " + status + (timedOut ? " (killed on timeout)" : "") + " after " + millis
                    + " ms\ncommand: " + String.join(" ", command) + "\noutput:\n" + output;
        }
    }

    /** Where the ranks' shared-memory segments go: a directory per run, removed after it (even after a crash). */
    private static final Path SHM_ROOT = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm")
            : Paths.get(System.getProperty("java.io.tmpdir"));

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Optional<String> libdir(Path mpirun) {
        Path ompiInfo = mpirun.resolveSibling("ompi_info");
        if (!Files.isExecutable(ompiInfo)) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(ompiInfo.toString(), "--path", "libdir").redirectErrorStream(true)
                    .start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            for (String line : text.split("\n")) {
                int colon = line.indexOf("Libdir:");
                if (colon >= 0) {
                    return Optional.of(line.substring(colon + "Libdir:".length()).trim());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Starts mpirun as the leader of a process group of its own (when setsid exists), so it can be killed whole. */
    private static List<String> withSetsid(List<String> cmd) {
        for (String dir : new String[] {"/usr/bin", "/bin"}) {
            if (Files.isExecutable(Paths.get(dir, "setsid"))) {
                List<String> all = new ArrayList<>();
                all.add(dir + "/setsid");
                all.addAll(cmd);
                return all;
            }
        }
        return cmd;
    }

    /**
     * Dumps the threads of every Java process of a job (the descendants of {@code mpirun} running a {@code java}
     * executable) with the {@code jcmd} of the ranks' JDK, all at once; a dump that takes longer than
     * {@link #DUMP_LIMIT} is given up (its {@code jcmd} is killed).
     *
     * @param p the job's {@code mpirun}.
     * @return the dumps, each under a line naming the process, or why there is none.
     * @throws InterruptedException if interrupted while waiting for them.
     */
    private String threadDumps(Process p) throws InterruptedException {
        List<ProcessHandle> javas = p.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .sorted(java.util.Comparator.comparingLong(ProcessHandle::pid)).collect(Collectors.toList());
        if (javas.isEmpty()) {
            return "[Mpirun: no Java process of the job to dump]\n";
        }
        Path jcmd = javaHome.resolve("bin").resolve("jcmd");
        if (!Files.isExecutable(jcmd)) {
            jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        }
        StringBuilder text = new StringBuilder();
        List<Process> dumpers = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try {
            for (ProcessHandle h : javas) {
                Path file = Files.createTempFile("mp4j-mpirun-dump-", ".txt");
                files.add(file);
                dumpers.add(new ProcessBuilder(jcmd.toString(), Long.toString(h.pid()), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(file.toFile()).start());
            }
            long deadline = System.nanoTime() + DUMP_LIMIT.toNanos();
            for (int i = 0; i < javas.size(); i++) {
                Process d = dumpers.get(i);
                boolean done = d.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!done) {
                    d.destroyForcibly();
                    d.waitFor(1, TimeUnit.SECONDS);
                }
                text.append("[Mpirun: thread dump of java process ").append(javas.get(i).pid())
                        .append(done ? "" : " (incomplete: jcmd gave no answer within " + DUMP_LIMIT + ")")
                        .append("]\n").append(Files.readString(files.get(i), StandardCharsets.UTF_8)).append('\n');
            }
        } catch (IOException e) {
            text.append("[Mpirun: could not dump the job's threads with ").append(jcmd).append(": ").append(e)
                    .append("]\n");
        } finally {
            for (Process d : dumpers) {
                d.destroyForcibly();
            }
            for (Path f : files) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // a temp file left behind is harmless
                }
            }
        }
        return text.toString();
    }

    private static void kill(Process p) throws InterruptedException {
        List<ProcessHandle> all = p.descendants().collect(Collectors.toList());
        p.destroy(); // SIGTERM: mpirun forwards it to the ranks and cleans up
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            try {
                new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // no kill command: the handles below still go
            }
            p.destroyForcibly();
        }
        all.addAll(p.descendants().collect(Collectors.toList()));
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        p.waitFor(5, TimeUnit.SECONDS);
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (InputStream s = in) {
            int k;
            while ((k = s.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, k);
                }
            }
        } catch (IOException e) {
            // the stream closed as the process went
        }
    }
}
