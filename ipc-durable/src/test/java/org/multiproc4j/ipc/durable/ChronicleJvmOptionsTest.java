package org.multiproc4j.ipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.spi.JvmOptionsProvider;
import org.multiproc4j.ipc.durable.internal.ChronicleJvmOptions;

/** The flags children get for Chronicle Queue, per Java version, and their registration. */
class ChronicleJvmOptionsTest {

    @Test
    void shouldGiveJava17OnlyFlagsItAccepts() {
        List<String> options = ChronicleJvmOptions.forVersion(Runtime.Version.parse("17.0.15"));
        assertEquals(List.of("--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "-Dchronicle.analytics.disable=true"), options);
    }

    @Test
    void shouldSilenceJava25Warnings() {
        List<String> options = ChronicleJvmOptions.forVersion(Runtime.Version.parse("25.0.3"));
        assertTrue(options.contains("--enable-native-access=ALL-UNNAMED"), options.toString());
        assertTrue(options.contains("--sun-misc-unsafe-memory-access=allow"), options.toString());
        assertFalse(ChronicleJvmOptions.forVersion(Runtime.Version.parse("22")).contains(
                "--sun-misc-unsafe-memory-access=allow"));
    }

    @Test
    void shouldBeRegisteredForServiceLoader() {
        boolean found = false;
        for (JvmOptionsProvider p : ServiceLoader.load(JvmOptionsProvider.class)) {
            found |= p instanceof ChronicleJvmOptions;
        }
        assertTrue(found, "ChronicleJvmOptions is not in META-INF/services");
    }
}
