package org.multiproc4j.benchmarks.sidebyside;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.benchmarks.mpi.MpiBench;
import org.multiproc4j.mpi.launch.MpiLauncher;

/**
 * {@code mpi}: the MPI workloads with 2 ranks ({@link MpiBench}; its twins {@code mpi_side.py} under Open MPI's
 * {@code mpirun} and {@code mpi_bench.c}, compiled with {@code mpicc} when the set-up finds it), and the start of a
 * 4-rank job. multiproc4j's figures are those of the {@code local} backend (ranks are child JVMs of the launcher);
 * the C program's figures, taken in the same trial set, are the floor ({@code c_*} metrics). Where Open MPI or
 * mpi4py is missing ({@code bin/setup-mpi} installs them where it can) the trial set says so and those figures are
 * absent. Where bin/bench finds a JDK 22+ it builds {@code mpi-native} with it, and the same {@link MpiBench} runs
 * on the native backend under {@code mpirun} in that JDK ({@code native_*} metrics, beside {@code c_*}).
 *
 * <p><b>Thread levels.</b> Open MPI 4.1 charges about 0.1 µs per small call above {@code MPI_THREAD_SINGLE}, so each
 * row run under {@code mpirun} is compared with a C floor at its own level: {@code c_*} ({@code MPI_Init}, i.e.
 * {@code SINGLE}) and {@code c_multiple_*} ({@code MPI_Init_thread(MPI_THREAD_MULTIPLE)}). {@link #JOB_ROWS} is the one
 * place that says which JVM flags and properties make which row and at which level it runs.
 */
public final class MpiWorkload implements Workload {
    /** The openmpi backend's metrics (MpiBench under mpirun) and, for buffers, the raw bindings' (RawMpiBench). */
    static final String[] OPENMPI_METRICS = {"pingpong_oneway_8B_us", "pingpong_oneway_1048576B_us",
            "bcast_1048576B_us", "scatter_1048576B_us", "allreduce_1048576d_us", "object_pingpong_oneway_us",
            "object_bcast_us"};
    /**
     * What runs a {@link JobRow}: the C program, the openmpi backend's or the raw bindings' Java program on the
     * runner's own Java (with Open MPI's mpi.jar), or MpiBench on the JDK 22+ that bin/bench found for mpi-native.
     */
    enum Runner {
        /** {@code mpi_bench.c}, compiled here with {@code mpicc}; its arguments are {@link JobRow#args}. */
        C,
        /** {@link MpiBench} on the openmpi backend (Open MPI's Java bindings), on the runner's Java. */
        OPENMPI,
        /** {@code RawMpiBench} (the bindings called directly); {@link JobRow#args} are its arguments. */
        RAW_BINDINGS,
        /** {@link MpiBench} on the native backend, on the JDK 22+ given by {@link #NATIVE_JAVA_PROP}. */
        NATIVE
    }

    /**
     * One job under {@code mpirun -n 2} per trial whose {@code RESULT} lines become metrics.
     *
     * @param prefix   put before each metric name ({@code ""} for programs that name their own metrics).
     * @param runner   what runs it.
     * @param jvmFlags JVM flags and system properties for the ranks' JVMs (none for C).
     * @param args     the program's own arguments ({@code quick} is added in quick runs).
     * @param level    the MPI thread level the row runs at, as the report's facts say it.
     */
    record JobRow(String prefix, Runner runner, List<String> jvmFlags, List<String> args, String level) {
    }

    /** The native backend: the property that selects it (its rows' flags start with it). */
    static final String NATIVE_BACKEND = "-Dmultiproc4j.mpi.backend=native";

    /**
     * Every row run as a job of its own under {@code mpirun}, in the order a trial runs them. To add a row, add its
     * line here (and its targets with {@link #floorTargets}); for example openmpi at {@code MPI_THREAD_SINGLE}:
     * {@code new JobRow("openmpi_single_", Runner.OPENMPI, List.of("-Dmultiproc4j.mpi.openmpi.threads=single"),
     * List.of(), "MPI_THREAD_SINGLE")}. (No JVM flag before {@code -cp} may contain "cp": Open MPI's mpirun rewrites
     * such a java command line.)
     */
    static final List<JobRow> JOB_ROWS = List.of(
            new JobRow("c_", Runner.C, List.of(), List.of(), "MPI_Init (MPI_THREAD_SINGLE)"),
            new JobRow("c_multiple_", Runner.C, List.of(), List.of("multiple"), "MPI_THREAD_MULTIPLE"),
            new JobRow("openmpi_", Runner.OPENMPI, List.of(), List.of(), "MPI_THREAD_MULTIPLE (the default)"),
            new JobRow("openmpi_single_", Runner.OPENMPI, List.of("-Dmultiproc4j.mpi.openmpi.threads=single"),
                    List.of(), "MPI_THREAD_SINGLE (multiproc4j.mpi.openmpi.threads=single)"),
            new JobRow("", Runner.RAW_BINDINGS, List.of(), List.of("direct"), "MPI_Init (MPI_THREAD_SINGLE)"),
            new JobRow("", Runner.RAW_BINDINGS, List.of(), List.of("array"), "MPI_Init (MPI_THREAD_SINGLE)"),
            new JobRow("native_", Runner.NATIVE, List.of(NATIVE_BACKEND), List.of(),
                    "MPI_THREAD_MULTIPLE (the default)"),
            new JobRow("native_single_", Runner.NATIVE,
                    List.of(NATIVE_BACKEND, "-Dmultiproc4j.mpi.native.threads=single"), List.of(),
                    "MPI_THREAD_SINGLE (multiproc4j.mpi.native.threads=single)"));

    static final String[] METRICS = {"pingpong_oneway_8B_us", "pingpong_oneway_4096B_us",
            "pingpong_oneway_1048576B_us", "bcast_8B_us", "bcast_1048576B_us", "scatter_1048576B_us",
            "allreduce_1d_us", "allreduce_1048576d_us", "object_pingpong_oneway_us", "object_bcast_us"};

    private Path dir;
    private Path cBinary;
    private String cSkipped;
    /** The openmpi backend's and the raw bindings' rows: the command prefix of a 2-rank java job, or null. */
    private List<String> javaUnderMpirun;
    private Path mpiJar;

    /** The native backend's rows: a JDK 22+ java and the mpi-native jar, from bin/bench (see {@link #NATIVE_JAVA_PROP}). */
    private Path nativeJava;
    private Path nativeJar;
    private String nativeSkipped;

    /** System property naming the java (JDK 22+) that runs the {@code native_*} rows; bin/bench sets it. */
    static final String NATIVE_JAVA_PROP = "multiproc4j.bench.nativeJava";
    /** System property naming the mpi-native jar for the {@code native_*} rows; bin/bench sets it. */
    static final String NATIVE_JAR_PROP = "multiproc4j.bench.nativeJar";

    @Override
    public String name() {
        return "mpi";
    }

    @Override
    public String title() {
        return "MPI with 2 ranks: ping-pong, bcast, scatter, allreduce (buffers and objects); start of a 4-rank job";
    }

    @Override
    public String idleStrategy() {
        return "multiproc4j local backend: default IdlePolicy (spin 2 µs, yield 100 µs, park 1 µs..1 ms); Open MPI "
                + "(C and mpi4py): its shared-memory transport's busy polling";
    }

    @Override
    public Map<String, Object> parameters(Settings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ranks", 2);
        p.put("per_metric", "best of " + (settings.quick() ? 2 : 10) + " repetitions of the mean over many "
                + "operations; collectives: the slowest rank's time");
        p.put("object", "the tutorial's small dict {'key1': [7, 2.72, 2+3j], 'key2': ('abc', 'xyz')} (Java: a "
                + "LinkedHashMap of lists); Python: pickle (lowercase send/bcast)");
        p.put("buffers", "Java: double[] through Buf; Python: numpy float64 arrays (uppercase methods); C: double*");
        StringBuilder levels = new StringBuilder();
        for (JobRow r : JOB_ROWS) {
            levels.append(levels.length() == 0 ? "" : "; ").append(r.prefix().isEmpty() ? "raw_" + r.args().get(0)
                    + "_" : r.prefix()).append("*: ").append(r.level());
        }
        p.put("thread_levels", levels.toString());
        p.put("job_start", "launch of a 4-rank hello job until it exits: MpiLauncher.run (Java, in the runner's JVM) "
                + "vs mpiexec -n 4 python3 hello (Python)");
        return p;
    }

    @Override
    public Map<String, String> pythonParameters(Settings settings) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("script", dir == null ? "" : dir.resolve("mpi_side.py").toString());
        p.put("quick", settings.quick() ? "1" : "0");
        return p;
    }

    @Override
    public List<Comparison> comparisons() {
        List<Comparison> rows = new ArrayList<>();
        for (String m : METRICS) {
            rows.add(new Comparison(m.replace('_', ' ').replace(" us", " (µs)") + " (Python: mpi4py under Open MPI)",
                    m.replace("_us", ""), m, m));
        }
        rows.add(new Comparison("start of a 4-rank hello job (ms)", "job start", "job_start_4_ranks_ms",
                "job_start_4_ranks_ms"));
        for (String m : OPENMPI_METRICS) {
            rows.add(new Comparison(m.replace('_', ' ').replace(" us", " (µs)") + ", openmpi backend under mpirun"
                    + " (Python: mpi4py)", "openmpi " + m.replace("_us", ""), "openmpi_" + m, m));
        }
        return rows;
    }

    @Override
    public List<Target> targets() {
        String src = "issue 13";
        List<Target> all = new ArrayList<>(List.of(
                new Target("local p2p 8 B one-way ≤ 1.0× C Open MPI", Target.Ref.java("pingpong_oneway_8B_us"),
                        Target.Ref.java("c_pingpong_oneway_8B_us"), 1.0, src),
                new Target("local bcast 1 MiB ≤ 1.0× C", Target.Ref.java("bcast_1048576B_us"),
                        Target.Ref.java("c_bcast_1048576B_us"), 1.0, src),
                new Target("local allreduce 1 M doubles ≤ 1.0× C", Target.Ref.java("allreduce_1048576d_us"),
                        Target.Ref.java("c_allreduce_1048576d_us"), 1.0, src),
                new Target("local scatter 1 MiB ≤ 1.0× C", Target.Ref.java("scatter_1048576B_us"),
                        Target.Ref.java("c_scatter_1048576B_us"), 1.0, src),
                new Target("object ping-pong ≤ 1/5 of mpi4py pickle", Target.Ref.java("object_pingpong_oneway_us"),
                        Target.Ref.python("object_pingpong_oneway_us"), 0.2, src),
                new Target("object bcast ≤ 1/5 of mpi4py pickle", Target.Ref.java("object_bcast_us"),
                        Target.Ref.python("object_bcast_us"), 0.2, src),
                new Target("4-rank job start ≤ mpi4py's mpiexec -n 4", Target.Ref.java("job_start_4_ranks_ms"),
                        Target.Ref.python("job_start_4_ranks_ms"), 1.0, src),
                new Target("openmpi p2p 8 B ≤ 1.1× raw bindings (direct buffer)",
                        Target.Ref.java("openmpi_pingpong_oneway_8B_us"),
                        Target.Ref.java("raw_direct_pingpong_oneway_8B_us"), 1.1, "issue 14"),
                new Target("openmpi p2p 1 MiB (double[]) ≤ 1.2× C", Target.Ref.java("openmpi_pingpong_oneway_1048576B_us"),
                        Target.Ref.java("c_pingpong_oneway_1048576B_us"), 1.2, "issue 14"),
                new Target("openmpi bcast 1 MiB (double[]) ≤ 1.2× C", Target.Ref.java("openmpi_bcast_1048576B_us"),
                        Target.Ref.java("c_bcast_1048576B_us"), 1.2, "issue 14"),
                new Target("openmpi scatter 1 MiB (double[]) ≤ 1.2× C", Target.Ref.java("openmpi_scatter_1048576B_us"),
                        Target.Ref.java("c_scatter_1048576B_us"), 1.2, "issue 14"),
                new Target("openmpi object ping-pong ≤ 1/5 of mpi4py pickle",
                        Target.Ref.java("openmpi_object_pingpong_oneway_us"),
                        Target.Ref.python("object_pingpong_oneway_us"), 0.2, "issue 14")));
        all.addAll(floorTargets("openmpi (single)", "openmpi_single_", "raw bindings", "raw_direct_", "issue 14",
                new String[] {"8 B one-way", "pingpong_oneway_8B_us", "1.1"}));
        all.addAll(nativeTargets("native backend (MULTIPLE)", "native_", "C (MULTIPLE)", "c_multiple_"));
        all.addAll(nativeTargets("native backend (threads=single)", "native_single_", "C (MPI_Init)", "c_"));
        return all;
    }

    /** The issue-15 goals of one native row against the C floor at its level. */
    private static List<Target> nativeTargets(String row, String prefix, String floor, String floorPrefix) {
        return floorTargets(row, prefix, floor, floorPrefix, "issue 15",
                new String[] {"8 B one-way", "pingpong_oneway_8B_us", "1.3"},
                new String[] {"1 MiB one-way (double[])", "pingpong_oneway_1048576B_us", "1.1"},
                new String[] {"bcast 1 MiB", "bcast_1048576B_us", "1.1"},
                new String[] {"scatter 1 MiB", "scatter_1048576B_us", "1.1"},
                new String[] {"allreduce 1 M doubles", "allreduce_1048576d_us", "1.1"});
    }

    /**
     * Targets of one {@link JobRow} against another (a C floor or the raw bindings at the same thread level).
     *
     * @param row         how the label names the row, e.g. {@code "native backend (MULTIPLE)"}.
     * @param prefix      the row's metric prefix ({@link JobRow#prefix}).
     * @param floor       how the label names the reference, e.g. {@code "C (MULTIPLE)"}.
     * @param floorPrefix the reference's metric prefix.
     * @param source      where the goals come from.
     * @param goals       each {@code {what, metric, limit}}.
     * @return one target per goal, labelled "row what ≤ limit× floor".
     */
    static List<Target> floorTargets(String row, String prefix, String floor, String floorPrefix, String source,
            String[]... goals) {
        List<Target> out = new ArrayList<>();
        for (String[] g : goals) {
            out.add(new Target(row + " " + g[0] + " ≤ " + g[2] + "× " + floor, Target.Ref.java(prefix + g[1]),
                    Target.Ref.java(floorPrefix + g[1]), Double.parseDouble(g[2]), source));
        }
        return out;
    }

    @Override
    public Map<String, Object> prepare(Settings settings) throws Exception {
        dir = Files.createTempDirectory("mp4j-mpi-bench");
        for (String r : new String[] {"mpi_side.py", "mpi_bench.c"}) {
            try (InputStream in = MpiWorkload.class.getResourceAsStream("python/" + r)) {
                if (in == null) {
                    throw new IOException(r + " is missing from benchmarks.jar");
                }
                Files.copy(in, dir.resolve(r), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        Path mpicc = which("mpicc");
        if (mpicc == null || which("mpirun") == null) {
            cSkipped = "no mpicc/mpirun on the PATH (bin/setup-mpi installs Open MPI): the C floor is skipped";
        } else {
            Path bin = dir.resolve("mpi_bench");
            Process p = new ProcessBuilder(mpicc.toString(), "-O2", "-o", bin.toString(),
                    dir.resolve("mpi_bench.c").toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                cBinary = bin;
            } else {
                cSkipped = "mpicc failed: " + out.strip();
            }
        }
        facts.put("c_floor", cBinary != null ? "mpi_bench.c compiled with " + mpicc + " -O2" : cSkipped);
        facts.put("openmpi_backend", prepareOpenMpi());
        String nj = System.getProperty(NATIVE_JAVA_PROP);
        String jar = System.getProperty(NATIVE_JAR_PROP);
        if (nj == null || jar == null || nj.isBlank() || jar.isBlank()) {
            nativeSkipped = "no JDK 22+ and mpi-native jar given (" + NATIVE_JAVA_PROP + ", " + NATIVE_JAR_PROP
                    + "; bin/bench sets them where it finds a JDK 22+): the native backend's rows are skipped";
        } else if (which("mpirun") == null) {
            nativeSkipped = "no mpirun on the PATH: the native backend's rows are skipped";
        } else {
            nativeJava = Path.of(nj);
            nativeJar = Path.of(jar);
        }
        facts.put("native_backend", nativeJava != null ? "MpiBench on the mpi-native backend under mpirun -n 2, run by "
                + nativeJava + " (native_* metrics)" : nativeSkipped);
        return facts;
    }

    /** System property naming Open MPI's mpi.jar (bin/bench passes bin/setup-mpi's); else {@code <libdir>/mpi.jar}. */
    static final String MPI_JAR_PROP = "multiproc4j.bench.mpiJar";

    /**
     * Readies the openmpi backend's rows (MpiBench under mpirun) and the raw bindings' (RawMpiBench, compiled here
     * against mpi.jar).
     *
     * @return what was done or why it was skipped.
     */
    private String prepareOpenMpi() throws IOException, InterruptedException {
        Path mpirun = which("mpirun");
        Path ompiInfo = which("ompi_info");
        if (mpirun == null || ompiInfo == null) {
            return "skipped: no mpirun/ompi_info on the PATH (bin/setup-mpi installs Open MPI)";
        }
        Process info = new ProcessBuilder(ompiInfo.toString(), "--path", "libdir").redirectErrorStream(true).start();
        String libdir = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll(
                "(?s).*Libdir:\\s*", "").strip();
        info.waitFor();
        String named = System.getProperty(MPI_JAR_PROP, "");
        mpiJar = named.isBlank() ? Path.of(libdir, "mpi.jar") : Path.of(named);
        if (!Files.isRegularFile(mpiJar)) {
            return "skipped: no Open MPI mpi.jar at " + mpiJar + " (bin/setup-mpi builds one; -D" + MPI_JAR_PROP + ")";
        }
        try {
            Class.forName("org.multiproc4j.mpi.openmpi.OpenMpiProvider");
        } catch (ClassNotFoundException e) {
            return "skipped: mpi-openmpi was built without mpi.jar (run bin/setup-mpi, then rebuild)";
        }
        try (InputStream in = MpiWorkload.class.getResourceAsStream("python/RawMpiBench.java")) {
            if (in == null) {
                throw new IOException("RawMpiBench.java is missing from benchmarks.jar");
            }
            Files.copy(in, dir.resolve("RawMpiBench.java"), StandardCopyOption.REPLACE_EXISTING);
        }
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return "skipped: this Java runtime has no compiler (a JDK is needed to compile RawMpiBench)";
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (javac.run(null, err, err, "--release", "17", "-cp", mpiJar.toString(), "-d", dir.toString(),
                dir.resolve("RawMpiBench.java").toString()) != 0) {
            return "skipped: RawMpiBench.java did not compile against " + mpiJar + ": " + err;
        }
        List<String> cmd = new ArrayList<>(List.of(mpirun.toString(), "-n", "2"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-run-as-root");
        }
        cmd.add(org.multiproc4j.core.internal.ChildCommand.currentJava().toString());
        cmd.addAll(org.multiproc4j.core.internal.ChildCommand.providerOptions(Runtime.version()));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-Djava.library.path=" + libdir);
        javaUnderMpirun = cmd;
        return "MpiBench on the openmpi backend and RawMpiBench (raw bindings, direct buffers and double[]) under "
                + "mpirun -n 2, with " + mpiJar;
    }

    /**
     * Runs one row's job under {@code mpirun -n 2} and adds its RESULT lines, each metric prefixed; a row whose
     * runner this machine lacks (no mpicc, no mpi.jar, no JDK 22+) is skipped (the facts say why).
     */
    private void runRow(TrialSet set, JobRow row, boolean quick) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        List<String> args = new ArrayList<>(row.args());
        if (quick) {
            args.add("quick");
        }
        switch (row.runner()) {
            case C -> {
                if (cBinary == null) {
                    return;
                }
                cmd.addAll(mpirun());
                cmd.add(cBinary.toString());
            }
            case OPENMPI, RAW_BINDINGS -> {
                if (javaUnderMpirun == null) {
                    return;
                }
                cmd.addAll(javaUnderMpirun);
                cmd.addAll(row.jvmFlags());
                cmd.add("-cp");
                if (row.runner() == Runner.OPENMPI) {
                    cmd.add(System.getProperty("java.class.path") + java.io.File.pathSeparator + mpiJar);
                    cmd.add(MpiBench.class.getName());
                } else {
                    cmd.add(dir + java.io.File.pathSeparator + mpiJar);
                    cmd.add("RawMpiBench");
                }
                if (!quick) {
                    args.add("full");
                }
            }
            case NATIVE -> {
                if (nativeJava == null) {
                    return;
                }
                cmd.addAll(mpirun());
                cmd.add(nativeJava.toString());
                cmd.addAll(org.multiproc4j.core.internal.ChildCommand.providerOptions(
                        org.multiproc4j.core.internal.ChildCommand.versionOf(nativeJava)));
                cmd.add("--enable-native-access=ALL-UNNAMED");
                cmd.addAll(row.jvmFlags());
                cmd.add("-cp");
                cmd.add(System.getProperty("java.class.path") + java.io.File.pathSeparator + nativeJar);
                cmd.add(MpiBench.class.getName());
            }
            default -> throw new IllegalStateException("unknown runner " + row.runner());
        }
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the " + row.prefix() + row.runner() + " " + row.args()
                    + " row under mpirun failed:\n" + out);
        }
        parse(out).forEach((k, v) -> set.add(row.prefix() + k, v, "µs", Better.LOWER));
    }

    /** {@code mpirun -n 2}, with {@code --allow-run-as-root} when the runner is root. */
    private static List<String> mpirun() {
        List<String> cmd = new ArrayList<>(List.of("mpirun", "-n", "2"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-run-as-root");
        }
        return cmd;
    }

    static Path which(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Map<String, Double> parse(String output) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals("RESULT")) {
                m.put(f[1], Double.parseDouble(f[2]));
            }
        }
        return m;
    }

    @Override
    public void runJava(TrialSet set, Settings settings) throws Exception {
        String[] args = settings.quick() ? new String[] {"quick"} : new String[0];
        set.repeat(settings.warmup(), settings.trials(), () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            int status = MpiLauncher.run(2, MpiBench.class.getName(), List.of(args),
                    new MpiLauncher.Options().output(out));
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (status != 0) {
                throw new IllegalStateException("MpiBench failed with status " + status + ":\n" + text);
            }
            parse(text).forEach((k, v) -> set.add(k, v, "µs", Better.LOWER));
            for (JobRow row : JOB_ROWS) {
                runRow(set, row, settings.quick());
            }
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            int hello = MpiLauncher.run(4, MpiBench.class.getName(), List.of("hello"),
                    new MpiLauncher.Options().output(quiet));
            long t1 = System.nanoTime();
            if (hello != 0) {
                throw new IllegalStateException("the 4-rank job failed with status " + hello);
            }
            set.addMillis("job_start_4_ranks_ms", t0, t1);
        });
    }

    /**
     * Left out of quick runs: each trial boots two jobs of JVMs and two {@code mpirun} jobs, minutes on a loaded
     * machine; {@code bin/bench --quick --workloads mpi} runs it quickly on purpose.
     *
     * @return {@code false}.
     */
    @Override
    public boolean inQuickRun() {
        return false;
    }

    @Override
    public double estimatedSecondsPerSet(Settings settings) {
        return settings.quick() ? 30 : 240;
    }

    @Override
    public void close() {
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                System.err.println("mpi workload: could not remove " + dir + ": " + e);
            }
        }
    }
}
