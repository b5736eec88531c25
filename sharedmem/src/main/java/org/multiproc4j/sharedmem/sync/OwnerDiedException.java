package org.multiproc4j.sharedmem.sync;

import org.multiproc4j.core.ProcessException;

/**
 * Thrown by the acquiring methods of {@link SharedLock} and {@link SharedReentrantLock} (and by
 * {@link SharedCondition#await()}, which reacquires a lock) when the lock's previous owner died while it
 * held the lock. <b>The calling thread now holds the lock</b>, as if the call had returned normally: it must
 * check, and repair if needed, the state the lock protects (the dead owner may have left it half-updated),
 * and then {@code unlock()} as usual.
 *
 * <pre>{@code
 * try {
 *     lock.lock();
 * } catch (OwnerDiedException e) {
 *     repair(sharedState);          // we hold the lock here
 * }
 * try {
 *     update(sharedState);
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p>This is the robust-mutex protocol of POSIX ({@code EOWNERDEAD}) in Java form. Python's
 * {@code multiprocessing.Lock} has none: a process killed while holding it deadlocks every other process.
 */
public class OwnerDiedException extends ProcessException {
    private static final long serialVersionUID = 1L;

    private final String lockName;
    private final long deadOwnerPid;

    /**
     * Creates the exception.
     *
     * @param lockDescription the lock, as its {@code toString()} or name describes it.
     * @param lockName        the lock's name.
     * @param deadOwnerPid    the pid of the owner that died.
     */
    public OwnerDiedException(String lockDescription, String lockName, long deadOwnerPid) {
        super("the previous owner of " + lockDescription + ", pid " + deadOwnerPid + ", died while holding it: "
                + "this thread now holds the lock; check the state it protects, then unlock it");
        this.lockName = lockName;
        this.deadOwnerPid = deadOwnerPid;
    }

    /**
     * Returns the name of the lock that was recovered.
     *
     * @return the lock's name.
     */
    public String lockName() {
        return lockName;
    }

    /**
     * Returns the pid of the process that died holding the lock.
     *
     * @return the pid.
     */
    public long deadOwnerPid() {
        return deadOwnerPid;
    }
}
