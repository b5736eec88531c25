package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {
    @TempDir
    Path dir;
    Path java = ChildCommand.currentJava();
    Runtime.Version v = Runtime.version();
    List<String> jars;

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty(ClassDataSharing.CACHE_DIR_PROP, dir.resolve("cache").toString());
        jars = List.of(Files.write(dir.resolve("a.jar"), new byte[] {1}).toString(),
                Files.write(dir.resolve("b.jar"), new byte[] {2}).toString());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(ClassDataSharing.CACHE_DIR_PROP);
        System.clearProperty(ClassDataSharing.ENABLED_PROP);
    }

    @Test
    void shouldLetOneChildDumpTheArchiveAndLaterChildrenUseIt() throws IOException {
        ClassDataSharing.Plan first = ClassDataSharing.plan(java, v, jars, List.of());
        assertEquals(1, first.options.size());
        assertTrue(first.options.get(0).startsWith("-XX:ArchiveClassesAtExit="), first.options.toString());
        assertSame(ClassDataSharing.Plan.NONE, ClassDataSharing.plan(java, v, jars, List.of()),
                "a second child does not dump while the first one is at it");

        Path dumped = Path.of(first.options.get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(dumped, new byte[] {42}); // what the JVM would have written at exit
        first.childExited();
        try (var files = Files.list(dir.resolve("cache/cds"))) {
            List<Path> left = files.toList();
            assertEquals(1, left.size(), "only the archive is left, lock and temp file are gone: " + left);
            assertTrue(left.get(0).toString().endsWith(".jsa"));
        }
        ClassDataSharing.Plan later = ClassDataSharing.plan(java, v, jars, List.of());
        assertTrue(later.options.get(0).startsWith("-XX:SharedArchiveFile="), later.options.toString());
    }

    @Test
    void shouldKeyTheArchiveOnTheJarsAndOptions() throws IOException {
        ClassDataSharing.Plan first = ClassDataSharing.plan(java, v, jars, List.of());
        Path dumped = Path.of(first.options.get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(dumped, new byte[] {42});
        first.childExited();
        ClassDataSharing.Plan otherOptions = ClassDataSharing.plan(java, v, jars, List.of("-Dx=y"));
        assertTrue(otherOptions.options.get(0).startsWith("-XX:ArchiveClassesAtExit="), "other options, other archive");
        otherOptions.childExited();
        Files.write(Path.of(jars.get(1)), new byte[] {2, 3});
        ClassDataSharing.Plan changedJar = ClassDataSharing.plan(java, v, jars, List.of());
        assertTrue(changedJar.options.get(0).startsWith("-XX:ArchiveClassesAtExit="), "a rebuilt jar, a new archive");
        changedJar.childExited();
    }

    @Test
    void shouldNotArchiveADirectoryOnTheClasspathOrWhenTurnedOffOrChosenByTheUser() {
        assertSame(ClassDataSharing.Plan.NONE, ClassDataSharing.plan(java, v, List.of(dir.toString()), List.of()));
        assertSame(ClassDataSharing.Plan.NONE, ClassDataSharing.plan(java, v, jars, List.of("-Xshare:off")));
        System.setProperty(ClassDataSharing.ENABLED_PROP, "false");
        assertSame(ClassDataSharing.Plan.NONE, ClassDataSharing.plan(java, v, jars, List.of()));
        assertFalse(Files.exists(dir.resolve("cache/cds").resolve("x")));
    }
}
