package org.multiproc4j.pool;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.multiproc4j.core.internal.Deadlines;

/**
 * The result of work submitted to a {@link ProcessPool} without waiting: Python's {@code AsyncResult}, from
 * {@link ProcessPool#applyAsync}, {@link ProcessPool#mapAsync} and {@link ProcessPool#starmapAsync}.
 * <pre>{@code
 * try (ProcessPool pool = new ProcessPool(2)) {
 *     AsyncResult<Integer> r = pool.applyAsync(x -> x * x * x, 4);
 *     System.out.println(r.get(Duration.ofSeconds(30)));   // 64
 * }
 * }</pre>
 *
 * <p><b>Callbacks.</b> A callback given at submission runs in the pool's one callback thread, in the order results
 * complete, <em>before</em> this result becomes ready: once {@link #get()} returns, the callback has run (as in
 * Python). A callback should be short; one that throws is reported to that thread's uncaught-exception handler and
 * does not change this result.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread of the JVM that submitted the work.
 *
 * <p><b>Memory consistency effects.</b> Actions in the submitting thread prior to submission happen-before the
 * task runs in the worker JVM, and the task's actions happen-before {@link #get()} returns its value, or
 * {@link #isReady()} returns {@code true}: see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> {@link #get()} throws {@link ExecutionException} whose cause is a
 * {@link org.multiproc4j.core.RemoteException} if the task threw in the worker (with the worker's stack trace),
 * a {@link WorkerDiedException} if the worker running it died, a
 * {@link org.multiproc4j.core.SerializationException} if its result could not be decoded here, or a
 * {@link org.multiproc4j.core.ProcessException} if no worker could start (its cause says why: the JVM's own error,
 * or the initializer's failure); and {@link CancellationException} if the pool was terminated first.
 *
 * @param <R> the result type
 */
public final class AsyncResult<R> {
    /** How long a waiter spins before it yields. */
    private static final long SPIN_NANOS = 1_000;
    /** How long a waiter spins and yields before it blocks. */
    private static final long YIELD_NANOS = 50_000;
    private final CompletableFuture<R> done = new CompletableFuture<>();
    private final Consumer<? super R> callback;
    private final Consumer<? super Throwable> errorCallback;
    private final Executor callbacks;

    AsyncResult(Consumer<? super R> callback, Consumer<? super Throwable> errorCallback, Executor callbacks) {
        this.callback = callback;
        this.errorCallback = errorCallback;
        this.callbacks = callbacks;
    }

    boolean hasCallbacks() {
        return callback != null || errorCallback != null;
    }

    void succeed(R value) {
        if (callback == null) {
            done.complete(value);
            return;
        }
        callbacks.execute(() -> {
            try {
                callback.accept(value);
            } catch (RuntimeException | Error e) {
                report(e);
            } finally {
                done.complete(value);
            }
        });
    }

    void fail(Throwable cause) {
        if (errorCallback == null || cause instanceof CancellationException) {
            done.completeExceptionally(cause);
            return;
        }
        callbacks.execute(() -> {
            try {
                errorCallback.accept(cause);
            } catch (RuntimeException | Error e) {
                report(e);
            } finally {
                done.completeExceptionally(cause);
            }
        });
    }

    private static void report(Throwable e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }

    /**
     * Waits for the result.
     *
     * @return the value.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws ExecutionException    if the work failed (see the class description for the causes).
     * @throws CancellationException if the pool was terminated before the work was done.
     */
    public R get() throws InterruptedException, ExecutionException {
        spinBriefly(YIELD_NANOS);
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new ExecutionException(e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout} for the result.
     *
     * @param timeout how long to wait; zero or negative means do not wait.
     * @return the value.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws ExecutionException    if the work failed.
     * @throws TimeoutException      if the result is not ready in time; the work goes on.
     * @throws CancellationException if the pool was terminated before the work was done.
     */
    public R get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        long nanos = Math.max(0, Deadlines.nanos(timeout));
        long start = System.nanoTime();
        spinBriefly(Math.min(nanos, YIELD_NANOS));
        try {
            return done.get(Math.max(0, nanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new ExecutionException(e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("the result is not ready after " + timeout);
        }
    }

    /**
     * Waits for the result to be ready (successful or not): Python's {@code wait()}.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void await() throws InterruptedException {
        try {
            done.get();
        } catch (ExecutionException | CancellationException e) {
            // ready
        }
    }

    /**
     * Waits at most {@code timeout} for the result to be ready (successful or not): Python's
     * {@code wait(timeout)}.
     *
     * @param timeout how long to wait.
     * @return {@code true} if the result is ready.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            done.get(Math.max(0, Deadlines.nanos(timeout)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException e) {
            // ready
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    /**
     * Tells whether the result is ready (its callbacks, if any, have run).
     *
     * @return {@code true} once the work succeeded, failed or was cancelled.
     */
    public boolean isReady() {
        return done.isDone();
    }

    /**
     * Tells whether the work succeeded.
     *
     * @return {@code true} if the result is ready and is a value.
     * @throws IllegalStateException if the result is not ready yet (Python raises {@code ValueError}).
     */
    public boolean isSuccessful() {
        if (!done.isDone()) {
            throw new IllegalStateException("the result is not ready");
        }
        return !done.isCompletedExceptionally();
    }

    /**
     * Returns a {@link CompletableFuture} view of this result, completed when it is ready (after the callbacks),
     * with the value or the failure (the cause, not wrapped).
     *
     * @return a new dependent future; completing or cancelling it does not affect this result or the work.
     */
    public CompletableFuture<R> toCompletableFuture() {
        CompletableFuture<R> view = new CompletableFuture<>();
        done.whenComplete((v, e) -> {
            if (e == null) {
                view.complete(v);
            } else {
                view.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
        return view;
    }

    /**
     * Waits a few microseconds before blocking, so that a quick result is not delayed by a park and unpark:
     * {@value #SPIN_NANOS} ns busy, then yielding the core, {@value #YIELD_NANOS} ns in all (less for a shorter
     * timeout). A busy wait of the whole
     * time held the core that the worker, or the reader thread, which the result waits for, might need: on two
     * cores with this thread, a reader and a worker runnable, a worker placed on this core ran only once the spin
     * was over (an {@code applyAsync} round trip took 20 µs longer).
     *
     * @param limit how long to wait at most, in nanoseconds.
     */
    private void spinBriefly(long limit) {
        if (done.isDone()) {
            return;
        }
        long start = System.nanoTime();
        long now = start;
        while (now - start < Math.min(SPIN_NANOS, limit)) {
            Thread.onSpinWait();
            if (done.isDone()) {
                return;
            }
            now = System.nanoTime();
        }
        while (now - start < limit) {
            Thread.yield();
            if (done.isDone()) {
                return;
            }
            now = System.nanoTime();
        }
    }

    @Override
    public String toString() {
        return "AsyncResult[" + (done.isDone() ? (done.isCompletedExceptionally() ? "failed" : "ready") : "pending")
                + "]";
    }
}
