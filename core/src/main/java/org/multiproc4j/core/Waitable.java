package org.multiproc4j.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import org.multiproc4j.core.internal.Deadlines;

/**
 * Something a thread can wait for together with other things: a child process that may exit, a task's
 * result that may arrive, a connection or a queue that may receive a message. {@link #await(Collection, Duration)}
 * waits until at least one of several is ready and returns the ready ones: Python's
 * {@code multiprocessing.connection.wait}.
 * <pre>{@code
 * TaskFuture<String> fast = JvmProcess.call(() -> "fast");
 * JvmProcess slow = new JvmProcess(() -> Thread.sleep(60_000)).start();
 * List<Waitable> ready = Waitable.await(List.of(fast, slow), Duration.ofSeconds(30));
 * System.out.println(ready.contains(fast) + " " + ready.contains(slow));   // true false
 * slow.kill();
 * slow.join();
 * }</pre>
 *
 * <p>What "ready" means is each kind's: the call a caller would make next returns (or throws) without waiting.
 * A {@link JvmProcess} is ready once it has exited ({@code join} returns), a {@link TaskFuture} once it is done
 * ({@code get} returns or throws), a connection once a receive would not block (a message, the other end gone,
 * or this end closed), a queue once a {@code take} would not block (a value, or the queue closed here).
 * {@code await} also takes the JDK's {@link Process}, {@link ProcessHandle} (ready once exited) and any
 * {@link Future} (ready once done).
 *
 * <p><b>Thread and process safety.</b> {@link #isReady()} may be called from any thread; it never blocks and
 * never changes the object (a message stays to be received). A ready object may stop being ready before the
 * caller acts on it if another thread or process takes what made it ready, as in Python.
 *
 * <p><b>Memory consistency effects.</b> Those of each kind: if {@code await} returns an object as ready because
 * a message arrived or a process exited, the effects that kind promises for receiving the message or joining
 * the process hold once the caller receives or joins (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>). {@code await} itself promises none.
 *
 * <p><b>Waiting.</b> {@code await} looks at every object in turn, then backs off (spins briefly, yields, then
 * parks up to 1 ms between looks), so an object that becomes ready is noticed within about a millisecond and an
 * idle wait costs little CPU.
 */
public interface Waitable {

    /**
     * Tells, without blocking, whether this object is ready: whether the blocking call its kind offers (receive,
     * take, join, get) would return or throw at once.
     *
     * @return {@code true} if it is ready.
     */
    boolean isReady();

    /**
     * Waits until at least one of {@code objects} is ready, and returns the ready ones.
     *
     * @param objects what to wait for: {@link Waitable}s, {@link Process}es, {@link ProcessHandle}s or
     *                {@link Future}s.
     * @param <T>     the element type.
     * @return the ready objects, in the order given; never empty (unless {@code objects} is).
     * @throws IllegalArgumentException if an object is of another kind (the message names its class).
     * @throws NullPointerException     if {@code objects} or one of them is {@code null}.
     * @throws InterruptedException     if interrupted while waiting.
     */
    static <T> List<T> await(Collection<? extends T> objects) throws InterruptedException {
        return awaitUntil(objects, Deadlines.NEVER);
    }

    /**
     * Waits at most {@code timeout} until at least one of {@code objects} is ready, as {@link #await(Collection)}.
     *
     * @param objects what to wait for.
     * @param timeout how long to wait; zero or negative looks once.
     * @param <T>     the element type.
     * @return the ready objects, in the order given; empty if none became ready in time.
     * @throws IllegalArgumentException if an object is of another kind (the message names its class).
     * @throws NullPointerException     if {@code objects}, {@code timeout} or an object is {@code null}.
     * @throws InterruptedException     if interrupted while waiting.
     */
    static <T> List<T> await(Collection<? extends T> objects, Duration timeout) throws InterruptedException {
        return awaitUntil(objects, Deadlines.of(timeout));
    }

    private static <T> List<T> awaitUntil(Collection<? extends T> objects, long deadline) throws InterruptedException {
        for (Object o : objects) {
            Objects.requireNonNull(o, "cannot wait for null");
            if (!(o instanceof Waitable || o instanceof Process || o instanceof ProcessHandle || o instanceof Future)) {
                throw new IllegalArgumentException("cannot wait for a " + o.getClass().getName()
                        + ": expected a Waitable (a JvmProcess, TaskFuture, connection or queue), a Process,"
                        + " a ProcessHandle or a Future");
            }
        }
        for (int round = 0; ; round++) {
            List<T> ready = new ArrayList<>();
            for (T o : objects) {
                if (isReady(o)) {
                    ready.add(o);
                }
            }
            if (!ready.isEmpty() || objects.isEmpty() || Deadlines.expired(deadline)) {
                return ready;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (round < 100) {
                Thread.onSpinWait();
            } else if (round < 200) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(Math.min(1_000_000L, 10_000L << Math.min(7, (round - 200) / 8)));
            }
        }
    }

    private static boolean isReady(Object o) {
        if (o instanceof Waitable) {
            return ((Waitable) o).isReady();
        }
        if (o instanceof Process) {
            return !((Process) o).isAlive();
        }
        if (o instanceof ProcessHandle) {
            return !((ProcessHandle) o).isAlive();
        }
        return ((Future<?>) o).isDone();
    }
}
