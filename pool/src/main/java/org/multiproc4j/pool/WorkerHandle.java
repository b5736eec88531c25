package org.multiproc4j.pool;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.pool.internal.Frames;
import org.multiproc4j.sharedmem.SharedLong;

/**
 * The parent's side of one worker JVM: its pipe end, the tasks it holds (in the order they were sent, which is
 * the order it answers), and the thread that reads its results.
 */
final class WorkerHandle {
    /** Functions a worker keeps at most; the least recently used are forgotten. */
    static final int DEFINED_CAPACITY = 512;

    final int slot;
    final JvmProcess process;
    final Connection conn;
    /** Tasks the worker has started (written by the worker before each task). */
    final SharedLong started;
    /** Tasks whose results arrived. Guarded by the pool's lock. */
    long answered;
    /** Tasks given to this worker, oldest first. Guarded by the pool's lock. */
    final ArrayDeque<Task> inflight = new ArrayDeque<>();
    /** Tasks given but not sent yet, oldest first. Guarded by the pool's lock. */
    final ArrayDeque<Task> outbox = new ArrayDeque<>();
    /** Bytes of the arguments of the tasks in {@link #inflight}. Guarded by the pool's lock. */
    long inflightBytes;
    /** Tasks given to this worker over its life. Guarded by the pool's lock. */
    int assigned;
    /** A moving average of the time one task takes to run in this worker; 0 until known. Guarded by lock. */
    private double taskNanos;

    /**
     * How many tasks this worker may hold: enough to keep it busy for {@link ProcessPool#PIPELINE_NANOS} beyond its
     * current task (tiny tasks: up to {@link ProcessPool#MAX_PIPELINE}), and never fewer than 2, so that it has
     * its next task when it finishes one. Long tasks thus stay in the pool's queue and go to whichever worker is
     * free first, as in Python's pool, instead of being split up front. Called under the pool's lock.
     */
    int depth() {
        if (taskNanos <= 0) {
            return ProcessPool.MAX_PIPELINE;
        }
        double d = 1 + ProcessPool.PIPELINE_NANOS / taskNanos;
        return d >= ProcessPool.MAX_PIPELINE ? ProcessPool.MAX_PIPELINE : Math.max(2, (int) d);
    }

    /**
     * Notes that {@code n} results came, whose tasks took the worker {@code busyMicros} to run (measured there, so
     * that the time results spend in transit, or this JVM waiting for a core, does not count). Called under the
     * pool's lock.
     */
    void timed(int n, int busyMicros) {
        if (n > 0) {
            double per = busyMicros * 1000.0 / n;
            taskNanos = taskNanos <= 0 ? Math.max(1, per) : 0.75 * taskNanos + 0.25 * per;
        }
    }

    /** Taking tasks. Guarded by the pool's lock. */
    boolean live = true;
    /** Booted and its initializer run: tasks are given only to ready workers. Guarded by the pool's lock. */
    boolean ready;
    /** Set by the reader when the worker reports that its initializer failed. */
    volatile RemoteException initFailure;
    Thread reader;

    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicBoolean pumpWanted = new AtomicBoolean();
    /** Function ids this worker has been sent. Guarded by sendLock. */
    private final LinkedHashMap<Integer, Boolean> defined = new LinkedHashMap<>(64, 0.75f, true);
    private final Frames.Writer writer = new Frames.Writer();

    WorkerHandle(int slot, JvmProcess process, Connection conn, SharedLong started) {
        this.slot = slot;
        this.process = process;
        this.conn = conn;
        this.started = started;
    }

    /**
     * Sends what is in the outbox, unless another thread is sending to this worker now: that thread will send it.
     * Never blocks on another sender, so that a reader thread can call it.
     */
    void pump(ProcessPool pool) {
        pumpWanted.set(true);
        while (pumpWanted.get()) {
            if (!sendLock.tryLock()) {
                return;
            }
            try {
                while (pumpWanted.getAndSet(false)) {
                    List<Task> batch = pool.drainOutbox(this);
                    if (!batch.isEmpty() && !send(batch)) {
                        return;
                    }
                }
            } finally {
                sendLock.unlock();
            }
        }
    }

    /** Sends a batch; returns false if the worker is gone (its reader deals with the tasks). */
    private boolean send(List<Task> batch) {
        try {
            for (Task t : batch) {
                if (t.fn.once || defined.get(t.fn.id) == null) {
                    writer.clear();
                    writer.put(Frames.DEFINE).putInt(t.fn.id).put(t.fn.bytes);
                    sendFully();
                    if (!t.fn.once) {
                        defined.put(t.fn.id, Boolean.TRUE);
                        if (defined.size() > DEFINED_CAPACITY) {
                            Iterator<Integer> eldest = defined.keySet().iterator();
                            int id = eldest.next();
                            eldest.remove();
                            writer.clear();
                            writer.put(Frames.FORGET).putInt(id);
                            sendFully();
                        }
                    }
                }
            }
            writer.clear();
            writer.put(Frames.TASKS).putInt(batch.size());
            for (Task t : batch) {
                writer.putInt(t.fn.id).put((byte) (t.mode | (t.fn.once ? Frames.ONCE : 0))).putInt(t.args.length)
                        .put(t.args);
            }
            sendFully();
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            writer.trim();
        }
    }

    /** Asks the worker to exit once it has answered what it holds. */
    void stop() {
        sendLock.lock();
        try {
            writer.clear();
            writer.put(Frames.STOP);
            sendFully();
        } catch (IOException e) {
            // gone already
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends the writer's message, carrying on through interrupts (a half-sent batch would lose its tasks). */
    private void sendFully() throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    conn.sendBytes(writer.array(), 0, writer.length());
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<Task> drain(ArrayDeque<Task> q) {
        List<Task> out = new ArrayList<>(q);
        q.clear();
        return out;
    }

    @Override
    public String toString() {
        return "worker " + slot + " (pid " + process.pid() + ")";
    }
}
