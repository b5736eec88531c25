package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Once any method says a child has ended, every other method agrees at once: its exit code, signal, state
 * and exit future are final. Observed right at the moment of death, many times over (a bookkeeping race
 * shows in some runs only).
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExitStateIT {
    private static final int ROUNDS = 15;

    @Test
    void shouldHaveAnExitCodeAsSoonAsIsAliveTurnsFalse() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            JvmProcess p = new JvmProcess(() -> { }).start();
            awaitNotAlive(p);
            assertEquals(0, p.exitCode(), "round " + i + ": " + p);
            assertTrue(p.toString().contains("exited 0"), "round " + i + ": " + p);
            assertTrue(p.onExit().isDone(), "round " + i + ": the exit future agrees with isAlive()");
            assertTrue(p.join(java.time.Duration.ZERO), "round " + i + ": join agrees with isAlive()");
            assertFalse(JvmProcess.activeChildren().contains(p), "round " + i);
        }
    }

    @Test
    void shouldReportTheSignalAsSoonAsAKilledChildIsSeenDead() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            JvmProcess p = new JvmProcess(() -> ParentMain.sleep(60_000)).start();
            p.kill();
            awaitNotAlive(p);
            assertEquals(137, p.exitCode(), "round " + i + ": " + p);
            assertEquals(OptionalInt.of(9), p.signal(), "round " + i);
            assertTrue(p.toString().contains("exited 137 (signal 9)"), "round " + i + ": " + p);
        }
    }

    @Test
    void shouldCompleteTheFutureOfACallableAsSoonAsItsChildIsSeenDead() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            int x = i;
            TaskFuture<Integer> f = JvmProcess.call(() -> x * x);
            awaitNotAlive(f.process());
            assertTrue(f.isDone(), "round " + i);
            assertEquals(x * x, f.get(java.time.Duration.ZERO), "round " + i);
        }
    }

    /** Spins (yielding) on {@link JvmProcess#isAlive()}, to catch the first moment it turns false. */
    private static void awaitNotAlive(JvmProcess p) {
        long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
        while (p.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                p.kill();
                throw new AssertionError(p + " still alive after " + Timeouts.MEDIUM);
            }
            Thread.yield();
        }
    }
}
