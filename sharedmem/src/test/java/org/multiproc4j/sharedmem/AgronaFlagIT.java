package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.sharedmem.internal.AgronaAccess;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** A JVM without Agrona's flag gets a message that names the flag; children get the flag by themselves. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgronaFlagIT {

    @Test
    void shouldNameTheMissingFlag() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), NoFlagMain.class.getName()))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(Timeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(err.contains("org.multiproc4j.sharedmem.SharedMemoryException: " + AgronaAccess.MISSING_FLAG_MESSAGE), err);
        assertTrue(!err.contains("IllegalAccessError"), err);
        assertEquals("", out.get());
    }

    @Test
    void shouldGiveChildrenTheFlag() throws Exception {
        try (SharedInt v = SharedInt.create(1)) {
            assertEquals(2, (int) JvmProcess.call(() -> v.incrementAndGet()).get(Timeouts.MEDIUM));
            assertTrue(JvmProcess.call(AgronaAccess::available).get(Timeouts.MEDIUM));
        }
    }
}
