package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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

    private static Path dumpPath(ClassDataSharing.Plan plan) {
        String opt = plan.dumpOption;
        return Path.of(opt.substring(opt.indexOf('=') + 1));
    }

    @Test
    void shouldTrainOnceAndLetLaterChildrenMapTheArchive() throws IOException {
        ClassDataSharing.Plan first = ClassDataSharing.plan(java, v, jars, List.of());
        assertTrue(first.options.isEmpty(), "the first child runs without an archive: " + first.options);
        assertTrue(first.dumpOption.startsWith(v.feature() >= ClassDataSharing.AOT_CACHE_FEATURE
                ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit="), first.dumpOption);
        ClassDataSharing.Plan second = ClassDataSharing.plan(java, v, jars, List.of());
        assertSame(ClassDataSharing.Plan.TRAINING_ELSEWHERE, second, "no second training while the first one runs");
        assertTrue(second.options.isEmpty() && second.dumpOption == null && second.training);
        assertTrue(first.training);

        Files.write(dumpPath(first), new byte[] {42}); // what the training JVM writes at exit
        first.trainingEnded(true);
        try (var files = Files.list(dir.resolve("cache/cds"))) {
            List<Path> left = files.toList();
            assertEquals(1, left.size(), "only the archive is left, lock and temp file are gone: " + left);
        }
        ClassDataSharing.Plan later = ClassDataSharing.plan(java, v, jars, List.of());
        assertTrue(later.options.get(0).startsWith(v.feature() >= ClassDataSharing.AOT_CACHE_FEATURE
                ? "-XX:AOTCache=" : "-XX:SharedArchiveFile="), later.options.toString());
        assertEquals(null, later.dumpOption);
    }

    @Test
    void shouldNotPublishWhatAFailedTrainingLeft() throws IOException {
        ClassDataSharing.Plan first = ClassDataSharing.plan(java, v, jars, List.of());
        Files.write(dumpPath(first), new byte[] {42});
        first.trainingEnded(false);
        try (var files = Files.list(dir.resolve("cache/cds"))) {
            assertEquals(List.of(), files.toList());
        }
        assertTrue(ClassDataSharing.plan(java, v, jars, List.of()).dumpOption != null, "a later launch trains again");
    }

    @Test
    void shouldKeyTheArchiveOnTheJarsAndOptions() throws IOException {
        ClassDataSharing.Plan first = ClassDataSharing.plan(java, v, jars, List.of());
        Files.write(dumpPath(first), new byte[] {42});
        first.trainingEnded(true);
        ClassDataSharing.Plan otherOptions = ClassDataSharing.plan(java, v, jars, List.of("-Dx=y"));
        assertTrue(otherOptions.dumpOption != null, "other options, other archive");
        otherOptions.trainingEnded(false);
        Files.write(Path.of(jars.get(1)), new byte[] {2, 3});
        ClassDataSharing.Plan changedJar = ClassDataSharing.plan(java, v, jars, List.of());
        assertTrue(changedJar.dumpOption != null, "a rebuilt jar, a new archive");
        changedJar.trainingEnded(false);
    }

    @Test
    void shouldPruneArchivesUnusedFor30DaysAndLeftoversOfKilledTrainersAndKeepUsedOnes() throws IOException {
        ClassDataSharing.Plan first = ClassDataSharing.plan(java, v, jars, List.of());
        Files.write(dumpPath(first), new byte[] {42});
        first.trainingEnded(true);
        Path cds = dir.resolve("cache/cds");
        Path used;
        try (var files = Files.list(cds)) {
            used = files.findFirst().orElseThrow();
        }
        long now = System.currentTimeMillis();
        long day = 24L * 60 * 60 * 1000;
        Path old = Files.write(cds.resolve("java17-old.jsa"), new byte[] {1});
        Path oldAot = Files.write(cds.resolve("java25-old.aot"), new byte[] {1});
        Path recent = Files.write(cds.resolve("java17-recent.jsa"), new byte[] {1});
        Path leftover = Files.write(cds.resolve("java17-x.123.456.tmp"), new byte[] {1});
        Path dumping = Files.write(cds.resolve("java17-y.123.789.tmp"), new byte[] {1});
        for (Path p : List.of(old, oldAot, used)) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(now - 40 * day));
        }
        Files.setLastModifiedTime(recent, FileTime.fromMillis(now - 20 * day));
        Files.setLastModifiedTime(leftover, FileTime.fromMillis(now - 3_600_000));

        assertTrue(ClassDataSharing.plan(java, v, jars, List.of()).dumpOption == null, "the archive is used");
        assertTrue(now - Files.getLastModifiedTime(used).toMillis() < day, "and marked as used");
        ClassDataSharing.Plan other = ClassDataSharing.plan(java, v, jars, List.of("-Dother=1"));
        assertTrue(other.dumpOption != null, "a new classpath trains, and prunes");
        assertFalse(Files.exists(old));
        assertFalse(Files.exists(oldAot));
        assertFalse(Files.exists(leftover), "a killed trainer's file older than 10 minutes");
        assertTrue(Files.exists(recent));
        assertTrue(Files.exists(used));
        assertTrue(Files.exists(dumping), "a training JVM may still be writing it");
        other.trainingEnded(false);
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
