package org.multiproc4j.mpi.openmpi;

import java.util.concurrent.locks.LockSupport;

/**
 * Spins, then yields, then parks 20 µs at a time: the wait of a poll loop (an MPI request, a peer's copy of a
 * chunk in shared memory) that neither burns an oversubscribed core nor adds latency while the peer is quick.
 * Counted in calls, not time, so that a wait reads no clock. Not thread-safe: one per wait.
 */
final class Backoff {
    private static final int YIELDS_UNTIL = 20_000;
    private static final long PARK_NANOS = 20_000L;
    private final int spins;
    private int n;

    /**
     * Creates a backoff.
     *
     * @param spins how many calls of {@link #idle()} spin before it yields.
     */
    Backoff(int spins) {
        this.spins = spins;
    }

    /** Starts again from spinning (the peer moved on). */
    void reset() {
        n = 0;
    }

    /** Waits one step: spins, yields or parks, by how many steps this wait has taken. */
    void idle() {
        n++;
        if (n < spins) {
            Thread.onSpinWait();
        } else if (n < YIELDS_UNTIL) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(PARK_NANOS);
        }
    }
}
