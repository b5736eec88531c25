package org.multiproc4j.ipc;

import java.time.Duration;
import java.util.Collection;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Waitable;

/**
 * The verbs every multiproc4j queue shares: {@link SharedQueue} (and {@link JoinableSharedQueue}),
 * {@link SimpleSharedQueue}, and {@code ipc.durable.DurableQueue}. Code that only puts and takes values can be
 * written once against this type and run on any of them.
 * <pre>{@code
 * static int drain(MessageQueue<Integer> q) throws InterruptedException {
 *     int sum = 0;
 *     for (Integer v; (v = q.poll(Duration.ofMillis(100))) != null; ) {
 *         sum += v;
 *     }
 *     return sum;
 * }
 *
 * try (SharedQueue<Integer> shared = SharedQueue.create();
 *      SimpleSharedQueue<Integer> simple = SimpleSharedQueue.create()) {
 *     for (MessageQueue<Integer> q : List.of(shared, simple)) {
 *         q.put(1);
 *         q.offer(2, Duration.ofSeconds(1));
 *         System.out.println(drain(q));   // 3
 *     }
 * }
 * }</pre>
 *
 * <p>The four forms of {@link java.util.concurrent.BlockingQueue}'s table, with {@link Duration}s: {@code put}
 * and {@code take} wait as long as it takes, {@code offer(e)} and {@code poll()} do not wait, and
 * {@code offer(e, timeout)} and {@code poll(timeout)} wait at most {@code timeout} and say they ran out by
 * returning {@code false} or {@code null}. No queue holds {@code null}.
 *
 * <p><b>Where the queues differ.</b> A {@code SharedQueue} made with a bound waits in {@code put} and refuses
 * in {@code offer} while it is full, and any shared-memory queue does so while its ring is full; a
 * {@code DurableQueue} is never full (its files grow), so its {@code put} and {@code offer} append at once and
 * {@code offer} always returns {@code true}. {@code isEmpty} is exact at the instant it is read for the
 * shared-memory queues; for a {@code DurableQueue} it reads the backlog of messages not yet consumed (delivered
 * ones included), at a cost that grows with it. What a closed queue throws, when a dead process is noticed,
 * and the memory effects are each queue's (see its page): the shared-memory queues throw
 * {@link IllegalStateException} once closed here, as does a {@code DurableQueue}.
 *
 * <p><b>Thread and process safety.</b> Every method may be called from any thread of any process using the
 * queue; a value is taken by exactly one consumer.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to putting a value happen-before actions
 * subsequent to its removal in the process that takes it, for a shared-memory queue; a {@code DurableQueue}'s
 * message is a copy (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 *
 * <p><b>Waiting for several.</b> A queue is {@linkplain #isReady() ready} when a {@code take} would not block;
 * {@link Waitable#await(Collection, Duration)} waits for queues together with connections and processes.
 *
 * @param <E> the type of the values.
 */
public interface MessageQueue<E> extends Waitable, AutoCloseable {

    /**
     * Puts a value, waiting as long as it takes for room.
     *
     * @param e the value.
     * @throws NullPointerException   if {@code e} is {@code null}.
     * @throws SerializationException if the value cannot be encoded; nothing was put.
     * @throws InterruptedException   if interrupted while waiting; nothing was put.
     * @throws IllegalStateException  if the queue is closed.
     */
    void put(E e) throws InterruptedException;

    /**
     * Puts a value if there is room now.
     *
     * @param e the value.
     * @return {@code true} if it was put, {@code false} if the queue is full.
     * @throws NullPointerException   if {@code e} is {@code null}.
     * @throws SerializationException if the value cannot be encoded; nothing was put.
     * @throws IllegalStateException  if the queue is closed.
     */
    boolean offer(E e);

    /**
     * Puts a value, waiting at most {@code timeout} for room.
     *
     * @param e       the value.
     * @param timeout how long to wait; zero or negative does not wait.
     * @return {@code true} if it was put, {@code false} if there was no room in time (nothing was put).
     * @throws NullPointerException   if {@code e} or {@code timeout} is {@code null}.
     * @throws SerializationException if the value cannot be encoded; nothing was put.
     * @throws InterruptedException   if interrupted while waiting; nothing was put.
     * @throws IllegalStateException  if the queue is closed.
     */
    boolean offer(E e, Duration timeout) throws InterruptedException;

    /**
     * Takes the value at the head, waiting as long as it takes for one.
     *
     * @return the value.
     * @throws SerializationException if the value cannot be decoded (it is consumed).
     * @throws InterruptedException   if interrupted while waiting; nothing was taken.
     * @throws IllegalStateException  if the queue is closed (also while waiting).
     */
    E take() throws InterruptedException;

    /**
     * Takes the value at the head if there is one now.
     *
     * @return the value, or {@code null} if there is none.
     * @throws SerializationException if the value cannot be decoded (it is consumed).
     * @throws IllegalStateException  if the queue is closed.
     */
    E poll();

    /**
     * Takes the value at the head, waiting at most {@code timeout} for one.
     *
     * @param timeout how long to wait; zero or negative does not wait.
     * @return the value, or {@code null} if none came in time.
     * @throws NullPointerException   if {@code timeout} is {@code null}.
     * @throws SerializationException if the value cannot be decoded (it is consumed).
     * @throws InterruptedException   if interrupted while waiting; nothing was taken.
     * @throws IllegalStateException  if the queue is closed (also while waiting).
     */
    E poll(Duration timeout) throws InterruptedException;

    /**
     * Tells whether the queue holds no value (see the class description for what each queue counts).
     *
     * @return {@code true} if empty.
     * @throws IllegalStateException if the queue is closed.
     */
    boolean isEmpty();

    /**
     * Tells whether this queue object was closed.
     *
     * @return {@code true} once closed.
     */
    boolean isClosed();

    /**
     * Tells, without blocking, whether a {@link #take()} would return or throw at once: a value is waiting, or
     * this queue object is closed.
     *
     * @return {@code true} if a take would not block.
     */
    @Override
    default boolean isReady() {
        if (isClosed()) {
            return true;
        }
        try {
            return !isEmpty();
        } catch (IllegalStateException e) {
            return true; // closed meanwhile: a take throws at once
        }
    }

    /**
     * Closes this queue object (what closing means for the queue itself is each queue's). Closing twice is
     * harmless.
     */
    @Override
    void close();
}
