package org.multiproc4j.manager;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock owned by a manager's server: Python's {@code manager.Lock()} ({@link Manager#lock()}, not reentrant)
 * and {@code manager.RLock()} ({@link Manager#reentrantLock()}). The holder is the calling thread of the
 * calling process (each thread has its own connection to the server).
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedLock lock = manager.lock();
 *     List<Integer> shared = manager.list();
 *     JvmProcess child = new JvmProcess(() -> {
 *         lock.lock();
 *         try {
 *             shared.add(shared.size());               // no other holder between size() and add()
 *         } finally {
 *             lock.unlock();
 *         }
 *     }).start();
 *     if (lock.tryLock(Duration.ofSeconds(30))) {
 *         try {
 *             shared.add(shared.size());
 *         } finally {
 *             lock.unlock();
 *         }
 *     }
 *     child.join();
 *     System.out.println(shared);                      // [0, 1]
 * }
 * }</pre>
 *
 * <p><b>A holder that dies.</b> When the process holding the lock dies (even by {@code kill -9}), or its
 * connection closes, the server releases the lock; the next thread to acquire it gets it normally, and
 * {@link #ownerDied()} tells that thread so until it unlocks, so that it can repair what the dead holder may
 * have left half-done. Python's managed lock stays held for ever here.
 *
 * <p><b>Waiting.</b> A thread waiting for the lock waits in the server; the server checks every 50 ms that the
 * waiting client is still there, so a client killed while waiting takes nothing. {@code lock()} cannot be
 * interrupted in the server: interrupting the waiting thread closes its connection (the wait ends in the
 * server) and the call throws {@link ManagerException} with the interrupt flag set.
 * {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)} throw {@link InterruptedException}
 * instead.
 *
 * <p><b>Thread and process safety.</b> Safe for any number of threads and processes. A reentrant lock is
 * released only by its holder ({@link IllegalMonitorStateException} otherwise); a plain lock, as in Python,
 * may be released by any thread of any process.
 *
 * <p><b>Memory consistency effects.</b> What a holder did through the manager's proxies before unlocking
 * happens-before what the next holder does through them after locking; see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> If the server is gone, every method throws {@link ManagerException}.
 */
public interface ManagedLock extends Lock {

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero or negative tries once.
     * @return whether the lock was acquired.
     * @throws InterruptedException if the thread is interrupted while waiting.
     * @throws ManagerException     if the server is gone.
     */
    boolean tryLock(Duration timeout) throws InterruptedException;

    /**
     * Tells the holder whether the lock was taken over from a holder that died (or whose connection closed)
     * holding it; {@code false} again once the lock is released.
     *
     * @return {@code true} if the previous holder died holding the lock.
     * @throws ManagerException if the server is gone.
     */
    boolean ownerDied();

    /**
     * Tells whether some thread holds the lock.
     *
     * @return {@code true} if it is held.
     * @throws ManagerException if the server is gone.
     */
    boolean isLocked();

    /**
     * Tells whether the calling thread holds the lock.
     *
     * @return {@code true} if it does.
     * @throws ManagerException if the server is gone.
     */
    boolean isHeldByCurrentThread();

    /**
     * Not supported: use {@link Manager#condition()}, which is a lock and its condition in one.
     *
     * @return never.
     * @throws UnsupportedOperationException always.
     */
    @Override
    Condition newCondition();
}
