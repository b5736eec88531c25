package org.multiproc4j.mpi.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.core.StartMethod;
import org.multiproc4j.mpi.internal.JobLayout;
import org.multiproc4j.mpi.internal.LocalJob;

/**
 * Runs an SPMD program as a job of {@code n} ranks on this machine, each rank a child JVM running the program's
 * {@code main} on the {@code local} backend: the project's {@code mpiexec}. From Java,
 * {@link #run(int, Class, String...)}; from a shell, {@code bin/mpi-launch -n 4 -cp app.jar Main args} (named
 * so that it never shadows Open MPI's {@code mpirun}).
 *
 * <pre>{@code
 * // compile-only: runs a program's main in 4 child JVMs; the tour's MPI examples show it run
 * int status = MpiLauncher.run(4, MpiLauncher.class, "--help");
 * System.out.println("the job ended with status " + status);
 * }</pre>
 *
 * <p><b>Output.</b> Each rank's standard output and error show on this JVM's console as the rank writes them
 * (lines of different ranks interleave in any order); {@link Options#prefixOutput(boolean)} prefixes each line
 * with {@code [r] }, and {@link Options#output(PrintStream)} sends the lines elsewhere.
 *
 * <p><b>JVM options.</b> Each rank's JVM gets the options of {@link Options#jvmOptions(String...)} and, unless
 * the user chose a garbage collector, {@value #DEFAULT_GC} with a young generation of {@value #DEFAULT_YOUNG}:
 * with the parallel collector the object forms are much faster than under G1, the JVM's default (here a small
 * map's one-way ping-pong 0.74 → 0.37 µs and its bcast 0.27 → 0.21 µs), and its small young generation keeps a
 * rank's allocations in the cache (with the parallel collector's own, about 100 MB here, an 8-byte buffer
 * ping-pong allocates into memory no cache holds and takes 0.153 µs one way, against 0.114 under G1 and 0.112
 * with {@value #DEFAULT_YOUNG}). A user's own {@code -XX:+Use...GC} or {@code -XX:-Use...GC} option wins: the
 * launcher adds neither when one is among the job's JVM options or in the {@code JAVA_TOOL_OPTIONS},
 * {@code JDK_JAVA_OPTIONS} or {@code _JAVA_OPTIONS} environment variables the ranks inherit (the JVM refuses to
 * start with two collectors); an option that sizes the heap ({@code -Xmx}, {@code -Xms}, {@code -Xmn},
 * {@code -XX:NewSize=}, {@code -XX:NewRatio=}, {@code -XX:MaxRAMPercentage=}, ...) leaves out
 * {@value #DEFAULT_YOUNG}.
 *
 * <p><b>Failure.</b> The job's status is 0 when every rank's {@code main} returned. When a rank fails (its
 * {@code main} throws, it calls {@code System.exit} with a non-zero status or {@code Mpi.abort}, or it is
 * killed), the launcher prints one line naming the rank and the cause, marks the job aborted in shared memory (so
 * that the ranks waiting for it fail at once rather than hang) and terminates the other ranks; the job's status
 * is the failed rank's, and {@link #run} returns within a few seconds. A launcher that dies takes its ranks with
 * it (a child never outlives its parent).
 *
 * <p><b>Thread and process safety.</b> {@link #run} may be called from any thread, several jobs at a time.
 */
public final class MpiLauncher {

    /**
     * The garbage collector option every rank's JVM gets unless the user chose one (see the class comment).
     */
    public static final String DEFAULT_GC = "-XX:+UseParallelGC";

    /**
     * The young generation size every rank's JVM gets with {@link #DEFAULT_GC}, unless the user sized the heap (see
     * the class comment).
     */
    public static final String DEFAULT_YOUNG = "-Xmn24m";

    private static final String[] OPTION_VARIABLES = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"};

    private MpiLauncher() {
    }

    /**
     * Returns the JVM options of a job's ranks: the user's, preceded by {@link #DEFAULT_GC} unless one of the user's
     * options or of the JVM option variables in {@code env} selects or deselects a garbage collector, and then by
     * {@link #DEFAULT_YOUNG} unless one of them sizes the heap or its young generation.
     *
     * @param user the user's options.
     * @param env  the environment the ranks inherit.
     * @return the options, in order.
     */
    static List<String> rankJvmOptions(List<String> user, java.util.Map<String, String> env) {
        List<String> given = new ArrayList<>(user);
        for (String var : OPTION_VARIABLES) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                given.addAll(Arrays.asList(v.trim().split("\\s+")));
            }
        }
        List<String> all = new ArrayList<>();
        if (given.stream().noneMatch(o -> o.matches("-XX:[+-]Use\\w*GC"))) {
            all.add(DEFAULT_GC);
            if (given.stream().noneMatch(o -> o.matches("-Xm[nsx].*|-XX:\\w*(NewSize|NewRatio|HeapSize|RAM\\w*)=.*"))) {
                all.add(DEFAULT_YOUNG);
            }
        }
        all.addAll(user);
        return all;
    }

    /**
     * Runs {@code mainClass.main(args)} as a job of {@code n} ranks, with default options, and waits for it.
     *
     * @param n         the number of ranks, at least 1.
     * @param mainClass the program; it must have a {@code public static void main(String[])} and be on this JVM's
     *                  classpath.
     * @param args      the program's arguments, the same for every rank.
     * @return the job's exit status: 0 if every rank succeeded, else the first failed rank's.
     * @throws IllegalArgumentException if {@code n} is less than 1 or the class has no {@code main}.
     * @throws InterruptedException     if this thread is interrupted while waiting (the ranks are terminated).
     */
    public static int run(int n, Class<?> mainClass, String... args) throws InterruptedException {
        return run(n, mainClass.getName(), Arrays.asList(args), new Options());
    }

    /**
     * Runs a program as a job of {@code n} ranks and waits for it.
     *
     * @param n         the number of ranks, at least 1.
     * @param mainClass the program's class name.
     * @param args      the program's arguments, the same for every rank.
     * @param options   how to start the ranks.
     * @return the job's exit status: 0 if every rank succeeded, else the first failed rank's.
     * @throws IllegalArgumentException if {@code n} is less than 1.
     * @throws InterruptedException     if this thread is interrupted while waiting (the ranks are terminated).
     */
    public static int run(int n, String mainClass, List<String> args, Options options) throws InterruptedException {
        if (n < 1) {
            throw new IllegalArgumentException("MpiLauncher: the number of ranks must be at least 1, got " + n);
        }
        Objects.requireNonNull(mainClass, "mainClass");
        Options o = new Options(options);
        PrintStream out = o.output().orElse(null);
        boolean pipe = out != null || o.prefixOutput();
        PrintStream console = out != null ? out : System.out;
        PrintStream errors = out != null ? out : System.err;
        String[] jvmOptions = rankJvmOptions(o.jvmOptions(), System.getenv()).toArray(new String[0]);
        try (LocalJob job = LocalJob.create(n, o.ringCapacity().orElse(JobLayout.defaultCapacity(n)))) {
            List<JvmProcess> ranks = new ArrayList<>();
            List<Thread> pumps = new ArrayList<>();
            BlockingQueue<Integer> exits = new LinkedBlockingQueue<>();
            try {
                for (int r = 0; r < n; r++) {
                    JvmProcess.Options po = new JvmProcess.Options().name("rank-" + r)
                            .startMethod(StartMethod.SPAWN).terminateGrace(Duration.ofSeconds(1))
                            .jvmOptions(jvmOptions)
                            .extraClasspath(o.extraClasspath().toArray(new Path[0]));
                    if (pipe) {
                        po.stdout(ProcessBuilder.Redirect.PIPE).stderr(ProcessBuilder.Redirect.PIPE);
                    }
                    JvmProcess p = new JvmProcess(new RankTask(job.name(), r, mainClass, args.toArray(new String[0])),
                            po);
                    p.start();
                    ranks.add(p);
                    int rank = r;
                    p.onExit().thenRun(() -> exits.add(rank));
                    if (pipe) {
                        String prefix = o.prefixOutput() ? "[" + r + "] " : "";
                        pumps.add(pump(p.stdout(), prefix, console));
                        pumps.add(pump(p.stderr(), prefix, errors));
                    }
                }
                int status = 0;
                for (int done = 0; done < n; done++) {
                    int r = exits.take();
                    JvmProcess p = ranks.get(r);
                    int code = p.exitCode();
                    if (code != 0 && status == 0) {
                        status = code;
                        job.abort(r, code);
                        errors.println("multiproc4j-mpi: rank " + r + " " + describe(p) + "; ending the job");
                        errors.flush();
                        for (JvmProcess other : ranks) {
                            other.terminate();
                        }
                    }
                }
                for (Thread t : pumps) {
                    t.join();
                }
                return status;
            } finally {
                for (JvmProcess p : ranks) {
                    p.close();
                }
            }
        }
    }

    private static String describe(JvmProcess p) {
        Optional<RemoteException> failure = p.failure();
        if (failure.isPresent()) {
            return "failed: " + failure.get().getMessage();
        }
        if (p.launchFailure().isPresent()) {
            return "could not start: " + p.launchFailure().get().getMessage();
        }
        if (p.signal().isPresent()) {
            return "was killed by signal " + p.signal().getAsInt() + " (exit status " + p.exitCode() + ")";
        }
        return "exited with status " + p.exitCode();
    }

    private static Thread pump(InputStream in, String prefix, PrintStream to) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (to) {
                        to.println(prefix + line);
                        to.flush();
                    }
                }
            } catch (IOException closed) {
                // the rank's output ended with its process (JvmProcess closes the stream when it collects the exit)
            }
        }, "mpi-launch-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** What a rank's JVM runs: join the job as this rank, then the program's main. */
    private static final class RankTask implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final String segment;
        private final int rank;
        private final String mainClass;
        private final String[] args;

        RankTask(String segment, int rank, String mainClass, String[] args) {
            this.segment = segment;
            this.rank = rank;
            this.mainClass = mainClass;
            this.args = args;
        }

        @Override
        public void run() {
            System.setProperty(LocalJob.SEGMENT_PROP, segment);
            System.setProperty(LocalJob.RANK_PROP, Integer.toString(rank));
            Method main;
            try {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                main = Class.forName(mainClass, true, loader != null ? loader : RankTask.class.getClassLoader())
                        .getMethod("main", String[].class);
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                throw new IllegalArgumentException("rank " + rank + ": cannot find public static void main(String[]) in "
                        + mainClass + ": " + e, e);
            }
            if (!Modifier.isStatic(main.getModifiers())) {
                throw new IllegalArgumentException("rank " + rank + ": " + mainClass + ".main is not static");
            }
            try {
                main.invoke(null, (Object) args);
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                if (t instanceof RuntimeException) {
                    throw (RuntimeException) t;
                }
                if (t instanceof Error) {
                    throw (Error) t;
                }
                throw new IllegalStateException("rank " + rank + ": main threw " + t, t);
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("rank " + rank + ": cannot call " + mainClass + ".main: " + e, e);
            }
        }
    }

    /**
     * The command line: {@code MpiLauncher -n N [--prefix] [-cp CLASSPATH] [-J<jvm option>]... MainClass [args]}.
     * Exits with the job's status (this is a command's {@code main}).
     *
     * @param argv the command line.
     * @throws InterruptedException if interrupted.
     */
    public static void main(String[] argv) throws InterruptedException {
        int n = -1;
        Options o = new Options();
        int i = 0;
        while (i < argv.length && argv[i].startsWith("-")) {
            String a = argv[i];
            if ((a.equals("-n") || a.equals("-np")) && i + 1 < argv.length) {
                n = parseRanks(argv[++i]);
            } else if (a.equals("--prefix")) {
                o.prefixOutput(true);
            } else if ((a.equals("-cp") || a.equals("--class-path")) && i + 1 < argv.length) {
                for (String e : argv[++i].split(java.io.File.pathSeparator)) {
                    if (!e.isEmpty()) {
                        o.extraClasspath(Paths.get(e));
                    }
                }
            } else if (a.startsWith("-J") && a.length() > 2) {
                o.jvmOptions(a.substring(2));
            } else if (a.equals("-h") || a.equals("--help")) {
                usage(System.out);
                return;
            } else {
                usage(System.err);
                System.exit(2);
            }
            i++;
        }
        if (n < 1 || i >= argv.length) {
            usage(System.err);
            System.exit(2);
        }
        int status = run(n, argv[i], Arrays.asList(argv).subList(i + 1, argv.length), o);
        System.exit(status);
    }

    private static int parseRanks(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void usage(PrintStream to) {
        to.println("usage: mpi-launch -n N [--prefix] [-cp CLASSPATH] [-J<jvm option>]... MainClass [args...]");
        to.println("  runs MainClass.main(args) in N child JVMs, ranks 0..N-1 of one job on the local backend");
    }

    /**
     * How the launcher starts a job's ranks. Every setting has a default a newcomer never needs to change.
     *
     * <pre>{@code
     * MpiLauncher.Options options = new MpiLauncher.Options()
     *         .prefixOutput(true)
     *         .jvmOptions("-Xss2m");
     * System.out.println(options);
     * }</pre>
     *
     * <p><b>Thread safety.</b> Not thread-safe: configure it in one thread; {@link MpiLauncher#run} copies it when
     * the job starts, so later changes do not affect it.
     */
    public static final class Options {
        /** The smallest {@link #ringCapacity()}: 4 KiB. */
        public static final int MIN_RING_CAPACITY = 4096;
        /** The largest {@link #ringCapacity()}: 1 GiB. */
        public static final int MAX_RING_CAPACITY = 1 << 30;
        private boolean prefixOutput;
        private final List<String> jvmOptions;
        private final List<Path> extraClasspath;
        private PrintStream output;
        private int ringCapacity;

        /** Creates options with every default. */
        public Options() {
            jvmOptions = new ArrayList<>();
            extraClasspath = new ArrayList<>();
        }

        /**
         * Copies options.
         *
         * @param other the options to copy.
         * @throws NullPointerException if {@code other} is {@code null}.
         */
        public Options(Options other) {
            prefixOutput = other.prefixOutput;
            jvmOptions = new ArrayList<>(other.jvmOptions);
            extraClasspath = new ArrayList<>(other.extraClasspath);
            output = other.output;
            ringCapacity = other.ringCapacity;
        }

        /**
         * Prefixes each line a rank prints with {@code [rank] }.
         *
         * @param prefix the flag; default {@code false}.
         * @return these options.
         */
        public Options prefixOutput(boolean prefix) {
            this.prefixOutput = prefix;
            return this;
        }

        /**
         * Tells whether lines are prefixed with their rank.
         *
         * @return the flag; default {@code false}.
         */
        public boolean prefixOutput() {
            return prefixOutput;
        }

        /**
         * Adds JVM options for every rank ({@code -Xmx2g}, {@code -Dkey=value}). A garbage collector option
         * ({@code -XX:+UseG1GC}) replaces the launcher's defaults, {@link MpiLauncher#DEFAULT_GC} and
         * {@link MpiLauncher#DEFAULT_YOUNG}; an option that sizes the heap replaces the latter.
         *
         * @param options the options, each starting with {@code -}; default none.
         * @return these options.
         * @throws IllegalArgumentException if an option does not start with {@code -} (then none is added).
         * @throws NullPointerException     if {@code options} or one of them is {@code null}.
         */
        public Options jvmOptions(String... options) {
            for (String s : options) {
                if (!Objects.requireNonNull(s, "jvmOptions: an option").startsWith("-")) {
                    throw new IllegalArgumentException("jvmOptions must each start with '-', got '" + s + "'");
                }
            }
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * Returns the JVM options added.
         *
         * @return an unmodifiable copy; default empty.
         */
        public List<String> jvmOptions() {
            return List.copyOf(jvmOptions);
        }

        /**
         * Adds entries to every rank's classpath, after the launcher's.
         *
         * @param entries jars or directories; default none.
         * @return these options.
         * @throws NullPointerException if {@code entries} or one of them is {@code null} (then none is added).
         */
        public Options extraClasspath(Path... entries) {
            for (Path p : entries) {
                Objects.requireNonNull(p, "extraClasspath: an entry");
            }
            extraClasspath.addAll(List.of(entries));
            return this;
        }

        /**
         * Returns the entries added to the ranks' classpath.
         *
         * @return an unmodifiable copy; default empty.
         */
        public List<Path> extraClasspath() {
            return List.copyOf(extraClasspath);
        }

        /**
         * Sends the ranks' output and error lines, and the launcher's own messages, to a stream instead of the
         * console.
         *
         * @param output the stream; {@code null} restores the default, the console.
         * @return these options.
         */
        public Options output(PrintStream output) {
            this.output = output;
            return this;
        }

        /**
         * Returns where the ranks' lines go.
         *
         * @return the stream, or empty for the console.
         */
        public Optional<PrintStream> output() {
            return Optional.ofNullable(output);
        }

        /**
         * Sets the capacity of each ring between two ranks.
         *
         * @param bytes a power of two from {@value #MIN_RING_CAPACITY} to {@value #MAX_RING_CAPACITY}; default
         *              decided by the rank count (1 MiB up to 8 ranks, less beyond).
         * @return these options.
         * @throws IllegalArgumentException if {@code bytes} is not a power of two in range.
         */
        public Options ringCapacity(int bytes) {
            if (bytes < MIN_RING_CAPACITY || bytes > MAX_RING_CAPACITY || Integer.bitCount(bytes) != 1) {
                throw new IllegalArgumentException("ringCapacity must be a power of two from 4096 to 1073741824 bytes, "
                        + "got " + bytes);
            }
            this.ringCapacity = bytes;
            return this;
        }

        /**
         * Returns the ring capacity set.
         *
         * @return the capacity, or empty for the default (decided by the rank count).
         */
        public OptionalInt ringCapacity() {
            return ringCapacity == 0 ? OptionalInt.empty() : OptionalInt.of(ringCapacity);
        }

        /**
         * Describes every setting, {@code default} for those not set.
         *
         * @return e.g. {@code MpiLauncher.Options[prefixOutput=true, jvmOptions=[], ...]}.
         */
        @Override
        public String toString() {
            return "MpiLauncher.Options[prefixOutput=" + prefixOutput + ", jvmOptions=" + jvmOptions
                    + ", extraClasspath=" + extraClasspath + ", output=" + (output == null ? "default" : output)
                    + ", ringCapacity=" + (ringCapacity == 0 ? "default" : ringCapacity) + "]";
        }
    }
}
