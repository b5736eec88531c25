package org.multiproc4j.mpi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.multiproc4j.sharedmem.IdlePolicy;

/** Which idle strategy the collective area's large collectives wait with. */
class SharedCollIdleTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void shouldSpinLongerWhenEveryRankHasACore() {
        assertEquals("backoff(spin " + SharedColl.SPIN_NANOS / 1000 + "us, yield 100us, park 1us..1000us)",
                SharedColl.idleStrategy(CORES).alias());
    }

    @Test
    void shouldKeepTheDefaultPolicyWhenRanksOutnumberCores() {
        assertEquals(IdlePolicy.defaultPolicy().newIdleStrategy().alias(),
                SharedColl.idleStrategy(CORES + 1).alias());
    }
}
