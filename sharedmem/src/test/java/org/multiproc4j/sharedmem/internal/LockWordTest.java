package org.multiproc4j.sharedmem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * The lock word's outcomes, each reported as a value: acquired, acquired from a dead owner (exactly one of
 * racing waiters wins a takeover), timed out, and abandoned because the caller's object was closed.
 */
@Timeout(60)
class LockWordTest {
    private final UnsafeBuffer memory = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private final long word = memory.addressOffset();
    private final long takenFrom = word + 8;
    private Process other;

    @BeforeEach
    void startAnotherProcess() throws Exception {
        other = new ProcessBuilder("sleep", "60").start();
    }

    @AfterEach
    void stopIt() throws Exception {
        other.destroyForcibly().waitFor();
    }

    private static long deadToken() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long pid = p.pid();
        p.waitFor();
        return ProcessIdentity.token(pid, 12345);
    }

    private static LockWord.Acquired lockFor(long word, long millis, AtomicBoolean closed) throws InterruptedException {
        return LockWord.lock(word, IdlePolicy.defaultPolicy().newIdleStrategy(), Deadlines.ofNanos(millis * 1_000_000),
                closed::get, true);
    }

    @Test
    void shouldAcquireAFreeWordAndReleaseIt() throws Exception {
        assertEquals(LockWord.Acquired.ACQUIRED, lockFor(word, 1000, new AtomicBoolean()));
        assertEquals(ProcessIdentity.SELF_TOKEN, LockWord.owner(word));
        assertFalse(LockWord.tryLock(word), "not reentrant");
        LockWord.unlock(word);
        assertEquals(0, LockWord.owner(word));
        assertTrue(LockWord.tryLock(word));
    }

    @Test
    void shouldTakeOverFromADeadOwnerAndSaySo() throws Exception {
        long dead = deadToken();
        UnsafeApi.putLongVolatile(null, word, dead);
        long t0 = System.nanoTime();
        LockWord.Acquired got = LockWord.lock(word, IdlePolicy.defaultPolicy().newIdleStrategy(), Deadlines.NEVER,
                LockWord.NEVER_CLOSED, true, takenFrom);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(LockWord.Acquired.FROM_DEAD_OWNER, got);
        assertTrue(got.held());
        assertEquals(ProcessIdentity.SELF_TOKEN, LockWord.owner(word));
        assertEquals(dead, UnsafeApi.getLong(null, takenFrom), "the dead owner is recorded where asked");
        assertTrue(tookMs >= LockWord.LIVENESS_CHECK_NANOS / 1_000_000 - 1, "looked at the owner only after waiting "
                + "one period, took " + tookMs + " ms");
        assertTrue(tookMs < 1000, "took " + tookMs + " ms");
    }

    @Test
    void shouldTakeOverAtOnceWhenAskedDirectly() throws Exception {
        long dead = deadToken();
        UnsafeApi.putLongVolatile(null, word, dead);
        assertEquals(dead, LockWord.takeOverFromDead(word));
        assertEquals(0, LockWord.takeOverFromDead(word), "held by this process now: nothing to take");
        UnsafeApi.putLongVolatile(null, word, ProcessIdentity.tokenOf(other.pid()));
        assertEquals(0, LockWord.takeOverFromDead(word), "a live owner keeps it");
    }

    @Test
    void shouldTimeOutWhileALiveProcessHoldsIt() throws Exception {
        long live = ProcessIdentity.tokenOf(other.pid());
        assertTrue(ProcessIdentity.isAlive(live));
        UnsafeApi.putLongVolatile(null, word, live);
        long t0 = System.nanoTime();
        assertEquals(LockWord.Acquired.TIMED_OUT, lockFor(word, 60, new AtomicBoolean()));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMs >= 59, "waited out its deadline past several liveness checks, took " + tookMs + " ms");
        assertEquals(live, LockWord.owner(word), "untouched");
        assertFalse(LockWord.Acquired.TIMED_OUT.held());
    }

    @Test
    void shouldAbandonTheWaitWhenTheCallersObjectIsClosed() throws Exception {
        for (int round = 0; round < 20; round++) {
            UnsafeApi.putLongVolatile(null, word, ProcessIdentity.tokenOf(other.pid()));
            AtomicBoolean closed = new AtomicBoolean();
            CompletableFuture<LockWord.Acquired> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return lockFor(word, 30_000, closed);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(round % 4);
            closed.set(true);
            assertEquals(LockWord.Acquired.ABANDONED, waiter.get(5, TimeUnit.SECONDS), "round " + round);
            assertFalse(LockWord.Acquired.ABANDONED.held());
        }
    }

    @Test
    void shouldEndAnInterruptibleWaitOnInterruptAndRememberItOtherwise() throws Exception {
        UnsafeApi.putLongVolatile(null, word, ProcessIdentity.tokenOf(other.pid()));
        CompletableFuture<Throwable> interruptible = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                lockFor(word, 30_000, new AtomicBoolean());
                interruptible.complete(null);
            } catch (InterruptedException e) {
                interruptible.complete(e);
            }
        });
        t.start();
        Thread.sleep(20);
        t.interrupt();
        assertTrue(interruptible.get(5, TimeUnit.SECONDS) instanceof InterruptedException);

        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread u = new Thread(() -> {
            LockWord.Acquired got = LockWord.lock(word, IdlePolicy.defaultPolicy().newIdleStrategy());
            stillInterrupted.complete(got == LockWord.Acquired.ACQUIRED && Thread.currentThread().isInterrupted());
        });
        u.start();
        Thread.sleep(20);
        u.interrupt();
        Thread.sleep(20);
        assertFalse(stillInterrupted.isDone(), "an uninterruptible wait goes on");
        UnsafeApi.putLongVolatile(null, word, 0);
        assertTrue(stillInterrupted.get(5, TimeUnit.SECONDS), "acquired, with the interrupt re-asserted");
    }

    @Test
    void shouldLetExactlyOneOfRacingWaitersTakeOverADeadOwnersWord() throws Exception {
        for (int round = 0; round < 10; round++) {
            UnsafeApi.putLongVolatile(null, word, deadToken());
            int threads = 4;
            AtomicInteger takeovers = new AtomicInteger();
            AtomicInteger acquired = new AtomicInteger();
            AtomicInteger inside = new AtomicInteger();
            AtomicBoolean overlap = new AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> all = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    LockWord.Acquired got = LockWord.lock(word, IdlePolicy.defaultPolicy().newIdleStrategy());
                    if (inside.incrementAndGet() != 1) {
                        overlap.set(true);
                    }
                    (got == LockWord.Acquired.FROM_DEAD_OWNER ? takeovers : acquired).incrementAndGet();
                    inside.decrementAndGet();
                    LockWord.unlock(word);
                });
                t.start();
                all.add(t);
            }
            go.countDown();
            for (Thread t : all) {
                t.join();
            }
            assertFalse(overlap.get(), "round " + round + ": the word excluded the threads too");
            assertEquals(1, takeovers.get(), "round " + round + ": one takeover");
            assertEquals(threads - 1, acquired.get(), "round " + round + ": the others took a free word");
            assertEquals(0, LockWord.owner(word));
        }
    }

    @Test
    void shouldLetOneOfManyRacingTakeOversWin() throws Exception {
        for (int round = 0; round < 100; round++) {
            long dead = deadToken();
            UnsafeApi.putLongVolatile(null, word, dead);
            CountDownLatch go = new CountDownLatch(1);
            long[] got = new long[4];
            List<Thread> racers = new ArrayList<>();
            for (int i = 0; i < got.length; i++) {
                int me = i;
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    got[me] = LockWord.takeOverFromDead(word);
                });
                t.start();
                racers.add(t);
            }
            go.countDown();
            int winners = 0;
            for (int i = 0; i < got.length; i++) {
                racers.get(i).join();
                if (got[i] != 0) {
                    assertEquals(dead, got[i]);
                    winners++;
                }
            }
            assertEquals(1, winners, "round " + round);
            LockWord.unlock(word);
        }
    }
}
