package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.internal.StartTrace;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** The start-up timeline ({@code multiproc4j.trace.start}): parent and child each print their steps. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartTraceIT {
    @AfterEach
    void clear() {
        System.clearProperty(StartTrace.PROP);
        JvmProcess.discardSpares();
    }

    @Test
    void shouldPrintTheParentsAndTheChildsStepsWhenAskedAndNothingOtherwise(@TempDir Path dir) throws Exception {
        Path quiet = dir.resolve("quiet.txt");
        String parentQuiet = runChild(quiet);
        assertEquals("", Files.readString(quiet), "off by default: the child prints nothing");
        assertTrue(!parentQuiet.contains(StartTrace.PREFIX), parentQuiet);

        System.setProperty(StartTrace.PROP, "true");
        Path traced = dir.resolve("traced.txt");
        String parent = runChild(traced);
        List<String> child = new ArrayList<>(Files.readAllLines(traced));
        assertTrue(parent.contains(" parent: start()\n"), parent);
        assertTrue(parent.contains(" parent: assignment sent to "), parent);
        long previous = 0;
        List<String> steps = new ArrayList<>();
        for (String line : child) {
            if (!line.startsWith(StartTrace.PREFIX)) {
                continue; // a JVM warning, say
            }
            String[] f = line.substring(StartTrace.PREFIX.length()).split(" ", 5);
            long micros = Long.parseLong(f[0]);
            assertTrue(micros >= previous, "in time order: " + child);
            previous = micros;
            assertTrue(f[3].startsWith("cpu=") && Long.parseLong(f[3].substring(4)) >= 0, line);
            // a fresh JVM finds its assignment waiting; if it came late, the JVM warmed up as a spare meanwhile
            if (f[4].startsWith("child: ") && !f[4].startsWith("child: spare booted")) {
                steps.add(f[4]);
            }
        }
        assertEquals(List.of("child: main", "child: assignment read", "child: task decoded"), steps,
                "a fresh child's steps, in order: " + child);
    }

    /** Runs a no-op in a fresh JVM (a redirect to a file takes no spare) and returns what this JVM printed. */
    private static String runChild(Path stderr) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JvmProcess p = new JvmProcess(() -> { }, new JvmProcess.Options()
                    .stderr(ProcessBuilder.Redirect.to(stderr.toFile()))).start();
            assertTrue(p.join(Timeouts.MEDIUM));
            assertEquals(0, p.exitCode());
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
