package org.multiproc4j.sharedmem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimedBackoffIdleStrategyTest {

    /** Waits until the strategy yields: a wait that ends after its spin, however the thread was scheduled. */
    private static void idleUntilYielding(TimedBackoffIdleStrategy s) {
        long t0 = System.nanoTime();
        while (!s.yielding()) {
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "never yielded");
            s.idle();
        }
    }

    @Test
    void shouldSpinThenYieldThenPark() {
        TimedBackoffIdleStrategy s = new TimedBackoffIdleStrategy(50_000, 200_000, 1_000, 100_000);
        long t0 = System.nanoTime();
        while (!s.parking() && System.nanoTime() - t0 < 5_000_000_000L) {
            s.idle();
        }
        long elapsed = System.nanoTime() - t0;
        assertTrue(s.parking(), "parks in the end");
        assertTrue(elapsed >= 250_000, "not before spin + yield (250 µs), parked after " + elapsed + " ns");
        s.reset();
        assertFalse(s.parking());
    }

    @Test
    void shouldHalveTheSpinWhenWaitsEndAfterYieldingAndRestoreItWhenTheyEndSpinning() {
        TimedBackoffIdleStrategy s = new TimedBackoffIdleStrategy(40_000, 10_000_000, 1_000, 100_000);
        assertEquals(40_000, s.spinBudget());
        idleUntilYielding(s); // past the spin: the wait ends while yielding
        s.reset();
        assertEquals(20_000, s.spinBudget());
        idleUntilYielding(s);
        s.reset();
        assertEquals(10_000, s.spinBudget());
        s.idle(); // ends at once, while spinning
        s.reset();
        assertEquals(40_000, s.spinBudget(), "a wait that ended spinning restores the full spin");
        s.reset();
        assertEquals(40_000, s.spinBudget(), "a reset without a wait changes nothing");
    }

    @Test
    void shouldRefuseNonsense() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TimedBackoffIdleStrategy(-1, 0, 1, 1));
        assertTrue(e.getMessage().contains("spin=-1ns"), e.getMessage());
    }
}
