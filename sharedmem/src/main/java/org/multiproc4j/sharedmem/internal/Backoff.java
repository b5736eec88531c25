package org.multiproc4j.sharedmem.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for a word in shared memory to change. There is no futex in Java, so a waiter polls:
 * it spins {@value #SPINS} times ({@link Thread#onSpinWait()}, a few microseconds), yields {@value #YIELDS}
 * times, then parks for periods that double from {@value #MIN_PARK_NS} ns up to {@value #MAX_PARK_NS} ns (or
 * another maximum, {@link #Backoff(long)}).
 *
 * <p>What this implies: a waiter that is still spinning sees a change within a fraction of a microsecond;
 * one that has parked sees it when its current park ends, so after a long wait the latency is up to about
 * 1 ms (Linux rounds short parks up to about 60 µs). A parked waiter costs almost no CPU, so many waiters do
 * not burn a core.
 *
 * <p>{@link #shouldCheck()} tells the waiter when to do its expensive checks (is the holder still alive?):
 * once when it starts parking and then every {@value #CHECK_INTERVAL_NS} ns, never while spinning. One
 * instance per wait; not thread-safe.
 */
public final class Backoff {
    /** Busy spins before yielding. */
    public static final int SPINS = 128;
    /** Yields before parking. */
    public static final int YIELDS = 16;
    /** The first park period. */
    public static final long MIN_PARK_NS = 10_000;
    /** The longest park period. */
    public static final long MAX_PARK_NS = 1_000_000;
    /** How often a parked waiter runs its expensive checks. */
    public static final long CHECK_INTERVAL_NS = 50_000_000;

    private final long maxParkNs;
    private int step;
    private long parkNs;
    private long nextCheck;
    private boolean checkedOnce;

    /** Creates a fresh waiter state: spinning first, parks up to {@value #MAX_PARK_NS} ns. */
    public Backoff() {
        this(MAX_PARK_NS);
    }

    /**
     * Creates a fresh waiter state with another longest park: a waiter that polls something without a signal
     * (a Chronicle queue) chooses how late it may see a change against how much CPU it burns.
     *
     * @param maxParkNs the longest park period, at least 1 ns.
     */
    public Backoff(long maxParkNs) {
        this.maxParkNs = Math.max(1, maxParkNs);
        this.parkNs = Math.min(MIN_PARK_NS, this.maxParkNs);
    }

    /**
     * Waits a little, never past the deadline.
     *
     * @param deadline a {@link System#nanoTime()} value, or {@link Long#MAX_VALUE} for none.
     */
    public void idle(long deadline) {
        if (step < SPINS) {
            step++;
            Thread.onSpinWait();
        } else if (step < SPINS + YIELDS) {
            step++;
            Thread.yield();
        } else {
            long ns = parkNs;
            if (deadline != Long.MAX_VALUE) {
                ns = Math.min(ns, deadline - System.nanoTime());
            }
            if (ns > 0) {
                LockSupport.parkNanos(this, ns);
            }
            parkNs = Math.min(parkNs << 1, maxParkNs);
        }
    }

    /**
     * Tells whether the waiter is parking now.
     *
     * @return {@code true} after the spin and yield phases.
     */
    public boolean parking() {
        return step >= SPINS + YIELDS;
    }

    /**
     * Tells whether it is time for the expensive checks: when parking starts, then every
     * {@value #CHECK_INTERVAL_NS} ns.
     *
     * @return {@code true} if the caller should check now.
     */
    public boolean shouldCheck() {
        if (!parking()) {
            return false;
        }
        long now = System.nanoTime();
        if (!checkedOnce || now - nextCheck >= 0) {
            checkedOnce = true;
            nextCheck = now + CHECK_INTERVAL_NS;
            return true;
        }
        return false;
    }

    /**
     * Turns a timeout into a deadline, saturating.
     *
     * @param timeoutNanos the timeout; not positive means "now".
     * @return a {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for timeouts too long to matter.
     */
    public static long deadline(long timeoutNanos) {
        long now = System.nanoTime();
        if (timeoutNanos >= Long.MAX_VALUE / 2) {
            return Long.MAX_VALUE;
        }
        return now + Math.max(0, timeoutNanos);
    }

    /**
     * Tells whether a deadline has passed.
     *
     * @param deadline from {@link #deadline(long)}.
     * @return {@code true} if it has.
     */
    public static boolean expired(long deadline) {
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }
}
