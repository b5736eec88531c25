package org.multiproc4j.manager;

import java.time.Duration;

/**
 * A flag that processes wait for, owned by a manager's server: Python's {@code manager.Event()}.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedEvent go = manager.event();
 *     JvmProcess child = new JvmProcess(() -> go.set()).start();
 *     System.out.println(go.await(Duration.ofSeconds(30)));     // true
 *     child.join();
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Safe for any number of threads and processes.
 *
 * <p><b>Failure.</b> If the server is gone, every method throws {@link ManagerException}.
 */
public interface ManagedEvent {

    /**
     * Sets the flag and wakes every waiter.
     *
     * @throws ManagerException if the server is gone.
     */
    void set();

    /**
     * Clears the flag.
     *
     * @throws ManagerException if the server is gone.
     */
    void clear();

    /**
     * Tells whether the flag is set.
     *
     * @return the flag.
     * @throws ManagerException if the server is gone.
     */
    boolean isSet();

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if interrupted while waiting.
     * @throws ManagerException     if the server is gone.
     */
    void await() throws InterruptedException;

    /**
     * Waits at most {@code timeout} until the flag is set.
     *
     * @param timeout how long to wait.
     * @return whether the flag is set.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ManagerException     if the server is gone.
     */
    boolean await(Duration timeout) throws InterruptedException;
}
