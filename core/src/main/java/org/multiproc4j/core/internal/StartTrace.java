package org.multiproc4j.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;

/**
 * A timeline of how children start, for finding where a start's time goes: with the system property
 * {@value #PROP} set to {@code true}, the launch path of parent and child (taking a spare, sending the assignment,
 * the child's boot, decoding its task, attaching its shared objects) and the boot paths of the modules (a pool's
 * workers up to their first result, a manager's server up to its answer) each print one line on standard error:
 * <pre>
 * multiproc4j-trace &lt;epoch microseconds&gt; &lt;pid&gt; &lt;thread&gt; cpu=&lt;ms&gt; &lt;what&gt;
 * </pre>
 * where {@code cpu} is the process's CPU time so far (user + system, from {@code /proc/self/stat}; {@code -1}
 * where there is none). Children inherit the property (as every {@code multiproc4j.*} setting), so sorting the
 * lines of parent and children by their first number gives one timeline. Each line is written with one call, so
 * lines of several processes sharing a console do not interleave.
 *
 * <p>Off by default; when off, a mark costs a property look-up. Nothing here is API: the lines may change.
 * Thread-safe.
 */
public final class StartTrace {
    /** The system property that turns the timeline on. */
    public static final String PROP = "multiproc4j.trace.start";
    /** The prefix of every line. */
    public static final String PREFIX = "multiproc4j-trace ";
    private static final long PID = ProcessHandle.current().pid();
    /** Clock ticks per second of {@code /proc/self/stat}'s times; 100 on Linux. */
    private static final long TICK_MS = 10;

    private StartTrace() {
    }

    /**
     * Tells whether the timeline is on: callers that build a message test this first.
     *
     * @return {@code true} if {@value #PROP} is {@code true}.
     */
    public static boolean on() {
        return Boolean.getBoolean(PROP);
    }

    /**
     * Prints one line of the timeline, if it is on.
     *
     * @param what what just happened.
     */
    public static void mark(String what) {
        if (!on()) {
            return;
        }
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        StringBuilder line = new StringBuilder(PREFIX).append(micros).append(' ').append(PID).append(' ')
                .append(Thread.currentThread().getName()).append(" cpu=").append(cpuMillis()).append(' ')
                .append(what).append('\n');
        System.err.print(line);
        System.err.flush();
    }

    private static long cpuMillis() {
        try {
            String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")), StandardCharsets.US_ASCII);
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
