package org.multiproc4j.ipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.durable.internal.ChronicleJvmOptions;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * What a child JVM gets from this module, started from a JVM that has an SLF4J provider (slf4j-simple, as a
 * user's application has its logging backend): Chronicle Queue's flags, and Chronicle's log messages going to
 * that provider, with nothing changed in SLF4J's set-up.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildJvmIT {
    @TempDir
    Path dir;

    @Test
    void shouldGiveChildrenChroniclesFlags() throws Exception {
        String args = JvmProcess.call(() -> String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
                .get(Timeouts.LONG);
        assertTrue(args.contains("-Dchronicle.analytics.disable=true"), args);
        assertTrue(args.contains("java.base/java.lang.reflect=ALL-UNNAMED"), args);
        assertTrue(args.contains("java.base/sun.nio.ch=ALL-UNNAMED"), args);
        assertTrue(args.contains("java.base/jdk.internal.ref=ALL-UNNAMED"), args);
        assertFalse(args.contains("slf4j"), "a JVM with an SLF4J provider gives its children no SLF4J setting: " + args);
    }

    /**
     * The child opens a queue whose cycle file a crashed producer left half made: Chronicle sets the file aside
     * and warns, through SLF4J, and the warning reaches the provider (slf4j-simple writes it to standard error).
     */
    @Test
    void shouldLetChronicleWarnThroughTheProvider() throws Exception {
        Path queue = Files.createDirectories(dir.resolve("queue"));
        CycleFiles.plantIncompleteHeader(queue);
        Path stderr = dir.resolve("stderr.txt");
        String q = queue.toString();
        String got = JvmProcess.call(() -> {
            try (DurableQueue<String> dq = DurableQueue.open(Path.of(q))) {
                dq.append("after the crash");
                return dq.take();
            }
        }, new JvmProcess.Options().stderr(ProcessBuilder.Redirect.to(stderr.toFile()))).get(Timeouts.LONG);
        assertEquals("after the crash", got);
        String err = Files.readString(stderr);
        assertTrue(err.contains("WARN net.openhft.chronicle") && err.contains(".discard"),
                "Chronicle's warning reached the child's SLF4J provider: " + err);
        assertFalse(err.contains("SLF4J("), err);
    }

    @Test
    void shouldSeeTheProviderThatChildrenAlsoHave() {
        assertTrue(ChronicleJvmOptions.hasSlf4jProvider(), "this test runs with slf4j-simple on the classpath");
    }
}
