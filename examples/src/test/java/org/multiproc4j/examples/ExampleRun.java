package org.multiproc4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.test.Timeouts;

/**
 * Runs an example's {@code main} in its own JVM, as a user would, and keeps what it printed, so an
 * {@code IT} can compare it with the Python reference output.
 */
public final class ExampleRun {
    /** The flags a user adds to their own JVM for the modules above core (README). */
    public static final List<String> USER_JVM_FLAGS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    private final List<String> stdout;
    private final String stderr;
    private final int exitCode;

    private ExampleRun(List<String> stdout, String stderr, int exitCode) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.exitCode = exitCode;
    }

    /**
     * Runs {@code mainClass} in a new JVM with this JVM's classpath and waits for it (a {@code LONG} timeout).
     *
     * @param mainClass the example.
     * @return what it printed.
     * @throws Exception if it cannot be run or does not finish in time.
     */
    public static ExampleRun of(Class<?> mainClass) throws Exception {
        return of(mainClass, new String[0]);
    }

    /**
     * Runs {@code mainClass} with arguments in a new JVM with this JVM's classpath and waits for it (a
     * {@code LONG} timeout).
     *
     * @param mainClass the example (or a launcher).
     * @param args      its arguments.
     * @return what it printed.
     * @throws Exception if it cannot be run or does not finish in time.
     */
    public static ExampleRun of(Class<?> mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(USER_JVM_FLAGS);
        cmd.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Timeouts.LONG.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(mainClass.getSimpleName() + " did not finish within " + Timeouts.LONG + "; printed:\n" + out);
        }
        return new ExampleRun(out.lines().toList(), err.get(Timeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS), p.exitValue());
    }

    /**
     * Returns the lines printed on standard output, in order.
     *
     * @return the lines.
     */
    public List<String> lines() {
        return stdout;
    }

    /**
     * Asserts the example exited with 0 and printed nothing on standard error.
     *
     * @return this run.
     */
    public ExampleRun assertClean() {
        assertEquals(0, exitCode, "exit code; stderr:\n" + stderr + "\nstdout:\n" + String.join("\n", stdout));
        assertTrue(stderr.isBlank(), "nothing on stderr, got:\n" + stderr);
        return this;
    }

    /**
     * Returns the position of a line that must be present.
     *
     * @param line the exact line.
     * @return its index.
     */
    public int indexOf(String line) {
        int i = stdout.indexOf(line);
        assertTrue(i >= 0, "expected line '" + line + "' in:\n" + String.join("\n", stdout));
        return i;
    }
}
