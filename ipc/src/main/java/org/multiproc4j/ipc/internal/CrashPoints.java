package org.multiproc4j.ipc.internal;

/**
 * Named instants in the queue protocol at which a test can make the current thread "die": the thread throws
 * {@link SimulatedDeath}, and the queue leaves its shared lock held by a process that no longer exists, exactly
 * as {@code kill -9} at that instant would. Tests arm one point for one occurrence; production code never arms
 * any, and the check is one read of a static field.
 */
public final class CrashPoints {
    /** Producer: the message's start tail was recorded. */
    public static final int P_MSG_TAIL = 1;
    /** Producer: the fragment marker was cleared at the message's start. */
    public static final int P_MSG_FRAG_CLEARED = 2;
    /** Producer: the stage (writing or committing) was recorded. */
    public static final int P_STAGE = 3;
    /** Producer: the fragment marker was cleared. */
    public static final int P_FRAG_CLEARED = 4;
    /** Producer: the fragment's length and type were recorded. */
    public static final int P_FRAG_META = 5;
    /** Producer: the fragment's start tail was recorded. */
    public static final int P_FRAG_TAIL = 6;
    /** Ring: the header after the record was pre-zeroed. */
    public static final int R_NEXT_ZEROED = 7;
    /** Ring: the header at index 0 was pre-zeroed (wrapping record). */
    public static final int R_WRAP_ZEROED = 8;
    /** Ring: the tail was advanced (the record is claimed). */
    public static final int R_TAIL = 9;
    /** Ring: the padding record's type was written. */
    public static final int R_PADDING_TYPE = 10;
    /** Ring: the padding record's length was written. */
    public static final int R_PADDING = 11;
    /** Producer: a first fragment's total length was written. */
    public static final int P_BEGIN_TOTAL = 12;
    /** Producer: the payload was copied. */
    public static final int P_COPIED = 13;
    /** Ring: the record's type was written. */
    public static final int R_TYPE = 14;
    /** Ring: the record was committed. */
    public static final int R_COMMITTED = 15;
    /** Producer: the message's final state was recorded. */
    public static final int P_DONE = 16;
    /** Consumer: the value was read, nothing recorded yet. */
    public static final int C_READ = 21;
    /** Consumer: the head after the message was recorded. */
    public static final int C_END_HEAD = 22;
    /** Consumer: the finishing stage was recorded. */
    public static final int C_FINISHING = 23;
    /** Consumer: the head was moved past the message. */
    public static final int C_HEAD = 24;
    /** Consumer: the idle stage was recorded. */
    public static final int C_DONE = 25;
    /** Consumer: a fragmented message's start head was recorded. */
    public static final int C_MSG_HEAD = 26;
    /** Consumer: the taking stage was recorded. */
    public static final int C_TAKING = 27;
    /** Consumer: a fragment was passed (the head moved past it). */
    public static final int C_FRAGMENT = 28;

    /**
     * The token a "dead" thread leaves in the lock word: a pid no Linux system hands out, with the start tag 0
     * that no live process has (see {@code ProcessIdentity}).
     */
    public static final long DEAD = 0x7FFF_FFFFL << 32;

    private static int armed = -1;
    private static int countdown;

    private CrashPoints() {
    }

    /**
     * Arms a point: the {@code occurrence}-th time (1 = first) a thread reaches it, that thread dies.
     *
     * @param point      the point.
     * @param occurrence which time.
     */
    public static void arm(int point, int occurrence) {
        countdown = occurrence;
        armed = point;
    }

    /** Disarms. */
    public static void disarm() {
        armed = -1;
    }

    /**
     * Marks a point; dies there if armed.
     *
     * @param point the point.
     */
    static void hit(int point) {
        if (armed == point && --countdown == 0) {
            armed = -1;
            throw new SimulatedDeath(point);
        }
    }

    /** Thrown where a test made the thread die. */
    public static final class SimulatedDeath extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedDeath(int point) {
            super("simulated death at crash point " + point, null, false, false);
        }
    }
}
