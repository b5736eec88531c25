package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DeadlinesTest {

    @Test
    void shouldTurnATimeoutIntoADeadlineFromNow() {
        long before = System.nanoTime();
        long deadline = Deadlines.of(Duration.ofSeconds(5));
        long after = System.nanoTime();
        assertTrue(deadline - before >= 5_000_000_000L && deadline - after <= 5_000_000_000L);
        assertFalse(Deadlines.expired(deadline));
        long left = Deadlines.remaining(deadline);
        assertTrue(left > 4_000_000_000L && left <= 5_000_000_000L, "left " + left);
        assertEquals(deadline - before, Deadlines.of(5, TimeUnit.SECONDS) - before, 100_000_000.0);
    }

    @Test
    void shouldMakeZeroAndNegativeTimeoutsExpireAtOnce() {
        for (Duration d : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(-3),
                Duration.ofSeconds(Long.MIN_VALUE)}) {
            long deadline = Deadlines.of(d);
            assertNotEquals(Deadlines.NEVER, deadline, d.toString());
            assertTrue(Deadlines.expired(deadline), d.toString());
            assertEquals(0, Deadlines.remaining(deadline), d.toString());
        }
        assertTrue(Deadlines.expired(Deadlines.of(-5, TimeUnit.DAYS)));
    }

    @Test
    void shouldSaturateTimeoutsTooLongToMatterInsteadOfOverflowing() {
        for (Duration d : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE), ChronoUnit.FOREVER.getDuration(),
                Duration.ofNanos(Long.MAX_VALUE), Duration.ofNanos(Deadlines.FOREVER_NANOS), Duration.ofDays(365L * 200)}) {
            assertEquals(Deadlines.NEVER, Deadlines.of(d), d.toString());
        }
        assertEquals(Deadlines.NEVER, Deadlines.of(Long.MAX_VALUE, TimeUnit.DAYS));
        assertFalse(Deadlines.expired(Deadlines.NEVER));
        assertEquals(Long.MAX_VALUE, Deadlines.remaining(Deadlines.NEVER));
        assertNotEquals(Deadlines.NEVER, Deadlines.of(Duration.ofDays(365L * 100)), "a century is still a deadline");
        assertEquals(Long.MAX_VALUE, Deadlines.nanos(ChronoUnit.FOREVER.getDuration()));
        assertEquals(Long.MIN_VALUE, Deadlines.nanos(ChronoUnit.FOREVER.getDuration().negated()));
        assertEquals(42, Deadlines.nanos(Duration.ofNanos(42)));
    }

    @Test
    void shouldExpireOnceTheTimeHasPassed() throws InterruptedException {
        long deadline = Deadlines.of(Duration.ofMillis(20));
        Thread.sleep(25);
        assertTrue(Deadlines.expired(deadline));
        assertEquals(0, Deadlines.remaining(deadline));
    }

    @Test
    void shouldRefuseANullTimeoutNamingIt() {
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> Deadlines.of(null)).getMessage());
    }
}
