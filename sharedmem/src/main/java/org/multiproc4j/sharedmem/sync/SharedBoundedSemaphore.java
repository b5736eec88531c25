package org.multiproc4j.sharedmem.sync;

import java.util.Objects;

import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.Segment;

/**
 * A semaphore shared by processes that may never hold more permits than it started with: Python's
 * {@code multiprocessing.BoundedSemaphore}. A {@link #release()} that would exceed the initial count throws
 * {@link IllegalStateException} (Python raises {@code ValueError}) and changes nothing, which catches a
 * release too many.
 *
 * <pre>{@code
 * try (SharedBoundedSemaphore sem = SharedBoundedSemaphore.create(1)) {
 *     sem.acquire();
 *     sem.release();
 *     try {
 *         sem.release();
 *     } catch (IllegalStateException e) {
 *         System.out.println(e.getMessage());   // ... released too many times: permits would be 2, bound is 1
 *     }
 * }
 * }</pre>
 *
 * <p>Everything said of {@link SharedSemaphore} holds here; permits given back from dead holders never take
 * it above the bound either.
 *
 * <p><b>Memory consistency effects.</b> As for {@link SharedSemaphore}: actions prior to a {@code release}
 * happen-before actions subsequent to the {@code acquire} that takes the permit, in any process (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 */
public final class SharedBoundedSemaphore extends SharedSemaphore {

    SharedBoundedSemaphore(Segment segment, IdlePolicy idle) {
        super(segment, idle);
    }

    /**
     * Creates a bounded semaphore with the given number of permits, which is also its bound; its waiters idle
     * as {@link IdlePolicy#defaultPolicy()} says.
     *
     * @param permits the initial permits and bound, not negative.
     * @return the semaphore; this process is its creator.
     * @throws IllegalArgumentException if {@code permits} is negative.
     * @throws SharedMemoryException    if the segment cannot be created.
     */
    public static SharedBoundedSemaphore create(int permits) {
        return create(permits, IdlePolicy.defaultPolicy());
    }

    /**
     * Creates a bounded semaphore with the given number of permits, which is also its bound; its waiters idle
     * as {@code idle} says (in every process the semaphore's handle reaches; one attached by name uses the
     * default).
     *
     * @param permits the initial permits and bound, not negative.
     * @param idle    how waiting threads idle.
     * @return the semaphore; this process is its creator.
     * @throws IllegalArgumentException if {@code permits} is negative.
     * @throws NullPointerException     if {@code idle} is {@code null}.
     * @throws SharedMemoryException    if the segment cannot be created.
     */
    public static SharedBoundedSemaphore create(int permits, IdlePolicy idle) {
        Objects.requireNonNull(idle, "idle");
        return new SharedBoundedSemaphore(newSegment(permits, true), idle);
    }

    /**
     * Attaches a bounded semaphore created by another process (or this one), by name; its waiters idle as
     * {@link IdlePolicy#defaultPolicy()} says.
     *
     * @param name the semaphore's name ({@link #name()}).
     * @return the semaphore.
     * @throws SharedMemoryException if there is no such segment or it is not a bounded semaphore.
     */
    public static SharedBoundedSemaphore attach(String name) {
        SharedSemaphore s = SharedSemaphore.attach(name);
        if (!(s instanceof SharedBoundedSemaphore)) {
            s.close();
            throw new SharedMemoryException("cannot attach " + s.name() + " as a SharedBoundedSemaphore: it is an "
                    + "unbounded SharedSemaphore");
        }
        return (SharedBoundedSemaphore) s;
    }
}
