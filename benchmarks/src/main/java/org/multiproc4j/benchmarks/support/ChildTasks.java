package org.multiproc4j.benchmarks.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The bodies of benchmark children, in a class of their own with no static state, so that a child loads
 * nothing but this small class to run them (the way a Python child imports only its main module).
 */
public final class ChildTasks {
    private ChildTasks() {
    }

    /** A child's first line: prints {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux) as one line. */
    public static void printStamp() {
        long t = System.nanoTime();
        System.out.println(t);
    }

    /** A task that does nothing. */
    public static void noop() {
        // nothing
    }

    /**
     * Lists the class-data archives this JVM has mapped (files ending in {@code .jsa} or {@code .aot} in
     * {@code /proc/self/maps}): the JDK's base archive, and multiproc4j's AppCDS archive or AOT cache when
     * the child uses one.
     *
     * @return one path per line, possibly empty; or a line starting with {@code error:} where
     *         {@code /proc} cannot be read.
     */
    public static String mappedArchives() {
        Set<String> found = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/maps"), StandardCharsets.UTF_8)) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String path = line.substring(slash).trim();
                if (path.endsWith(".jsa") || path.endsWith(".aot")) {
                    found.add(path);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "error: cannot read /proc/self/maps: " + e;
        }
        return String.join("\n", found);
    }
}
