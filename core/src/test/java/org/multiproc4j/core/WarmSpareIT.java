package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.internal.Spares;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** The warm-spare start method: a second start is served by a JVM booted ahead of need, and nothing shows. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarmSpareIT {

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void discard() {
        JvmProcess.discardSpares();
    }

    @Test
    void shouldServeTheNextStartFromTheSpareAndCarryNameDaemonAndResult() throws Exception {
        JvmProcess.Options warm = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE);
        assertEquals(8, JvmProcess.call(() -> 2 * 2 * 2, warm).get(Timeouts.MEDIUM));
        long spare = awaitOneSpare();
        assertTrue(JvmProcess.activeChildren().stream().noneMatch(p -> p.pid() == spare),
                "an idle spare is not an active child");

        TaskFuture<String> f = JvmProcess.call(() -> JvmProcess.current().name() + " daemon="
                + JvmProcess.current().isDaemon() + " parent=" + JvmProcess.parent().map(ProcessInfo::pid).orElse(-1L),
                new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE).name("served").daemon(true));
        assertEquals(spare, f.process().pid(), "the second start was served by the spare");
        assertEquals("served daemon=true parent=" + ProcessHandle.current().pid(), f.get(Timeouts.MEDIUM));
        assertEquals(0, f.process().exitCode());
        assertFalse(idleSpares().contains(spare));
    }

    @Test
    void shouldPrepareTheModulesWhileItWaits() throws Exception {
        // by default a spare prepares only while a core is free; here, whatever else runs on the machine
        System.setProperty("multiproc4j.spare.prepare", "always");
        try {
            prepareAndTakeTheSpare();
        } finally {
            System.clearProperty("multiproc4j.spare.prepare");
        }
    }

    private void prepareAndTakeTheSpare() throws Exception {
        JvmProcess.Options warm = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE);
        assertEquals(null, JvmProcess.call(() -> System.getProperty("multiproc4j.test.prepared"), warm)
                .get(Timeouts.MEDIUM), "a child that is not a spare prepares nothing");
        long spare = awaitOneSpare();
        awaitIdle(spare);
        TaskFuture<String> f = JvmProcess.call(() -> System.getProperty("multiproc4j.test.prepared"), warm);
        assertEquals(spare, f.process().pid(), "served by the spare");
        // the test provider (core's test resources) counts its prepare() calls in this property
        assertEquals("1", f.get(Timeouts.MEDIUM), "the spare ran each provider's prepare() once before its task");
    }

    @Test
    void shouldRehearseTheClassOfTaskThePreviousSpareGot() throws Exception {
        System.setProperty("multiproc4j.spare.prepare", "always");
        try {
            JvmProcess.Options warm = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE);
            assertEquals(1, JvmProcess.call(() -> 1, warm).get(Timeouts.MEDIUM)); // a lambda: its spare gets no hint
            long first = awaitOneSpare();
            awaitIdle(first);
            TaskFuture<String> f = JvmProcess.call(new Rehearsed(), warm);
            assertEquals(first, f.process().pid(), "served by the first spare");
            assertEquals(null, f.get(Timeouts.MEDIUM), "a spare launched after a lambda's start rehearses nothing");
            long second = awaitOneSpare();
            awaitIdle(second);
            f = JvmProcess.call(new Rehearsed(), warm);
            assertEquals(second, f.process().pid(), "served by the second spare");
            // the test provider (core's test resources) notes in this property the class it was asked to rehearse
            assertEquals(Rehearsed.class.getName(), f.get(Timeouts.MEDIUM),
                    "the spare launched after a Rehearsed task's start rehearsed that class before it got its own");
        } finally {
            System.clearProperty("multiproc4j.spare.prepare");
        }
    }

    /** A task of a class of its own: what the test provider's rehearsal noted in this JVM. */
    static final class Rehearsed implements SerializableCallable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() {
            return System.getProperty("multiproc4j.test.rehearsed");
        }
    }

    /** Waits until a process has used no CPU for a while (a spare that booted and prepared, and now waits). */
    private static void awaitIdle(long pid) throws Exception {
        long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
        String last = "";
        int still = 0;
        while (still < 3 && System.nanoTime() < deadline) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String cpu = f[11] + "/" + f[12]; // utime and stime
            still = cpu.equals(last) ? still + 1 : 0;
            last = cpu;
            Thread.sleep(200);
        }
    }

    @Test
    void shouldKeepTwoSparesWhenStartsComeFasterThanASpareBoots() throws Exception {
        JvmProcess.Options warm = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE);
        assertEquals(1, JvmProcess.call(() -> 1, warm).get(Timeouts.MEDIUM)); // the configuration boots
        JvmProcess.discardSpares();
        // back to back: the second start takes the spare the first one launched, before it could have booted
        // (however loaded the machine, the two starts are far less than a boot apart)
        TaskFuture<Integer> first = JvmProcess.call(() -> 2, warm);
        TaskFuture<Integer> second = JvmProcess.call(() -> 3, warm);
        assertEquals(2, first.get(Timeouts.MEDIUM));
        assertEquals(3, second.get(Timeouts.MEDIUM));
        assertEquals(2, awaitSpares(2).size(), "starts come fast, so two spares wait for the next ones");
    }

    @Test
    void shouldNeverUseOrStartASpareWithSpawn() throws Exception {
        JvmProcess.Options spawn = new JvmProcess.Options().startMethod(StartMethod.SPAWN);
        JvmProcess.call(() -> 1, spawn).get(Timeouts.MEDIUM);
        JvmProcess.call(() -> 1, spawn).get(Timeouts.MEDIUM);
        Thread.sleep(300);
        assertEquals(Set.of(), idleSpares());
    }

    @Test
    void shouldKeepSparesApartByEnvironmentAndOptions() throws Exception {
        JvmProcess.Options a = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE)
                .environment("MP4J_SPARE_TEST", "a");
        JvmProcess.Options b = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE)
                .environment("MP4J_SPARE_TEST", "b").jvmOptions("-Dmp4j.spare.test=b");
        assertEquals("a", JvmProcess.call(() -> System.getenv("MP4J_SPARE_TEST"), a).get(Timeouts.MEDIUM));
        long spareOfA = awaitOneSpare();
        TaskFuture<String> fb = JvmProcess.call(() -> System.getenv("MP4J_SPARE_TEST") + " "
                + System.getProperty("mp4j.spare.test"), b);
        assertNotEquals(spareOfA, fb.process().pid(), "b must not run in a's spare");
        assertEquals("b b", fb.get(Timeouts.MEDIUM));
        TaskFuture<String> fa = JvmProcess.call(() -> System.getenv("MP4J_SPARE_TEST") + " "
                + System.getProperty("mp4j.spare.test"), a);
        assertEquals(spareOfA, fa.process().pid(), "a's spare waited through b's start");
        assertEquals("a null", fa.get(Timeouts.MEDIUM));
    }

    @Test
    void shouldStartAfreshWhenTheSpareWasKilled() throws Exception {
        JvmProcess.Options warm = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE);
        JvmProcess.call(() -> 1, warm).get(Timeouts.MEDIUM);
        long spare = awaitOneSpare();
        ProcessHandle.of(spare).orElseThrow().destroyForcibly();
        ProcessHandle.of(spare).ifPresent(h -> h.onExit().join());
        TaskFuture<Integer> f = JvmProcess.call(() -> 27, warm);
        assertNotEquals(spare, f.process().pid());
        assertEquals(27, f.get(Timeouts.MEDIUM));
    }

    @Test
    void shouldCaptureTheOutputOfAChildServedByASpare() throws Exception {
        JvmProcess.Options piped = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE)
                .stdout(ProcessBuilder.Redirect.PIPE);
        try (JvmProcess first = new JvmProcess(() -> System.out.println("first"), piped).start()) {
            assertEquals("first\n", readAll(first.stdout()));
            assertTrue(first.join(Timeouts.MEDIUM));
        }
        long spare = awaitOneSpare();
        try (JvmProcess second = new JvmProcess(() -> System.out.println("second"), piped).start()) {
            assertEquals(spare, second.pid());
            assertEquals("second\n", readAll(second.stdout()));
            assertTrue(second.join(Timeouts.MEDIUM));
            assertEquals(0, second.exitCode());
        }
    }

    @Test
    void shouldNotPrestartAChildWhoseOutputGoesToAFile() throws Exception {
        Path out = dir.resolve("out.txt");
        JvmProcess.Options toFile = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE)
                .stdout(ProcessBuilder.Redirect.to(out.toFile()));
        JvmProcess.Options warm = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE);
        JvmProcess.call(() -> 1, warm).get(Timeouts.MEDIUM);
        long spare = awaitOneSpare();
        try (JvmProcess p = new JvmProcess(() -> System.out.println("to the file"), toFile).start()) {
            assertNotEquals(spare, p.pid());
            assertTrue(p.join(Timeouts.MEDIUM));
        }
        assertEquals("to the file\n", Files.readString(out));
        Thread.sleep(300);
        assertEquals(Set.of(spare), idleSpares(), "no spare for a configuration that writes to a file");
    }

    @Test
    void shouldNotServeFromASpareWhoseClasspathJarWasRebuilt() throws Exception {
        Path jar = dir.resolve("extra.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("extra.txt"));
            out.write("one".getBytes(StandardCharsets.UTF_8));
        }
        JvmProcess.Options withJar = new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE)
                .extraClasspath(jar);
        JvmProcess.call(() -> 1, withJar).get(Timeouts.MEDIUM);
        long spare = awaitOneSpare();
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(jar).toMillis() + 10_000));
        TaskFuture<Integer> f = JvmProcess.call(() -> 2, withJar);
        assertNotEquals(spare, f.process().pid(), "a spare that opened the old jar must not run the task");
        assertEquals(2, f.get(Timeouts.MEDIUM));
    }

    @Test
    void shouldEndTheSparesOnDiscard() throws Exception {
        JvmProcess.call(() -> 1, new JvmProcess.Options().startMethod(StartMethod.WARM_SPARE))
                .get(Timeouts.MEDIUM);
        long spare = awaitOneSpare();
        JvmProcess.discardSpares();
        assertEquals(Set.of(), idleSpares());
        assertFalse(ProcessHandle.of(spare).map(ProcessHandle::isAlive).orElse(false), "the spare was ended");
    }

    private static String readAll(InputStream in) throws java.io.IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Waits until exactly one spare is idle and launched, and returns its pid. */
    static long awaitOneSpare() throws InterruptedException {
        return awaitSpares(1).iterator().next();
    }

    /** Waits until exactly {@code n} spares are idle, launched and alive, and returns their pids. */
    static Set<Long> awaitSpares(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
        while (System.nanoTime() < deadline) {
            Set<Long> pids = idleSpares();
            if (pids.size() == n && pids.stream().allMatch(
                    pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
                return pids;
            }
            Thread.sleep(Duration.ofMillis(10).toMillis());
        }
        throw new AssertionError("not " + n + " idle spares within " + Timeouts.MEDIUM + ": " + idleSpares());
    }

    static Set<Long> idleSpares() {
        Set<Long> pids = new HashSet<>();
        for (String s : System.getProperty(Spares.IDLE_PIDS_PROP, "").split(",")) {
            if (!s.isEmpty()) {
                pids.add(Long.parseLong(s));
            }
        }
        return pids;
    }
}
