package org.multiproc4j.mpi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.mpi.spi.BackendRequest;

/**
 * A nonblocking send or receive in progress ({@link Comm#isend}, {@link Comm#irecv}): mpi4py's
 * {@code Request}. {@link #await()} waits for it to complete; {@link #test()} tells without waiting; an object
 * receive's value is {@link #object()} once complete.
 *
 * <pre>{@code
 * try (Mpi mpi = Mpi.init(new String[0])) {
 *     Comm world = mpi.world();
 *     Request r = world.irecv(0, 3);                       // an object receive
 *     world.isend("hello", 0, 3).await();
 *     r.await(Duration.ofSeconds(10));
 *     String s = r.object();
 *     System.out.println(s);                               // hello
 * }
 * }</pre>
 *
 * <p><b>Local backend.</b> A send is copied into the destination's ring when it starts (when the ring is full,
 * {@code isend} waits for the receiver to drain it, making progress on this rank's own incoming messages
 * meanwhile), so a send request is complete when returned. Receives complete as their messages arrive, during
 * any call that waits.
 *
 * <p><b>Thread and process safety.</b> Use a request from the thread that uses its communicator (calls are
 * serialized per process).
 */
public final class Request {
    private final BackendRequest request;
    private final boolean object;
    private final Mpi mpi;
    private Status status;
    private Object value;

    Request(Mpi mpi, BackendRequest request, boolean object) {
        this.mpi = mpi;
        this.request = request;
        this.object = object;
    }

    /**
     * Waits for the operation to complete.
     *
     * @return its status.
     * @throws MpiException        if the operation failed (a truncated message, say).
     * @throws JobAbortedException if the job is ending.
     */
    public Status await() {
        try {
            return await(Long.MAX_VALUE);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Waits at most {@code timeout} for the operation to complete.
     *
     * @param timeout how long to wait.
     * @return its status.
     * @throws TimeoutException    if it did not complete in time (it stays pending).
     * @throws MpiException        if the operation failed.
     * @throws JobAbortedException if the job is ending.
     */
    public Status await(Duration timeout) throws TimeoutException {
        return await(Comm.deadline(timeout));
    }

    private Status await(long deadline) throws TimeoutException {
        if (status == null) {
            status = request.await(deadline);
            if (object) {
                value = mpi.decode(request.bytes());
            }
        }
        return status;
    }

    /**
     * Tells whether the operation is complete, making progress on it.
     *
     * @return {@code true} if complete.
     * @throws MpiException if the operation failed.
     */
    public boolean test() {
        if (status != null) {
            return true;
        }
        if (request.test()) {
            await();
            return true;
        }
        return false;
    }

    /**
     * Returns the object an object receive received.
     *
     * @param <T> the expected type.
     * @return the object.
     * @throws IllegalStateException if the request is not complete, or not an object receive.
     */
    @SuppressWarnings("unchecked")
    public <T> T object() {
        if (!object) {
            throw new IllegalStateException("not an object receive");
        }
        if (status == null) {
            throw new IllegalStateException("the receive is not complete: call await() first");
        }
        return (T) value;
    }

    /**
     * Waits for every request ({@code MPI_Waitall}).
     *
     * @param requests the requests.
     * @return their statuses, in order.
     * @throws MpiException if one failed.
     */
    public static List<Status> awaitAll(List<Request> requests) {
        List<Status> out = new ArrayList<>(requests.size());
        for (Request r : requests) {
            out.add(r.await());
        }
        return out;
    }

    /**
     * Waits until one of the requests completes ({@code MPI_Waitany}).
     *
     * @param requests the requests, not empty.
     * @return the index of a completed request.
     * @throws IllegalArgumentException if the list is empty.
     * @throws MpiException             if the completed one failed.
     */
    public static int awaitAny(List<Request> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("awaitAny: no requests");
        }
        while (true) {
            for (int i = 0; i < requests.size(); i++) {
                if (requests.get(i).test()) {
                    return i;
                }
            }
            Thread.yield();
        }
    }
}
