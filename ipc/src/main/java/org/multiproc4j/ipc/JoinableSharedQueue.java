package org.multiproc4j.ipc;

import java.time.Duration;

import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.internal.QueueCore;
import org.multiproc4j.ipc.internal.QueueDescriptor;

/**
 * A {@link SharedQueue} that also counts unfinished tasks: Java's counterpart of Python's
 * {@code multiprocessing.JoinableQueue}. Every value put is a task; a consumer calls {@link #taskDone()} when it
 * has finished with a value it took, and {@link #join()} waits until every task put so far is done.
 * <pre>{@code
 * try (JoinableSharedQueue<String> work = JoinableSharedQueue.create()) {
 *     JvmProcess worker = new JvmProcess(() -> {
 *         for (String job = work.take(); !job.isEmpty(); job = work.take()) {   // "" means: no more work
 *             System.out.println("processed " + job);
 *             work.taskDone();
 *         }
 *         work.taskDone();
 *     }).start();
 *     work.put("a");
 *     work.put("b");
 *     if (!work.join(Duration.ofSeconds(30))) {     // both processed
 *         throw new TimeoutException(work.unfinishedTasks() + " jobs not done");
 *     }
 *     work.put("");
 *     worker.join();
 * }
 * }</pre>
 *
 * <p><b>Process safety and memory consistency.</b> As {@link SharedQueue}; in addition, actions prior to a
 * {@code taskDone()} in any process happen-before actions subsequent to the return of a {@code join()} it lets
 * return (see <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 *
 * <p><b>When a process dies.</b> As {@link SharedQueue}. A consumer that dies after taking a task and before
 * calling {@code taskDone()} leaves that task unfinished: {@code join()} then waits for ever (as in Python):
 * use {@link #join(Duration)} and {@link #unfinishedTasks()} when consumers may die.
 *
 * @param <E> the type of the values.
 */
public final class JoinableSharedQueue<E> extends SharedQueue<E> {

    JoinableSharedQueue(QueueCore core) {
        super(core);
    }

    /**
     * Creates an unbounded joinable queue with the default options.
     *
     * @param <E> the type of the values.
     * @return the queue.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> JoinableSharedQueue<E> create() {
        return create(0, new ChannelOptions());
    }

    /**
     * Creates a joinable queue holding at most {@code maxSize} values, with the default options.
     *
     * @param maxSize the bound, at least 1.
     * @param <E>     the type of the values.
     * @return the queue.
     * @throws IllegalArgumentException     if {@code maxSize < 1}.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> JoinableSharedQueue<E> create(int maxSize) {
        return create(checkMaxSize(maxSize), new ChannelOptions());
    }

    /**
     * Creates a joinable queue.
     *
     * @param maxSize the bound, at least 1, or 0 for an unbounded queue.
     * @param options the ring capacity and idle policy.
     * @param <E>     the type of the values.
     * @return the queue.
     * @throws IllegalArgumentException     if {@code maxSize < 0}.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static <E> JoinableSharedQueue<E> create(int maxSize, ChannelOptions options) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be 0 (unbounded) or positive, got " + maxSize);
        }
        return new JoinableSharedQueue<>(newCore(QueueDescriptor.KIND_JOINABLE, maxSize, options));
    }

    /**
     * Records that a task taken from this queue is finished.
     *
     * @throws IllegalStateException if called more times than values were put (Python's {@code ValueError}),
     *                               or the queue is closed in this process.
     */
    public void taskDone() {
        core.taskDone();
    }

    /**
     * Waits until every value put so far has been marked done by {@link #taskDone()}.
     *
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the queue is closed in this process, also by another thread while this
     *                               one waits.
     */
    public void join() throws InterruptedException {
        core.join(Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} until every value put so far has been marked done.
     *
     * @param timeout how long to wait.
     * @return {@code true} if all tasks are done, {@code false} if time ran out.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the queue is closed in this process, also by another thread while this
     *                               one waits.
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return core.join(Deadlines.of(timeout));
    }

    /**
     * Returns the number of values put whose {@link #taskDone()} has not been called yet.
     *
     * @return the count.
     * @throws IllegalStateException if the queue is closed in this process.
     */
    public long unfinishedTasks() {
        return core.unfinished();
    }
}
