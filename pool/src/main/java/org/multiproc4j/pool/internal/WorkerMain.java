package org.multiproc4j.pool.internal;

import java.io.EOFException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.multiproc4j.core.RemoteException;
import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.core.internal.StartTrace;
import org.multiproc4j.core.internal.TaskCodec;
import org.multiproc4j.ipc.BufferTooShortException;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.sharedmem.SharedLong;
import org.multiproc4j.core.SerializableBiFunction;
import org.multiproc4j.core.SerializableFunction;

/**
 * The task of a worker JVM: run the initializer, then receive tasks on the pipe, run them and send their
 * results back, in order, until told to stop, until the pipe's other end is gone, or after its quota of tasks.
 */
public final class WorkerMain implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    /** Exit status of a worker whose task threw a {@link VirtualMachineError}. */
    public static final int EXIT_VM_ERROR = 3;

    /**
     * Results held back while more tasks are waiting, at most: small enough that the parent refills this worker's
     * pipeline while it works through the rest.
     */
    private static final int MAX_BATCH = 16;
    /** The array a worker receives its messages into, at first (with the default codec). */
    private static final int RECEIVE_BUFFER = 64 << 10;
    /** A receive array larger than this, grown for a big message, is given up before the next message. */
    private static final int MAX_RECEIVE_BUFFER = 4 << 20;
    /** How long a result may be held back for company, from the start of its task. */
    private static final long MAX_HOLD_NANOS = 50_000;
    /**
     * A task whose function's previous run took less than this (and that follows it) is expected to be short: the
     * results held are kept for company while it runs. Any other task is expected to be long: what is held is sent
     * before it starts.
     */
    private static final long SHORT_NANOS = MAX_HOLD_NANOS / 2;
    /**
     * How long results may wait, from the start of the first held one's task, behind a task expected to be short
     * that runs long, when the worker's timer sends them. The timer wakes this often while tiny tasks stream
     * through the worker; it reads the batch without a lock (a first version that took a lock cost its workers
     * about half again their CPU time). At 50 µs, a chunk-size-1 map measured about 20% slower in one A/B than
     * without a timer; a misguessed task is rare (the guess sends what is held before any task that may run
     * long), so its held results may wait 250 µs.
     */
    private static final long TIMER_NANOS = 250_000;

    @SuppressWarnings("serial") // a shared object: it travels as its handle (Shareable), not by serialization
    private final Connection conn;
    private final SerializableRunnable initializer;
    private final int maxTasks;
    private final PayloadCodec codec;
    /** How many tasks this worker has started, for the parent to tell which task a dead worker was running. */
    @SuppressWarnings("serial") // a shared object: it travels as its handle (Shareable)
    private final SharedLong started;
    /** The status of the last task run: {@link Frames#OK} or {@link Frames#ERROR}. */
    private transient byte status;
    /** Whether the codec's warm-up has been started (after the first results went out). */
    private transient boolean warmStarted;

    public WorkerMain(Connection conn, SharedLong started, SerializableRunnable initializer, int maxTasks,
                      PayloadCodec codec) {
        this.conn = conn;
        this.started = started;
        this.initializer = initializer;
        this.maxTasks = maxTasks;
        this.codec = codec;
    }

    /**
     * Makes this worker skip the fast codec's warm-up thread it starts after its first results (for
     * {@link PoolWarmUp}, which runs that warm-up itself and must leave no thread behind).
     *
     * @return this worker.
     */
    WorkerMain withoutCodecWarmUp() {
        warmStarted = true;
        return this;
    }

    @Override
    public void run() throws Exception {
        if (initializer != null) {
            try {
                initializer.run();
            } catch (Throwable t) {
                Frames.Writer w = new Frames.Writer();
                w.put(Frames.INIT_FAILED).put(TaskCodec.encode(RemoteException.describe(t), "initializer failure"));
                conn.sendBytes(w.array(), 0, w.length());
                return;
            }
        }
        conn.sendBytes(new byte[] {Frames.READY});
        StartTrace.mark("worker: ready sent");
        Map<Integer, Object> functions = new HashMap<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ResultBatch batch = new ResultBatch(conn, MAX_HOLD_NANOS, TIMER_NANOS);
        try {
            loop(batch, functions, loader);
        } finally {
            batch.close();
        }
    }

    private void loop(ResultBatch batch, Map<Integer, Object> functions, ClassLoader loader) throws Exception {
        int done = 0;
        int lastId = 0;
        long lastNanos = Long.MAX_VALUE;
        // the default codec copies what it decodes out of the message; a user's codec might keep a view of it
        boolean reuse = codec.isDefault();
        byte[] buf = new byte[RECEIVE_BUFFER];
        while (true) {
            if (batch.holding() && !conn.poll()) {
                flush(batch);
            }
            byte[] msg;
            int length;
            try {
                if (reuse) {
                    // one array for every message (a message is done with before the next is received): a worker
                    // of 1 MB tasks allocated and cleared a 1 MB array per task, and the pipe assembled a fragmented
                    // message apart and copied it once more
                    if (buf.length > MAX_RECEIVE_BUFFER) {
                        buf = new byte[RECEIVE_BUFFER];
                    }
                    try {
                        length = conn.recvBytesInto(buf, 0);
                    } catch (BufferTooShortException e) {
                        buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16,
                                Math.max(e.messageLength(), 2L * buf.length))];
                        length = conn.recvBytesInto(buf, 0);
                    }
                    msg = buf;
                } else {
                    msg = conn.recvBytes();
                    length = msg.length;
                }
            } catch (EOFException e) {
                return;
            }
            if (length < 1) {
                continue;
            }
            switch (msg[0]) {
                case Frames.DEFINE: {
                    int id = Frames.getInt(msg, 1);
                    byte[] fn = java.util.Arrays.copyOfRange(msg, 5, length);
                    Object f;
                    try {
                        f = TaskCodec.decode(fn, loader, null);
                    } catch (Exception | LinkageError e) {
                        f = new BrokenFunction(e);
                    }
                    functions.put(id, f);
                    break;
                }
                case Frames.FORGET:
                    functions.remove(Frames.getInt(msg, 1));
                    break;
                case Frames.STOP:
                    flush(batch);
                    return;
                case Frames.TASKS: {
                    int n = Frames.getInt(msg, 1);
                    int at = 5;
                    for (int i = 0; i < n; i++) {
                        int id = Frames.getInt(msg, at);
                        byte mode = msg[at + 4];
                        int len = Frames.getInt(msg, at + 5);
                        at += 9;
                        started.setRelease(done + 1);
                        if ((id != lastId || lastNanos >= SHORT_NANOS) && batch.holding()) {
                            flush(batch); // a task that may run long: what is held goes first
                        }
                        long t0 = System.nanoTime();
                        batch.starting(t0);
                        byte[] result = runOne(functions.get(id), (byte) (mode & ~Frames.ONCE), msg, at, len);
                        long t1 = System.nanoTime();
                        lastId = id;
                        lastNanos = t1 - t0;
                        if ((mode & Frames.ONCE) != 0) {
                            functions.remove(id);
                        }
                        at += len;
                        boolean send = batch.add(status, result, t0, t1, MAX_BATCH);
                        done++;
                        if (maxTasks > 0 && done >= maxTasks) {
                            flush(batch);
                            return;
                        }
                        if (send) {
                            flush(batch);
                        }
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("worker: unknown message kind " + msg[0]);
            }
        }
    }

    private void flush(ResultBatch batch) throws Exception {
        batch.flush();
        if (!warmStarted) {
            StartTrace.mark("worker: first results sent");
            warmStarted = true;
            if (codec.isDefault()) {
                // after the first results, not at boot: the codec's warm-up would delay the pool's first result
                Thread warm = new Thread(WorkerMain::warmUp, "multiproc4j-pool-codec-warm-up");
                warm.setDaemon(true);
                warm.setPriority(Thread.MIN_PRIORITY);
                warm.start();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private byte[] runOne(Object fn, byte mode, byte[] msg, int at, int len) {
        byte[] result;
        status = Frames.OK;
        try {
            if (fn instanceof BrokenFunction) {
                throw ((BrokenFunction) fn).failure;
            }
            if (fn == null) {
                throw new IllegalStateException("worker: no function defined for this task");
            }
            if (mode == (Frames.FN | Frames.CHUNK) && codec.isDefault() && len > 0 && Packed.isNumbers(msg[at])) {
                return Packed.applyNumbers((SerializableFunction<Object, Object>) fn, msg, at, len, codec);
            }
            Object arg = codec.decode(msg, at, len);
            Object value;
            if ((mode & Frames.CHUNK) != 0) {
                Object[] in = (Object[]) arg;
                Object[] res = new Object[in.length];
                for (int i = 0; i < in.length; i++) {
                    res[i] = call(fn, mode & ~Frames.CHUNK, in[i]);
                }
                value = res;
            } else {
                value = call(fn, mode, arg);
            }
            result = codec.encode(value);
        } catch (VirtualMachineError e) {
            try {
                System.err.println("multiproc4j pool worker: " + e + "; the worker exits");
            } finally {
                Runtime.getRuntime().halt(EXIT_VM_ERROR);
            }
            throw e;
        } catch (Throwable t) {
            status = Frames.ERROR;
            return TaskCodec.encode(RemoteException.describe(t), "failure");
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Object call(Object fn, int mode, Object arg) throws Exception {
        switch (mode) {
            case Frames.FN:
                return ((SerializableFunction<Object, Object>) fn).apply(arg);
            case Frames.BIFN: {
                Object[] pair = (Object[]) arg;
                return ((SerializableBiFunction<Object, Object, Object>) fn).apply(pair[0], pair[1]);
            }
            case Frames.CALL:
                if (fn instanceof SerializableRunnable) {
                    ((SerializableRunnable) fn).run();
                    return null;
                }
                if (fn instanceof Runnable) {
                    ((Runnable) fn).run();
                    return null;
                }
                return ((Callable<Object>) fn).call();
            default:
                throw new IllegalStateException("worker: unknown call mode " + mode);
        }
    }

    /** Prepares the fast codec's classes while the worker waits for its next tasks. */
    static void warmUp() {
        try {
            Map<String, Long> m = new HashMap<>();
            m.put("warm", 1L);
            Codecs.fast().decode(Codecs.fast().encode(m));
            Codecs.fast().decode(Codecs.fast().encode(new java.util.ArrayList<>(m.keySet())));
        } catch (RuntimeException ignored) {
            // only a warm-up: the first real message will report any problem
        }
    }

    /** A function that could not be decoded here (a class missing in the worker, say). */
    private static final class BrokenFunction {
        final Throwable failure;

        BrokenFunction(Throwable failure) {
            this.failure = failure;
        }
    }
}
