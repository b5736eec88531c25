package org.multiproc4j.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.sharedmem.internal.LockWord;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * A thread that waits for a queue's shared producer or consumer lock, held by another live process, when its
 * queue is closed: it leaves within an idle period with {@link IllegalStateException}, so that {@code close()}
 * (which waits for this process's putting and taking threads) does not wait for the other process.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class QueueCoreCloseTest {

    @Test
    void shouldStopWaitingForASharedLockHeldElsewhereWhenClosed() throws Exception {
        for (int round = 0; round < 50; round++) {
            QueueCore q = QueueCore.create(QueueDescriptor.KIND_QUEUE, 8192, 0, new ChannelOptions());
            assertTrue(q.put("waiting", Long.MAX_VALUE)); // a message: a taker goes for the consumer lock
            // held "by another process": the words name a live process (this one) that no thread here holds
            assertTrue(LockWord.tryLock(q.buffer().addressOffset() + QueueDescriptor.PRODUCER_LOCK));
            assertTrue(LockWord.tryLock(q.buffer().addressOffset() + QueueDescriptor.CONSUMER_LOCK));
            Outcome put = Outcome.of(() -> q.put("x", Long.MAX_VALUE));
            Outcome take = Outcome.of(() -> q.take(Long.MAX_VALUE));
            Thread.sleep(round % 5);
            // in a thread of its own, so that a close that waits for ever fails the test instead of hanging it
            Outcome close = Outcome.of(() -> {
                q.close();
                return null;
            });
            assertFalse(close.await().isAlive(), "round " + round + ": close() still waiting after " + Timeouts.SHORT);
            put.await().assertClosedWhileWaiting();
            take.await().assertClosedWhileWaiting();
        }
    }

    /** A call in a thread of its own, and how it ended. */
    private static final class Outcome {
        private final AtomicReference<Object> ending = new AtomicReference<>();
        private final Thread thread;

        private Outcome(Call call) {
            thread = new Thread(() -> {
                try {
                    ending.set("returned " + call.call());
                } catch (Throwable t) {
                    ending.set(t);
                }
            });
            thread.setDaemon(true);
        }

        static Outcome of(Call call) {
            Outcome o = new Outcome(call);
            o.thread.start();
            return o;
        }

        Outcome await() throws InterruptedException {
            thread.join(Timeouts.SHORT.toMillis());
            return this;
        }

        boolean isAlive() {
            return thread.isAlive();
        }

        void assertClosedWhileWaiting() {
            Object e = ending.get();
            assertTrue(e instanceof IllegalStateException && ((Throwable) e).getMessage().contains("closed"),
                    "expected IllegalStateException for the close, got " + (e == null ? "nothing yet" : e));
        }
    }

    /** A blocking call. */
    private interface Call {
        Object call() throws Exception;
    }
}
