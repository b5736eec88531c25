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
 * try (SharedLock lock = SharedLock.create(); SharedLong balance = SharedLong.create(100)) {
 *     new JvmProcess(() -> {
 *         lock.lock();
 *         balance.set(-1);                        // half an update...
 *         Runtime.getRuntime().halt(1);           // ...and the holder dies
 *     }).start().join();
 *     try {
 *         lock.lock();
 *     } catch (OwnerDiedException e) {
 *         balance.set(100);                       // we hold the lock here: repair the state
 *     }
 *     try {
 *         balance.set(balance.get() - 10);        // update it
 *     } finally {
 *         lock.unlock();
 *     }
 *     System.out.println(balance.get());          // 90
 * }
 * }</pre>
 *
 * <p>This is the robust-mutex protocol of POSIX ({@code EOWNERDEAD}) in Java form. Python's
 * {@code multiprocessing.Lock} has none: a process killed while holding it deadlocks every other process.
 */
public class OwnerDiedException extends ProcessException {
    private static final long serialVersionUID = 1L;

    /** The name of the lock that was taken over. */
    private final String lockName;
    /** The pid of the owner that died. */
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
