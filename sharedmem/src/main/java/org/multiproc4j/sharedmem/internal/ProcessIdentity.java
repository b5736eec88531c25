package org.multiproc4j.sharedmem.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Optional;

import org.multiproc4j.core.internal.ProcStat;

/**
 * Names a process uniquely on this machine, in 64 bits that fit in a word of shared memory: its pid and its
 * start time. A pid alone is not enough, because the kernel reuses pids; a process that has the same pid but a
 * different start time is a different process. Every process-owned word of multiproc4j holds one of these
 * tokens: lock words, the users table and creator of every segment, the holder tables of semaphores and
 * barriers, a pipe end's owner.
 *
 * <pre>
 *   token = pid &lt;&lt; 32 | tag,    tag = 1 + (start stamp mod (2<sup>32</sup> - 1)),  1 .. 2<sup>32</sup> - 1
 *
 *    63 62                          32 31                            0
 *   +--+------------------------------+-------------------------------+
 *   |0 | pid (31 bits)                | tag: never 0                  |
 *   +--+------------------------------+-------------------------------+
 * </pre>
 *
 * <p>So a token is never 0 (0 means "nobody"), a token whose tag is 0 names a pid but no live process
 * ({@link #identityOf}), and bit 63 is always clear: a caller may use it as a flag in a word that holds a
 * token ({@link #FLAG}; a pipe end marks itself "in transit" with it). {@link #pid}, {@link #isAlive} and
 * {@link #describe} ignore the flag.
 *
 * <p>The start stamp is, on Linux, the process's {@code starttime} in {@code /proc/<pid>/stat}
 * ({@link ProcStat}: clock ticks since boot, the same number in every process that reads it). Elsewhere it is
 * the start instant {@link ProcessHandle} reports, in hundredths of a second. A zombie (a process that has
 * exited but not been reaped) counts as dead.
 *
 * <p>A liveness check costs a read of {@code /proc}, some microseconds: callers do it only after they have waited
 * a while ({@link LockWord#LIVENESS_CHECK_NANOS}), never on a fast path.
 */
public final class ProcessIdentity {
    /** The bit a caller may set in a word that holds a token (bit 63): tokens never have it. */
    public static final long FLAG = Long.MIN_VALUE;

    private static final long TAG_MASK = 0xFFFF_FFFFL;

    /** This process's pid. */
    public static final long SELF_PID = selfPid();

    /** This process's start stamp (see the class description). */
    public static final long SELF_STAMP = stampOf(SELF_PID, true);

    /** This process's token. */
    public static final long SELF_TOKEN = token(SELF_PID, SELF_STAMP);

    private ProcessIdentity() {
    }

    private static long selfPid() {
        if (ProcStat.AVAILABLE) {
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
     * @return the token, never 0.
     */
    public static long token(long pid, long stamp) {
        return (pid & 0x7FFF_FFFFL) << 32 | tag(stamp);
    }

    private static long tag(long stamp) {
        return 1 + Long.remainderUnsigned(stamp, TAG_MASK);
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
     * Returns the token of a running process, or, if it no longer runs, a word that names its pid and that no
     * live process ever has (its tag is 0), so that it reads as dead and still says which process it was.
     *
     * @param pid the process.
     * @return a non-zero word.
     */
    public static long identityOf(long pid) {
        long token = tokenOf(pid);
        return token != 0 ? token : (pid & 0x7FFF_FFFFL) << 32;
    }

    /**
     * Returns the pid a token names.
     *
     * @param token a token, possibly with {@link #FLAG} set.
     * @return the pid.
     */
    public static long pid(long token) {
        return (token & ~FLAG) >>> 32;
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
     * @param token a token, possibly with {@link #FLAG} set; 0 (nobody) is never alive.
     * @return {@code false} if no process has that pid, or it is a zombie, or it started at another time.
     */
    public static boolean isAlive(long token) {
        long plain = token & ~FLAG;
        if (plain == SELF_TOKEN) {
            return true;
        }
        long tag = plain & TAG_MASK;
        long pid = plain >>> 32;
        if (tag == 0 || pid == SELF_PID) {
            return false;
        }
        long stamp = stampOf(pid, false);
        return stamp >= 0 && tag(stamp) == tag;
    }

    /**
     * Reads the start stamp of a process.
     *
     * @param pid      the process.
     * @param anyState whether a zombie's stamp is returned too.
     * @return the stamp, or -1 if there is no such process (or it is a zombie, unless {@code anyState}).
     */
    public static long stampOf(long pid, boolean anyState) {
        if (ProcStat.AVAILABLE) {
            return ProcStat.startTicks(pid, anyState);
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return -1;
        }
        return h.get().info().startInstant().map(Instant::toEpochMilli).map(ms -> ms / 10).orElse(0L);
    }

    /**
     * Describes a token for messages.
     *
     * @param token a token, possibly with {@link #FLAG} set.
     * @return e.g. {@code "pid 4242"}.
     */
    public static String describe(long token) {
        return "pid " + pid(token);
    }
}
