package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * A child JVM that cannot boot is reported as such ({@link LaunchException}, with the JVM's own words), is
 * never mistaken for a task that failed or ended its JVM, never hangs a caller, and leaves no spare that
 * would print the same error again.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LaunchFailureIT {
    private static final String BAD_FLAG_ERROR = "Unrecognized VM option 'NoSuchFlag'";

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void discard() {
        JvmProcess.discardSpares();
    }

    @Test
    void shouldReportAnUnrecognizedJvmOptionAsALaunchFailureWithTheJvmsWords() throws Exception {
        for (StartMethod method : StartMethod.values()) {
            for (int i = 0; i < 3; i++) {
                JvmProcess p = new JvmProcess(() -> { }, new JvmProcess.Options().jvmOptions("-XX:+NoSuchFlag")
                        .stderr(ProcessBuilder.Redirect.PIPE).startMethod(method)).start();
                String printed = new String(p.stderr().readAllBytes(), StandardCharsets.UTF_8);
                LaunchException e = assertThrows(LaunchException.class, () -> p.join(Timeouts.MEDIUM));
                assertTrue(e.jvmOutput().contains(BAD_FLAG_ERROR), e.jvmOutput());
                assertTrue(e.getMessage().contains(p.name()) && e.getMessage().contains(BAD_FLAG_ERROR)
                        && e.getMessage().contains("-XX:+NoSuchFlag"), e.getMessage());
                assertEquals(1, e.exitCode());
                assertEquals(1, p.exitCode(), "exitCode() is still the JVM's exit status");
                assertSame(e, p.launchFailure().orElseThrow());
                assertSame(e, assertThrows(LaunchException.class, p::join), "join() throws it too");
                assertTrue(p.failure().isEmpty(), "no task ran, so none failed");
                assertTrue(p.toString().contains("exited 1 (could not boot)"), p.toString());
                assertEquals(1, count(printed, BAD_FLAG_ERROR), "the child's own stderr: " + printed);
            }
            Thread.sleep(300); // a spare started alongside would have been published by now
            assertEquals(List.of(), WarmSpareIT.idleSpares().stream().toList(),
                    method + ": a configuration that never booted gets no spare");
        }
    }

    @Test
    void shouldFailTheFutureOfACallableWhoseJvmHasTooSmallAHeap() {
        TaskFuture<Integer> f = JvmProcess.call(() -> 1, new JvmProcess.Options().maxHeap("1m")
                .stderr(ProcessBuilder.Redirect.DISCARD));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Timeouts.MEDIUM));
        LaunchException launch = assertInstanceOf(LaunchException.class, e.getCause());
        assertTrue(launch.jvmOutput().contains("Too small maximum heap"), launch.jvmOutput());
        assertTrue(launch.getMessage().contains("-Xmx1m"), launch.getMessage());
        CompletionException c = assertThrows(CompletionException.class, () -> f.toCompletableFuture().join());
        assertSame(launch, c.getCause());
    }

    @Test
    void shouldReportAJavaExecutableThatDiesBeforeRunningTheChildsMain() throws Exception {
        Path fake = dir.resolve("java");
        Files.writeString(fake, "#!/bin/sh\necho \"not a JVM: $# arguments\" >&2\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        JvmProcess p = new JvmProcess(() -> { }, new JvmProcess.Options().javaExecutable(fake)
                .stderr(ProcessBuilder.Redirect.DISCARD)).start();
        LaunchException e = assertThrows(LaunchException.class, () -> p.join(Timeouts.MEDIUM));
        assertEquals(3, e.exitCode());
        assertEquals(3, p.exitCode());
        assertTrue(e.jvmOutput().startsWith("not a JVM: "), e.jvmOutput());
    }

    @Test
    void shouldNotMistakeATaskThatEndsItsOwnJvmForALaunchFailure() throws Exception {
        JvmProcess exit = new JvmProcess(() -> System.exit(1)).start();
        JvmProcess halt = new JvmProcess(() -> Runtime.getRuntime().halt(3)).start();
        assertTrue(exit.join(Timeouts.MEDIUM));
        assertTrue(halt.join(Timeouts.MEDIUM));
        assertEquals(1, exit.exitCode());
        assertEquals(3, halt.exitCode());
        assertTrue(exit.launchFailure().isEmpty() && halt.launchFailure().isEmpty());
        TaskFuture<Integer> f = JvmProcess.call(() -> {
            System.exit(2);
            return 1;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Timeouts.MEDIUM));
        assertEquals(ProcessException.class, e.getCause().getClass(), e.getCause().toString());
    }

    @Test
    void shouldNotCallAChildKilledWhileBootingALaunchFailure() throws Exception {
        for (int i = 0; i < 10; i++) {
            // a task that outlives the kill: a no-op one may have run and exited 0 before a kill on a busy machine
            JvmProcess p = new JvmProcess(() -> ParentMain.sleep(60_000),
                    new JvmProcess.Options().startMethod(StartMethod.SPAWN)).start();
            p.kill();
            assertTrue(p.join(Timeouts.MEDIUM), "round " + i);
            assertEquals(137, p.exitCode(), "round " + i);
            assertTrue(p.launchFailure().isEmpty(), "round " + i);
        }
    }

    @Test
    void shouldPrintTheJvmsErrorOncePerStartAndNeverForASpare() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BadOptionParent.class.getName()));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process parent = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!parent.waitFor(Timeouts.LONG.toMillis(), TimeUnit.MILLISECONDS)) {
            parent.destroyForcibly().waitFor();
            throw new AssertionError("the parent did not end within " + Timeouts.LONG);
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        assertEquals(0, parent.exitValue(), stdout + stderr);
        assertEquals("LaunchException\nLaunchException\n", stdout, stderr);
        assertEquals(2, count(stderr, BAD_FLAG_ERROR), "once per start, never by a spare:\n" + stderr);
    }

    /** A parent that starts two children whose JVM option is unknown, on the default (warm-spare) start method. */
    public static final class BadOptionParent {
        /**
         * Entry point.
         *
         * @param args ignored.
         * @throws Exception on failure.
         */
        public static void main(String[] args) throws Exception {
            for (int i = 0; i < 2; i++) {
                TaskFuture<Integer> f = JvmProcess.call(() -> 1, new JvmProcess.Options().jvmOptions("-XX:+NoSuchFlag"));
                try {
                    f.get(Duration.ofSeconds(30));
                    System.out.println("returned");
                } catch (ExecutionException e) {
                    System.out.println(e.getCause().getClass().getSimpleName());
                }
            }
            Thread.sleep(1500); // time for a spare, if one was started, to fail and print
        }
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
