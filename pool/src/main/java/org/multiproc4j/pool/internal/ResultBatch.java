package org.multiproc4j.pool.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.ipc.Connection;

/**
 * The results a worker holds back to send together in one {@link Frames#RESULTS} message, and the timer that sends
 * them when a task runs long behind them. A worker holds the results of short tasks while more tasks wait in its
 * pipe, so that they travel together; a held result must not wait long behind the task that follows it: once the
 * first held result has waited {@code timerNanos} (counted from the start of its task) while a task runs, the timer
 * thread sends what is held.
 *
 * <p>The timer thread is started the first time a task starts while results are held (a worker that only ever
 * runs tasks one at a time never has one). While tasks keep starting it wakes by itself once per
 * {@code timerNanos}; a millisecond after the last start with nothing held behind a running task, it parks until a
 * task starts with results held. It reads the batch's state without the lock and takes the lock only to send.
 *
 * <p>Thread safety: the task thread calls {@link #starting}, {@link #add}, {@link #holding}, {@link #flush} and
 * {@link #close}; the timer thread sends concurrently. The message and its counts are guarded by one lock; a send
 * (which may wait for room in the ring) holds it. A send that fails in the timer thread is thrown by the task
 * thread's next call.
 */
final class ResultBatch {
    private static final long JOIN_MILLIS = 1_000;
    /** How long after the last task started the timer keeps waking by itself. */
    private static final long LINGER_NANOS = 1_000_000;

    private final Connection conn;
    private final long maxHoldNanos;
    private final long timerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** The message being built: kind, count and busy time (filled in when sent), then the results. */
    private final Frames.Writer out = new Frames.Writer();
    /** Results held. Written under lock. */
    private volatile int pending;
    /** When the task of the first held result started. Written under lock. */
    private volatile long firstPending;
    /** Time spent running the tasks of the held results. Guarded by lock. */
    private long busyNanos;
    /** Whether a task runs now. Written by the task thread. */
    private volatile boolean running;
    /** When the last task started. Written by the task thread. */
    private volatile long lastStart;
    /** Whether the timer parks without a deadline (and must be unparked). */
    private volatile boolean timerIdle;
    /** The timer thread, once started. Used by the task thread only. */
    private Thread timer;
    private volatile boolean closed;
    /** Why a send in the timer thread failed. */
    private volatile Exception failure;

    /**
     * @param conn         the worker's end of its pipe.
     * @param maxHoldNanos how long the first held result may wait for company, from the start of its task.
     * @param timerNanos   how long it may wait while a task runs, when the timer sends it.
     */
    ResultBatch(Connection conn, long maxHoldNanos, long timerNanos) {
        this.conn = conn;
        this.maxHoldNanos = maxHoldNanos;
        this.timerNanos = timerNanos;
        out.put(Frames.RESULTS).putInt(0).putInt(0);
    }

    /** Tells whether results are held. Only the task thread adds results, so a {@code false} holds for it. */
    boolean holding() {
        return pending > 0;
    }

    /** Notes that a task starts at {@code now}: with results held, the timer watches how long they wait. */
    void starting(long now) throws Exception {
        rethrow();
        lastStart = now;
        running = true;
        if (pending > 0) {
            Thread t = timer;
            if (t == null) {
                t = new Thread(this::time, "multiproc4j-pool-result-timer");
                t.setDaemon(true);
                timer = t;
                t.start();
            } else if (timerIdle) {
                LockSupport.unpark(t);
            }
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
        running = false;
        lock.lock();
        try {
            rethrow();
            out.put(status).putInt(result.length).put(result);
            int n = pending + 1;
            if (n == 1) {
                firstPending = t0;
            }
            pending = n;
            busyNanos += t1 - t0;
            return n >= max || t1 - firstPending > maxHoldNanos;
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is held, if anything. */
    void flush() throws Exception {
        running = false;
        lock.lock();
        try {
            rethrow();
            sendLocked();
        } finally {
            lock.unlock();
        }
    }

    private void sendLocked() throws Exception {
        int n = pending;
        if (n == 0) {
            return;
        }
        out.putInt(1, n);
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
        Exception f = failure;
        if (f != null) {
            throw f;
        }
    }

    /** The timer: sends a held batch whose first result has waited too long while a task runs. */
    private void time() {
        try {
            while (!closed) {
                long now = System.nanoTime();
                if (pending > 0 && running) {
                    long left = firstPending + timerNanos - now;
                    if (left > 0) {
                        LockSupport.parkNanos(this, left);
                        continue;
                    }
                    lock.lock();
                    try {
                        if (pending > 0 && running && System.nanoTime() - firstPending >= timerNanos) {
                            sendLocked();
                        }
                    } finally {
                        lock.unlock();
                    }
                } else if (now - lastStart > LINGER_NANOS) {
                    timerIdle = true;
                    if (!closed && !(pending > 0 && running)) { // the task thread sets running, then reads timerIdle
                        LockSupport.park(this);
                    }
                    timerIdle = false;
                } else {
                    LockSupport.parkNanos(this, timerNanos);
                }
            }
        } catch (Exception e) {
            failure = e; // the parent is gone, most likely: the task thread throws it and the worker ends
        }
    }

    /** Stops the timer thread (what is held is not sent: flush first). */
    void close() {
        closed = true;
        Thread t = timer;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
