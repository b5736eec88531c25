package org.multiproc4j.manager;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier for a fixed number of parties, owned by a manager's server: Python's {@code manager.Barrier(n)},
 * with {@link java.util.concurrent.CyclicBarrier}'s rules (reusable, broken by a timeout or a party that
 * leaves).
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedBarrier start = manager.barrier(2);
 *     JvmProcess child = new JvmProcess(() -> start.await(Duration.ofSeconds(30))).start();
 *     start.await(Duration.ofSeconds(30));           // both have arrived
 *     child.join();
 *     System.out.println(start.isBroken());          // false
 * }
 * }</pre>
 *
 * <p><b>A party that dies.</b> A waiting party whose process dies, or whose connection closes, breaks the
 * barrier: the others get {@link BrokenBarrierException} (Python's {@code BrokenBarrierError}) rather than
 * waiting for ever.
 *
 * <p><b>Thread and process safety.</b> Safe for any number of threads and processes.
 *
 * <p><b>Failure.</b> If the server is gone, every method throws {@link ManagerException}.
 */
public interface ManagedBarrier {

    /**
     * Waits until every party has arrived.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last.
     * @throws InterruptedException   if interrupted while waiting (the barrier breaks).
     * @throws BrokenBarrierException if the barrier was or becomes broken while waiting.
     * @throws ManagerException       if the server is gone.
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /**
     * Waits at most {@code timeout} until every party has arrived.
     *
     * @param timeout how long to wait.
     * @return the arrival index.
     * @throws InterruptedException   if interrupted while waiting (the barrier breaks).
     * @throws BrokenBarrierException if the barrier was or becomes broken while waiting.
     * @throws TimeoutException       if the time ran out (the barrier breaks).
     * @throws ManagerException       if the server is gone.
     */
    int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /**
     * Returns the number of parties.
     *
     * @return the parties.
     * @throws ManagerException if the server is gone.
     */
    int parties();

    /**
     * Returns how many parties wait now.
     *
     * @return the count.
     * @throws ManagerException if the server is gone.
     */
    int numberWaiting();

    /**
     * Tells whether the barrier is broken.
     *
     * @return {@code true} if broken.
     * @throws ManagerException if the server is gone.
     */
    boolean isBroken();

    /**
     * Breaks the barrier for the parties waiting now and makes it whole again for the next ones.
     *
     * @throws ManagerException if the server is gone.
     */
    void reset();
}
