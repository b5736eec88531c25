package org.multiproc4j.pool;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The lazy results of {@link ProcessPool#imap} and {@link ProcessPool#imapUnordered}: an {@link Iterator} with a
 * timed {@link #next(Duration)}.
 * <pre>{@code
 * try (ProcessPool pool = new ProcessPool(2)) {
 *     ResultIterator<Integer> cubes = pool.imap(x -> x * x * x, List.of(1, 2, 3));
 *     while (cubes.hasNext()) {
 *         System.out.println(cubes.next(Duration.ofSeconds(30)));   // 1, 8, 27
 *     }
 * }
 * }</pre>
 *
 * <p><b>Laziness.</b> Inputs are read, encoded and submitted in the thread that calls {@link #hasNext()} or
 * {@code next}, only as far as the pool's {@link ProcessPool.Options#maxInFlight() maxInFlight} allows: on an
 * endless input, memory stays flat. Results not consumed count as in flight.
 *
 * <p><b>Thread safety.</b> Use an iterator from one thread at a time.
 *
 * <p><b>Failure.</b> A task that failed (see {@link AsyncResult} for the causes) fails its item(s): {@link #next()}
 * throws {@link CompletionException} with the cause, {@link #next(Duration)} an {@link ExecutionException}; the
 * iteration may go on with the next items. An exception thrown by the input's iterator, or a
 * {@link org.multiproc4j.core.SerializationException} for an input that cannot be serialized (naming its type), is
 * thrown as it is by {@code next} once the results of the inputs read before it are taken; the iteration then
 * ends. Once the pool is terminated, both throw {@link CancellationException}.
 *
 * @param <R> the result type
 */
public interface ResultIterator<R> extends Iterator<R> {

    /**
     * Tells whether there is another result, reading the input as needed (it does not wait for results).
     *
     * @return {@code true} if {@code next} will return a result or throw the task's failure.
     */
    @Override
    boolean hasNext();

    /**
     * Waits for the next result.
     *
     * @return the result.
     * @throws NoSuchElementException if there are no more results.
     * @throws CompletionException    if the task failed (the cause says why) or the thread was interrupted while
     *                                waiting (the cause is the {@link InterruptedException}; the thread's interrupt
     *                                status is set again).
     * @throws CancellationException  if the pool was terminated.
     */
    @Override
    R next();

    /**
     * Waits at most {@code timeout} for the next result.
     *
     * @param timeout how long to wait.
     * @return the result.
     * @throws NoSuchElementException if there are no more results.
     * @throws TimeoutException       if the next result is not ready in time; a later call can still get it.
     * @throws ExecutionException     if the task failed.
     * @throws InterruptedException   if interrupted while waiting.
     * @throws CancellationException  if the pool was terminated.
     */
    R next(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException;
}
