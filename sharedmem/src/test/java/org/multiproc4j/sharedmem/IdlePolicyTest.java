package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.multiproc4j.sharedmem.internal.TimedBackoffIdleStrategy;

class IdlePolicyTest {

    @Test
    void shouldDescribeEachPolicyAsReportsQuoteIt() {
        assertEquals("backoff(spin 2us, yield 100us, park 1us..1000us)", IdlePolicy.defaultPolicy().toString());
        assertEquals("busy-spin", IdlePolicy.busySpin().toString());
        assertEquals("yielding", IdlePolicy.yielding().toString());
        assertEquals("sleeping(250us)", IdlePolicy.sleeping(Duration.ofNanos(250_000)).toString());
        assertEquals("backoff(spin 0us, yield 5us, park 10us..20us)", IdlePolicy.backoff(Duration.ZERO,
                Duration.ofNanos(5_000), Duration.ofNanos(10_000), Duration.ofNanos(20_000)).toString());
    }

    @Test
    void shouldTravelAsAnEqualValue() throws Exception {
        for (IdlePolicy p : List.of(IdlePolicy.defaultPolicy(), IdlePolicy.busySpin(), IdlePolicy.yielding(),
                IdlePolicy.sleeping(Duration.ofMillis(3)))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(p);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                Object copy = in.readObject();
                assertNotSame(p, copy);
                assertEquals(p, copy);
                assertEquals(p.hashCode(), copy.hashCode());
            }
        }
        assertNotEquals(IdlePolicy.busySpin(), IdlePolicy.yielding());
    }

    @Test
    void shouldMakeAFreshAgronaStrategyPerWaitingThread() {
        IdleStrategy a = IdlePolicy.defaultPolicy().newIdleStrategy();
        IdleStrategy b = IdlePolicy.defaultPolicy().newIdleStrategy();
        assertNotSame(a, b);
        assertTrue(a instanceof TimedBackoffIdleStrategy, a.getClass().getName());
        assertTrue(IdlePolicy.busySpin().newIdleStrategy() instanceof BusySpinIdleStrategy);
        assertTrue(IdlePolicy.yielding().newIdleStrategy() instanceof YieldingIdleStrategy);
        assertTrue(IdlePolicy.sleeping(Duration.ofMillis(1)).newIdleStrategy() instanceof SleepingIdleStrategy);
        for (int i = 0; i < 1000; i++) {
            a.idle(0);                        // Agrona's shape: no work, so idle
        }
        a.idle(1);                            // work done: the wait is over
        a.reset();
    }

    @Test
    void shouldRefuseNonsenseNamingTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdlePolicy.backoff(
                Duration.ofNanos(-1), Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(1)));
        assertEquals("backoff needs spin >= 0, yield >= 0, 0 < minPark <= maxPark; got spin=PT-0.000000001S "
                + "yield=PT0S minPark=PT0.000000001S maxPark=PT0.000000001S", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdlePolicy.backoff(Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(2), Duration.ofMillis(1)));
        assertEquals("sleeping period must be positive, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> IdlePolicy.sleeping(Duration.ZERO)).getMessage());
        assertEquals("spin", assertThrows(NullPointerException.class,
                () -> IdlePolicy.backoff(null, Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(1))).getMessage());
    }
}
