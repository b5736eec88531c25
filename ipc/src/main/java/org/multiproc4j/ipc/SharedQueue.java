package org.multiproc4j.ipc;

import java.io.IOException;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.internal.QueueCore;
import org.multiproc4j.ipc.internal.QueueDescriptor;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * A queue shared by processes, any number of which put and take at once: Java's counterpart of Python's
 * {@code multiprocessing.Queue}, usable as a {@link BlockingQueue}.
 * <pre>{@code
 * try (SharedQueue<Integer> q = SharedQueue.create()) {
 *     List<JvmProcess> producers = new ArrayList<>();
 *     for (int i = 1; i <= 10; i++) {
 *         int x = i;
 *         producers.add(new JvmProcess(() -> q.put(x * x * x)).start());
 *     }
 *     for (int i = 0; i < 10; i++) {
 *         System.out.println(q.poll(30, TimeUnit.SECONDS));   // 1, 8, 27, ... in the order they come
 *     }
 *     for (JvmProcess p : producers) {
 *         p.join();
 *     }
 * }
 * }</pre>
 *
 * <p>A queue reaches a child by being captured in the child's task; the child attaches to the same shared
 * memory. Values are encoded in the putting thread (no hidden feeder thread that can lose data at exit, unlike
 * Python's), with the same fast paths as {@link Connection#send(Object)} and the queue's codec
 * ({@link ChannelOptions#codec(org.multiproc4j.core.codec.Codec)}, Java serialization by default); a value of
 * any size works
 * (one larger than an eighth of the ring is written in fragments while a consumer reads it). {@code null} is
 * not allowed, as in every {@code BlockingQueue}. Besides {@code BlockingQueue}'s {@code TimeUnit} forms it has
 * the {@link Duration} forms of {@link MessageQueue}, the verbs every multiproc4j queue shares.
 *
 * <p><b>Bounds.</b> {@link #create(int)} bounds the number of values: {@code put} waits and {@code offer}
 * fails while it is reached. A queue from {@link #create()} has no bound on the number of values, but its ring
 * (4 MiB by default, see {@link ChannelOptions#capacity(int)}) bounds the bytes in flight: {@code put} waits
 * for consumers when the ring is full, and {@code offer} returns {@code false}.
 *
 * <p><b>Thread and process safety.</b> Every method may be called from any thread of any process using the
 * queue. Producers take turns through a lock in shared memory, and so do consumers; a value is taken by
 * exactly one consumer, and values put by one producer are taken in the order it put them.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to putting a value (including its writes to
 * shared memory) happen-before actions subsequent to the access or removal of that value, in whatever process
 * takes it: see <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>When a process dies.</b> A producer killed while putting (even by {@code kill -9}, at any instant)
 * never blocks the queue: within about 10 ms a waiting consumer or producer takes over its lock, turns
 * what it half-wrote into padding, and the others carry on; a value it had not finished putting is not
 * delivered (a partly written value is never delivered). A consumer killed while taking loses at most the one
 * value it was taking: if it dies before it has passed any of the value's bytes in the ring, the value stays
 * and the next consumer takes it; if it dies after (it had copied the value, or part of a value larger than a
 * ring record), that one value is lost and the rest of it is skipped. {@link #size()} stays exact. A child
 * that dies before attaching the queue its task captured (killed early, or a JVM that could not boot) holds no
 * lock and keeps nothing: the queue is removed once the processes alive are done with it.
 *
 * <p><b>Waiting.</b> Waiting threads poll shared memory with the queue's {@link IdlePolicy} (by default spin
 * 2 µs, yield 100 µs, then park up to 1 ms).
 *
 * <p><b>Collection views.</b> {@link #iterator()} returns a snapshot of the values in the queue (decoded copies;
 * its {@code remove} is unsupported), and {@link #remove(Object)} is unsupported. {@link #peek()} returns the
 * head value if all its bytes are in the ring.
 *
 * <p><b>Failure.</b> An unserializable value fails the put with {@link SerializationException}; nothing is
 * put. A value that cannot be decoded fails the take with {@link SerializationException} and is consumed.
 * Using a closed queue throws {@link IllegalStateException}; so does a thread blocked in a queue that another
 * thread of its process closes.
 *
 * @param <E> the type of the values.
 */
public sealed class SharedQueue<E> extends AbstractQueue<E> implements BlockingQueue<E>, MessageQueue<E>, Shareable
        permits JoinableSharedQueue {
    final QueueCore core;

    SharedQueue(QueueCore core) {
        this.core = core;
    }

    /**
     * Creates an unbounded queue with the default options.
     *
     * @param <E> the type of the values.
     * @return the queue.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> SharedQueue<E> create() {
        return create(new ChannelOptions());
    }

    /**
     * Creates a queue holding at most {@code maxSize} values, with the default options.
     *
     * @param maxSize the bound, at least 1.
     * @param <E>     the type of the values.
     * @return the queue.
     * @throws IllegalArgumentException     if {@code maxSize < 1}.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> SharedQueue<E> create(int maxSize) {
        return create(checkMaxSize(maxSize), new ChannelOptions());
    }

    /**
     * Creates an unbounded queue.
     *
     * @param options the ring capacity and idle policy.
     * @param <E>     the type of the values.
     * @return the queue.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> SharedQueue<E> create(ChannelOptions options) {
        return new SharedQueue<>(newCore(QueueDescriptor.KIND_QUEUE, 0, options));
    }

    /**
     * Creates a queue holding at most {@code maxSize} values.
     *
     * @param maxSize the bound, at least 1.
     * @param options the ring capacity and idle policy.
     * @param <E>     the type of the values.
     * @return the queue.
     * @throws IllegalArgumentException     if {@code maxSize < 1}.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> SharedQueue<E> create(int maxSize, ChannelOptions options) {
        return new SharedQueue<>(newCore(QueueDescriptor.KIND_QUEUE, checkMaxSize(maxSize), options));
    }

    static int checkMaxSize(int maxSize) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        }
        return maxSize;
    }

    static QueueCore newCore(int kind, int maxSize, ChannelOptions options) {
        Objects.requireNonNull(options, "options");
        return QueueCore.create(kind, options.capacityOr(QueueCore.DEFAULT_CAPACITY), maxSize, new ChannelOptions(options));
    }

    // ------------------------------------------------------------------------------------------- inserting

    /**
     * Puts a value, waiting for room if the queue is full.
     *
     * @param e the value.
     * @throws NullPointerException   if {@code e} is {@code null}.
     * @throws SerializationException if the value cannot be serialized; nothing was put.
     * @throws InterruptedException   if interrupted while waiting; nothing was put.
     * @throws IllegalStateException  if the queue is closed in this process.
     */
    @Override
    public void put(E e) throws InterruptedException {
        Objects.requireNonNull(e, "a SharedQueue does not hold null");
        core.put(e, Long.MAX_VALUE);
    }

    /**
     * Puts a value if there is room now (waiting at most a couple of milliseconds for another process to
     * finish its own put).
     *
     * @param e the value.
     * @return {@code true} if put, {@code false} if the queue (or its ring) is full.
     * @throws NullPointerException   if {@code e} is {@code null}.
     * @throws SerializationException if the value cannot be serialized; nothing was put.
     * @throws IllegalStateException  if the queue is closed in this process.
     */
    @Override
    public boolean offer(E e) {
        Objects.requireNonNull(e, "a SharedQueue does not hold null");
        return core.offerNow(e);
    }

    /**
     * Puts a value, waiting at most the given time for room.
     *
     * @param e       the value.
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @return {@code true} if put, {@code false} if there was no room in time (nothing was put).
     * @throws NullPointerException   if {@code e} is {@code null}.
     * @throws SerializationException if the value cannot be serialized; nothing was put.
     * @throws InterruptedException   if interrupted while waiting; nothing was put.
     * @throws IllegalStateException  if the queue is closed in this process.
     */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(e, "a SharedQueue does not hold null");
        return core.put(e, Deadlines.of(timeout, unit));
    }

    @Override
    public boolean offer(E e, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(e, "a SharedQueue does not hold null");
        return core.put(e, Deadlines.of(timeout));
    }

    // ------------------------------------------------------------------------------------------- removing

    /**
     * Takes the value at the head, waiting for one.
     *
     * @return the value.
     * @throws SerializationException if the value cannot be decoded (it is consumed).
     * @throws InterruptedException   if interrupted while waiting.
     * @throws IllegalStateException  if the queue is closed in this process.
     */
    @Override
    @SuppressWarnings("unchecked")
    public E take() throws InterruptedException {
        return (E) core.take(Long.MAX_VALUE);
    }

    /**
     * Takes the value at the head, waiting at most the given time.
     *
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @return the value, or {@code null} if none came in time.
     * @throws SerializationException if the value cannot be decoded (it is consumed).
     * @throws InterruptedException   if interrupted while waiting.
     * @throws IllegalStateException  if the queue is closed in this process.
     */
    @Override
    @SuppressWarnings("unchecked")
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Object v = core.take(Deadlines.of(timeout, unit));
        return v == QueueCore.NOTHING ? null : (E) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E poll(Duration timeout) throws InterruptedException {
        Object v = core.take(Deadlines.of(timeout));
        return v == QueueCore.NOTHING ? null : (E) v;
    }

    /**
     * Takes the value at the head if there is one now.
     *
     * @return the value, or {@code null} if the queue is empty.
     * @throws SerializationException if the value cannot be decoded (it is consumed).
     * @throws IllegalStateException  if the queue is closed in this process.
     */
    @Override
    @SuppressWarnings("unchecked")
    public E poll() {
        Object v = core.takeNow();
        return v == QueueCore.NOTHING ? null : (E) v;
    }

    /**
     * Returns (a decoded copy of) the value at the head without taking it, if all its bytes are in the ring.
     *
     * @return the value, or {@code null} if the queue is empty (or its head value is still being written).
     * @throws IllegalStateException if the queue is closed in this process.
     */
    @Override
    @SuppressWarnings("unchecked")
    public E peek() {
        try {
            List<Object> head = core.peek(1);
            return head.isEmpty() ? null : (E) head.get(0);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Takes every value available now and adds them to {@code c}.
     *
     * @param c where to add them.
     * @return how many were taken.
     * @throws IllegalArgumentException if {@code c} is this queue.
     * @throws NullPointerException     if {@code c} is {@code null}.
     */
    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /**
     * Takes at most {@code maxElements} values available now and adds them to {@code c}.
     *
     * @param c           where to add them.
     * @param maxElements the most to take.
     * @return how many were taken.
     * @throws IllegalArgumentException if {@code c} is this queue.
     * @throws NullPointerException     if {@code c} is {@code null}.
     */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        int n = 0;
        while (n < maxElements) {
            E e = poll();
            if (e == null) {
                break;
            }
            c.add(e);
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------- state

    /**
     * Returns the number of values in the queue, across all processes: exact at the instant it is read.
     *
     * @return the size.
     * @throws IllegalStateException if the queue is closed in this process.
     */
    @Override
    public int size() {
        return core.size();
    }

    /**
     * Tells whether the queue holds no value.
     *
     * @return {@code true} if empty.
     * @throws IllegalStateException if the queue is closed in this process.
     */
    @Override
    public boolean isEmpty() {
        return core.size() == 0;
    }

    /**
     * Returns how many more values the queue accepts now: {@code maxSize - size()} for a bounded queue,
     * {@link Integer#MAX_VALUE} for an unbounded one (whose ring may still be full).
     *
     * @return the remaining capacity.
     * @throws IllegalStateException if the queue is closed in this process.
     */
    @Override
    public int remainingCapacity() {
        int max = core.maxSize();
        return max == 0 ? Integer.MAX_VALUE : Math.max(0, max - core.size());
    }

    /**
     * Returns the bound given at creation.
     *
     * @return the most values the queue holds, 0 if unbounded.
     */
    public int maxSize() {
        return core.maxSize();
    }

    /**
     * Returns a snapshot of the values in the queue, head first, as decoded copies; its {@code remove} is
     * unsupported.
     *
     * @return an iterator over the snapshot.
     * @throws IllegalStateException if the queue is closed in this process.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Iterator<E> iterator() {
        try {
            return Collections.unmodifiableList((List<E>) (List<?>) core.peek(Integer.MAX_VALUE)).iterator();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return Collections.emptyIterator();
        }
    }

    /**
     * Not supported: a value can only leave a shared queue from its head.
     *
     * @param o ignored.
     * @return never.
     * @throws UnsupportedOperationException always.
     */
    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException("a SharedQueue cannot remove a value from its middle");
    }

    /**
     * Closes the queue in this process: its threads blocked in it fail with {@link IllegalStateException}. The
     * shared memory is removed once no live process uses the queue: none has it open, none was handed it by
     * {@code JvmProcess.start()} and has not attached it yet (other processes keep using it; see the lifetime
     * rule in the {@linkplain org.multiproc4j.sharedmem package summary}). Closing twice is harmless.
     *
     * <p><b>Closing while in use.</b> A thread of this process waiting in {@code put}, {@code take},
     * {@code offer}/{@code poll} with a timeout (or {@code join} of a {@link JoinableSharedQueue}) when the queue
     * is closed wakes within one idle period (at most about 1 ms by default) and throws
     * {@link IllegalStateException}; a put that had begun a message larger than the ring aborts it, so other
     * processes never receive part of it. {@code close()} returns once this process's putting and taking
     * threads have left. Every later call throws {@link IllegalStateException} at once. A call racing with the
     * close ({@code size()}, say) may still complete: the memory stays mapped until this object is
     * unreachable, so no call ever touches unmapped memory.
     */
    @Override
    public void close() {
        core.close();
    }

    /**
     * Tells whether the queue was closed in this process.
     *
     * @return {@code true} once closed.
     */
    @Override
    public boolean isClosed() {
        return core.isClosed();
    }

    /**
     * Returns the handle this queue travels as to another process.
     *
     * @return the handle.
     * @throws IllegalStateException if the queue is closed in this process.
     */
    @Override
    public Handle handle() {
        return new QueueHandle(core.name(), core.kind(), core.sending(), core.options());
    }

    /**
     * Keeps the queue for the process a task carrying its handle was sent to, until that process attaches it or
     * dies ({@code null}: the task will never arrive, nothing is kept). Called by {@code JvmProcess.start()};
     * see {@link Shareable#handedOver}.
     *
     * @param recipient the process that will attach the handle, or {@code null}.
     */
    @Override
    public void handedOver(ProcessHandle recipient) {
        core.handedOver(recipient);
    }

    @Override
    public String toString() {
        return (core.isClosed() ? "closed " : "") + core;
    }

    /** What a queue travels as. */
    static final class QueueHandle implements Handle {
        private static final long serialVersionUID = 1L;

        private final String segment;
        private final int kind;
        private final long sender;
        private final ChannelOptions options;

        QueueHandle(String segment, int kind, long sender, ChannelOptions options) {
            this.segment = segment;
            this.kind = kind;
            this.sender = sender;
            this.options = options;
        }

        @Override
        public Object attach() throws IOException {
            QueueCore core = QueueCore.attach(segment, sender, options);
            switch (kind) {
                case QueueDescriptor.KIND_SIMPLE:
                    return new SimpleSharedQueue<>(core);
                case QueueDescriptor.KIND_JOINABLE:
                    return new JoinableSharedQueue<>(core);
                default:
                    return new SharedQueue<>(core);
            }
        }

        @Override
        public String toString() {
            return "QueueHandle[" + segment + "]";
        }
    }
}
