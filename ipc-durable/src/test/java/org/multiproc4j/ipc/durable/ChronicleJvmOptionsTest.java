package org.multiproc4j.ipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.spi.JvmOptionsProvider;
import org.multiproc4j.ipc.durable.internal.ChronicleJvmOptions;

/** The flags children get for Chronicle Queue, per Java version and SLF4J set-up, and their registration. */
class ChronicleJvmOptionsTest {
    private static final List<String> JAVA_17 = List.of("--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true");

    @Test
    void shouldGiveJava17OnlyFlagsItAccepts() {
        assertEquals(JAVA_17, ChronicleJvmOptions.forVersion(Runtime.Version.parse("17.0.15"), true));
    }

    @Test
    void shouldSilenceJava25Warnings() {
        List<String> options = ChronicleJvmOptions.forVersion(Runtime.Version.parse("25.0.3"), true);
        assertTrue(options.contains("--enable-native-access=ALL-UNNAMED"), options.toString());
        assertTrue(options.contains("--sun-misc-unsafe-memory-access=allow"), options.toString());
        assertFalse(ChronicleJvmOptions.forVersion(Runtime.Version.parse("22"), true).contains(
                "--sun-misc-unsafe-memory-access=allow"));
    }

    @Test
    void shouldQuietSlf4jOnlyInChildrenWithoutAProvider() {
        List<String> without = ChronicleJvmOptions.forVersion(Runtime.Version.parse("17.0.15"), false);
        assertEquals(JAVA_17.size() + 1, without.size(), without.toString());
        assertTrue(without.containsAll(JAVA_17), without.toString());
        assertEquals("-Dslf4j.internal.verbosity=ERROR", without.get(without.size() - 1));
        // this test's classpath has slf4j-simple, as an application with a logging backend has its backend
        assertTrue(ChronicleJvmOptions.hasSlf4jProvider());
        List<String> here = new ChronicleJvmOptions().jvmOptions(Runtime.version());
        assertFalse(here.stream().anyMatch(o -> o.contains("slf4j")), here.toString());
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
