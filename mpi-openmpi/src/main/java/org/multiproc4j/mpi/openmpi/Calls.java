package org.multiproc4j.mpi.openmpi;

import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.mpi.MpiException;

/**
 * Who may call MPI, and one at a time: every MPI call of the backend runs between {@link #enter()} and
 * {@link #exit()}. At the default thread level ({@code multiple}) that is one process-wide lock, so any thread may
 * call and calls are served one at a time. At {@code single} there is no lock: only the thread that opened the
 * session may call, and {@link #enter()} refuses any other with an {@link MpiException} naming both threads, before
 * any MPI call is made (MPI at {@code MPI_THREAD_SINGLE} promises nothing for a call from another thread).
 *
 * <p><b>Thread safety.</b> Safe for use by several threads; the owner of a {@code single} guard is fixed at
 * creation.
 */
final class Calls {
    private final ReentrantLock lock;
    private final Thread owner;

    private Calls(ReentrantLock lock, Thread owner) {
        this.lock = lock;
        this.owner = owner;
    }

    /**
     * Calls serialized by one lock: any thread may call.
     *
     * @return the guard.
     */
    static Calls serialized() {
        return new Calls(new ReentrantLock(), null);
    }

    /**
     * Calls from one thread only, with no lock.
     *
     * @param owner the only thread that may call.
     * @return the guard.
     */
    static Calls confinedTo(Thread owner) {
        return new Calls(null, owner);
    }

    /**
     * Enters an MPI call: takes the lock, or checks that the calling thread is the owner.
     *
     * @throws MpiException at {@code single}, if the calling thread is not the owner (nothing was entered).
     */
    void enter() {
        if (lock != null) {
            lock.lock();
        } else if (Thread.currentThread() != owner) {
            throw wrongThread();
        }
    }

    /** Leaves an MPI call entered by {@link #enter()}. */
    void exit() {
        if (lock != null) {
            lock.unlock();
        }
    }

    /** Whether calls are confined to one thread ({@code single}). */
    boolean confined() {
        return lock == null;
    }

    private MpiException wrongThread() {
        return new MpiException("openmpi backend: thread \"" + Thread.currentThread().getName()
                + "\" called MPI, but " + OpenMpiSession.THREADS_PROP + "=single allows only the thread that called"
                + " Mpi.init (\"" + owner.getName() + "\") to call it (MPI_THREAD_SINGLE); call from that thread, or"
                + " leave " + OpenMpiSession.THREADS_PROP + " unset (multiple) so that any thread may call");
    }
}
