package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** Child JVMs for real: lifecycle, results, failures, signals, options, exit semantics, handles. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmProcessIT {

    @TempDir
    Path dir;

    @Test
    void shouldRunTaskInAnotherJvmAndExitWithZero() throws Exception {
        String out = dir.resolve("out").toString();
        long parentPid = ProcessHandle.current().pid();
        JvmProcess p = new JvmProcess(() -> ParentMain.write(Path.of(out), ProcessHandle.current().pid() + " " + parentPid));
        assertSame(p, p.start());
        p.join();
        assertEquals(0, p.exitCode());
        assertEquals(OptionalInt.empty(), p.signal());
        assertFalse(p.isAlive());
        String[] pids = Files.readString(Path.of(out)).split(" ");
        assertEquals(p.pid(), Long.parseLong(pids[0]));
        assertNotEquals(parentPid, p.pid());
        assertTrue(p.failure().isEmpty());
        assertTrue(p.onExit().isDone());
    }

    @Test
    void shouldBringBackTheResultOfACallable() throws Exception {
        int x = 4;
        TaskFuture<Integer> cube = JvmProcess.call(() -> x * x * x);
        assertEquals(64, cube.get(Timeouts.MEDIUM));
        assertTrue(cube.isDone());
        assertEquals(0, cube.process().exitCode());
        assertEquals(List.of(1, 8, 27), JvmProcess.call(() -> List.of(1, 8, 27)).toCompletableFuture()
                .get(Timeouts.MEDIUM.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void shouldCarryTheChildsExceptionAsRemoteException() throws Exception {
        TaskFuture<Object> f = JvmProcess.call(() -> {
            throw new IllegalStateException("boom", new ArithmeticException("inner"));
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Timeouts.MEDIUM));
        RemoteException remote = assertInstanceOf(RemoteException.class, e.getCause());
        assertEquals("java.lang.IllegalStateException", remote.remoteClassName());
        assertEquals("boom", remote.remoteMessage());
        assertEquals("java.lang.IllegalStateException: boom", remote.getMessage());
        assertTrue(remote.remoteStackTrace().contains("JvmProcessIT"), remote.remoteStackTrace());
        assertTrue(remote.remoteStackTrace().contains("Caused by: java.lang.ArithmeticException: inner"));
        RemoteException cause = assertInstanceOf(RemoteException.class, remote.getCause());
        assertEquals("java.lang.ArithmeticException", cause.remoteClassName());
        assertTrue(remote.getStackTrace().length > 0);
        assertEquals(JvmProcess.EXIT_TASK_FAILED, f.process().exitCode());
    }

    @Test
    void shouldLetARunnableTaskThrowACheckedExceptionAndReportIt() throws Exception {
        Path missing = dir.resolve("missing.txt");
        String where = missing.toString();
        JvmProcess p = new JvmProcess(() -> Files.readString(Path.of(where)),
                new JvmProcess.Options().stderr(ProcessBuilder.Redirect.DISCARD)).start();
        assertTrue(p.join(Timeouts.MEDIUM));
        assertEquals(JvmProcess.EXIT_TASK_FAILED, p.exitCode());
        RemoteException failure = p.failure().orElseThrow();
        assertEquals("java.nio.file.NoSuchFileException", failure.remoteClassName());
        assertEquals(where, failure.remoteMessage());
    }

    @Test
    void shouldCarryAnExceptionWhoseClassTheParentDoesNotHave() throws Exception {
        Path classes = compile("package remote; public class Oops extends RuntimeException {"
                + " public Oops(String m) { super(m); } }", "remote/Oops.java");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("remote.Oops"));
        TaskFuture<Object> f = JvmProcess.call(() -> {
            throw (RuntimeException) Class.forName("remote.Oops").getConstructor(String.class).newInstance("only in the child");
        }, new JvmProcess.Options().extraClasspath(classes));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Timeouts.MEDIUM));
        RemoteException remote = assertInstanceOf(RemoteException.class, e.getCause());
        assertEquals("remote.Oops", remote.remoteClassName());
        assertEquals("only in the child", remote.remoteMessage());
    }

    @Test
    void shouldExitWithOneAndReportFailureWhenRunnableThrows() throws Exception {
        JvmProcess p = new JvmProcess(() -> {
            throw new UnsupportedOperationException("no way");
        }, new JvmProcess.Options().stderr(ProcessBuilder.Redirect.PIPE)).start();
        String stderr = readAll(p.stderr());
        p.join();
        assertEquals(1, p.exitCode());
        assertEquals("no way", p.failure().orElseThrow().remoteMessage());
        assertTrue(stderr.startsWith("Process " + p.name() + ":"), stderr);
        assertTrue(stderr.contains("java.lang.UnsupportedOperationException: no way"), stderr);
    }

    /** Not serializable: a task that captures one must fail at start(). */
    static final class Unshippable {
        int value = 1;
    }

    @Test
    void shouldFailAtStartNamingTheUnserializableType() {
        Unshippable u = new Unshippable();
        JvmProcess p = new JvmProcess(() -> System.out.println(u.value));
        SerializationException e = assertThrows(SerializationException.class, p::start);
        assertTrue(e.getMessage().contains(Unshippable.class.getName()), e.getMessage());
        assertTrue(e.getMessage().startsWith("task cannot be sent to another JVM"), e.getMessage());
        assertThrows(IllegalStateException.class, p::pid, "nothing was started");
        assertTrue(JvmProcess.activeChildren().isEmpty());
    }

    @Test
    void shouldNameANonSerializableLambdaCapturedByTheTask() {
        Runnable plain = () -> { };
        SerializationException e = assertThrows(SerializationException.class,
                () -> JvmProcess.call(() -> { plain.run(); return 1; }));
        assertTrue(e.getMessage().contains("a lambda declared in " + JvmProcessIT.class.getName()), e.getMessage());
    }

    @Test
    void shouldFailTheFutureWhenTheResultIsNotSerializable() {
        TaskFuture<Object> f = JvmProcess.call(Unshippable::new);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Timeouts.MEDIUM));
        RemoteException remote = assertInstanceOf(RemoteException.class, e.getCause());
        assertTrue(remote.getMessage().contains("result cannot be sent to another JVM")
                && remote.getMessage().contains(Unshippable.class.getName()), remote.getMessage());
    }

    @Test
    void shouldTerminateWithSigtermAndKillWithSigkill() throws Exception {
        JvmProcess t = new JvmProcess(() -> ParentMain.sleep(60_000)).start();
        JvmProcess k = new JvmProcess(() -> ParentMain.sleep(60_000)).start();
        assertFalse(t.join(Duration.ofMillis(300)), "a sleeping child is still running");
        assertTrue(t.isAlive());
        t.terminate();
        k.kill();
        assertTrue(t.join(Timeouts.MEDIUM));
        assertTrue(k.join(Timeouts.MEDIUM));
        assertEquals(143, t.exitCode());
        assertEquals(137, k.exitCode());
        assertEquals(OptionalInt.of(9), k.signal());
        assertTrue(k.toString().contains("exited 137 (signal 9)"), k.toString());
    }

    @Test
    void shouldJoinWithATimeoutTooLongForNanoseconds() throws Exception {
        JvmProcess p = new JvmProcess(() -> { }).start();
        assertTrue(p.join(Duration.ofSeconds(Long.MAX_VALUE)), "a timeout of centuries waits like forever");
        assertTrue(p.join(ChronoUnit.FOREVER.getDuration()));
        assertEquals(0, p.exitCode());
    }

    @Test
    void shouldFailTheFutureWithHowTheChildDied() {
        TaskFuture<Integer> f = JvmProcess.call(() -> {
            ParentMain.sleep(60_000);
            return 1;
        });
        f.process().kill();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Timeouts.MEDIUM));
        assertTrue(e.getCause().getMessage().contains("exited with code 137 (killed by signal 9) before returning a result"),
                e.getCause().getMessage());
    }

    @Test
    void shouldKillTheChildWhenTheFutureIsCancelled() throws Exception {
        TaskFuture<Integer> f = JvmProcess.call(() -> {
            ParentMain.sleep(60_000);
            return 1;
        });
        assertThrows(TimeoutException.class, () -> f.get(Duration.ofMillis(200)));
        assertTrue(f.cancel(true));
        assertTrue(f.process().join(Timeouts.MEDIUM));
        assertTrue(f.isCancelled());
        assertThrows(java.util.concurrent.CancellationException.class, f::get);
    }

    @Test
    void shouldKnowItsNameAndParentInTheChild() throws Exception {
        TaskFuture<String> f = JvmProcess.call(() -> JvmProcess.current().name() + " "
                + JvmProcess.parent().orElseThrow().pid() + " " + JvmProcess.current().isDaemon()
                + " " + JvmProcess.parent().orElseThrow().isAlive(),
                new JvmProcess.Options().name("worker-7").daemon(true));
        assertEquals("worker-7 " + ProcessHandle.current().pid() + " true true", f.get(Timeouts.MEDIUM));
        assertEquals("MainProcess", JvmProcess.current().name());
        assertTrue(JvmProcess.parent().isEmpty());
    }

    @Test
    void shouldNameChildrenOfChildrenAfterTheirParent() throws Exception {
        TaskFuture<String> f = JvmProcess.call(() -> JvmProcess.call(() -> JvmProcess.current().name()).get(),
                new JvmProcess.Options().name("outer"));
        assertEquals("outer:1", f.get(Timeouts.MEDIUM));
    }

    @Test
    void shouldListActiveChildren() throws Exception {
        JvmProcess p = new JvmProcess(() -> ParentMain.sleep(60_000)).start();
        try {
            assertTrue(JvmProcess.activeChildren().contains(p));
        } finally {
            p.close();
        }
        assertFalse(p.isAlive());
        assertFalse(JvmProcess.activeChildren().contains(p));
        p.close(); // harmless twice
    }

    @Test
    void shouldTerminateARunningChildOnClose() throws Exception {
        JvmProcess p;
        try (JvmProcess q = new JvmProcess(() -> ParentMain.sleep(60_000),
                new JvmProcess.Options().terminateGrace(Duration.ofSeconds(5))).start()) {
            p = q;
            assertTrue(q.isAlive());
        }
        assertFalse(p.isAlive());
        assertEquals(143, p.exitCode());
        assertThrows(IllegalStateException.class, p::start);
    }

    @Test
    void shouldRefuseToStartTwiceOrAnswerBeforeStart() throws Exception {
        JvmProcess p = new JvmProcess(() -> { });
        assertThrows(IllegalStateException.class, p::exitCode);
        assertThrows(IllegalStateException.class, p::join);
        assertTrue(p.toString().contains("new"), p.toString());
        p.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, p::start);
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        p.join();
        assertEquals(0, p.exitCode());
    }

    @Test
    void shouldApplyOptionsToTheChild() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        TaskFuture<String> f = JvmProcess.call(() -> System.getProperty("answer") + " "
                        + System.getenv("MP4J_TEST_VAR") + " " + Path.of("").toAbsolutePath() + " "
                        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " "
                        + System.getProperty(TestJvmOptions.PROPERTY),
                new JvmProcess.Options().jvmOptions("-Danswer=42").environment("MP4J_TEST_VAR", "set")
                        .workingDirectory(work).maxHeap("64m"));
        String[] got = f.get(Timeouts.MEDIUM).split(" ");
        assertEquals("42", got[0]);
        assertEquals("set", got[1]);
        assertEquals(work.toRealPath().toString(), Path.of(got[2]).toRealPath().toString());
        assertTrue(Long.parseLong(got[3]) <= 64, "max heap " + got[3] + " MiB");
        assertEquals("java" + Runtime.version().feature(), got[4], "a JvmOptionsProvider's option reached the child");
    }

    @Test
    void shouldFailStartWhenTheJavaExecutableIsMissing() {
        JvmProcess p = new JvmProcess(() -> { }, new JvmProcess.Options().javaExecutable(dir.resolve("no-java")));
        ProcessException e = assertThrows(ProcessException.class, p::start);
        assertTrue(e.getMessage().contains("cannot launch a child JVM"), e.getMessage());
    }

    @Test
    void shouldCaptureTheChildsOutput() throws Exception {
        JvmProcess p = new JvmProcess(() -> System.out.println("hello from the child"),
                new JvmProcess.Options().stdout(ProcessBuilder.Redirect.PIPE)).start();
        assertEquals("hello from the child\n", readAll(p.stdout()));
        p.join();
        assertThrows(IllegalStateException.class, p::stderr, "stderr was not piped");
    }

    @Test
    void shouldReattachAShareableFromItsHandleAndCloseItAfterTheTask() throws Exception {
        Path file = dir.resolve("counter");
        try (FileCounter counter = FileCounter.create(file)) {
            counter.set(41);
            TaskFuture<Long> f = JvmProcess.call(() -> {
                counter.set(counter.get() + 1);
                return ProcessHandle.current().pid();
            });
            long childPid = f.get(Timeouts.MEDIUM);
            assertEquals(List.of(childPid), counter.handedOver, "told once which process received the handle");
            assertEquals(42, counter.get());
            assertTrue(Files.exists(dir.resolve("counter.closed-by-" + childPid)), "the child closed what it attached");
        }
    }

    @Test
    void shouldTellACapturedShareableThatItsHandleWillNeverArriveWhenTheTaskCannotBeSentOrLaunched() throws Exception {
        try (FileCounter counter = FileCounter.create(dir.resolve("counter"))) {
            Object unserializable = new Object();
            JvmProcess bad = new JvmProcess(() -> System.out.println(counter.get() + " " + unserializable));
            assertThrows(SerializationException.class, bad::start);
            assertEquals(List.of(-1L), counter.handedOver, "encoding failed after the handle was written");

            counter.handedOver.clear();
            JvmProcess noJava = new JvmProcess(() -> System.out.println(counter.get()),
                    new JvmProcess.Options().javaExecutable(dir.resolve("no-such-java")));
            assertThrows(ProcessException.class, noJava::start);
            assertEquals(List.of(-1L), counter.handedOver, "no JVM was launched");
        }
    }

    @Test
    void shouldWaitForNonDaemonChildrenAndEndDaemonChildrenWhenMainEnds() throws Exception {
        Process parent = startParentMain("exit-semantics");
        assertTrue(parent.waitFor(Timeouts.LONG.toMillis(), TimeUnit.MILLISECONDS), "parent JVM ended");
        assertEquals(0, parent.exitValue());
        assertTrue(Files.exists(dir.resolve("nondaemon-done")), "the parent waited for its non-daemon child");
        long daemonPid = Long.parseLong(Files.readString(dir.resolve("daemon.pid")));
        assertFalse(ProcessHandle.of(daemonPid).map(ProcessHandle::isAlive).orElse(false), "the daemon child was ended");
        assertFalse(Files.exists(dir.resolve("daemon-done")));
        for (String spare : Files.readString(dir.resolve("spare.pid")).split(" ")) {
            assertFalse(ProcessHandle.of(Long.parseLong(spare)).map(ProcessHandle::isAlive).orElse(false),
                    "the idle spare " + spare + " was ended");
        }
    }

    @Test
    void shouldEndChildrenWithin2SecondsWhenTheParentIsKilledAndSweepWhatItLeft() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Process parent = startParentMain("orphans", "-Djava.io.tmpdir=" + tmp);
        Path pids = dir.resolve("pids");
        long deadline = System.nanoTime() + Timeouts.LONG.toNanos();
        while (!Files.exists(pids) && System.nanoTime() < deadline && parent.isAlive()) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(pids), "the parent started its children (and idle spares: the pids after the first two)");
        List<ProcessHandle> children = new ArrayList<>();
        for (String pid : Files.readString(pids).split(" ")) {
            children.add(ProcessHandle.of(Long.parseLong(pid)).orElseThrow());
        }
        new ProcessBuilder("kill", "-9", Long.toString(parent.pid())).start().waitFor();
        long killed = System.nanoTime();
        assertTrue(parent.waitFor(Timeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS));
        // ProcessHandle.onExit() polls a process that is not our child only every 300+ ms, and an exited child
        // stays a zombie until init reaps it: look at /proc ourselves (gone or a zombie = ended)
        long deadline2s = killed + Duration.ofSeconds(2).toNanos();
        for (ProcessHandle child : children) {
            while (!ended(child.pid()) && System.nanoTime() < deadline2s) {
                Thread.sleep(10);
            }
            if (!ended(child.pid())) {
                child.destroyForcibly();
                throw new AssertionError("child " + child.pid() + " outlived its killed parent by 2 s");
            }
        }
        Path left = tmp.resolve("multiproc4j-" + parent.pid() + "-");
        try (var dirs = Files.list(tmp)) {
            assertTrue(dirs.anyMatch(d -> d.getFileName().toString().startsWith(left.getFileName().toString())),
                    "the killed parent left its outcome directory");
        }
        Process next = startParentMain("exit-semantics", "-Djava.io.tmpdir=" + tmp);
        assertTrue(next.waitFor(Timeouts.LONG.toMillis(), TimeUnit.MILLISECONDS));
        try (var dirs = Files.list(tmp)) {
            assertEquals(List.of(), dirs.toList(), "the next program swept it, and cleaned up its own");
        }
    }

    @Test
    void shouldCountOnlyTheCpusInTheAffinityMask() throws Exception {
        assertTrue(JvmProcess.cpuCount() >= 1);
        Process p = new ProcessBuilder("taskset", "-c", "0", javaExe(), "-cp", System.getProperty("java.class.path"),
                CpuCountMain.class.getName()).redirectErrorStream(true).start();
        String out = readAll(p.getInputStream()).trim();
        assertTrue(p.waitFor(Timeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("1", out);
    }

    /** Prints {@link JvmProcess#cpuCount()}. */
    public static final class CpuCountMain {
        /**
         * Entry point.
         *
         * @param args ignored.
         */
        public static void main(String[] args) {
            System.out.println(JvmProcess.cpuCount());
        }
    }

    private Process startParentMain(String scenario, String... jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaExe()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ParentMain.class.getName(), scenario, dir.toString()));
        return new ProcessBuilder(cmd).inheritIO().start();
    }

    /** Whether a process has ended: no longer in /proc, or a zombie waiting to be reaped. */
    private static boolean ended(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        String text;
        try {
            text = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
        char state = text.charAt(text.lastIndexOf(')') + 2);
        return state == 'Z' || state == 'X';
    }

    private static String javaExe() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private Path compile(String source, String relative) throws IOException {
        Path src = dir.resolve("src").resolve(relative);
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path out = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", out.toString(), src.toString());
        assertEquals(0, rc, "compiled " + relative);
        return out;
    }
}
