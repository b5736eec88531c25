package org.multiproc4j.core;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.core.internal.Outcome;

/**
 * The result of a task computed in a child JVM by {@link JvmProcess#call(SerializableCallable)}.
 *
 * <pre>{@code
 * TaskFuture<Long> f = JvmProcess.call(() -> ProcessHandle.current().pid());
 * long childPid = f.get(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to {@link JvmProcess#call} happen-before
 * every action of the task in the child, and every action of the child JVM happens-before {@link #get()}
 * returns the result or throws {@link ExecutionException}, in any thread: see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> {@link #get()} throws {@link ExecutionException} whose cause is a
 * {@link RemoteException} if the task threw, a {@link LaunchException} carrying the JVM's own error text
 * if the child's JVM could not boot (an unknown JVM option, too small a heap), or a
 * {@link ProcessException} saying how the child ended if it died without a result (killed, out of memory,
 * parent-less, {@code System.exit} in the task). {@link #cancel(boolean)} kills the child.
 *
 * @param <V> the result type
 */
public final class TaskFuture<V> implements Future<V>, Waitable {
    private final JvmProcess process;
    private volatile boolean cancelled;

    TaskFuture(JvmProcess process) {
        this.process = process;
    }

    /**
     * Returns the child computing the task.
     *
     * @return the running (or exited) process.
     */
    public JvmProcess process() {
        return process;
    }

    /**
     * Kills the child if it is still running. Its result is then never available.
     *
     * @param mayInterruptIfRunning ignored: the child is killed either way.
     * @return {@code true} if the task was still running and is now cancelled.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return false;
        }
        cancelled = true;
        process.kill();
        return true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean isDone() {
        return cancelled || process.onExit().isDone();
    }

    /**
     * Tells whether {@link #get()} would return (or throw) at once: {@link #isDone()}. This is how a task's result
     * takes part in {@link Waitable#await(java.util.Collection, Duration)}.
     *
     * @return {@code isDone()}.
     */
    @Override
    public boolean isReady() {
        return isDone();
    }

    /**
     * Waits for the child to end and returns the task's result.
     *
     * @return the result.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws ExecutionException    if the task threw (cause: {@link RemoteException}), the child's JVM
     *                               could not boot (cause: {@link LaunchException}) or the child died
     *                               without a result (cause: {@link ProcessException}).
     * @throws CancellationException if the task was cancelled.
     */
    @Override
    public V get() throws InterruptedException, ExecutionException {
        process.awaitExited();
        return result();
    }

    /**
     * Waits at most the given time for the result.
     *
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @return the result.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws ExecutionException    as {@link #get()}.
     * @throws TimeoutException      if the child is still running when the time runs out; it keeps
     *                               running.
     * @throws CancellationException if the task was cancelled.
     */
    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return get(Duration.ofNanos(unit.toNanos(timeout)));
    }

    /**
     * Waits at most {@code timeout} for the result.
     *
     * @param timeout how long to wait.
     * @return the result.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws ExecutionException    as {@link #get()}.
     * @throws TimeoutException      if the child is still running when the time runs out; it keeps
     *                               running.
     * @throws CancellationException if the task was cancelled.
     */
    public V get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        if (!process.awaitExited(timeout)) {
            throw new TimeoutException("no result from " + process + " within " + timeout);
        }
        return result();
    }

    /**
     * Returns a {@link CompletableFuture} view of the result, completed when the child exits.
     *
     * @return a new future; cancelling it does not kill the child (use {@link #cancel(boolean)}).
     */
    public CompletableFuture<V> toCompletableFuture() {
        CompletableFuture<V> f = new CompletableFuture<>();
        process.onExit().whenComplete((p, unused) -> {
            try {
                f.complete(result());
            } catch (ExecutionException e) {
                f.completeExceptionally(e.getCause());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @SuppressWarnings("unchecked")
    private V result() throws ExecutionException {
        if (cancelled) {
            throw new CancellationException("task of " + process + " was cancelled");
        }
        java.util.Optional<LaunchException> launch = process.launchFailure();
        if (launch.isPresent()) {
            throw new ExecutionException(launch.get());
        }
        Outcome o = process.outcome();
        if (o == null) {
            StringBuilder why = new StringBuilder("child ").append(process.name()).append(" (pid ").append(process.pid())
                    .append(") exited with code ").append(process.exitCode());
            if (process.signal().isPresent()) {
                why.append(" (killed by signal ").append(process.signal().getAsInt()).append(')');
            } else if (process.exitCode() == JvmProcess.EXIT_PARENT_GONE) {
                why.append(" (its parent was gone)");
            }
            throw new ExecutionException(new ProcessException(why.append(" before returning a result").toString()));
        }
        if (o.failure() != null) {
            throw new ExecutionException(o.failure());
        }
        return (V) o.value();
    }

    @Override
    public String toString() {
        return "TaskFuture[" + process + "]";
    }
}
