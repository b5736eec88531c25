package org.multiproc4j.sharedmem.internal;

import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.IdleStrategy;

/**
 * Spin, then yield, then park, with each phase bounded in <em>time</em> rather than in iterations (Agrona's
 * {@code BackoffIdleStrategy} counts iterations, whose duration depends on the CPU): busy-spin for up to
 * {@code spinNanos}, then {@link Thread#yield()} until {@code yieldNanos} more have passed, then
 * {@link LockSupport#parkNanos} starting at {@code minParkNanos} and doubling up to {@code maxParkNanos}.
 *
 * <p><b>Adaptive spin.</b> Spinning only pays when the process being waited for runs on another core. When both
 * share one core (a busy machine puts them there), every microsecond spun is a microsecond the other cannot
 * run, and a ping-pong's round trip grows by twice the spin. So the spin adapts: a wait that ends while spinning
 * keeps the full spin; a wait that ends only after yielding halves it (down to none, yielding at once); and every
 * sixteenth wait probes with the full spin, so spinning comes back when the cores free up.
 *
 * <p>A waiter that gets work within the spin window answers in well under a microsecond; one that has been
 * idle for long costs almost no CPU and answers within about {@code maxParkNanos}. Not thread-safe: one
 * instance per waiting thread.
 */
public final class TimedBackoffIdleStrategy implements IdleStrategy {
    private static final int CHECK_EVERY = 16;

    private final long spinNanos;
    private final long yieldNanos;
    private final long minParkNanos;
    private final long maxParkNanos;

    private long start;
    private int spins;
    private long parkNanos;
    private boolean yielding;
    private long spinBudget;
    private long currentSpin;
    private int waits;

    /**
     * Creates the strategy.
     *
     * @param spinNanos    how long to busy-spin.
     * @param yieldNanos   how long to yield after spinning.
     * @param minParkNanos the first park.
     * @param maxParkNanos the longest park.
     */
    public TimedBackoffIdleStrategy(long spinNanos, long yieldNanos, long minParkNanos, long maxParkNanos) {
        if (spinNanos < 0 || yieldNanos < 0 || minParkNanos <= 0 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("bad backoff: spin=" + spinNanos + "ns yield=" + yieldNanos
                    + "ns park=" + minParkNanos + ".." + maxParkNanos + "ns");
        }
        this.spinNanos = spinNanos;
        this.yieldNanos = yieldNanos;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.spinBudget = spinNanos;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (parkNanos != 0) {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
            return;
        }
        if (spins == 0) {
            start = System.nanoTime();
            currentSpin = (++waits & 15) == 0 ? spinNanos : spinBudget;
            yielding = currentSpin == 0;
        }
        spins++;
        if ((spins & (CHECK_EVERY - 1)) != 0 && spins > 1) {
            // between clock reads, stay in the phase chosen at the last read
            if (yielding) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
            return;
        }
        long elapsed = System.nanoTime() - start;
        if (elapsed < currentSpin) {
            yielding = false;
            Thread.onSpinWait();
        } else if (elapsed < currentSpin + yieldNanos) {
            yielding = true;
            Thread.yield();
        } else {
            parkNanos = minParkNanos;
            LockSupport.parkNanos(parkNanos);
        }
    }

    @Override
    public void reset() {
        if (spins != 0 && parkNanos == 0) {
            if (!yielding) {
                spinBudget = spinNanos; // the wait ended while spinning: spinning pays
            } else {
                spinBudget = spinBudget >= 200 ? spinBudget >> 1 : 0; // it ended only after yielding
            }
        }
        spins = 0;
        parkNanos = 0;
    }

    /**
     * Whether the current wait has reached its yielding phase (for tests).
     *
     * @return {@code true} once it yields.
     */
    boolean yielding() {
        return spins != 0 && parkNanos == 0 && yielding;
    }

    /**
     * The spin the next wait will use (for tests).
     *
     * @return nanoseconds.
     */
    long spinBudget() {
        return spinBudget;
    }

    /**
     * Tells whether the strategy has reached its park phase (for tests).
     *
     * @return {@code true} once parking.
     */
    boolean parking() {
        return parkNanos != 0;
    }

    @Override
    public String alias() {
        return "backoff(spin " + spinNanos / 1000 + "us, yield " + yieldNanos / 1000 + "us, park "
                + minParkNanos / 1000 + "us.." + maxParkNanos / 1000 + "us)";
    }

    @Override
    public String toString() {
        return alias();
    }
}
