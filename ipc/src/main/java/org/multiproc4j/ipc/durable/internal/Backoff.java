package org.multiproc4j.ipc.durable.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a consumer waits for a message that another process has not appended yet: spin a little, then yield,
 * then park for doubling periods up to a maximum (Agrona's {@code BackoffIdleStrategy}, in a few lines, so the
 * durable queue needs no Agrona). Chronicle Queue has no wake-up signal: waiting is polling, and the maximum
 * pause bounds both the latency added to an idle consumer and the CPU it burns (at 1 ms, a few hundredths of
 * a core).
 *
 * <p><b>Thread safety.</b> None: one per waiting thread.
 */
public final class Backoff {
    private static final int SPINS = 100;
    private static final int YIELDS = 20;
    private static final long MIN_PARK_NANOS = 1_000;

    private final long maxParkNanos;
    private int count;
    private long parkNanos;

    /**
     * Creates a backoff.
     *
     * @param maxParkNanos the longest pause.
     */
    public Backoff(long maxParkNanos) {
        this.maxParkNanos = Math.max(MIN_PARK_NANOS, maxParkNanos);
    }

    /** Starts again from spinning (after work was found). */
    public void reset() {
        count = 0;
        parkNanos = MIN_PARK_NANOS;
    }

    /**
     * Waits a little, more each time.
     *
     * @param deadline a {@link System#nanoTime()} value not to sleep past, or {@link Long#MAX_VALUE}.
     */
    public void idle(long deadline) {
        if (count < SPINS) {
            count++;
            Thread.onSpinWait();
        } else if (count < SPINS + YIELDS) {
            count++;
            Thread.yield();
        } else {
            long nanos = parkNanos;
            if (deadline != Long.MAX_VALUE) {
                nanos = Math.min(nanos, Math.max(0, deadline - System.nanoTime()));
            }
            LockSupport.parkNanos(nanos);
            parkNanos = Math.min(maxParkNanos, parkNanos * 2);
        }
    }
}
