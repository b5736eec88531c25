package org.multiproc4j.manager.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;

import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.manager.ManagedBarrier;
import org.multiproc4j.manager.ManagedCondition;
import org.multiproc4j.manager.ManagedEvent;
import org.multiproc4j.manager.ManagedJoinableQueue;
import org.multiproc4j.manager.ManagedLock;
import org.multiproc4j.manager.ManagedSemaphore;

/**
 * The synchronisation types and queues of a manager, and their server-side objects. Every wait is cut into
 * slices of {@link #SLICE_MILLIS}, between which the server checks that the waiting client is still there
 * ({@link Server#checkClient()}), so that a client killed while waiting takes nothing and holds up no thread.
 */
final class Sync {
    /** The longest a server thread waits without checking its client. */
    static final long SLICE_MILLIS = 50;

    private Sync() {
    }

    static void registerAll(Server s) {
        BuiltIns.defineSync(s, "queue", BlockingQueue.class,
                a -> new QueueImpl<>(a.length > 0 && a[0] != null ? (Integer) a[0] : Integer.MAX_VALUE));
        BuiltIns.defineSync(s, "joinableQueue", ManagedJoinableQueue.class,
                a -> new JoinableImpl<>(a.length > 0 && a[0] != null ? (Integer) a[0] : Integer.MAX_VALUE));
        BuiltIns.defineSync(s, "lock", ManagedLock.class, a -> new LockImpl(false));
        BuiltIns.defineSync(s, "rlock", ManagedLock.class, a -> new LockImpl(true));
        BuiltIns.defineSync(s, "condition", ManagedCondition.class, a -> new ConditionImpl());
        BuiltIns.defineSync(s, "semaphore", ManagedSemaphore.class, a -> new SemaphoreImpl((Integer) a[0], false));
        BuiltIns.defineSync(s, "boundedSemaphore", ManagedSemaphore.class,
                a -> new SemaphoreImpl((Integer) a[0], true));
        BuiltIns.defineSync(s, "event", ManagedEvent.class, a -> new EventImpl());
        BuiltIns.defineSync(s, "barrier", ManagedBarrier.class, a -> new BarrierImpl((Integer) a[0]));
    }

    /** Waits on {@code monitor} (whose lock the caller holds) until the deadline or a slice ends. */
    static void waitSlice(Object monitor, long deadline) throws InterruptedException {
        long left = Deadlines.remaining(deadline);
        long millis = Math.max(1, Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left)));
        monitor.wait(millis);
        Server.checkClient();
    }

    // ------------------------------------------------------------------------------------------- locks

    /** A lock whose holder is the session (client thread) that took it; released if that session ends. */
    static class LockImpl implements ManagedLock {
        private final boolean reentrant;
        private Object owner;
        private int holds;
        private boolean ownerDied;
        private Runnable release;

        LockImpl(boolean reentrant) {
            this.reentrant = reentrant;
        }

        @Override
        public void lock() {
            try {
                acquire(Deadlines.NEVER);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the lock", e);
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            acquire(Deadlines.NEVER);
        }

        @Override
        public boolean tryLock() {
            try {
                return acquire(System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return acquire(Deadlines.of(time, unit));
        }

        @Override
        public boolean tryLock(Duration timeout) throws InterruptedException {
            return acquire(Deadlines.of(timeout));
        }

        synchronized boolean acquire(long deadline) throws InterruptedException {
            Object me = Server.currentOwner();
            if (owner == me) {
                if (!reentrant) {
                    throw new IllegalStateException("this thread holds the lock already and a manager's lock() is "
                            + "not reentrant (use reentrantLock()): waiting would deadlock");
                }
                holds++;
                return true;
            }
            while (owner != null) {
                if (Deadlines.expired(deadline)) {
                    return false;
                }
                waitSlice(this, deadline);
            }
            take(me, 1);
            return true;
        }

        void take(Object me, int count) {
            owner = me;
            holds = count;
            Runnable r = () -> died(me);
            release = r;
            Server.onEnd(me, r);
        }

        synchronized void died(Object who) {
            if (owner == who) {
                owner = null;
                holds = 0;
                release = null;
                ownerDied = true;
                notifyAll();
            }
        }

        /** Releases every hold, returning how many there were (for a condition's wait). */
        synchronized int releaseAll() {
            int h = holds;
            free();
            return h;
        }

        private void free() {
            Server.offEnd(owner, release);
            owner = null;
            holds = 0;
            release = null;
            ownerDied = false;
            notifyAll();
        }

        @Override
        public synchronized void unlock() {
            if (owner == null) {
                throw new IllegalMonitorStateException("unlock of a lock that is not locked");
            }
            if (reentrant && owner != Server.currentOwner()) {
                throw new IllegalMonitorStateException("unlock of a reentrant lock by a thread that does not hold it");
            }
            if (--holds == 0) {
                free();
            }
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("a manager's lock has no conditions: use manager.condition(), "
                    + "a lock and its condition in one");
        }

        @Override
        public synchronized boolean ownerDied() {
            return ownerDied;
        }

        @Override
        public synchronized boolean isLocked() {
            return owner != null;
        }

        @Override
        public synchronized boolean isHeldByCurrentThread() {
            return owner != null && owner == Server.currentOwner();
        }

        synchronized void checkHeld() {
            if (owner == null || owner != Server.currentOwner()) {
                throw new IllegalMonitorStateException("the calling thread does not hold the condition's lock");
            }
        }

        @Override
        public synchronized String toString() {
            return (reentrant ? "RLock" : "Lock") + "(" + (owner == null ? "unlocked" : "locked") + ")";
        }
    }

    /** A condition with its own reentrant lock; the monitor of this object guards both. */
    static final class ConditionImpl extends LockImpl implements ManagedCondition {
        private final ArrayDeque<boolean[]> waiters = new ArrayDeque<>();

        ConditionImpl() {
            super(true);
        }

        /** Waits for a signal until the deadline; returns whether it came. */
        private synchronized boolean awaitUntil(long deadline, boolean interruptible) throws InterruptedException {
            checkHeld();
            Object me = Server.currentOwner();
            boolean[] signalled = new boolean[1];
            waiters.add(signalled);
            int holds = releaseAll();
            try {
                while (!signalled[0] && !Deadlines.expired(deadline)) {
                    try {
                        waitSlice(this, deadline);
                    } catch (InterruptedException e) {
                        if (interruptible) {
                            throw e;
                        }
                    }
                }
            } finally {
                waiters.remove(signalled);
            }
            while (isLocked()) {
                wait(SLICE_MILLIS);
                Server.checkClient();
            }
            take(me, holds);
            return signalled[0];
        }

        @Override
        public void await() throws InterruptedException {
            awaitUntil(Deadlines.NEVER, true);
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            return awaitUntil(Deadlines.of(timeout), true);
        }

        @Override
        public void awaitUninterruptibly() {
            try {
                awaitUntil(Deadlines.NEVER, false);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public long awaitNanos(long nanosTimeout) throws InterruptedException {
            long deadline = Deadlines.ofNanos(nanosTimeout);
            awaitUntil(deadline, true);
            return deadline - System.nanoTime();
        }

        @Override
        public boolean await(long time, TimeUnit unit) throws InterruptedException {
            return awaitUntil(Deadlines.of(time, unit), true);
        }

        @Override
        public boolean awaitUntil(Date deadline) throws InterruptedException {
            long millis = deadline.getTime() - System.currentTimeMillis();
            return awaitUntil(Deadlines.of(millis, TimeUnit.MILLISECONDS), true);
        }

        @Override
        public synchronized void signal() {
            checkHeld();
            boolean[] w = waiters.poll();
            if (w != null) {
                w[0] = true;
                notifyAll();
            }
        }

        @Override
        public synchronized void signalAll() {
            checkHeld();
            for (boolean[] w : waiters) {
                w[0] = true;
            }
            waiters.clear();
            notifyAll();
        }

        @Override
        public synchronized String toString() {
            return "Condition(" + (isLocked() ? "locked" : "unlocked") + ", " + waiters.size() + " waiting)";
        }
    }

    // ------------------------------------------------------------------------------------------- others

    /** A counting semaphore, optionally bounded by its initial count. */
    static final class SemaphoreImpl implements ManagedSemaphore {
        private final int bound;
        private final boolean bounded;
        private int permits;

        SemaphoreImpl(int permits, boolean bounded) {
            if (permits < 0) {
                throw new IllegalArgumentException("a semaphore's initial permits must be >= 0, got " + permits);
            }
            this.permits = permits;
            this.bound = permits;
            this.bounded = bounded;
        }

        @Override
        public void acquire() throws InterruptedException {
            tryAcquireUntil(Deadlines.NEVER);
        }

        @Override
        public boolean tryAcquire(Duration timeout) throws InterruptedException {
            return tryAcquireUntil(Deadlines.of(timeout));
        }

        private synchronized boolean tryAcquireUntil(long deadline) throws InterruptedException {
            while (permits == 0) {
                if (Deadlines.expired(deadline)) {
                    return false;
                }
                waitSlice(this, deadline);
            }
            permits--;
            return true;
        }

        @Override
        public synchronized void release() {
            if (bounded && permits >= bound) {
                throw new IllegalStateException("a bounded semaphore released too many times (it holds its " + bound
                        + " initial permits already)");
            }
            permits++;
            notifyAll();
        }

        @Override
        public synchronized int availablePermits() {
            return permits;
        }

        @Override
        public synchronized String toString() {
            return (bounded ? "BoundedSemaphore(" : "Semaphore(") + permits + ")";
        }
    }

    /** An event flag. */
    static final class EventImpl implements ManagedEvent {
        private boolean flag;

        @Override
        public synchronized void set() {
            flag = true;
            notifyAll();
        }

        @Override
        public synchronized void clear() {
            flag = false;
        }

        @Override
        public synchronized boolean isSet() {
            return flag;
        }

        @Override
        public void await() throws InterruptedException {
            awaitUntil(Deadlines.NEVER);
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            return awaitUntil(Deadlines.of(timeout));
        }

        private synchronized boolean awaitUntil(long deadline) throws InterruptedException {
            while (!flag && !Deadlines.expired(deadline)) {
                waitSlice(this, deadline);
            }
            return flag;
        }

        @Override
        public synchronized String toString() {
            return "Event(" + (flag ? "set" : "clear") + ")";
        }
    }

    /** A cyclic barrier whose waiting parties are checked for life. */
    static final class BarrierImpl implements ManagedBarrier {
        private final int parties;
        private Generation generation = new Generation();
        private int waiting;

        private static final class Generation {
            boolean broken;
        }

        BarrierImpl(int parties) {
            if (parties <= 0) {
                throw new IllegalArgumentException("a barrier needs at least one party, got " + parties);
            }
            this.parties = parties;
        }

        @Override
        public int await() throws InterruptedException, BrokenBarrierException {
            try {
                return awaitUntil(Deadlines.NEVER);
            } catch (TimeoutException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
            return awaitUntil(Deadlines.of(timeout));
        }

        private synchronized int awaitUntil(long deadline)
                throws InterruptedException, BrokenBarrierException, TimeoutException {
            Generation g = generation;
            if (g.broken) {
                throw new BrokenBarrierException();
            }
            int index = parties - 1 - waiting;
            if (index == 0) {
                waiting = 0;
                generation = new Generation();
                notifyAll();
                return 0;
            }
            waiting++;
            boolean done = false;
            try {
                while (g == generation && !g.broken) {
                    if (Deadlines.expired(deadline)) {
                        breakBarrier();
                        throw new TimeoutException("the barrier's " + parties + " parties did not all arrive in time");
                    }
                    waitSlice(this, deadline);
                }
                done = true;
            } finally {
                if (!done && g == generation && !g.broken) {
                    breakBarrier();                     // interrupted, or the client went away
                }
            }
            if (g.broken) {
                throw new BrokenBarrierException();
            }
            return index;
        }

        private void breakBarrier() {
            generation.broken = true;
            waiting = 0;
            notifyAll();
        }

        @Override
        public int parties() {
            return parties;
        }

        @Override
        public synchronized int numberWaiting() {
            return waiting;
        }

        @Override
        public synchronized boolean isBroken() {
            return generation.broken;
        }

        @Override
        public synchronized void reset() {
            breakBarrier();
            generation = new Generation();
        }

        @Override
        public synchronized String toString() {
            return "Barrier(" + waiting + "/" + parties + " waiting" + (generation.broken ? ", broken" : "") + ")";
        }
    }

    // ------------------------------------------------------------------------------------------- queues

    /**
     * A queue whose blocking methods wait in slices, and which never hands an item to a client that is gone: an
     * item taken for a client found dead goes back to the head (a deque, for that), so a client killed while
     * waiting in {@code take} or {@code poll} loses nothing for the others.
     */
    static class QueueImpl<E> extends LinkedBlockingDeque<E> {
        private static final long serialVersionUID = 1L;

        QueueImpl(int capacity) {
            super(capacity);
        }

        @Override
        public void put(E e) throws InterruptedException {
            while (!super.offer(e, SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                Server.checkClient();
            }
        }

        @Override
        public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = Deadlines.of(timeout, unit);
            while (true) {
                long slice = Math.min(TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS), Deadlines.remaining(deadline));
                if (super.offer(e, Math.max(0, slice), TimeUnit.NANOSECONDS)) {
                    return true;
                }
                if (Deadlines.expired(deadline)) {
                    return false;
                }
                Server.checkClient();
            }
        }

        @Override
        public E take() throws InterruptedException {
            while (true) {
                E e = super.poll(SLICE_MILLIS, TimeUnit.MILLISECONDS);
                if (e != null) {
                    return handOut(e);
                }
                Server.checkClient();
            }
        }

        @Override
        public E poll(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = Deadlines.of(timeout, unit);
            while (true) {
                long slice = Math.min(TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS), Deadlines.remaining(deadline));
                E e = super.poll(Math.max(0, slice), TimeUnit.NANOSECONDS);
                if (e != null) {
                    return handOut(e);
                }
                if (Deadlines.expired(deadline)) {
                    return null;
                }
                Server.checkClient();
            }
        }

        /**
         * Returns an item taken for the calling client, or puts it back at the head and throws if that client is
         * gone (its reply could never be delivered).
         */
        private E handOut(E e) throws InterruptedException {
            try {
                Server.checkClient();
            } catch (Server.ClientGoneException gone) {
                putFirst(e);          // room: this item's own slot, unless a producer took it meanwhile
                throw gone;
            }
            return e;
        }
    }

    /** A queue that counts unfinished items. */
    static final class JoinableImpl<E> extends QueueImpl<E> implements ManagedJoinableQueue<E> {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // lives in the server, never serialized
        private final Object done = new Object();
        private long unfinished;

        JoinableImpl(int capacity) {
            super(capacity);
        }

        @Override
        public boolean offer(E e) {
            synchronized (done) {                       // counted before a consumer can finish it
                if (super.offer(e)) {
                    unfinished++;
                    return true;
                }
                return false;
            }
        }

        @Override
        public void put(E e) throws InterruptedException {
            while (!offer(e)) {
                synchronized (done) {
                    done.wait(1);
                }
                Server.checkClient();
            }
        }

        @Override
        public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = Deadlines.of(timeout, unit);
            while (!offer(e)) {
                if (Deadlines.expired(deadline)) {
                    return false;
                }
                synchronized (done) {
                    done.wait(1);
                }
                Server.checkClient();
            }
            return true;
        }

        @Override
        public void taskDone() {
            synchronized (done) {
                if (unfinished == 0) {
                    throw new IllegalStateException("taskDone() called more times than items were put");
                }
                if (--unfinished == 0) {
                    done.notifyAll();
                }
            }
        }

        @Override
        public void join() throws InterruptedException {
            join(Deadlines.NEVER);
        }

        @Override
        public boolean join(Duration timeout) throws InterruptedException {
            return join(Deadlines.of(timeout));
        }

        private boolean join(long deadline) throws InterruptedException {
            synchronized (done) {
                while (unfinished > 0) {
                    if (Deadlines.expired(deadline)) {
                        return false;
                    }
                    waitSlice(done, deadline);
                }
                return true;
            }
        }

    }
}
