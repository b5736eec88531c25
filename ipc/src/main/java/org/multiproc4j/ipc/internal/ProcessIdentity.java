package org.multiproc4j.ipc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Optional;

/**
 * A process named so that a reused pid is not mistaken for the original: one {@code long} holding the pid (low
 * 32 bits) and a tag derived from the process's start time (bits 32..62). Bit 63 is left free for callers
 * (a pipe end uses it to mark an end in transit). Zero means "no process".
 *
 * <p>On Linux the start time is {@code /proc/<pid>/stat}'s {@code starttime} (clock ticks since boot), the
 * same number in every process that reads it; a zombie (state {@code Z} or {@code X}) counts as dead.
 * Elsewhere {@link ProcessHandle.Info#startInstant()} is used.
 *
 * <p>Reading {@code /proc} costs a few microseconds: callers check liveness only while they wait, and not on
 * every iteration.
 */
public final class ProcessIdentity {
    private static final long PID_MASK = 0xFFFF_FFFFL;
    private static final long TAG_MASK = 0x7FFF_FFFFL;
    private static final Path PROC = Paths.get("/proc");
    private static final boolean HAS_PROC = Files.isReadable(PROC.resolve("self").resolve("stat"));
    private static final long CURRENT = compute(ProcessHandle.current().pid());

    private ProcessIdentity() {
    }

    /**
     * Returns this process's identity.
     *
     * @return a non-zero identity.
     */
    public static long current() {
        return CURRENT;
    }

    /**
     * Returns the pid held by an identity.
     *
     * @param identity an identity, possibly with bit 63 set.
     * @return the pid.
     */
    public static long pid(long identity) {
        return identity & PID_MASK;
    }

    /**
     * Returns the identity with bit 63 (the caller's flag) cleared.
     *
     * @param identity an identity, possibly flagged.
     * @return the plain identity.
     */
    public static long plain(long identity) {
        return identity & Long.MAX_VALUE;
    }

    /**
     * Tells whether the process an identity names is still running (not exited, not a zombie, its pid not
     * reused).
     *
     * @param identity an identity, possibly with bit 63 set; zero is never alive.
     * @return {@code true} if it runs.
     */
    public static boolean isAlive(long identity) {
        long plain = plain(identity);
        if (plain == 0) {
            return false;
        }
        if (plain == CURRENT) {
            return true;
        }
        long now = compute(pid(plain));
        return now != 0 && now == plain;
    }

    /**
     * Describes an identity for messages: {@code "pid 1234"}.
     *
     * @param identity an identity.
     * @return the description.
     */
    public static String describe(long identity) {
        return "pid " + pid(identity);
    }

    private static long compute(long pid) {
        if (HAS_PROC) {
            byte[] stat;
            try {
                stat = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat"));
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            String s = new String(stat, StandardCharsets.ISO_8859_1);
            int close = s.lastIndexOf(')');
            if (close < 0) {
                return 0;
            }
            String[] fields = s.substring(close + 2).split(" ");
            // fields[0] is field 3 (state), fields[19] is field 22 (starttime)
            if (fields.length < 20) {
                return 0;
            }
            char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
            if (state == 'Z' || state == 'X' || state == 'x') {
                return 0;
            }
            long start;
            try {
                start = Long.parseLong(fields[19]);
            } catch (NumberFormatException e) {
                return 0;
            }
            return make(pid, start);
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return 0;
        }
        long start = handle.get().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return make(pid, start);
    }

    private static long make(long pid, long start) {
        long tag = 1 + Math.floorMod(start, TAG_MASK); // 1 .. 2^31-1: never zero
        return (tag << 32) | (pid & PID_MASK);
    }
}
