package org.multiproc4j.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An archive of pre-parsed classes per classpath, made once by a training JVM and mapped by every later
 * child: the classes a child loads to start and decode its task are then mapped, not parsed. On Java 17
 * to 24 it is a dynamic AppCDS archive ({@code -XX:ArchiveClassesAtExit}); from Java 25 on, an
 * ahead-of-time cache (JEP 483/514, {@code -XX:AOTCacheOutput}), which also keeps classes linked and
 * method handles resolved, and so makes the child's reflective call of its task cheap on the Java
 * versions whose reflection runs on method handles.
 *
 * <p>The first launch from a classpath finds no archive: that child runs without one, and multiproc4j
 * starts a training JVM beside it (output discarded, a no-op task that also runs the modules'
 * {@link org.multiproc4j.core.spi.ChildWarmUp} providers) whose exit writes the archive. So no
 * user child ever carries dump flags or prints the JVM's messages about them. Archives live in
 * {@code $XDG_CACHE_HOME/multiproc4j/cds} (or {@code ~/.cache/multiproc4j/cds}, or the property
 * {@value #CACHE_DIR_PROP}), keyed by the java executable, its version, the JVM options and every
 * classpath jar's size and time stamp.
 *
 * <p>Training prunes the cache: archives unused for 30 days (a used one's time stamp is refreshed at most
 * daily) and what killed training JVMs left.
 *
 * <p>The JVM archives classes only from jars, so a classpath with a directory on it (tests run from
 * {@code target/classes}) gets no archive. Set {@value #ENABLED_PROP}{@code =false} to turn it off.
 */
final class ClassDataSharing {
    static final String ENABLED_PROP = "multiproc4j.cds";
    static final String CACHE_DIR_PROP = "multiproc4j.cache.dir";
    /** From this Java version on, the archive is an ahead-of-time cache. */
    static final int AOT_CACHE_FEATURE = 25;
    private static final long STALE_MS = 10 * 60 * 1000;
    private static final java.util.Map<Path, String> REAL_PATHS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<String, Path[]> CACHE_DIRS = new java.util.concurrent.ConcurrentHashMap<>();
    /** An archive not used for this long is deleted when another one is trained. */
    static final long UNUSED_MS = 30L * 24 * 60 * 60 * 1000;
    /** A used archive's time stamp is refreshed when it is older than this (a write per day at most). */
    private static final long TOUCH_MS = 24L * 60 * 60 * 1000;

    /** What to add to a child's command line, and, once, how to train the archive. */
    static final class Plan {
        static final Plan NONE = new Plan(List.of(), null, null, null);
        static final Plan TRAINING_ELSEWHERE = new Plan(List.of(), null, null, null, true);
        /** Options for the user's child: the archive to map, or nothing. */
        final List<String> options;
        /** The option that makes a training JVM write the archive, or {@code null}. */
        final String dumpOption;
        private final Path dumping;
        private final Path archive;
        private final Path lock;
        /** Whether an archive for this classpath is being trained (here or by another JVM). */
        final boolean training;

        private Plan(List<String> options, Path dumping, Path archive, Path lock) {
            this(options, dumping, archive, lock, dumping != null);
        }

        private Plan(List<String> options, Path dumping, Path archive, Path lock, boolean training) {
            this.training = training;
            this.options = options;
            this.dumping = dumping;
            this.archive = archive;
            this.lock = lock;
            this.dumpOption = dumping == null ? null : (archive.getFileName().toString().endsWith(".aot")
                    ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + dumping;
        }

        /**
         * Publishes the archive the training JVM wrote, if it ended well, and releases the lock.
         *
         * @param succeeded whether the training JVM exited with status 0 (a killed one may have left half
         *                  an archive).
         */
        void trainingEnded(boolean succeeded) {
            if (dumping == null) {
                return;
            }
            try {
                if (succeeded && Files.isRegularFile(dumping) && Files.size(dumping) > 0) {
                    Files.move(dumping, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // a later launch will train again
            } finally {
                try {
                    Files.deleteIfExists(dumping);
                    Files.deleteIfExists(lock);
                } catch (IOException e) {
                    // a stale lock expires by itself
                }
            }
        }
    }

    private ClassDataSharing() {
    }

    static Plan plan(Path java, Runtime.Version version, List<String> classpath, List<String> jvmOptions) {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROP, "true"))) {
            return Plan.NONE;
        }
        for (String opt : jvmOptions) {
            if (opt.startsWith("-Xshare") || opt.contains("SharedArchiveFile") || opt.contains("ArchiveClassesAtExit")
                    || opt.startsWith("-XX:AOT") || opt.contains("AutoCreateSharedArchive")) {
                return Plan.NONE; // the user chose for themselves
            }
        }
        String key;
        try {
            key = key(java, version, classpath, jvmOptions);
        } catch (IOException | java.io.UncheckedIOException e) {
            return Plan.NONE; // a directory or a missing entry on the classpath
        }
        Path dir = cacheDir();
        if (dir == null) {
            return Plan.NONE;
        }
        boolean aot = version.feature() >= AOT_CACHE_FEATURE;
        Path archive = dir.resolve(key + (aot ? ".aot" : ".jsa"));
        if (Files.isRegularFile(archive)) {
            touchIfOld(archive);
            return new Plan(aot ? List.of("-XX:AOTCache=" + archive)
                    : List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"), null, null, null);
        }
        Path lock = dir.resolve(key + ".lock");
        try {
            Files.createFile(lock);
        } catch (FileAlreadyExistsException e) {
            removeIfStale(lock);
            return Plan.TRAINING_ELSEWHERE; // a training JVM is at it
        } catch (IOException e) {
            return Plan.NONE;
        }
        prune(dir);
        Path dumping = dir.resolve(key + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        return new Plan(List.of(), dumping, archive, lock);
    }

    /** Marks an archive as used, so that {@link #prune} keeps it. */
    private static void touchIfOld(Path archive) {
        try {
            long now = System.currentTimeMillis();
            if (now - Files.getLastModifiedTime(archive).toMillis() > TOUCH_MS) {
                Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(now));
            }
        } catch (IOException e) {
            // a read-only cache: the archive may be pruned one day and trained again
        }
    }

    /**
     * Deletes what nobody needs any more, once per training (so rarely): archives unused for
     * {@value #UNUSED_MS} ms (classpaths of old builds), and the temporary files of training JVMs that were
     * killed.
     */
    static void prune(Path dir) {
        long now = System.currentTimeMillis();
        try (var files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                long age = now - Files.getLastModifiedTime(f).toMillis();
                if ((name.endsWith(".jsa") || name.endsWith(".aot")) && age > UNUSED_MS
                        || name.endsWith(".tmp") && age > STALE_MS) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: another JVM may be pruning too
        }
    }

    private static void removeIfStale(Path file) {
        try {
            if (System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis() > STALE_MS) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // someone else is handling it
        }
    }

    private static String key(Path java, Runtime.Version version, List<String> classpath, List<String> jvmOptions)
            throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(REAL_PATHS.computeIfAbsent(java, ClassDataSharing::realPath)).append('\n').append(version).append('\n');
        text.append(System.getProperty("java.vm.version")).append('\n');
        for (String opt : jvmOptions) {
            text.append(opt).append('\n');
        }
        for (String entry : classpath) {
            Path p = Paths.get(entry);
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile() || !entry.endsWith(".jar")) {
                throw new IOException("not a jar: " + entry);
            }
            text.append(entry).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "java" + version.feature() + "-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    /** The cache directory per the settings that choose it: found (and created) once, not at every launch. */
    private static Path cacheDir() {
        String settings = System.getProperty(CACHE_DIR_PROP) + '\n' + System.getenv("XDG_CACHE_HOME") + '\n'
                + System.getProperty("user.home");
        Path[] known = CACHE_DIRS.get(settings);
        if (known != null && (known[0] == null || Files.isDirectory(known[0]))) {
            return known[0];
        }
        Path dir = findCacheDir();
        CACHE_DIRS.put(settings, new Path[] {dir});
        return dir;
    }

    private static String realPath(Path java) {
        try {
            return java.toRealPath().toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path findCacheDir() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty(CACHE_DIR_PROP);
        if (prop != null && !prop.isEmpty()) {
            candidates.add(Paths.get(prop));
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            if (xdg != null && !xdg.isEmpty()) {
                candidates.add(Paths.get(xdg, "multiproc4j"));
            }
            candidates.add(Paths.get(System.getProperty("user.home"), ".cache", "multiproc4j"));
            candidates.add(Paths.get(System.getProperty("java.io.tmpdir"), "multiproc4j-cache-" + System.getProperty("user.name")));
        }
        for (Path c : candidates) {
            Path dir = c.resolve("cds");
            try {
                Files.createDirectories(dir);
                if (Files.isWritable(dir)) {
                    return dir;
                }
            } catch (IOException | SecurityException e) {
                // try the next one
            }
        }
        return null;
    }
}
