package org.multiproc4j.ipc;

import java.time.Duration;
import java.util.Objects;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.internal.QueueCore;
import org.multiproc4j.ipc.internal.QueueDescriptor;

/**
 * A plain shared queue with few operations: Java's counterpart of Python's {@code multiprocessing.SimpleQueue}
 * ({@code put}, {@code get}, {@code empty}, {@code close}). It is the same machinery as {@link SharedQueue},
 * unbounded, without the {@code BlockingQueue} surface: the verbs of {@link MessageQueue} only.
 * <pre>{@code
 * try (SimpleSharedQueue<String> q = SimpleSharedQueue.create()) {
 *     JvmProcess child = new JvmProcess(() -> q.put("hello")).start();
 *     System.out.println(q.poll(Duration.ofSeconds(30)));   // hello
 *     child.join();
 * }
 * }</pre>
 *
 * <p>Thread and process safety, memory consistency and what happens when a process dies are as for
 * {@link SharedQueue}: actions prior to putting a value happen-before actions subsequent to its removal, in
 * whatever process takes it (see <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 *
 * @param <E> the type of the values.
 */
public final class SimpleSharedQueue<E> implements MessageQueue<E>, Shareable {
    private final QueueCore core;

    SimpleSharedQueue(QueueCore core) {
        this.core = core;
    }

    /**
     * Creates a queue with the default options.
     *
     * @param <E> the type of the values.
     * @return the queue.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> SimpleSharedQueue<E> create() {
        return create(new ChannelOptions());
    }

    /**
     * Creates a queue.
     *
     * @param options the ring capacity and idle policy.
     * @param <E>     the type of the values.
     * @return the queue.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> SimpleSharedQueue<E> create(ChannelOptions options) {
        return new SimpleSharedQueue<>(SharedQueue.newCore(QueueDescriptor.KIND_SIMPLE, 0, options));
    }

    @Override
    public void put(E e) throws InterruptedException {
        Objects.requireNonNull(e, "a SimpleSharedQueue does not hold null");
        core.put(e, Deadlines.NEVER);
    }

    @Override
    public boolean offer(E e) {
        Objects.requireNonNull(e, "a SimpleSharedQueue does not hold null");
        return core.offerNow(e);
    }

    @Override
    public boolean offer(E e, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(e, "a SimpleSharedQueue does not hold null");
        return core.put(e, Deadlines.of(timeout));
    }

    @Override
    @SuppressWarnings("unchecked")
    public E take() throws InterruptedException {
        return (E) core.take(Deadlines.NEVER);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E poll() {
        Object v = core.takeNow();
        return v == QueueCore.NOTHING ? null : (E) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E poll(Duration timeout) throws InterruptedException {
        Object v = core.take(Deadlines.of(timeout));
        return v == QueueCore.NOTHING ? null : (E) v;
    }

    @Override
    public boolean isEmpty() {
        return core.size() == 0;
    }

    @Override
    public boolean isClosed() {
        return core.isClosed();
    }

    /**
     * Closes the queue in this process (see {@link SharedQueue#close()}). Closing twice is harmless. A thread
     * of this process waiting in {@code get} or {@code put} when the queue is closed wakes within one idle
     * period and throws {@link IllegalStateException}, as does every later call; no call ever touches unmapped
     * memory.
     */
    @Override
    public void close() {
        core.close();
    }

    /**
     * Returns the handle this queue travels as to another process.
     *
     * @return the handle.
     * @throws IllegalStateException if the queue is closed in this process.
     */
    @Override
    public Handle handle() {
        return new SharedQueue.QueueHandle(core.name(), core.kind(), core.sending(), core.options());
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
}
