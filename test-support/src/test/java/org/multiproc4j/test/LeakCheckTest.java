package org.multiproc4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs small scenario tests through the JUnit engine and checks what {@link LeakCheck} says of them. */
class LeakCheckTest {
    static final Path SHM_FILE = Path.of("/dev/shm", "mp4j-leakcheck-test-" + ProcessHandle.current().pid());
    static volatile long leakedPid;

    /** Scenarios, run only through {@link EngineTestKit} (the name keeps Surefire from running them). */
    @ExtendWith(LeakCheck.class)
    static class Scenarios {
        @Test
        void leavesAChildRunning() throws IOException {
            leakedPid = new ProcessBuilder("sleep", "60").start().pid();
        }

        @Test
        void leavesAFileInDevShm() throws IOException {
            Files.write(SHM_FILE, new byte[] {1});
        }

        @Test
        void cleansUpAfterItself() throws Exception {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
        }
    }

    private static Events run(String method) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectMethod(Scenarios.class, method)).execute().testEvents();
    }

    private static String failureMessage(Events events) {
        List<Event> failed = events.failed().list();
        assertEquals(1, failed.size(), "one failed test");
        Optional<Throwable> t = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable);
        return t.orElseThrow().getMessage();
    }

    @Test
    void shouldFailATestThatLeavesAChildRunningAndKillIt() {
        String message = failureMessage(run("leavesAChildRunning"));
        assertTrue(message.contains("child process left running: pid " + leakedPid), message);
        assertFalse(ProcessHandle.of(leakedPid).map(ProcessHandle::isAlive).orElse(false), "the leaked child was killed");
    }

    @Test
    void shouldFailATestThatLeavesAFileInDevShm() throws IOException {
        try {
            String message = failureMessage(run("leavesAFileInDevShm"));
            assertTrue(message.contains("file left in /dev/shm: " + SHM_FILE.getFileName()), message);
        } finally {
            Files.deleteIfExists(SHM_FILE);
        }
    }

    /** Maps a new file in {@code /dev/shm} and holds it, as an Open MPI rank of another job does. */
    static final class MappingHolder {
        public static void main(String[] args) throws Exception {
            Path go = Path.of(args[1]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(go) && System.nanoTime() < deadline) {
                Thread.sleep(10); // maps only when told: the test first checks that nobody maps it yet
            }
            try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096).put(0, (byte) 1);
                Thread.sleep(60_000);
            }
        }
    }

    @Test
    void shouldExcuseAFileMappedByALiveProcessOutsideThisTreeOnly() throws Exception {
        Path segment = Path.of("/dev/shm", "vader_segment.leakcheck-test." + ProcessHandle.current().pid());
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // started through a shell that exits at once: the holder is re-parented away from this JVM's tree
        Path go = Files.createTempFile("leakcheck-test", ".go");
        Files.delete(go);
        Process sh = new ProcessBuilder("sh", "-c",
                "\"$0\" -cp \"$1\" \"$2\" \"$3\" \"$4\" </dev/null >/dev/null 2>&1 & echo $!",
                javaBin, System.getProperty("java.class.path"), MappingHolder.class.getName(), segment.toString(),
                go.toString())
                .redirectErrorStream(true).start();
        long holder = Long.parseLong(new String(sh.getInputStream().readAllBytes()).trim());
        assertTrue(sh.waitFor(10, TimeUnit.SECONDS), "the shell exited");
        try {
            assertFalse(LeakCheck.mappedByAnotherLiveProcessTree(segment.getFileName().toString()),
                    "nobody maps it yet");
            Files.createFile(go);
            long deadline = System.nanoTime() + Timeouts.scaled(Duration.ofSeconds(20)).toNanos();
            while (!LeakCheck.mappedByAnotherLiveProcessTree(segment.getFileName().toString())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(LeakCheck.mappedByAnotherLiveProcessTree(segment.getFileName().toString()),
                    "mapped by pid " + holder + ", which is not in this JVM's tree");
            ProcessHandle.of(holder).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(holder).ifPresent(h -> h.onExit().join());
            assertFalse(LeakCheck.mappedByAnotherLiveProcessTree(segment.getFileName().toString()),
                    "once its holder is gone, the file is a leak to report");
        } finally {
            ProcessHandle.of(holder).ifPresent(ProcessHandle::destroyForcibly);
            Files.deleteIfExists(segment);
            Files.deleteIfExists(go);
        }
    }

    @Test
    void shouldPassATestThatCleansUp() {
        run("cleansUpAfterItself").assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    void shouldScaleTimeoutsByTheFactor() {
        System.setProperty(Timeouts.FACTOR_PROP, "2.5");
        try {
            assertEquals(2500, Timeouts.scaled(java.time.Duration.ofSeconds(1)).toMillis());
        } finally {
            System.clearProperty(Timeouts.FACTOR_PROP);
        }
        assertTrue(Timeouts.factor() >= 1.0);
    }
}
