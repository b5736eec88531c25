package org.multiproc4j.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Reads a process's start time from Linux's {@code /proc/<pid>/stat}: field 22, {@code starttime}, in clock
 * ticks since boot (100 per second). With the pid it names a process uniquely, since two processes that have one
 * pid cannot have started in the same tick; every process that reads it reads the same number. The one parser of
 * {@code /proc} in multiproc4j: the parent watchdog of a child JVM uses it, and so does
 * {@code sharedmem}'s process identity (the tokens in lock words and segment headers).
 *
 * <pre>{@code
 * long self = ProcessHandle.current().pid();
 * long ticks = ProcStat.startTicks(self, false);
 * System.out.println(ProcStat.AVAILABLE ? "started " + ticks + " ticks after boot" : "no /proc here");
 * }</pre>
 *
 * <p>A read costs some microseconds (open, read, close of a small file): callers look at a process only after
 * they have waited a while, never on a fast path.
 */
public final class ProcStat {
    /** Whether this system has {@code /proc/<pid>/stat} files. */
    public static final boolean AVAILABLE = Files.isReadable(Paths.get("/proc/self/stat"));

    /** Field 22 ({@code starttime}) is the 20th after the command name's closing parenthesis. */
    private static final int START_TIME_FIELD = 22;
    /** The first field after the command name is field 3 (the state). */
    private static final int STATE_FIELD = 3;

    private ProcStat() {
    }

    /**
     * Reads a process's start time.
     *
     * @param pid      the process.
     * @param anyState whether a zombie's (a process that has exited but was not reaped) start time is returned
     *                 too; otherwise a zombie reads as no process.
     * @return the start time in clock ticks since boot, or -1 if there is no such process (or it is a zombie,
     *         unless {@code anyState}), or no {@code /proc}.
     */
    public static long startTicks(long pid, boolean anyState) {
        String text;
        try {
            text = new String(Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "stat")),
                    StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        int close = text.lastIndexOf(')'); // the command name may hold spaces and parentheses
        if (close < 0 || close + 2 >= text.length()) {
            return -1;
        }
        int pos = close + 2;
        char state = text.charAt(pos);
        if (!anyState && (state == 'Z' || state == 'X' || state == 'x')) {
            return -1;
        }
        for (int field = STATE_FIELD; field < START_TIME_FIELD; field++) {
            pos = text.indexOf(' ', pos);
            if (pos < 0) {
                return -1;
            }
            pos++;
        }
        int end = text.indexOf(' ', pos);
        try {
            return Long.parseLong(end < 0 ? text.substring(pos).trim() : text.substring(pos, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
