package org.multiproc4j.ipc.internal;

/**
 * A process named so that a reused pid is not mistaken for the original: one {@code long} holding the pid (low
 * 32 bits) and a tag derived from the process's start time (bits 32..62). Bit 63 is left free for callers
 * (a pipe end uses it to mark an end in transit). Zero means "no process".
 *
 * <p>The start time is sharedmem's start stamp ({@code /proc/<pid>/stat}'s {@code starttime} on Linux, the
 * same number in every process that reads it); a zombie counts as dead. Only the packing differs from
 * sharedmem's tokens: the tag here is never zero, so an identity is never 0.
 *
 * <p>Reading {@code /proc} costs a few microseconds: callers check liveness only while they wait, and not on
 * every iteration.
 */
public final class ProcessIdentity {
    private static final long PID_MASK = 0xFFFF_FFFFL;
    private static final long TAG_MASK = 0x7FFF_FFFFL;
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
     * Returns the identity of a process as it is now: its live identity if it runs, otherwise one that names its
     * pid and that no live process ever has (its start tag is 0), so that it reads as dead.
     *
     * @param pid the process.
     * @return a non-zero identity.
     */
    public static long of(long pid) {
        long now = compute(pid);
        return now != 0 ? now : pid & PID_MASK;
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

    /** The identity of a running process, or 0 if it is gone or a zombie; its start stamp is sharedmem's. */
    private static long compute(long pid) {
        long start = org.multiproc4j.sharedmem.internal.ProcessIdentity.stampOf(pid, false);
        return start < 0 ? 0 : make(pid, start);
    }

    private static long make(long pid, long start) {
        long tag = 1 + Math.floorMod(start, TAG_MASK); // 1 .. 2^31-1: never zero
        return (tag << 32) | (pid & PID_MASK);
    }
}
