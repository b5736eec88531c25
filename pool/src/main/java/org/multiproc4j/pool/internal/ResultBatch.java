package org.multiproc4j.pool.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.ipc.Connection;

/**
 * The results a worker holds back to send together in one {@link Frames#RESULTS} message, and the timer that sends
 * them when the worker's next task runs long. A worker holds the results of short tasks while more tasks wait in
 * its pipe, so that they travel together; a result must not wait behind the task that follows it, however long
 * that task runs: once the first held result has waited {@code maxHoldNanos} (counted from the start of its task)
 * while a task runs, a timer thread sends what is held.
 *
 * <p>The timer thread is started the first time a task starts while results are held (a worker that only ever
 * runs tasks one at a time never has one), and waits without a deadline whenever nothing is held or no task runs:
 * it wakes only for a batch that is held while a task runs.
 *
 * <p>Thread safety: the task thread calls {@link #starting}, {@link #add}, {@link #flush} and {@link #close}; the
 * timer thread sends concurrently. Everything is guarded by one lock; a send (which may wait for room in the
 * ring) holds it. A send that fails in the timer thread is thrown by the task thread's next call.
 */
final class ResultBatch {
    private static final long JOIN_MILLIS = 1_000;

    private final Connection conn;
    private final long maxHoldNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The message being built: kind, count and busy time (filled in when sent), then the results. */
    private final Frames.Writer out = new Frames.Writer();
    /** Results held. Guarded by lock. */
    private int pending;
    /** When the task of the first held result started. Guarded by lock. */
    private long firstPending;
    /** Time spent running the tasks of the held results. Guarded by lock. */
    private long busyNanos;
    /** Whether a task runs now. Guarded by lock. */
    private boolean running;
    /** Whether the timer waits without a deadline (and must be signalled). Guarded by lock. */
    private boolean timerIdle;
    /** The timer thread, once started. Guarded by lock. */
    private Thread timer;
    private boolean closed;
    /** Why a send in the timer thread failed. Guarded by lock. */
    private Exception failure;

    /**
     * @param conn         the worker's end of its pipe.
     * @param maxHoldNanos how long the first held result may wait, from the start of its task, while a task runs.
     */
    ResultBatch(Connection conn, long maxHoldNanos) {
        this.conn = conn;
        this.maxHoldNanos = maxHoldNanos;
        out.put(Frames.RESULTS).putInt(0).putInt(0);
    }

    /** Tells whether results are held. Only the task thread adds results, so the answer holds for it. */
    boolean holding() {
        lock.lock();
        try {
            return pending > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Notes that a task starts: with results held, the timer watches how long they wait. */
    void starting() throws Exception {
        lock.lock();
        try {
            rethrow();
            running = true;
            if (pending > 0) {
                if (timer == null) {
                    Thread t = new Thread(this::time, "multiproc4j-pool-result-timer");
                    t.setDaemon(true);
                    timer = t;
                    t.start();
                } else if (timerIdle) {
                    changed.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds the result of a task that ran from {@code t0} to {@code t1}.
     *
     * @param max how many results travel together at most.
     * @return whether to send the held results now: {@code max} of them are held, or the first held one's task
     *         started more than the hold time before {@code t1} (a result is held only behind tasks that short,
     *         counted from the start of the first held task, not from its end).
     */
    boolean add(byte status, byte[] result, long t0, long t1, int max) throws Exception {
        lock.lock();
        try {
            rethrow();
            running = false;
            out.put(status).putInt(result.length).put(result);
            if (pending++ == 0) {
                firstPending = t0;
            }
            busyNanos += t1 - t0;
            return pending >= max || t1 - firstPending > maxHoldNanos;
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is held, if anything. */
    void flush() throws Exception {
        lock.lock();
        try {
            rethrow();
            running = false;
            sendLocked();
        } finally {
            lock.unlock();
        }
    }

    private void sendLocked() throws Exception {
        if (pending == 0) {
            return;
        }
        out.putInt(1, pending);
        out.putInt(5, (int) Math.min(Integer.MAX_VALUE, busyNanos / 1000));
        pending = 0;
        busyNanos = 0;
        try {
            conn.sendBytes(out.array(), 0, out.length());
        } finally {
            out.trim();
            out.put(Frames.RESULTS).putInt(0).putInt(0);
        }
    }

    private void rethrow() throws Exception {
        if (failure != null) {
            throw failure;
        }
    }

    /** The timer: sends a held batch whose first result has waited too long while a task runs. */
    private void time() {
        lock.lock();
        try {
            while (!closed) {
                if (pending == 0 || !running) {
                    timerIdle = true;
                    try {
                        changed.await();
                    } finally {
                        timerIdle = false;
                    }
                    continue;
                }
                long left = firstPending + maxHoldNanos - System.nanoTime();
                if (left > 0) {
                    changed.awaitNanos(left);
                    continue;
                }
                sendLocked();
            }
        } catch (InterruptedException e) {
            // close() does not interrupt; nothing else knows this thread: end quietly
        } catch (Exception e) {
            failure = e; // the parent is gone, most likely: the task thread throws it and the worker ends
        } finally {
            lock.unlock();
        }
    }

    /** Stops the timer thread (what is held is not sent: flush first). */
    void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            t = timer;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
