package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * A program run from jars gets a class-data archive: the first launch trains it in the background, later
 * children map it, and nothing the JVM says about archives reaches the program's output.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassDataSharingIT {
    @TempDir
    Path dir;

    /** Starts a child, waits for the archive, starts another and prints the archive option it got. */
    public static final class TwoChildrenMain {
        /**
         * Entry point.
         *
         * @param args the cache directory.
         * @throws Exception on failure.
         */
        public static void main(String[] args) throws Exception {
            Path cds = Path.of(args[0], "cds");
            System.out.println("first: " + JvmProcess.call(() -> 1 + 1).get());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !hasArchive(cds)) {
                Thread.sleep(50);
            }
            String option = JvmProcess.call(() -> {
                for (String a : ProcessHandle.current().info().arguments().orElse(new String[0])) {
                    if (a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-XX:AOTCache=")) {
                        return a.substring(0, a.indexOf('='));
                    }
                }
                return "no archive";
            }).get();
            System.out.println("second: " + option);
        }

        private static boolean hasArchive(Path cds) throws IOException {
            if (!Files.isDirectory(cds)) {
                return false;
            }
            try (Stream<Path> files = Files.list(cds)) {
                return files.anyMatch(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot"));
            }
        }
    }

    @Test
    void shouldTrainAnArchiveOnceAndMapItInLaterChildren() throws Exception {
        List<String> jars = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            jars.add(Files.isDirectory(p) ? jar(p).toString() : e);
        }
        Path cache = dir.resolve("cache");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmultiproc4j.cache.dir=" + cache, "-cp", String.join(File.pathSeparator, jars),
                TwoChildrenMain.class.getName(), cache.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(Timeouts.LONG.toMillis(), TimeUnit.MILLISECONDS));
        String expected = Runtime.version().feature() >= 25 ? "-XX:AOTCache" : "-XX:SharedArchiveFile";
        assertEquals("first: 2\nsecond: " + expected + "\n", out, "exactly the program's lines, nothing from the JVM");
        try (Stream<Path> files = Files.list(cache.resolve("cds"))) {
            assertEquals(1, files.count(), "one archive, no lock or temporary file left");
        }
    }

    private Path jar(Path classes) throws IOException {
        Path jar = Files.createTempFile(dir, "classes", ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return jar;
    }
}
