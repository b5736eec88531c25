package org.multiproc4j.pool;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.internal.Deadlines;

/**
 * A {@link java.util.concurrent.ExecutorService} whose tasks run in worker JVMs: Java's counterpart of Python's
 * {@code concurrent.futures.ProcessPoolExecutor}, on the same machinery as {@link ProcessPool}.
 * <pre>{@code
 * try (ProcessPoolExecutor executor = new ProcessPoolExecutor(2)) {
 *     Future<Long> pid = executor.submit((Callable<Long> & Serializable) () -> ProcessHandle.current().pid());
 *     System.out.println(pid.get(30, TimeUnit.SECONDS) != ProcessHandle.current().pid());   // true
 * }
 * }</pre>
 *
 * <p><b>Tasks.</b> A task must be {@link Serializable}: a {@link org.multiproc4j.core.SerializableCallable}, a
 * {@link org.multiproc4j.core.SerializableRunnable} (wrapped by the caller as a callable), or a lambda cast to an
 * intersection type ({@code (Callable<T> & Serializable) () -> ...}). Each is serialized in the calling thread and
 * runs once in a worker; its result travels back through the pool's codec.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of the JVM that created it.
 *
 * <p><b>Memory consistency effects.</b> Those of {@link ProcessPool}: submission happens-before the task runs in
 * a worker, whose actions happen-before the future's {@code get} returns; see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> A task that is not serializable, or captures something that is not, is refused at
 * {@code submit} with a {@link RejectedExecutionException} naming its type (its cause is the
 * {@link SerializationException}); so is any task after {@link #shutdown()}. A task that throws completes its
 * future with an {@link ExecutionException} whose cause is a {@link org.multiproc4j.core.RemoteException}; a
 * worker that dies fails only the task it was running, with a {@link WorkerDiedException}, and is replaced: unlike
 * Python's {@code BrokenProcessPool}, the executor keeps serving. {@link Future#cancel(boolean)} of a task not yet
 * finished completes its future as cancelled; a task already running in a worker runs to its end there.
 * {@link #shutdownNow()} kills the workers and cancels every pending future; the list it returns is empty, since
 * the tasks were serialized copies.
 */
public final class ProcessPoolExecutor extends AbstractExecutorService implements AutoCloseable {
    private final ProcessPool pool;

    /** Creates an executor with {@link org.multiproc4j.core.JvmProcess#cpuCount()} workers. */
    public ProcessPoolExecutor() {
        this(new ProcessPool.Options());
    }

    /**
     * Creates an executor with {@code workers} workers.
     *
     * @param workers at least 1.
     * @throws IllegalArgumentException if {@code workers} is less than 1.
     */
    public ProcessPoolExecutor(int workers) {
        this(new ProcessPool.Options().workers(workers));
    }

    /**
     * Creates an executor with a pool's options.
     *
     * @param options the pool's settings; copied.
     * @throws org.multiproc4j.core.ProcessException if a worker cannot be launched.
     */
    public ProcessPoolExecutor(ProcessPool.Options options) {
        this.pool = new ProcessPool(options);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new RemoteTask<>(this, requireSerializable(callable));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        Objects.requireNonNull(runnable, "task");
        requireSerializable(runnable);
        return new RemoteTask<>(this, new RunnableCall<>(runnable, value));
    }

    /**
     * Submits a task that returns a value.
     *
     * @throws RejectedExecutionException if the task is not serializable (naming its type) or the executor is
     *                                    shut down.
     */
    @Override
    public <T> Future<T> submit(Callable<T> task) {
        RunnableFuture<T> f = newTaskFor(task);
        f.run();
        return f;
    }

    /**
     * Submits a task without a value; its future's value is {@code null}.
     *
     * @throws RejectedExecutionException if the task is not serializable (naming its type) or the executor is
     *                                    shut down.
     */
    @Override
    public Future<?> submit(Runnable task) {
        RunnableFuture<Object> f = newTaskFor(task, null);
        f.run();
        return f;
    }

    /**
     * Submits a task without a value; its future's value is {@code result}.
     *
     * @throws RejectedExecutionException if the task or {@code result} is not serializable, or the executor is shut
     *                                    down.
     */
    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        RunnableFuture<T> f = newTaskFor(task, result);
        f.run();
        return f;
    }

    /**
     * Runs the task in a worker, some time.
     *
     * @throws RejectedExecutionException if the task is not serializable (naming its type) or the executor is
     *                                    shut down.
     */
    @Override
    public void execute(Runnable command) {
        if (command instanceof RemoteTask) {
            command.run();
            return;
        }
        submit(command);
    }

    /**
     * Runs the tasks and returns the result of one that succeeded; the others' futures are cancelled.
     *
     * @throws ExecutionException         if none succeeded (the cause is the last failure).
     * @throws RejectedExecutionException if a task is not serializable or the executor is shut down.
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return any(tasks, Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Runs the tasks and returns the result of one that succeeded within the time given.
     *
     * @throws TimeoutException           if none succeeded in time.
     * @throws ExecutionException         if none succeeded.
     * @throws RejectedExecutionException if a task is not serializable or the executor is shut down.
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return any(tasks, Deadlines.of(timeout, unit));
    }

    private <T> T any(Collection<? extends Callable<T>> tasks, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny: no tasks");
        }
        List<Future<T>> futures = new ArrayList<>();
        LinkedBlockingQueue<CompletableFuture<T>> done = new LinkedBlockingQueue<>();
        try {
            for (Callable<T> t : tasks) {
                RemoteTask<T> f = (RemoteTask<T>) submit(t);
                futures.add(f);
                f.view.whenComplete((v, e) -> done.add(f.view));
            }
            Throwable last = null;
            for (int i = 0; i < futures.size(); i++) {
                long left = Deadlines.remaining(deadline);
                CompletableFuture<T> f = done.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new TimeoutException("invokeAny: no task succeeded in time");
                }
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    last = e.getCause();
                } catch (CancellationException e) {
                    last = e;
                }
            }
            throw new ExecutionException("invokeAny: every task failed", last);
        } finally {
            for (Future<T> f : futures) {
                f.cancel(true);
            }
        }
    }

    /** Refuses new tasks; those submitted run to their end, then the workers exit. */
    @Override
    public void shutdown() {
        pool.shutdown();
    }

    /**
     * Kills the workers at once and cancels every pending future.
     *
     * @return an empty list: tasks travel as serialized copies, there are none to give back.
     */
    @Override
    public List<Runnable> shutdownNow() {
        pool.terminate();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return !pool.isRunning();
    }

    @Override
    public boolean isTerminated() {
        if (pool.isRunning()) {
            return false;
        }
        try {
            return pool.join(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (pool.isRunning()) {
            return false;
        }
        return pool.join(Duration.ofNanos(unit.toNanos(timeout)));
    }

    /**
     * Shuts down and waits for the submitted tasks to finish and the workers to exit (the semantics of
     * {@code ExecutorService.close()} in Java 19 and later); if interrupted while waiting, kills the workers and
     * sets the interrupt status again.
     */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "ProcessPoolExecutor[" + pool + "]";
    }

    ProcessPool pool() {
        return pool;
    }

    private static <T> T requireSerializable(T task) {
        Objects.requireNonNull(task, "task");
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException("a task must be Serializable to run in another JVM, got a "
                    + task.getClass().getName() + " (use SerializableCallable, or cast a lambda to "
                    + "(Callable<T> & Serializable))");
        }
        return task;
    }

    /**
     * A runnable and its fixed result, as one serializable callable.
     *
     * @param <T> the result's type.
     */
    private static final class RunnableCall<T> implements Callable<T>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Serializable runnable;
        private final Serializable value;

        RunnableCall(Runnable runnable, T value) {
            if (value != null && !(value instanceof Serializable)) {
                throw new RejectedExecutionException("the result given with a task must be Serializable, got a "
                        + value.getClass().getName());
            }
            this.runnable = (Serializable) runnable;
            this.value = (Serializable) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T call() {
            ((Runnable) runnable).run();
            return (T) value;
        }
    }

    /** A task's future; {@link #run()} hands the task to the pool (once). */
    private static final class RemoteTask<T> implements RunnableFuture<T> {
        private final ProcessPoolExecutor executor;
        private final Callable<T> callable;
        final CompletableFuture<T> view = new CompletableFuture<>();
        private boolean submitted;

        RemoteTask(ProcessPoolExecutor executor, Callable<T> callable) {
            this.executor = executor;
            this.callable = callable;
        }

        @Override
        public synchronized void run() {
            if (submitted || view.isDone()) {
                return;
            }
            submitted = true;
            AsyncResult<T> r;
            try {
                r = executor.pool.callAsync(callable, null);
            } catch (SerializationException e) {
                throw new RejectedExecutionException("cannot run a " + callable.getClass().getName()
                        + " in another JVM: " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new RejectedExecutionException(e.getMessage(), e);
            }
            r.toCompletableFuture().whenComplete((v, e) -> {
                if (e != null) {
                    view.completeExceptionally(
                            e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
                } else {
                    view.complete(v);
                }
            });
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return view.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return view.isCancelled();
        }

        @Override
        public boolean isDone() {
            return view.isDone();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            return view.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return view.get(timeout, unit);
        }
    }
}
