package org.multiproc4j.ipc;

import java.io.Serializable;
import java.util.Objects;

/**
 * Options of a {@link Pipe} or a queue: the size of its ring and how its waiting threads idle. A newcomer never
 * needs them; the defaults suit messages of any size.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open(new ChannelOptions().capacity(8 << 20).idle(IdlePolicy.busySpin()));
 * }</pre>
 *
 * <p>The ring capacity is the shared memory each direction of a pipe, or a queue, has for messages in flight.
 * Messages larger than an eighth of it are sent in fragments (so any size works); a larger ring lets a
 * sender run further ahead of its receiver and sends big messages in fewer, larger pieces. Pages of the ring
 * take memory only once touched.
 *
 * <p>Options are copied when a channel is created and travel with it to child processes. Not thread-safe
 * while being configured.
 */
public final class ChannelOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The smallest ring capacity, in bytes. */
    public static final int MIN_CAPACITY = 4096;
    /** The largest ring capacity, in bytes. */
    public static final int MAX_CAPACITY = 1 << 30;

    /** The ring capacity in bytes, 0 for the channel's default. */
    private int capacity;
    /** How waiting threads idle. */
    private IdlePolicy idle = IdlePolicy.defaultPolicy();

    /** Creates options with the defaults: the channel's default ring capacity and {@link IdlePolicy#defaultPolicy()}. */
    public ChannelOptions() {
    }

    /**
     * Copies options.
     *
     * @param other the options to copy.
     */
    public ChannelOptions(ChannelOptions other) {
        this.capacity = other.capacity;
        this.idle = other.idle;
    }

    /**
     * Sets the ring capacity, rounded up to a power of two.
     *
     * @param bytes the capacity: from {@value #MIN_CAPACITY} to {@value #MAX_CAPACITY} bytes.
     * @return these options.
     * @throws IllegalArgumentException if {@code bytes} is out of range.
     */
    public ChannelOptions capacity(int bytes) {
        if (bytes < MIN_CAPACITY || bytes > MAX_CAPACITY) {
            throw new IllegalArgumentException("ring capacity must be between " + MIN_CAPACITY + " and "
                    + MAX_CAPACITY + " bytes, got " + bytes);
        }
        this.capacity = Integer.highestOneBit(bytes) == bytes ? bytes : Integer.highestOneBit(bytes) << 1;
        return this;
    }

    /**
     * Returns the ring capacity set, or 0 for the channel's default (1 MiB per pipe direction, 4 MiB per queue).
     *
     * @return the capacity in bytes, or 0.
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Sets how waiting threads idle.
     *
     * @param policy the policy.
     * @return these options.
     * @throws NullPointerException if {@code policy} is {@code null}.
     */
    public ChannelOptions idle(IdlePolicy policy) {
        this.idle = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Returns how waiting threads idle.
     *
     * @return the policy.
     */
    public IdlePolicy idle() {
        return idle;
    }

    int capacityOr(int defaultCapacity) {
        return capacity != 0 ? capacity : defaultCapacity;
    }

    @Override
    public String toString() {
        return "ChannelOptions[capacity=" + (capacity == 0 ? "default" : capacity) + ", idle=" + idle + "]";
    }
}
