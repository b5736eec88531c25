package org.multiproc4j.manager;

import java.time.Duration;

/**
 * A counting semaphore owned by a manager's server: Python's {@code manager.Semaphore(n)}
 * ({@link Manager#semaphore(int)}) and {@code manager.BoundedSemaphore(n)}
 * ({@link Manager#boundedSemaphore(int)}, whose {@link #release()} refuses to go above the initial count).
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedSemaphore slots = manager.boundedSemaphore(2);
 *     slots.acquire();
 *     System.out.println(slots.availablePermits());            // 1
 *     System.out.println(slots.tryAcquire(Duration.ZERO));     // true
 *     System.out.println(slots.tryAcquire(Duration.ZERO));     // false
 *     slots.release();
 *     slots.release();
 * }
 * }</pre>
 *
 * <p>Permits are not owned: a process that dies holding some does not give them back (as in Python and
 * {@link java.util.concurrent.Semaphore}). A client killed while waiting takes no permit.
 *
 * <p><b>Thread and process safety.</b> Safe for any number of threads and processes.
 *
 * <p><b>Failure.</b> If the server is gone, every method throws {@link ManagerException}.
 */
public interface ManagedSemaphore {

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting.
     * @throws ManagerException     if the server is gone.
     */
    void acquire() throws InterruptedException;

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero or negative tries once.
     * @return whether a permit was taken.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ManagerException     if the server is gone.
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Gives a permit back.
     *
     * @throws IllegalStateException if the semaphore is bounded and already holds its initial permits.
     * @throws ManagerException      if the server is gone.
     */
    void release();

    /**
     * Returns the permits available now.
     *
     * @return the count.
     * @throws ManagerException if the server is gone.
     */
    int availablePermits();
}
