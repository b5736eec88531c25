package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.multiproc4j.test.OptionsStyle;

/** {@link JvmProcess.Options}: defaults, getters, copies, and the messages of bad values. */
class JvmProcessOptionsTest {

    private static JvmProcess.Options configured() {
        return new JvmProcess.Options().name("worker").daemon(true).jvmOptions("-Da=1", "-XX:+UseSerialGC")
                .maxHeap("64m").environment("A", "1").environment("HOME", null).workingDirectory(Path.of("/tmp"))
                .javaExecutable(Path.of("/opt/java/bin/java")).extraClasspath(Path.of("x.jar"))
                .stdout(ProcessBuilder.Redirect.PIPE).stderr(ProcessBuilder.Redirect.DISCARD)
                .terminateGrace(Duration.ofMillis(500)).startMethod(StartMethod.SPAWN);
    }

    @Test
    void shouldFollowTheOptionsStyle() {
        OptionsStyle.check(JvmProcess.Options.class, configured());
    }

    @Test
    void shouldTellItsDefaults() {
        JvmProcess.Options o = new JvmProcess.Options();
        assertEquals(Optional.empty(), o.name());
        assertFalse(o.daemon());
        assertEquals(List.of(), o.jvmOptions());
        assertEquals(Optional.empty(), o.maxHeap());
        assertEquals(Map.of(), o.environment());
        assertEquals(Optional.empty(), o.workingDirectory());
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath().normalize(),
                o.javaExecutable().toAbsolutePath().normalize());
        assertEquals(List.of(), o.extraClasspath());
        assertEquals(ProcessBuilder.Redirect.INHERIT, o.stdout());
        assertEquals(ProcessBuilder.Redirect.INHERIT, o.stderr());
        assertEquals(JvmProcess.Options.DEFAULT_TERMINATE_GRACE, o.terminateGrace());
        assertEquals(Duration.ofSeconds(2), o.terminateGrace());
        assertEquals(Optional.empty(), o.startMethod());
        assertTrue(o.toString().contains("name=default"), o.toString());
    }

    @Test
    void shouldTellWhatWasSet() {
        JvmProcess.Options o = configured();
        assertEquals(Optional.of("worker"), o.name());
        assertTrue(o.daemon());
        assertEquals(List.of("-Da=1", "-XX:+UseSerialGC"), o.jvmOptions());
        assertEquals(Optional.of("64m"), o.maxHeap());
        assertEquals("1", o.environment().get("A"));
        assertTrue(o.environment().containsKey("HOME") && o.environment().get("HOME") == null,
                "a removed variable reads as null: " + o.environment());
        assertEquals(Optional.of(Path.of("/tmp")), o.workingDirectory());
        assertEquals(Path.of("/opt/java/bin/java"), o.javaExecutable());
        assertEquals(List.of(Path.of("x.jar")), o.extraClasspath());
        assertEquals(ProcessBuilder.Redirect.PIPE, o.stdout());
        assertEquals(ProcessBuilder.Redirect.DISCARD, o.stderr());
        assertEquals(Duration.ofMillis(500), o.terminateGrace());
        assertEquals(Optional.of(StartMethod.SPAWN), o.startMethod());
        assertThrows(UnsupportedOperationException.class, () -> o.jvmOptions().add("-Dx"));
        assertThrows(UnsupportedOperationException.class, () -> o.environment().put("B", "2"));
        assertThrows(UnsupportedOperationException.class, () -> o.extraClasspath().clear());
    }

    @Test
    void shouldRestoreDefaultsWithNull() {
        JvmProcess.Options o = configured().name(null).maxHeap(null).workingDirectory(null).startMethod(null);
        assertEquals(Optional.empty(), o.name());
        assertEquals(Optional.empty(), o.maxHeap());
        assertEquals(Optional.empty(), o.workingDirectory());
        assertEquals(Optional.empty(), o.startMethod());
    }

    @Test
    void shouldCopyIndependently() {
        JvmProcess.Options original = configured();
        JvmProcess.Options copy = new JvmProcess.Options(original);
        copy.jvmOptions("-Db=2").environment("C", "3").extraClasspath(Path.of("y.jar")).name("other");
        assertEquals(List.of("-Da=1", "-XX:+UseSerialGC"), original.jvmOptions());
        assertFalse(original.environment().containsKey("C"));
        assertEquals(List.of(Path.of("x.jar")), original.extraClasspath());
        assertEquals(Optional.of("worker"), original.name());
    }

    @Test
    void shouldNameTheSettingAndTheValueOfABadArgument() {
        JvmProcess.Options o = new JvmProcess.Options();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.maxHeap("lots"));
        assertEquals("maxHeap must be a JVM size such as \"512m\" or \"2g\", got 'lots'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> o.jvmOptions("-Dok=1", "Xmx1g"));
        assertEquals("jvmOptions must each start with '-', got 'Xmx1g'", e.getMessage());
        assertEquals(List.of(), o.jvmOptions(), "a rejected call changes nothing");
        e = assertThrows(IllegalArgumentException.class, () -> o.terminateGrace(Duration.ofSeconds(-1)));
        assertEquals("terminateGrace must not be negative, got PT-1S", e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class, () -> o.terminateGrace(null));
        assertEquals("terminateGrace", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> o.extraClasspath(Path.of("a.jar"), null));
        assertEquals("extraClasspath: an entry", n.getMessage());
        assertEquals(List.of(), o.extraClasspath(), "a rejected call changes nothing");
        n = assertThrows(NullPointerException.class, () -> o.javaExecutable(null));
        assertEquals("javaExecutable", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> o.stdout(null));
        assertEquals("stdout", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> o.environment(null, "x"));
        assertEquals("variable", n.getMessage());
    }

    @Test
    void shouldNotBeChangedThroughTheProcessThatCopiedIt() {
        JvmProcess.Options o = new JvmProcess.Options().name("first");
        JvmProcess p = new JvmProcess(() -> { }, o);
        o.name("second").daemon(true);
        assertEquals("first", p.name());
        assertFalse(p.isDaemon());
    }
}
