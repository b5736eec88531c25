package org.multiproc4j.pool;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.LaunchException;
import org.multiproc4j.core.ProcessException;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.core.SerializableBiFunction;
import org.multiproc4j.core.SerializableFunction;
import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.core.internal.StartTrace;
import org.multiproc4j.core.internal.TaskCodec;
import org.multiproc4j.ipc.BufferTooShortException;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.pool.internal.Frames;
import org.multiproc4j.pool.internal.PayloadCodec;
import org.multiproc4j.pool.internal.WorkerMain;
import org.multiproc4j.sharedmem.SharedLong;

/**
 * A pool of worker JVMs that run functions for this JVM: Java's counterpart of Python's
 * {@code multiprocessing.Pool}. Workers start with the pool and stay warm: each keeps the functions, classes and
 * compiled code of the tasks it ran for the next ones.
 * <pre>{@code
 * try (ProcessPool pool = new ProcessPool(4)) {
 *     List<Integer> cubes = pool.map(x -> x * x * x, List.of(1, 2, 3, 4, 5, 6));
 *     System.out.println(cubes);                                   // [1, 8, 27, 64, 125, 216]
 *     int answer = pool.apply(x -> x + 1, 41);
 *     System.out.println(answer);                                  // 42
 * }
 * }</pre>
 *
 * <p><b>Functions and values.</b> Work is a {@link SerializableFunction} (a lambda or a method reference, with
 * what it captures), a {@link SerializableBiFunction} for {@link #starmap}, applied to inputs. A function is
 * serialized once in the calling thread and sent once to each worker, however many tasks use it (keep the
 * same function object, or a method reference, to profit). Inputs and results travel through the pool's codec
 * ({@link Options#codec(Codec)}): by default, numbers, strings, primitive arrays and {@code Object[]} tuples of
 * them take a fast path (chunks of {@code Integer}s or {@code Long}s, and of {@code HashMap<String, Long>} results
 * such as partial word counts, travel packed), the JDK's collections go through the fast (Kryo) codec, and
 * anything else {@link java.io.Serializable} through Java serialization.
 *
 * <p><b>Python's names.</b> {@code apply}, {@code apply_async} = {@link #applyAsync}, {@code map},
 * {@code map_async} = {@link #mapAsync}, {@code imap}, {@code imap_unordered} = {@link #imapUnordered},
 * {@code starmap}, {@code starmap_async} = {@link #starmapAsync}, {@code close()} = {@link #shutdown()},
 * {@code terminate()}, {@code join()}; {@code with Pool() as p} = try-with-resources, whose {@link #close()}
 * finishes the submitted work and waits for the workers to exit (Python's {@code __exit__} terminates).
 * Python's {@code processes}, {@code initializer}, {@code maxtasksperchild} are {@link Options}.
 *
 * <p><b>Chunks.</b> {@link #map} splits its inputs into chunks, one message each: by default as Python does,
 * about {@code inputs / (4 x workers)} rounded up. {@link #imap} without a chunk size uses Python's rule for a
 * {@link Collection} and, for other inputs, chunks that double from 1 to {@value #MAX_ADAPTIVE_CHUNK}. A chunk
 * fails as a whole: if one of its inputs throws, the chunk's results are that exception.
 *
 * <p><b>Scheduling.</b> Work goes only to workers that have booted and run their initializer: the first task of
 * a new pool runs in the first worker up. Each worker holds its current task and about 2 ms of work after it
 * (at least one task, at most 64, and at most 3 MB of arguments unless it holds one bigger task), so that it never
 * waits for its next task while long tasks stay queued for whichever worker is free first. A worker sends a
 * result at once when its task took more than about 50 µs; the results of shorter ones travel together, but
 * none waits behind a long task: they are sent before any task that may run long (another function than the
 * last, or one whose last run was long), and a timer in the worker sends them about 250 µs after the first of
 * them started if a task expected short runs long. A
 * {@code map} of plain inputs (numbers, strings, tuples of them) is sent as it is encoded: the workers start on
 * its first chunks at once.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of the JVM that created the
 * pool. A pool cannot be used from another process.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to submitting work happen-before the work's
 * actions in a worker, which happen-before its result is returned or its callback runs in this JVM: see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>When a worker dies.</b> A worker that dies while it holds work (killed, {@code System.exit} or
 * {@code Runtime.halt} in a task, an {@link OutOfMemoryError}, a crash) fails the task it was running with a
 * {@link WorkerDiedException} naming its pid, how it ended and the task, within about 10 ms of its death plus the
 * time to collect its exit status; the tasks queued behind it go to other workers, a new worker takes its place,
 * and the pool goes on serving. A {@link #map} finishes its other chunks and then throws that failure. (Python's
 * {@code Pool} hangs in this case, and its {@code ProcessPoolExecutor} breaks for good.)
 *
 * <p><b>Failure.</b> An input or a function that cannot be serialized is refused in the calling thread with
 * {@link SerializationException} naming its type; nothing is submitted. A task that throws fails with a
 * {@link RemoteException} carrying the worker's stack trace (the exception's class need not exist here); a result
 * that cannot be encoded fails with a {@link RemoteException} describing the worker's
 * {@link SerializationException}. A worker whose JVM cannot boot (bad {@link Options#workerOptions JVM options})
 * or whose initializer throws fails the tasks it held with a {@link ProcessException} whose cause is the JVM's
 * {@link LaunchException} or the initializer's {@link RemoteException}; it is not restarted until new work
 * arrives, and when no worker is left, queued work fails the same way: never a hang, never a busy restart loop.
 * A pool that is shut down or terminated refuses new work with {@link IllegalStateException}.
 */
public final class ProcessPool implements AutoCloseable {

    /** Exit status of a worker that met a {@link VirtualMachineError} (such as {@link OutOfMemoryError}). */
    public static final int EXIT_VM_ERROR = WorkerMain.EXIT_VM_ERROR;

    /** The largest chunk {@link #imap} chooses by itself for an input of unknown size. */
    public static final int MAX_ADAPTIVE_CHUNK = 1024;

    /** Tasks one worker may hold at most (sent and not answered), so that work is shared out. */
    static final int MAX_PIPELINE = 64;
    /** The work, in time, a worker holds beyond its current task (see {@link WorkerHandle#depth()}). */
    static final double PIPELINE_NANOS = 2e6;
    /**
     * The ring of each direction of a worker's pipe: room for two 1 MB tasks (the second sent while the worker
     * runs the first) within {@link #MAX_PIPELINE_BYTES}. Shared memory pages are only used as messages fill them.
     */
    static final int PIPE_CAPACITY = 4 << 20;
    /**
     * Argument bytes one worker may hold at most (unless it holds a single task, however big), three quarters of
     * its pipe's ring: a sender then never waits for room (a reader thread that sends to its own worker must not
     * block while that worker sends its results), and big tasks are shared out instead of queueing behind each
     * other on one worker. Two tasks of a little more than 1 MB each (a 1 MB text with its headers) fit: with half
     * the ring they did not, and a worker of a word count waited a round trip for each chunk.
     */
    static final long MAX_PIPELINE_BYTES = PIPE_CAPACITY / 4 * 3;

    /** The array a reader receives a worker's messages into, at first. */
    private static final int RECEIVE_BUFFER = 64 << 10;
    /** A reader's array larger than this, grown for a big message, is given up before the next one. */
    private static final int MAX_RECEIVE_BUFFER = 4 << 20;

    private static final AtomicInteger POOLS = new AtomicInteger();
    /** Spare argument arrays kept at most, and their bytes (see {@link #takeSpare}). */
    private static final int MAX_SPARES = 32;
    private static final long MAX_SPARE_BYTES = 4 << 20;

    private enum State { RUNNING, SHUTDOWN, TERMINATED }

    private final String name;
    private final int size;
    private final Options options;
    private final PayloadCodec codec;
    private final FunctionTable functions = new FunctionTable();
    private final AtomicLong sequence = new AtomicLong();
    /** Argument arrays of answered packed chunks, most recent first, and their bytes. Guarded by spares. */
    private final java.util.ArrayDeque<byte[]> spares = new java.util.ArrayDeque<>();
    private long spareBytes;
    private long sparesReused;

    private final ReentrantLock lock = new ReentrantLock();
    /** Work not given to a worker yet. Guarded by lock. */
    private final java.util.ArrayDeque<Task> queue = new java.util.ArrayDeque<>();
    /** The workers, by slot; an entry that is not live is being replaced or dormant. Guarded by lock. */
    private final WorkerHandle[] workers;
    /** Why a dormant slot's last worker failed to start, or null. Guarded by lock. */
    private final ProcessException[] dormant;
    /** Readers still running. Guarded by lock. */
    private int readers;
    private volatile State state = State.RUNNING; // written under lock
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile ExecutorService callbackThread;

    /** Creates a pool of {@link JvmProcess#cpuCount()} workers with the default options. */
    public ProcessPool() {
        this(new Options());
    }

    /**
     * Creates a pool of {@code workers} workers with the default options.
     *
     * @param workers the number of worker JVMs, at least 1.
     * @throws IllegalArgumentException if {@code workers} is less than 1.
     */
    public ProcessPool(int workers) {
        this(new Options().workers(workers));
    }

    /**
     * Creates a pool and starts its workers. Returns once they are launched; they boot in the background and
     * take their first tasks when ready.
     *
     * @param options the pool's settings; copied.
     * @throws SerializationException if the initializer or the codec cannot be serialized.
     * @throws ProcessException       if a worker JVM cannot be launched (a missing java executable, say).
     */
    public ProcessPool(Options options) {
        StartTrace.mark("pool: created");
        this.options = new Options(Objects.requireNonNull(options, "options"));
        this.options.workerOptions = new JvmProcess.Options(options.workerOptions);
        this.size = this.options.workers().orElse(JvmProcess.cpuCount());
        this.name = "ProcessPool-" + POOLS.incrementAndGet();
        this.codec = new PayloadCodec(this.options.codec);
        this.workers = new WorkerHandle[size];
        this.dormant = new ProcessException[size];
        if (this.options.initializer != null) {
            // refuse it here, naming the type; these bytes go nowhere, so the shared objects the initializer
            // captured are told that no process will attach their handles (else their names would stay)
            List<Shareable> captured = new ArrayList<>();
            try {
                TaskCodec.encode(this.options.initializer, "initializer", captured);
            } finally {
                for (Shareable sh : captured) {
                    sh.handedOver(null);
                }
            }
        }
        List<WorkerHandle> started = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                WorkerHandle w = launch(i);
                started.add(w);
                lock.lock();
                try {
                    workers[i] = w;
                    readers++;
                } finally {
                    lock.unlock();
                }
                w.reader.start();
            }
        } catch (RuntimeException e) {
            terminate();
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ workers

    private WorkerHandle launch(int slot) {
        Pipe pipe = Pipe.open(new ChannelOptions().capacity(PIPE_CAPACITY));
        Connection mine = pipe.first();
        Connection theirs = pipe.second();
        SharedLong started;
        try {
            started = SharedLong.create(0);
        } catch (RuntimeException e) {
            pipe.close();
            throw e;
        }
        JvmProcess.Options jvm = new JvmProcess.Options(options.workerOptions).daemon(true)
                .name(name + "-worker-" + slot);
        JvmProcess p = new JvmProcess(new WorkerMain(theirs, started, options.initializer,
                options.tasksPerWorker == null ? 0 : options.tasksPerWorker, codec), jvm);
        try {
            p.start();
        } catch (RuntimeException e) {
            pipe.close();
            started.close();
            throw e;
        } finally {
            theirs.close();
        }
        WorkerHandle w = new WorkerHandle(slot, p, mine, started);
        Thread t = new Thread(() -> read(w), name + "-reader-" + slot);
        t.setDaemon(true);
        w.reader = t;
        return w;
    }

    /** The reader of one worker: results until the worker is gone, then its death. */
    private void read(WorkerHandle w) {
        try {
            readLoop(w);
            gone(w);
        } catch (InterruptedException e) {
            gone(w);
        } catch (RuntimeException | Error e) {
            gone(w);
            throw e;
        }
    }

    private void readLoop(WorkerHandle w) throws InterruptedException {
        // one array for every message, grown to the largest (and given up after a huge one): a message is decoded
        // (its values copied out) before the next is received, and a new array per message of a map of a million
        // numbers would cost the parent's heap a young collection every few maps
        byte[] buf = new byte[RECEIVE_BUFFER];
        while (true) {
            byte[] m;
            int len;
            try {
                if (buf.length > MAX_RECEIVE_BUFFER) {
                    buf = new byte[RECEIVE_BUFFER];
                }
                try {
                    len = w.conn.recvBytesInto(buf, 0);
                } catch (BufferTooShortException e) {
                    buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16,
                            Math.max(e.messageLength(), 2L * buf.length))];
                    len = w.conn.recvBytesInto(buf, 0); // a message longer than an array: thrown again, below
                }
                m = buf;
            } catch (EOFException e) {
                break;
            } catch (BufferTooShortException e) {
                throw new IllegalStateException(w + " sent a message of " + e.messageLength() + " bytes", e);
            } catch (IOException e) {
                break; // closed by terminate
            }
            if (len < 1) {
                continue;
            }
            if (m[0] == Frames.RESULTS) {
                results(w, m);
            } else if (m[0] == Frames.READY) {
                if (StartTrace.on()) {
                    StartTrace.mark("pool: " + w + " ready");
                }
                lock.lock();
                try {
                    w.ready = true;
                } finally {
                    lock.unlock();
                }
                dispatch();
            } else if (m[0] == Frames.INIT_FAILED) {
                Object failure;
                try {
                    failure = TaskCodec.decode(java.util.Arrays.copyOfRange(m, 1, len), getClass().getClassLoader(),
                            null);
                } catch (IOException | ClassNotFoundException e) {
                    failure = RemoteException.describe(e);
                }
                w.initFailure = (RemoteException) failure;
            }
        }
    }

    private void results(WorkerHandle w, byte[] m) {
        int n = Frames.getInt(m, 1);
        Task[] tasks = new Task[n];
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                tasks[i] = w.inflight.pollFirst();
                if (tasks[i] != null) {
                    w.inflightBytes -= tasks[i].args.length;
                }
            }
            w.answered += n;
            w.timed(n, Frames.getInt(m, 5));
        } finally {
            lock.unlock();
        }
        dispatch(); // the worker's next tasks go out before this thread decodes the results it sent
        int at = 9;
        for (int i = 0; i < n; i++) {
            byte status = m[at];
            int len = Frames.getInt(m, at + 1);
            at += 5;
            Task t = tasks[i];
            if (t != null) {
                if (status == Frames.OK) {
                    if (t.sink instanceof MapSink && ((MapSink<?>) t.sink).decodeInto(codec, t, m, at, len)) {
                        if (t.spareArgs) {
                            giveSpare(t.args);
                        }
                        at += len;
                        continue;
                    }
                    Object value;
                    try {
                        value = codec.decode(m, at, len);
                    } catch (RuntimeException e) {
                        t.sink.failed(t, e);
                        at += len;
                        continue;
                    }
                    t.sink.succeeded(t, value);
                } else {
                    Throwable failure;
                    try {
                        failure = (Throwable) TaskCodec.decode(java.util.Arrays.copyOfRange(m, at, at + len),
                                getClass().getClassLoader(), null);
                    } catch (IOException | ClassNotFoundException | RuntimeException e) {
                        failure = new SerializationException("the failure of " + t.describe()
                                + " could not be decoded: " + e, e);
                    }
                    t.sink.failed(t, failure);
                }
            }
            at += len;
        }
        if (state != State.RUNNING) { // a racy read: maybeFinish checks again under the lock
            maybeFinish();
        }
    }

    /**
     * Returns a spare argument array of exactly {@code length} bytes, or {@code null}: a map of a million numbers
     * packs 4 MB of arguments, and a young collection of the caller's heap comes about a fifth sooner with them.
     */
    private byte[] takeSpare(int length) {
        synchronized (spares) {
            for (Iterator<byte[]> it = spares.iterator(); it.hasNext(); ) {
                byte[] a = it.next();
                if (a.length == length) {
                    it.remove();
                    spareBytes -= length;
                    sparesReused++;
                    return a;
                }
            }
        }
        return null;
    }

    /** How many chunks were packed into a spare array so far (for tests). */
    long sparesReused() {
        synchronized (spares) {
            return sparesReused;
        }
    }

    /** Keeps the argument array of an answered packed chunk for a later chunk of the same length, if there is room. */
    private void giveSpare(byte[] args) {
        synchronized (spares) {
            if (spares.size() < MAX_SPARES && spareBytes + args.length <= MAX_SPARE_BYTES) {
                spares.addFirst(args);
                spareBytes += args.length;
            }
        }
    }

    /** A worker's pipe is at its end: the worker exited or died. Fails or requeues what it held, replaces it. */
    private void gone(WorkerHandle w) {
        JvmProcess p = w.process;
        boolean exited = p.onExit().isDone();
        if (!exited) {
            try {
                p.onExit().get(2, TimeUnit.SECONDS);
                exited = true;
            } catch (ExecutionException | TimeoutException e) {
                exited = false;
            } catch (InterruptedException e) {
                exited = false; // only terminate interrupts a reader
            }
        }
        if (!exited) {
            p.kill();
        }
        Optional<LaunchException> launch = p.launchFailure();
        int exitCode = exited ? p.exitCode() : -1;
        int signal = exited ? p.signal().orElse(0) : 0;
        w.conn.close();
        long started = w.started.getAcquire();
        w.started.close();
        List<Task> failedHead = new ArrayList<>();
        List<Task> failedAll = new ArrayList<>();
        List<Task> queuedFailed = new ArrayList<>();
        ProcessException slotFailure = null;
        boolean replace = false;
        lock.lock();
        try {
            w.live = false;
            List<Task> held = WorkerHandle.drain(w.inflight);
            w.outbox.clear();
            if (state != State.TERMINATED) {
                if (w.initFailure != null) {
                    slotFailure = new ProcessException("the initializer failed in " + name + "'s worker (pid "
                            + p.pid() + "): " + w.initFailure.getMessage(), w.initFailure);
                } else if (launch.isPresent()) {
                    slotFailure = new ProcessException("a worker JVM of " + name + " could not boot: "
                            + launch.get().getMessage(), launch.get());
                }
                if (slotFailure != null) {
                    failedAll.addAll(held);
                    dormant[w.slot] = slotFailure;
                    boolean anyLive = false;
                    for (WorkerHandle o : workers) {
                        anyLive |= o != null && o.live;
                    }
                    if (!anyLive) {
                        queuedFailed.addAll(queue);
                        queue.clear();
                    }
                } else {
                    // the worker started tasks answered..started-1; the last it started is the one it died in, those
                    // before it finished but their results were held back in the worker (batched) and are lost
                    int running = (int) Math.min(held.size(), started - w.answered) - 1;
                    if (running >= 0) {
                        failedHead.add(held.get(running));
                    }
                    for (int i = held.size() - 1; i >= 0; i--) {
                        if (i != running) {
                            queue.addFirst(held.get(i));
                        }
                    }
                    replace = state == State.RUNNING || !idleLocked();
                }
            }
        } finally {
            lock.unlock();
        }
        for (Task t : failedHead) {
            t.sink.failed(t, new WorkerDiedException(p.pid(), exitCode, signal, t.describe()));
        }
        for (Task t : failedAll) {
            t.sink.failed(t, slotFailure);
        }
        for (Task t : queuedFailed) {
            t.sink.failed(t, slotFailure);
        }
        p.close();
        if (replace) {
            replace(w.slot);
        }
        lock.lock();
        try {
            readers--;
            if (workers[w.slot] == w) {
                // not replaced: the slot stays empty (dormant, shut down or terminated)
                workers[w.slot] = null;
            }
        } finally {
            lock.unlock();
        }
        dispatch();
        maybeFinish();
    }

    /** Starts a worker in an empty slot; a worker that cannot even be launched leaves the slot dormant. */
    private void replace(int slot) {
        WorkerHandle nw;
        try {
            nw = launch(slot);
        } catch (RuntimeException e) {
            ProcessException why = e instanceof ProcessException ? (ProcessException) e
                    : new ProcessException("cannot launch a worker of " + name + ": " + e, e);
            List<Task> failed = new ArrayList<>();
            lock.lock();
            try {
                dormant[slot] = why;
                boolean anyLive = false;
                for (WorkerHandle o : workers) {
                    anyLive |= o != null && o.live && o.slot != slot;
                }
                if (!anyLive) {
                    failed.addAll(queue);
                    queue.clear();
                }
            } finally {
                lock.unlock();
            }
            for (Task t : failed) {
                t.sink.failed(t, why);
            }
            return;
        }
        boolean install;
        lock.lock();
        try {
            install = state != State.TERMINATED;
            if (install) {
                workers[slot] = nw;
                dormant[slot] = null;
                readers++;
            }
        } finally {
            lock.unlock();
        }
        if (install) {
            nw.reader.start();
        } else {
            nw.process.kill();
            nw.conn.close();
            nw.process.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- dispatch

    /** Queues tasks and hands them to workers; restarts dormant slots, since there is work again. */
    private void submit(List<Task> tasks) {
        submit(tasks, false);
    }

    /**
     * @param more whether the tasks continue work submitted before (an iterator's next chunks): taken after a
     *             shutdown, as Python's pool goes on feeding an {@code imap} after {@code close()}.
     */
    private void submit(List<Task> tasks, boolean more) {
        List<Integer> restart = new ArrayList<>();
        lock.lock();
        try {
            if (state == State.TERMINATED && more) {
                throw new CancellationException(name + " was terminated");
            }
            if (state != State.RUNNING && !more) {
                throw new IllegalStateException(name + " is " + (state == State.SHUTDOWN ? "shut down" : "terminated")
                        + ": it takes no new work");
            }
            queue.addAll(tasks);
            for (int i = 0; i < size; i++) {
                if (dormant[i] != null && workers[i] == null) {
                    dormant[i] = null;
                    restart.add(i);
                }
            }
        } finally {
            lock.unlock();
        }
        for (int slot : restart) {
            replace(slot);
        }
        dispatch();
    }

    /** Gives queued tasks to the least loaded workers and sends them. */
    private void dispatch() {
        WorkerHandle[] touched = null;
        lock.lock();
        try {
            if (queue.isEmpty()) {
                return;
            }
            // shares are counted over every live worker, booted or not, so that the first worker up takes its
            // share and not all the work; the tasks go only to booted ones (the first task to the first worker up)
            int live = 0;
            int held = 0;
            boolean anyReady = false;
            for (WorkerHandle w : workers) {
                if (accepts(w)) {
                    live++;
                    held += w.inflight.size();
                    anyReady |= w.ready;
                }
            }
            if (!anyReady) {
                return;
            }
            // a worker's share is counted over all the work not answered yet (queued and held), not over the queue
            // alone: at the end of a map, a worker that holds one chunk takes the next one too, instead of running
            // dry and waiting a round trip (and a wake-up) for each of the last chunks
            int share = (queue.size() + held + live - 1) / live;
            touched = new WorkerHandle[workers.length];
            while (!queue.isEmpty()) {
                WorkerHandle best = null;
                for (WorkerHandle w : workers) {
                    if (accepts(w) && w.ready && (best == null || w.inflight.size() < best.inflight.size())) {
                        best = w;
                    }
                }
                if (best == null) {
                    break;
                }
                int limit = Math.max(1, Math.min(best.depth(), share));
                if (best.inflight.size() >= limit) {
                    break;
                }
                if (!best.inflight.isEmpty() && best.inflightBytes + queue.peekFirst().args.length > MAX_PIPELINE_BYTES) {
                    break;
                }
                Task t = queue.pollFirst();
                best.inflightBytes += t.args.length;
                best.inflight.addLast(t);
                best.outbox.addLast(t);
                best.assigned++;
                touched[best.slot] = best;
            }
        } finally {
            lock.unlock();
        }
        for (WorkerHandle w : touched) {
            if (w != null) {
                w.pump(this);
            }
        }
    }

    private boolean accepts(WorkerHandle w) {
        return w != null && w.live && (options.tasksPerWorker == null || w.assigned < options.tasksPerWorker);
    }

    List<Task> drainOutbox(WorkerHandle w) {
        lock.lock();
        try {
            return WorkerHandle.drain(w.outbox);
        } finally {
            lock.unlock();
        }
    }

    private boolean idleLocked() {
        if (!queue.isEmpty()) {
            return false;
        }
        for (WorkerHandle w : workers) {
            if (w != null && !w.inflight.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** After a shutdown: stops idle workers; completes the termination once every reader is done. */
    private void maybeFinish() {
        List<WorkerHandle> stop = new ArrayList<>();
        boolean finish = false;
        lock.lock();
        try {
            if (state == State.RUNNING) {
                return;
            }
            if (state == State.SHUTDOWN && idleLocked()) {
                for (WorkerHandle w : workers) {
                    if (w != null && w.live) {
                        w.live = false;
                        stop.add(w);
                    }
                }
            }
            finish = readers == 0 && !terminated.isDone();
        } finally {
            lock.unlock();
        }
        for (WorkerHandle w : stop) {
            w.stop();
        }
        if (finish) {
            ExecutorService cb = callbackThread;
            if (cb == null) {
                terminated.complete(null);
            } else {
                cb.execute(() -> terminated.complete(null));
                cb.shutdown();
            }
        }
    }

    Executor callbacks() {
        ExecutorService cb = callbackThread;
        if (cb == null) {
            synchronized (this) {
                cb = callbackThread;
                if (cb == null) {
                    cb = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, name + "-callbacks");
                        t.setDaemon(true);
                        return t;
                    });
                    callbackThread = cb;
                }
            }
        }
        return cb;
    }

    // ------------------------------------------------------------------------------------------------- apply

    /**
     * Runs {@code fn(arg)} in a worker and waits for the result: Python's {@code apply}. For a timed wait use
     * {@code applyAsync(fn, arg).get(timeout)}.
     *
     * @param fn  the function.
     * @param arg its argument.
     * @param <T> the argument type.
     * @param <R> the result type.
     * @return the result.
     * @throws InterruptedException   if interrupted while waiting (the task goes on).
     * @throws ExecutionException     if the task failed (see {@link AsyncResult}).
     * @throws SerializationException if {@code fn} or {@code arg} cannot be serialized.
     * @throws IllegalStateException  if the pool is shut down or terminated.
     */
    public <T, R> R apply(SerializableFunction<? super T, ? extends R> fn, T arg)
            throws InterruptedException, ExecutionException {
        return this.<T, R>applyAsync(fn, arg).get();
    }

    /**
     * Submits {@code fn(arg)} to a worker: Python's {@code apply_async}.
     *
     * @param fn  the function.
     * @param arg its argument.
     * @param <T> the argument type.
     * @param <R> the result type.
     * @return the result to come.
     * @throws SerializationException if {@code fn} or {@code arg} cannot be serialized; nothing is submitted.
     * @throws IllegalStateException  if the pool is shut down or terminated.
     */
    public <T, R> AsyncResult<R> applyAsync(SerializableFunction<? super T, ? extends R> fn, T arg) {
        return applyAsync(fn, arg, null, null);
    }

    /**
     * Submits {@code fn(arg)} to a worker with callbacks: Python's {@code apply_async(callback=, error_callback=)}.
     * The callback gets the result, the error callback the failure (the cause an {@link ExecutionException} would
     * carry); either runs in the pool's callback thread before the result is ready.
     *
     * @param fn            the function.
     * @param arg           its argument.
     * @param callback      called with the result, or {@code null}.
     * @param errorCallback called with the failure, or {@code null}.
     * @param <T>           the argument type.
     * @param <R>           the result type.
     * @return the result to come.
     * @throws SerializationException if {@code fn} or {@code arg} cannot be serialized; nothing is submitted.
     * @throws IllegalStateException  if the pool is shut down or terminated.
     */
    public <T, R> AsyncResult<R> applyAsync(SerializableFunction<? super T, ? extends R> fn, T arg,
                                            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        FunctionTable.Ref ref = functions.refOf(fn);
        byte[] args = encodeArgument(arg);
        AsyncResult<R> result = new AsyncResult<>(callback, errorCallback,
                callback != null || errorCallback != null ? callbacks() : null);
        submit(List.of(new Task(ref, Frames.FN, args, new SingleSink<>(result), "applyAsync",
                sequence.incrementAndGet(), -1, 1, null)));
        return result;
    }

    <R> AsyncResult<R> callAsync(Object callable, Consumer<? super R> callback) {
        FunctionTable.Ref ref = functions.oneOff(callable);
        AsyncResult<R> result = new AsyncResult<>(callback, null, callback != null ? callbacks() : null);
        submit(List.of(new Task(ref, Frames.CALL, encodeArgument(null), new SingleSink<>(result), "submit",
                sequence.incrementAndGet(), -1, 1, null)));
        return result;
    }

    private byte[] encodeArgument(Object arg) {
        try {
            return codec.encode(arg);
        } catch (SerializationException e) {
            throw new SerializationException("cannot send an argument of type "
                    + (arg == null ? "null" : arg.getClass().getName()) + " to a worker: " + e.getMessage(), e);
        }
    }

    private static final class SingleSink<R> implements Task.Sink {
        private final AsyncResult<R> result;

        SingleSink(AsyncResult<R> result) {
            this.result = result;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void succeeded(Task task, Object value) {
            result.succeed((R) value);
        }

        @Override
        public void failed(Task task, Throwable cause) {
            result.fail(cause);
        }
    }

    // --------------------------------------------------------------------------------------------------- map

    /**
     * Applies {@code fn} to every input in the workers and returns the results in input order: Python's
     * {@code map}, with its default chunk size. Waits for every chunk, even after one failed.
     *
     * <p>The list is fixed-size, as {@link java.util.Arrays#asList}'s ({@code set} works, {@code add} and
     * {@code remove} throw {@link UnsupportedOperationException}), and serializable. A list of more than 16,384
     * results keeps them in segments of that many rather than in one array: on Java 17, G1 allocates an array of
     * a million references in the old generation, where a dropped one keeps its results alive through young
     * collections until the next concurrent cycle (its class is not {@code Arrays.asList}'s: with a fast codec
     * that only takes registered classes, send a copy, {@code new ArrayList<>(results)}). Such a list keeps
     * {@code Integer} and {@code Long} results unboxed and boxes them in {@code get} (as Guava's
     * {@code Ints.asList}): two {@code get}s of one element return equal boxes, not always the same one.
     *
     * @param fn     the function.
     * @param inputs the inputs (read at once, in this thread, before this method returns: do not change them
     *               meanwhile).
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, one per input, in input order.
     * @throws InterruptedException   if interrupted while waiting (the work goes on).
     * @throws ExecutionException     if a chunk failed: the cause is the first failure to arrive (see
     *                                {@link AsyncResult}).
     * @throws SerializationException if {@code fn} or an input cannot be serialized; nothing is submitted.
     * @throws IllegalStateException  if the pool is shut down or terminated.
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs)
            throws InterruptedException, ExecutionException {
        return this.<T, R>mapAsync(fn, inputs).get();
    }

    /**
     * Applies {@code fn} to every input, in chunks of {@code chunkSize} inputs, and returns the results in input
     * order.
     *
     * @param fn        the function.
     * @param inputs    the inputs.
     * @param chunkSize inputs per task, at least 1.
     * @param <T>       the input type.
     * @param <R>       the result type.
     * @return the results in input order.
     * @throws InterruptedException     if interrupted while waiting.
     * @throws ExecutionException       if a chunk failed.
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1.
     * @throws SerializationException   if {@code fn} or an input cannot be serialized.
     * @throws IllegalStateException    if the pool is shut down or terminated.
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs,
                              int chunkSize) throws InterruptedException, ExecutionException {
        return this.<T, R>mapAsync(fn, inputs, chunkSize).get();
    }

    /**
     * Submits {@code fn} over every input, with the default chunk size: Python's {@code map_async}.
     *
     * @param fn     the function.
     * @param inputs the inputs (read at once, in this thread, before this method returns: do not change them
     *               meanwhile).
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the list of results to come.
     * @throws SerializationException if {@code fn} or an input cannot be serialized; nothing is submitted.
     * @throws IllegalStateException  if the pool is shut down or terminated.
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
                                                Iterable<? extends T> inputs) {
        return mapAsync(fn, inputs, 0, null, null);
    }

    /**
     * Submits {@code fn} over every input in chunks of {@code chunkSize}.
     *
     * @param fn        the function.
     * @param inputs    the inputs.
     * @param chunkSize inputs per task, at least 1.
     * @param <T>       the input type.
     * @param <R>       the result type.
     * @return the list of results to come.
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1.
     * @throws SerializationException   if {@code fn} or an input cannot be serialized.
     * @throws IllegalStateException    if the pool is shut down or terminated.
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
                                                Iterable<? extends T> inputs, int chunkSize) {
        requireChunkSize(chunkSize);
        return mapAsync(fn, inputs, chunkSize, null, null);
    }

    /**
     * Submits {@code fn} over every input with callbacks: the callback receives the whole list of results, the
     * error callback the first failure; either runs in the pool's callback thread before the result is ready.
     *
     * @param fn            the function.
     * @param inputs        the inputs.
     * @param chunkSize     inputs per task, or 0 for the default.
     * @param callback      called with the list of results, or {@code null}.
     * @param errorCallback called with the failure, or {@code null}.
     * @param <T>           the input type.
     * @param <R>           the result type.
     * @return the list of results to come.
     * @throws IllegalArgumentException if {@code chunkSize} is negative.
     * @throws SerializationException   if {@code fn} or an input cannot be serialized.
     * @throws IllegalStateException    if the pool is shut down or terminated.
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
                                                Iterable<? extends T> inputs, int chunkSize,
                                                Consumer<? super List<R>> callback,
                                                Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        return mapping(functions.refOf(fn), Frames.FN, toList(inputs), chunkSize, callback, errorCallback,
                "map");
    }

    /**
     * Applies a two-argument function to every pair and returns the results in order: Python's {@code starmap}
     * over 2-tuples, the pairs given as {@link Map.Entry}s ({@code Map.entry(a, b)}, or a map's
     * {@code entrySet()}). For more arguments, map over records.
     * <pre>{@code
     * try (ProcessPool pool = new ProcessPool(2)) {
     *     List<Double> powers = pool.starmap(Math::pow, List.of(Map.entry(2.0, 3.0), Map.entry(3.0, 2.0)));
     *     System.out.println(powers);   // [8.0, 9.0]
     * }
     * }</pre>
     *
     * @param fn    the function.
     * @param pairs the argument pairs.
     * @param <A>   the first argument's type.
     * @param <B>   the second argument's type.
     * @param <R>   the result type.
     * @return the results in input order.
     * @throws InterruptedException   if interrupted while waiting.
     * @throws ExecutionException     if a chunk failed.
     * @throws SerializationException if {@code fn} or an argument cannot be serialized.
     * @throws IllegalStateException  if the pool is shut down or terminated.
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException, ExecutionException {
        return this.<A, B, R>starmapAsync(fn, pairs, 0, null, null).get();
    }

    /**
     * Submits a two-argument function over every pair: Python's {@code starmap_async}.
     *
     * @param fn            the function.
     * @param pairs         the argument pairs.
     * @param chunkSize     pairs per task, or 0 for the default.
     * @param callback      called with the list of results, or {@code null}.
     * @param errorCallback called with the failure, or {@code null}.
     * @param <A>           the first argument's type.
     * @param <B>           the second argument's type.
     * @param <R>           the result type.
     * @return the list of results to come.
     * @throws IllegalArgumentException if {@code chunkSize} is negative.
     * @throws SerializationException   if {@code fn} or an argument cannot be serialized.
     * @throws IllegalStateException    if the pool is shut down or terminated.
     */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                       int chunkSize, Consumer<? super List<R>> callback,
                                                       Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        List<Object> tuples = new ArrayList<>();
        for (Map.Entry<? extends A, ? extends B> e : pairs) {
            tuples.add(new Object[] {e.getKey(), e.getValue()});
        }
        return mapping(functions.refOf(fn), Frames.BIFN, tuples, chunkSize, callback, errorCallback, "starmap");
    }

    private <R> AsyncResult<List<R>> mapping(FunctionTable.Ref ref, byte mode, List<Object> items, int chunkSize,
                                             Consumer<? super List<R>> callback,
                                             Consumer<? super Throwable> errorCallback, String kind) {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunkSize must be at least 1 (or 0 for the default), got " + chunkSize);
        }
        int n = items.size();
        int chunk = chunkSize > 0 ? chunkSize : defaultChunkSize(n, size);
        AsyncResult<List<R>> result = new AsyncResult<>(callback, errorCallback,
                callback != null || errorCallback != null ? callbacks() : null);
        if (n == 0) {
            lock.lock();
            try {
                if (state != State.RUNNING) {
                    throw new IllegalStateException(name + " takes no new work");
                }
            } finally {
                lock.unlock();
            }
            result.succeed(new ArrayList<>());
            return result;
        }
        int chunks = (n + chunk - 1) / chunk;
        MapSink<R> sink = new MapSink<>(result, n, chunks);
        if (codec.isDefault() && PayloadCodec.allPlain(items)) {
            submitWhileEncoding(ref, mode, items, chunk, chunks, sink, kind);
            return result;
        }
        List<Task> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            tasks.add(chunkTask(ref, mode, items, chunk, c, sink, kind));
        }
        submit(tasks);
        return result;
    }

    private Task chunkTask(FunctionTable.Ref ref, byte mode, List<Object> items, int chunk, int c, Task.Sink sink,
                           String kind) {
        int from = c * chunk;
        int to = Math.min(items.size(), from + chunk);
        // a chunk of numbers, with no Object[] in between, into the array of a chunk answered before if one fits
        byte[] packed = codec.encodePacked(items, from, to, this::takeSpare);
        byte[] args = packed != null ? packed : encodeChunk(items.subList(from, to).toArray());
        Task t = new Task(ref, (byte) (mode | Frames.CHUNK), args, sink, kind, c, from, to - from, null);
        t.spareArgs = packed != null;
        return t;
    }

    /**
     * Submits a map's chunks as they are encoded: the first one chunk at a time until each worker could have one,
     * then in batches that double, so that the workers start on the first chunks while this thread encodes the rest. Only for inputs that cannot fail to
     * encode (plain values on the default codec), so that "nothing is submitted" on a refused input still holds.
     * If the pool is terminated meanwhile, the chunks not submitted fail with the cancellation.
     */
    private void submitWhileEncoding(FunctionTable.Ref ref, byte mode, List<Object> items, int chunk, int chunks,
                                     Task.Sink sink, String kind) {
        int batch = 1; // the first chunk goes out as soon as it is encoded, then one per worker, then doubling
        int c = 0;
        boolean first = true;
        while (c < chunks) {
            int end = Math.min(chunks, c + batch);
            List<Task> tasks = new ArrayList<>(end - c);
            for (int i = c; i < end; i++) {
                tasks.add(chunkTask(ref, mode, items, chunk, i, sink, kind));
            }
            if (first) {
                submit(tasks); // refused with IllegalStateException when the pool takes no new work
                first = false;
            } else {
                try {
                    submit(tasks, true);
                } catch (CancellationException e) {
                    for (Task t : tasks) {
                        t.sink.failed(t, e);
                    }
                    for (int i = end; i < chunks; i++) {
                        Task t = new Task(ref, (byte) (mode | Frames.CHUNK), new byte[0], sink, kind, i,
                                (long) i * chunk, Math.min(items.size() - i * chunk, chunk), null);
                        t.sink.failed(t, e);
                    }
                    return;
                }
            }
            c = end;
            batch = c < size ? 1 : Math.min(Math.max(batch * 2, size), MAX_PIPELINE * size);
        }
    }

    private byte[] encodeChunk(Object[] part) {
        try {
            return codec.encode(part);
        } catch (SerializationException e) {
            for (Object o : part) {
                encodeArgument(o instanceof Object[] && ((Object[]) o).length == 2 ? ((Object[]) o)[0] : o);
                if (o instanceof Object[] && ((Object[]) o).length == 2) {
                    encodeArgument(((Object[]) o)[1]);
                }
            }
            throw e;
        }
    }

    /** Python's rule: about {@code n / (4 x workers)}, rounded up; at least 1. */
    static int defaultChunkSize(int n, int workers) {
        if (n == 0) {
            return 1;
        }
        int per = 4 * workers;
        return Math.max(1, (n + per - 1) / per);
    }

    private static void requireChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, got " + chunkSize);
        }
    }

    /**
     * The inputs as a list with random access: a {@link java.util.RandomAccess} list as it is (a map reads its
     * inputs in the calling thread, before it returns, and copying a million of them costs a young collection
     * of the caller's heap now and then), anything else copied.
     */
    @SuppressWarnings("unchecked")
    private static List<Object> toList(Iterable<?> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs instanceof List && inputs instanceof java.util.RandomAccess) {
            return (List<Object>) inputs;
        }
        if (inputs instanceof Collection) {
            return new ArrayList<>((Collection<Object>) inputs);
        }
        List<Object> list = new ArrayList<>();
        for (Object o : inputs) {
            list.add(o);
        }
        return list;
    }

    /**
     * Collects a map's chunks into one list; completes when every chunk has answered. A map of more than
     * {@link MapResults#SEGMENT} results collects into a {@link MapResults} (small arrays: no array of a million
     * references in the old generation keeping dropped results alive; numbers unboxed), a smaller one into one
     * array.
     */
    private static final class MapSink<R> implements Task.Sink {
        private final AsyncResult<List<R>> result;
        /** The results of a small map, or {@code null}. */
        private final Object[] values;
        /** The results of a large map, or {@code null}. */
        private final MapResults<R> segmented;
        private final AtomicInteger remaining;
        private volatile Throwable failure;

        MapSink(AsyncResult<List<R>> result, int n, int chunks) {
            this.result = result;
            if (MapResults.needed(n)) {
                this.segmented = new MapResults<>(n);
                this.values = null;
            } else {
                this.values = new Object[n];
                this.segmented = null;
            }
            this.remaining = new AtomicInteger(chunks);
        }

        /** Decodes a chunk of numbers straight into the list and counts it done; false if it is not one. */
        boolean decodeInto(PayloadCodec codec, Task task, byte[] m, int at, int len) {
            boolean decoded = segmented != null
                    ? segmented.putPacked(codec, m, at, len, (int) task.first, task.count)
                    : codec.decodeNumbersInto(m, at, len, values, (int) task.first, task.count);
            if (!decoded) {
                return false;
            }
            done();
            return true;
        }

        @Override
        public void succeeded(Task task, Object value) {
            Object[] part = (Object[]) value;
            if (segmented != null) {
                segmented.put(part, (int) task.first);
            } else {
                System.arraycopy(part, 0, values, (int) task.first, part.length);
            }
            done();
        }

        @Override
        public void failed(Task task, Throwable cause) {
            synchronized (this) {
                if (failure == null || failure instanceof CancellationException) {
                    failure = failure == null ? cause : failure;
                }
            }
            done();
        }

        @SuppressWarnings("unchecked")
        private void done() {
            if (remaining.decrementAndGet() == 0) {
                Throwable f = failure;
                if (f != null) {
                    result.fail(f);
                } else {
                    result.succeed(segmented != null ? segmented
                            : (List<R>) (List<?>) java.util.Arrays.asList(values));
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------------- imap

    /**
     * Applies {@code fn} to the inputs lazily and yields the results in input order: Python's {@code imap}. Chunk
     * size: Python's rule for a {@link Collection}, otherwise chunks doubling from 1 to
     * {@value #MAX_ADAPTIVE_CHUNK}.
     *
     * @param fn     the function.
     * @param inputs the inputs, possibly endless.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, as they come.
     * @throws SerializationException if {@code fn} cannot be serialized (an input that cannot be is thrown by the
     *                                iterator's {@code next}, after the results before it).
     * @throws IllegalStateException  if the pool is shut down or terminated.
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn,
                                         Iterable<? extends T> inputs) {
        return lazy(fn, inputs.iterator(), inputs instanceof Collection ? ((Collection<?>) inputs).size() : -1, 0,
                true);
    }

    /**
     * Applies {@code fn} to the inputs lazily, {@code chunkSize} at a time, and yields the results in input order.
     *
     * @param fn        the function.
     * @param inputs    the inputs, possibly endless.
     * @param chunkSize inputs per task, at least 1.
     * @param <T>       the input type.
     * @param <R>       the result type.
     * @return the results, as they come.
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1.
     * @throws IllegalStateException    if the pool is shut down or terminated.
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn,
                                         Iterable<? extends T> inputs, int chunkSize) {
        requireChunkSize(chunkSize);
        return lazy(fn, inputs.iterator(), -1, chunkSize, true);
    }

    /**
     * Applies {@code fn} lazily to the inputs an iterator yields, in input order.
     *
     * @param fn     the function.
     * @param inputs the inputs, possibly endless.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, as they come.
     * @throws IllegalStateException if the pool is shut down or terminated.
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn,
                                         Iterator<? extends T> inputs) {
        return lazy(fn, inputs, -1, 0, true);
    }

    /**
     * Applies {@code fn} lazily to the elements of a stream, in input order.
     *
     * @param fn     the function.
     * @param inputs the inputs, possibly endless; consumed by the iterator.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, as they come.
     * @throws IllegalStateException if the pool is shut down or terminated.
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn,
                                         Stream<? extends T> inputs) {
        return lazy(fn, inputs.iterator(), -1, 0, true);
    }

    /**
     * Applies {@code fn} to the inputs lazily and yields the results as they complete: Python's
     * {@code imap_unordered}.
     *
     * @param fn     the function.
     * @param inputs the inputs, possibly endless.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, in completion order.
     * @throws IllegalStateException if the pool is shut down or terminated.
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
                                                  Iterable<? extends T> inputs) {
        return lazy(fn, inputs.iterator(), inputs instanceof Collection ? ((Collection<?>) inputs).size() : -1, 0,
                false);
    }

    /**
     * Applies {@code fn} to the inputs lazily, {@code chunkSize} at a time, in completion order.
     *
     * @param fn        the function.
     * @param inputs    the inputs, possibly endless.
     * @param chunkSize inputs per task, at least 1.
     * @param <T>       the input type.
     * @param <R>       the result type.
     * @return the results, in completion order (the results of one chunk stay together, in order).
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1.
     * @throws IllegalStateException    if the pool is shut down or terminated.
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
                                                  Iterable<? extends T> inputs, int chunkSize) {
        requireChunkSize(chunkSize);
        return lazy(fn, inputs.iterator(), -1, chunkSize, false);
    }

    /**
     * Applies {@code fn} lazily to the inputs an iterator yields, in completion order.
     *
     * @param fn     the function.
     * @param inputs the inputs, possibly endless.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, in completion order.
     * @throws IllegalStateException if the pool is shut down or terminated.
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
                                                  Iterator<? extends T> inputs) {
        return lazy(fn, inputs, -1, 0, false);
    }

    /**
     * Applies {@code fn} lazily to the elements of a stream, in completion order.
     *
     * @param fn     the function.
     * @param inputs the inputs, possibly endless.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, in completion order.
     * @throws IllegalStateException if the pool is shut down or terminated.
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
                                                  Stream<? extends T> inputs) {
        return lazy(fn, inputs.iterator(), -1, 0, false);
    }

    private <R> ResultIterator<R> lazy(SerializableFunction<?, ?> fn, Iterator<?> inputs, int knownSize,
                                       int chunkSize, boolean ordered) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(inputs, "inputs");
        lock.lock();
        try {
            if (state != State.RUNNING) {
                throw new IllegalStateException(name + " takes no new work");
            }
        } finally {
            lock.unlock();
        }
        int fixed = chunkSize > 0 ? chunkSize : knownSize >= 0 ? defaultChunkSize(knownSize, size) : 0;
        return new LazyMap<>(this, functions.refOf(fn), inputs, fixed, ordered, options.maxInFlight);
    }

    /** Submits the chunks of a lazy map. */
    void submitChunks(List<Task> tasks) {
        submit(tasks, true);
    }

    byte[] encodeInputs(Object[] part) {
        return encodeChunk(part);
    }

    // ------------------------------------------------------------------------------------------- lifecycle

    /**
     * Returns the number of workers.
     *
     * @return the pool's size.
     */
    public int size() {
        return size;
    }

    /**
     * Returns the process ids of the live workers, in slot order; a worker being replaced is missing.
     *
     * @return the pids.
     */
    public List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        lock.lock();
        try {
            for (WorkerHandle w : workers) {
                if (w != null && w.live) {
                    pids.add(w.process.pid());
                }
            }
        } finally {
            lock.unlock();
        }
        return pids;
    }

    /**
     * Tells whether the pool takes new work.
     *
     * @return {@code true} until {@link #shutdown()}, {@link #close()} or {@link #terminate()}.
     */
    public boolean isRunning() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new work; the workers finish what was submitted, then exit: Python's {@code close()}. Returns at
     * once; {@link #join(Duration)} waits. Calling it again, or after {@link #terminate()}, does nothing.
     */
    public void shutdown() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.SHUTDOWN;
            }
        } finally {
            lock.unlock();
        }
        maybeFinish();
    }

    /**
     * Stops the pool now: Python's {@code terminate()}. Every worker is killed, every pending result fails with a
     * {@link CancellationException} (an iterator's {@code next} throws it), and no worker survives. Returns once
     * the workers are killed; {@link #join(Duration)} waits until they are gone. Calling it again does nothing.
     */
    public void terminate() {
        List<Task> pending = new ArrayList<>();
        List<WorkerHandle> kill = new ArrayList<>();
        lock.lock();
        try {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            pending.addAll(queue);
            queue.clear();
            for (WorkerHandle w : workers) {
                if (w != null) {
                    w.live = false;
                    pending.addAll(w.inflight);
                    w.inflight.clear();
                    w.outbox.clear();
                    kill.add(w);
                }
            }
        } finally {
            lock.unlock();
        }
        for (WorkerHandle w : kill) {
            w.process.kill();
        }
        CancellationException cancelled = new CancellationException(name + " was terminated");
        for (Task t : pending) {
            t.sink.failed(t, cancelled);
        }
        maybeFinish();
    }

    /**
     * Waits until every worker has exited, after {@link #shutdown()} or {@link #terminate()}: Python's
     * {@code join()}.
     *
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the pool is still running (as in Python).
     */
    public void join() throws InterruptedException {
        requireStopped();
        try {
            terminated.get();
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Waits at most {@code timeout} until every worker has exited, after {@link #shutdown()} or
     * {@link #terminate()}.
     *
     * @param timeout how long to wait.
     * @return {@code true} if every worker has exited.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the pool is still running.
     */
    public boolean join(Duration timeout) throws InterruptedException {
        requireStopped();
        try {
            terminated.get(Math.max(0, Deadlines.nanos(timeout)), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    private void requireStopped() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                throw new IllegalStateException("join: " + name + " is still running; shutdown() or terminate() "
                        + "it first");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Finishes the submitted work and waits for the workers to exit ({@link #shutdown()}, then {@link #join()}).
     * If the calling thread is interrupted while waiting, the pool is terminated and the interrupt status set
     * again. Closing twice is harmless.
     */
    @Override
    public void close() {
        shutdown();
        try {
            join();
        } catch (InterruptedException e) {
            terminate();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            int held = 0;
            for (WorkerHandle w : workers) {
                held += w == null ? 0 : w.inflight.size();
            }
            return name + "[" + state.name().toLowerCase(java.util.Locale.ROOT) + ", workers=" + size + ", queued="
                    + queue.size() + ", running=" + held + "]";
        } finally {
            lock.unlock();
        }
    }

    // --------------------------------------------------------------------------------------------- options

    /**
     * The settings of a {@link ProcessPool}: Python's {@code Pool(processes, initializer, maxtasksperchild)} and
     * more. Every setting has a default a newcomer never needs to change.
     * <pre>{@code
     * ProcessPool.Options options = new ProcessPool.Options()
     *         .workers(2)
     *         .tasksPerWorker(1000)
     *         .workerOptions(new JvmProcess.Options().maxHeap("256m"));
     * System.out.println(options.workers().getAsInt());   // 2
     * }</pre>
     *
     * <p>Not thread-safe: configure it in one thread; the pool copies it when it is created, so later changes do
     * not affect it.
     */
    public static final class Options {
        /** Default {@link #maxInFlight()}: 64 tasks. */
        public static final int DEFAULT_MAX_IN_FLIGHT = 64;

        private Integer workers;
        private SerializableRunnable initializer;
        private Integer tasksPerWorker;
        private JvmProcess.Options workerOptions = new JvmProcess.Options();
        private Codec codec;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

        /** Creates options with every default. */
        public Options() {
        }

        /**
         * Copies options.
         *
         * @param other the options to copy.
         * @throws NullPointerException if {@code other} is {@code null}.
         */
        public Options(Options other) {
            workers = other.workers;
            initializer = other.initializer;
            tasksPerWorker = other.tasksPerWorker;
            workerOptions = other.workerOptions; // replaced, never changed, by the setter; the pool copies it
            codec = other.codec;
            maxInFlight = other.maxInFlight;
        }

        /**
         * Sets the number of worker JVMs (Python's {@code processes}).
         *
         * @param workers at least 1.
         * @return these options.
         * @throws IllegalArgumentException if {@code workers} is less than 1.
         */
        public Options workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * Returns the number of workers set.
         *
         * @return the number, or empty for {@link JvmProcess#cpuCount()} when the pool is created.
         */
        public OptionalInt workers() {
            return workers == null ? OptionalInt.empty() : OptionalInt.of(workers);
        }

        /**
         * Sets a task each worker runs once, before its first task (Python's {@code initializer}).
         *
         * @param initializer the task, serializable; {@code null} restores the default, none.
         * @return these options.
         */
        public Options initializer(SerializableRunnable initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Returns the initializer.
         *
         * @return the initializer, or empty for none (the default).
         */
        public Optional<SerializableRunnable> initializer() {
            return Optional.ofNullable(initializer);
        }

        /**
         * Replaces each worker with a fresh JVM after it has run this many tasks (Python's
         * {@code maxtasksperchild}); a chunk of a map counts as one task.
         *
         * @param tasks at least 1.
         * @return these options.
         * @throws IllegalArgumentException if {@code tasks} is less than 1.
         */
        public Options tasksPerWorker(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("tasksPerWorker must be at least 1, got " + tasks);
            }
            this.tasksPerWorker = tasks;
            return this;
        }

        /**
         * Returns the tasks a worker runs before it is replaced.
         *
         * @return the number, or empty for no limit (the default).
         */
        public OptionalInt tasksPerWorker() {
            return tasksPerWorker == null ? OptionalInt.empty() : OptionalInt.of(tasksPerWorker);
        }

        /**
         * Sets how worker JVMs are started: JVM flags, heap, environment, output (see {@link JvmProcess.Options}).
         * The pool names its workers and makes them daemons (they end with this JVM) whatever these say.
         *
         * @param workerOptions the options; copied.
         * @return these options.
         * @throws NullPointerException if {@code workerOptions} is {@code null}.
         */
        public Options workerOptions(JvmProcess.Options workerOptions) {
            this.workerOptions = new JvmProcess.Options(Objects.requireNonNull(workerOptions, "workerOptions"));
            return this;
        }

        /**
         * Returns a copy of how worker JVMs are started: changing it changes neither these options nor a pool (set
         * the changed copy with {@link #workerOptions(JvmProcess.Options)}).
         *
         * @return a copy of the options; default {@code new JvmProcess.Options()}.
         */
        public JvmProcess.Options workerOptions() {
            return new JvmProcess.Options(workerOptions);
        }

        /**
         * Sets the codec for inputs and results. Functions always travel by Java serialization.
         *
         * @param codec a {@link java.io.Serializable} codec (it travels to the workers); {@code null} restores the
         *              default: the fast codec, falling back to Java serialization for what it refuses.
         * @return these options.
         * @throws IllegalArgumentException if the codec is not serializable.
         */
        public Options codec(Codec codec) {
            if (codec != null && !(codec instanceof java.io.Serializable)) {
                throw new IllegalArgumentException("codec must be Serializable (it travels to the workers), got a "
                        + codec.getClass().getName());
            }
            this.codec = codec;
            return this;
        }

        /**
         * Returns the codec.
         *
         * @return the codec, or empty for the default.
         */
        public Optional<Codec> codec() {
            return Optional.ofNullable(codec);
        }

        /**
         * Sets how many tasks (a chunk counting as one) one {@link ProcessPool#imap} or
         * {@link ProcessPool#imapUnordered} iterator keeps submitted and not yet consumed.
         *
         * @param tasks at least 1.
         * @return these options.
         * @throws IllegalArgumentException if {@code tasks} is less than 1.
         */
        public Options maxInFlight(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, got " + tasks);
            }
            this.maxInFlight = tasks;
            return this;
        }

        /**
         * Returns how many tasks a lazy iterator keeps in flight.
         *
         * @return the number; default {@link #DEFAULT_MAX_IN_FLIGHT}.
         */
        public int maxInFlight() {
            return maxInFlight;
        }

        /**
         * Describes every setting, {@code default} for those not set.
         *
         * @return e.g. {@code ProcessPool.Options[workers=2, initializer=default, ...]}.
         */
        @Override
        public String toString() {
            return "ProcessPool.Options[workers=" + orDefault(workers) + ", initializer=" + orDefault(initializer)
                    + ", tasksPerWorker=" + orDefault(tasksPerWorker) + ", workerOptions=" + workerOptions
                    + ", codec=" + orDefault(codec) + ", maxInFlight=" + maxInFlight + "]";
        }

        private static String orDefault(Object setting) {
            return setting == null ? "default" : setting.toString();
        }
    }
}
