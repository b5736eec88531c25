package org.multiproc4j.mpi.openmpi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a JDK other than the running one, for tests that run ranks on a newer Java. */
final class OtherJdk {
    /** Environment variable listing JDK homes (space-separated), as bin/lib.sh's {@code other_jdks} reads it. */
    static final String ENV = "MULTIPROC4J_OTHER_JDKS";

    private OtherJdk() {
    }

    /**
     * Returns the home of the newest JDK of at least the given feature version, other than the running one: from
     * {@value #ENV}, else the directories under {@code /usr/lib/jvm}.
     */
    static Optional<Path> newest(int minFeature) throws IOException {
        List<Path> candidates = new ArrayList<>();
        String listed = System.getenv(ENV);
        if (listed != null && !listed.isBlank()) {
            if (listed.trim().equals("none")) {
                return Optional.empty();
            }
            for (String h : listed.trim().split("\\s+")) {
                candidates.add(Paths.get(h));
            }
        } else if (Files.isDirectory(Paths.get("/usr/lib/jvm"))) {
            try (Stream<Path> s = Files.list(Paths.get("/usr/lib/jvm"))) {
                s.forEach(candidates::add);
            }
        }
        Path running = Paths.get(System.getProperty("java.home")).toRealPath();
        Path best = null;
        int bestFeature = 0;
        for (Path home : candidates) {
            if (!Files.isExecutable(home.resolve("bin/java")) || home.toRealPath().equals(running)) {
                continue;
            }
            int f = feature(home);
            if (f >= minFeature && f > bestFeature) {
                best = home;
                bestFeature = f;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Runtime.Version.parse(line.substring("JAVA_VERSION=".length()).replace("\"", "")).feature();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a JDK we can read
        }
        return 0;
    }
}
