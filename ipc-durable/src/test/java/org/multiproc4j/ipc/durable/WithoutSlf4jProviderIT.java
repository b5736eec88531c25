package org.multiproc4j.ipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.durable.internal.ChronicleJvmOptions;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * A JVM without an SLF4J provider (as a user's application without a logging backend; the build runs the tests
 * tagged {@value #TAG} in a failsafe execution of their own, with slf4j-simple left off the classpath): the child
 * JVMs it starts open durable queues without printing SLF4J's "No SLF4J providers were found" notice, each, on
 * the user's console.
 */
@Tag(WithoutSlf4jProviderIT.TAG)
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WithoutSlf4jProviderIT {
    /** The tag of the tests that the failsafe execution without an SLF4J provider runs (and no other). */
    static final String TAG = "without-slf4j-provider";

    @TempDir
    Path dir;

    @Test
    void shouldStartChildrenThatPrintNoSlf4jNotice() throws Exception {
        assertNull(ChronicleJvmOptions.class.getClassLoader().getResource(ChronicleJvmOptions.SLF4J_PROVIDERS),
                "this test must run without an SLF4J provider on the classpath (tag " + TAG + ")");
        Path queue = Files.createDirectories(dir.resolve("queue"));
        // Chronicle warns when it sets this file aside: with no provider the warning is dropped, silently
        CycleFiles.plantIncompleteHeader(queue);
        for (int i = 0; i < 2; i++) {
            Path stderr = dir.resolve("stderr-" + i + ".txt");
            String q = queue.toString();
            int n = i;
            String got = JvmProcess.call(() -> {
                try (DurableQueue<String> dq = DurableQueue.open(Path.of(q))) {
                    dq.append("message " + n);
                    return dq.take();
                }
            }, new JvmProcess.Options().stderr(ProcessBuilder.Redirect.to(stderr.toFile()))).get(Timeouts.LONG);
            assertEquals("message " + n, got);
            String err = Files.readString(stderr);
            assertFalse(err.contains("SLF4J"), "child " + i + " printed: " + err);
        }
    }
}
