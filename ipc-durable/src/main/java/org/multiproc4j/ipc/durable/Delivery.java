package org.multiproc4j.ipc.durable;

import org.multiproc4j.ipc.durable.internal.DurableLog;
import org.multiproc4j.ipc.durable.internal.QueueDescriptor;

/**
 * A message delivered by {@link DurableQueue#receive()}: it is consumed when {@link #ack()} is called, and goes
 * back to the queue on {@link #release()}, on {@link #close()} without an {@code ack}, when the queue object is
 * closed, or when this process dies. A message that went back is delivered again, to any consumer, flagged
 * {@link #redelivered()}.
 *
 * <pre>{@code
 * try (DurableQueue<String> queue = DurableQueue.open(Files.createTempDirectory("jobs"))) {
 *     queue.append("job 1");
 *     try (Delivery<String> d = queue.receive()) {
 *         System.out.println("doing " + d.value());
 *         d.ack();                 // without it (an exception above), close() gives the job back
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Thread-safe; {@code ack} and {@code release} take effect once. Only the
 * process that received a delivery can settle it; the object does not travel to other processes.
 *
 * <p><b>Memory consistency effects.</b> An {@code ack} is a compare-and-set of the message's marker in a
 * memory-mapped file: a consumer in any process that finds the message consumed afterwards sees it so, and
 * never delivers it again. The message itself is a copy, as {@link DurableQueue} says (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 *
 * <p><b>Failure.</b> If this process dies before {@code ack}, the message is delivered again (within the
 * queue's {@linkplain DurableQueue.Options#recoveryInterval(java.time.Duration) recovery interval} of a consumer
 * looking for work); so the work done on a message is repeated only when its consumer died between finishing it
 * and acknowledging.
 *
 * @param <E> the type of the message.
 */
public final class Delivery<E> implements AutoCloseable {
    private final DurableLog log;
    private final long index;
    private final long marker;
    private final E value;
    private final boolean redelivered;
    private boolean settled;

    Delivery(DurableLog log, long index, long marker, E value, boolean redelivered) {
        this.log = log;
        this.index = index;
        this.marker = marker;
        this.value = value;
        this.redelivered = redelivered;
    }

    /**
     * Returns the message.
     *
     * @return the message.
     */
    public E value() {
        return value;
    }

    /**
     * Returns the message's index in the queue (what {@link DurableQueue#append(Object)} returned for it).
     *
     * @return the index.
     */
    public long index() {
        return index;
    }

    /**
     * Tells whether the message was delivered before, to a consumer that died, closed its queue or released it
     * without acknowledging.
     *
     * @return {@code true} for a redelivery.
     */
    public boolean redelivered() {
        return redelivered;
    }

    /**
     * Consumes the message: nobody will receive it again.
     *
     * @throws IllegalStateException if it was already acknowledged or released, or the queue object was closed
     *                               (then the message was given back, and may be delivered again).
     */
    public synchronized void ack() {
        if (settled) {
            throw new IllegalStateException("delivery of message " + Long.toHexString(index)
                    + " was already acknowledged or released");
        }
        settled = true;
        if (!log.settle(index, marker, log.consumedMarker())) {
            throw new IllegalStateException("delivery of message " + Long.toHexString(index) + " of " + log
                    + " is no longer held: the queue object was closed, so it went back to the queue");
        }
    }

    /**
     * Gives the message back to the queue, to be delivered again (to any consumer).
     *
     * @throws IllegalStateException if it was already acknowledged or released.
     */
    public synchronized void release() {
        if (settled) {
            throw new IllegalStateException("delivery of message " + Long.toHexString(index)
                    + " was already acknowledged or released");
        }
        settled = true;
        log.settle(index, marker, QueueDescriptor.RELEASED);
    }

    /** Releases the message unless it was acknowledged or released. Harmless twice. */
    @Override
    public synchronized void close() {
        if (!settled) {
            settled = true;
            log.settle(index, marker, QueueDescriptor.RELEASED);
        }
    }

    @Override
    public String toString() {
        return "Delivery[" + Long.toHexString(index) + (redelivered ? ", redelivered" : "") + ", " + value + "]";
    }
}
