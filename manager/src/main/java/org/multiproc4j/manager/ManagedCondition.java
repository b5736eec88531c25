package org.multiproc4j.manager;

import java.time.Duration;
import java.util.concurrent.locks.Condition;

/**
 * A condition variable owned by a manager's server, with its own reentrant lock: Python's
 * {@code manager.Condition()}. Lock it ({@link #lock()}), then {@link #await()} until another thread or
 * process calls {@link #signal()} or {@link #signalAll()} while holding it.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedCondition ready = manager.condition();
 *     Namespace state = manager.namespace();
 *     JvmProcess child = new JvmProcess(() -> {
 *         ready.lock();
 *         try {
 *             state.set("done", true);
 *             ready.signalAll();
 *         } finally {
 *             ready.unlock();
 *         }
 *     }).start();
 *     ready.lock();
 *     try {
 *         while (!state.contains("done")) {
 *             ready.await(Duration.ofSeconds(30));
 *         }
 *     } finally {
 *         ready.unlock();
 *     }
 *     child.join();
 *     System.out.println(state);            // Namespace(done=true)
 * }
 * }</pre>
 *
 * <p>As with every {@link Condition}, waiting may end without a signal (after a timeout, or spuriously): wait
 * in a loop that tests the state waited for. The lock follows {@link ManagedLock}'s rules, its holder's death
 * included.
 *
 * <p><b>Thread and process safety.</b> Safe for any number of threads and processes.
 *
 * <p><b>Failure.</b> Waiting or signalling without holding the lock throws
 * {@link IllegalMonitorStateException}. If the server is gone, every method throws {@link ManagerException}.
 */
public interface ManagedCondition extends ManagedLock, Condition {

    /**
     * Waits at most {@code timeout} for a signal, releasing the lock meanwhile and holding it again on return.
     *
     * @param timeout how long to wait.
     * @return {@code false} if the time ran out, {@code true} otherwise.
     * @throws InterruptedException         if interrupted while waiting.
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     * @throws ManagerException             if the server is gone.
     */
    boolean await(Duration timeout) throws InterruptedException;
}
