package org.multiproc4j.mpi.openmpi;

import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.mpi.MpiException;

/**
 * The backend's lock at {@code single} ({@link OpenMpiSession#THREADS_PROP}): it locks nothing, and {@link #lock()}
 * lets only the thread that opened the session through, refusing any other with an {@link MpiException} naming both
 * threads, before any MPI call is made (MPI at {@code MPI_THREAD_SINGLE} promises nothing for a call from another
 * thread). At the default level the backend uses a plain {@link ReentrantLock} in its place, so the call sites are
 * the same {@code lock()}/{@code unlock()} at both levels, and each is monomorphic in a process.
 *
 * <p>Only {@link #lock()} and {@link #unlock()} are meant: the other methods are {@link ReentrantLock}'s and see a
 * lock that is never held. <b>Thread safety.</b> Safe for use by several threads (the owner is fixed at creation).
 */
final class ConfinedLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    private final transient Thread owner;

    /**
     * Creates the lock.
     *
     * @param owner the only thread that may call MPI.
     */
    ConfinedLock(Thread owner) {
        this.owner = owner;
    }

    /**
     * Checks that the calling thread is the owner; takes nothing.
     *
     * @throws MpiException if it is another thread.
     */
    @Override
    public void lock() {
        if (Thread.currentThread() != owner) {
            throw wrongThread();
        }
    }

    /** Releases nothing. */
    @Override
    public void unlock() {
    }

    private MpiException wrongThread() {
        return new MpiException("openmpi backend: thread \"" + Thread.currentThread().getName()
                + "\" called MPI, but " + OpenMpiSession.THREADS_PROP + "=single allows only the thread that called"
                + " Mpi.init (\"" + (owner == null ? "?" : owner.getName()) + "\") to call it (MPI_THREAD_SINGLE); call"
                + " from that thread, or leave " + OpenMpiSession.THREADS_PROP + " unset (multiple) so that any thread"
                + " may call");
    }
}
