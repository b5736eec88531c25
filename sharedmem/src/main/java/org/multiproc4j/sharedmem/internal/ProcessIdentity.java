package org.multiproc4j.sharedmem.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Optional;

/**
 * Names a process uniquely on this machine, in 64 bits that fit in a lock word: its pid and its start
 * time. A pid alone is not enough, because the kernel reuses pids; a process that has the same pid but a
 * different start time is a different process.
 *
 * <pre>
 *   token = pid &lt;&lt; 32 | (start stamp &amp; 0xFFFF_FFFF)
 * </pre>
 *
 * <p>The start stamp is, on Linux, field 22 of {@code /proc/<pid>/stat} (clock ticks since boot, 100 per
 * second: 32 bits last 497 days of uptime, and two processes with one pid cannot start in the same tick).
 * Elsewhere it is the start instant {@link ProcessHandle} reports, in hundredths of a second. A token is
 * never 0 (pids are positive), so 0 can mean "nobody".
 *
 * <p>A check costs a read of {@code /proc/<pid>/stat}, some microseconds: callers do it only after they
 * have waited a while, never on a fast path. A zombie (a process that has exited but not been reaped) counts
 * as dead.
 */
public final class ProcessIdentity {
    private static final boolean PROC = Files.isReadable(Paths.get("/proc/self/stat"));

    /** This process's pid. */
    public static final long SELF_PID = selfPid();

    /** This process's start stamp (see the class description). */
    public static final long SELF_STAMP = stampOf(SELF_PID, true);

    /** This process's token. */
    public static final long SELF_TOKEN = token(SELF_PID, SELF_STAMP);

    private ProcessIdentity() {
    }

    private static long selfPid() {
        if (PROC) {
            try {
                return Long.parseLong(Files.readSymbolicLink(Paths.get("/proc/self")).getFileName().toString());
            } catch (IOException | RuntimeException e) {
                // fall through
            }
        }
        return ProcessHandle.current().pid();
    }

    /**
     * Builds a token.
     *
     * @param pid   the pid.
     * @param stamp the start stamp.
     * @return the token.
     */
    public static long token(long pid, long stamp) {
        return pid << 32 | (stamp & 0xFFFF_FFFFL);
    }

    /**
     * Reads the token of a running process now.
     *
     * @param pid the process.
     * @return its token, or 0 if no such process runs (it exited, or is a zombie).
     */
    public static long tokenOf(long pid) {
        if (pid == SELF_PID) {
            return SELF_TOKEN;
        }
        long stamp = stampOf(pid, false);
        return stamp < 0 ? 0 : token(pid, stamp);
    }

    /**
     * Returns the pid a token names.
     *
     * @param token a token.
     * @return the pid.
     */
    public static long pid(long token) {
        return token >>> 32;
    }

    /**
     * Returns a tag for the calling thread, unique on this machine while the thread lives: this process's
     * pid in the high half, the thread's id in the low half. Never 0.
     *
     * @return the tag.
     */
    @SuppressWarnings("deprecation") // Thread.getId() is the Java 17 spelling of threadId()
    public static long threadTag() {
        return SELF_PID << 32 | (Thread.currentThread().getId() & 0xFFFF_FFFFL);
    }

    /**
     * Tells whether the process a token names is alive.
     *
     * @param token a token, not 0.
     * @return {@code false} if no process has that pid, or it is a zombie, or it started at another time.
     */
    public static boolean isAlive(long token) {
        long pid = pid(token);
        if (pid == SELF_PID) {
            return token == SELF_TOKEN;
        }
        long stamp = stampOf(pid, false);
        return stamp >= 0 && (stamp & 0xFFFF_FFFFL) == (token & 0xFFFF_FFFFL);
    }

    /**
     * Reads the start stamp of a process.
     *
     * @param pid      the process.
     * @param anyState whether a zombie's stamp is returned too.
     * @return the stamp, or -1 if there is no such process (or it is a zombie, unless {@code anyState}).
     */
    public static long stampOf(long pid, boolean anyState) {
        if (PROC) {
            return procStamp(pid, anyState);
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return -1;
        }
        return h.get().info().startInstant().map(Instant::toEpochMilli).map(ms -> ms / 10).orElse(0L);
    }

    private static long procStamp(long pid, boolean anyState) {
        Path stat = Paths.get("/proc", Long.toString(pid), "stat");
        String text;
        try {
            text = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        int close = text.lastIndexOf(')'); // the command name may hold spaces and parentheses
        if (close < 0 || close + 2 >= text.length()) {
            return -1;
        }
        // after ") " come field 3 (state), 4, ... ; field 22 (starttime) is the 20th of them
        int pos = close + 2;
        char state = text.charAt(pos);
        if (!anyState && (state == 'Z' || state == 'X' || state == 'x')) {
            return -1;
        }
        for (int field = 3; field < 22; field++) {
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

    /**
     * Describes a token for messages.
     *
     * @param token a token.
     * @return e.g. {@code "pid 4242"}.
     */
    public static String describe(long token) {
        return "pid " + pid(token);
    }
}
