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
import java.util.List;

/**
 * An application class-data sharing (AppCDS) archive per classpath, made by the first child that runs
 * with it and used by every later child: the classes a child loads to start and decode its task are then
 * mapped, not parsed. Archives live in {@code $XDG_CACHE_HOME/multiproc4j/cds} (or
 * {@code ~/.cache/multiproc4j/cds}, or the property {@value #CACHE_DIR_PROP}), keyed by the java
 * executable, its version, the JVM options and every classpath jar's size and time stamp.
 *
 * <p>The JVM can only archive classes from jars, so a classpath with a directory on it (tests run from
 * {@code target/classes}) gets no archive. Set {@value #ENABLED_PROP}{@code =false} to turn it off.
 */
final class ClassDataSharing {
    static final String ENABLED_PROP = "multiproc4j.cds";
    static final String CACHE_DIR_PROP = "multiproc4j.cache.dir";
    private static final long STALE_LOCK_MS = 10 * 60 * 1000;

    /** What to add to a child's command line, and what to do when that child has exited. */
    static final class Plan {
        static final Plan NONE = new Plan(List.of(), null, null, null);
        final List<String> options;
        private final Path dumping;
        private final Path archive;
        private final Path lock;

        private Plan(List<String> options, Path dumping, Path archive, Path lock) {
            this.options = options;
            this.dumping = dumping;
            this.archive = archive;
            this.lock = lock;
        }

        /** Publishes the archive this child dumped, if it did. Safe to call for every plan. */
        void childExited() {
            if (dumping == null) {
                return;
            }
            try {
                if (Files.isRegularFile(dumping) && Files.size(dumping) > 0) {
                    Files.move(dumping, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // another child will try again
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
                    || opt.startsWith("-XX:AOT")) {
                return Plan.NONE; // the user chose for themselves
            }
        }
        String key;
        try {
            key = key(java, version, classpath, jvmOptions);
        } catch (IOException e) {
            return Plan.NONE; // a directory or a missing entry on the classpath
        }
        Path dir = cacheDir();
        if (dir == null) {
            return Plan.NONE;
        }
        Path archive = dir.resolve(key + ".jsa");
        if (Files.isRegularFile(archive)) {
            return new Plan(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"), null, null, null);
        }
        Path lock = dir.resolve(key + ".lock");
        try {
            Files.createFile(lock);
        } catch (FileAlreadyExistsException e) {
            try {
                if (System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() > STALE_LOCK_MS) {
                    Files.deleteIfExists(lock);
                }
            } catch (IOException ignored) {
                // someone else is handling it
            }
            return Plan.NONE; // another child is making the archive
        } catch (IOException e) {
            return Plan.NONE;
        }
        Path dumping = dir.resolve(key + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        return new Plan(List.of("-XX:ArchiveClassesAtExit=" + dumping), dumping, archive, lock);
    }

    private static String key(Path java, Runtime.Version version, List<String> classpath, List<String> jvmOptions)
            throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(java.toRealPath()).append('\n').append(version).append('\n');
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
            StringBuilder hex = new StringBuilder("java").append(version.feature()).append('-');
            for (int i = 0; i < 12; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    private static Path cacheDir() {
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
