package org.multiproc4j.ipc;

import java.io.Serializable;
import java.util.Objects;
import java.util.OptionalInt;

import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * Options of a {@link Pipe} or a queue: the size of its ring and how its waiting threads idle. A newcomer never
 * needs them; the defaults suit messages of any size.
 *
 * <pre>{@code
 * try (Pipe pipe = Pipe.open(new ChannelOptions().capacity(8 << 20).idle(IdlePolicy.busySpin()))) {
 *     pipe.first().sendBytes(new byte[1 << 20]);
 *     System.out.println(pipe.second().recvBytes().length);   // 1048576
 * }
 * }</pre>
 *
 * <p>The ring capacity is the shared memory each direction of a pipe, or a queue, has for messages in flight.
 * Messages larger than an eighth of it are sent in fragments (so any size works); a larger ring lets a
 * sender run further ahead of its receiver and sends big messages in fewer, larger pieces. Pages of the ring
 * take memory only once touched.
 *
 * <p>The codec encodes the values that are not plain (boxed primitives, strings, primitive arrays and
 * {@code Object[]} of those, nested up to four deep, take the fast path every codec shares, described in
 * {@link org.multiproc4j.core.codec.Codec}). The default, {@link Codecs#jdk()}, carries anything
 * {@link java.io.Serializable}, like Python's pickle; {@link Codecs#fast(Class[])} is several times faster for
 * the classes registered with it (every process using the channel gets the same registrations, since the codec
 * travels with the channel) and refuses others.
 *
 * <p>Options are copied when a channel is created and travel with it to child processes (so the codec must be
 * {@link java.io.Serializable}, as every codec from {@link Codecs} is). Each setting has a setter and a getter
 * of the same name; a setter checks its argument and throws, naming the setting and the value, before it
 * changes anything.
 *
 * <p><b>Thread safety.</b> Not thread-safe: configure it in one thread. A pipe or a queue copies its options
 * when it is created, so later changes do not affect it.
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
    /** The codec of values off the fast path; {@code null} for {@link Codecs#jdk()}. */
    private Serializable codec;

    /** Creates options with the defaults: the channel's default ring capacity and {@link IdlePolicy#defaultPolicy()}. */
    public ChannelOptions() {
    }

    /**
     * Copies options: the copy and {@code other} can then be changed independently.
     *
     * @param other the options to copy.
     * @throws NullPointerException if {@code other} is {@code null}.
     */
    public ChannelOptions(ChannelOptions other) {
        this.capacity = other.capacity;
        this.idle = other.idle;
        this.codec = other.codec;
    }

    /**
     * Sets the ring capacity, rounded up to a power of two.
     *
     * @param bytes the capacity: from {@value #MIN_CAPACITY} to {@value #MAX_CAPACITY} bytes; default the
     *              channel's own (1 MiB per pipe direction, 4 MiB per queue).
     * @return these options.
     * @throws IllegalArgumentException if {@code bytes} is out of range.
     */
    public ChannelOptions capacity(int bytes) {
        if (bytes < MIN_CAPACITY || bytes > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be between " + MIN_CAPACITY + " and "
                    + MAX_CAPACITY + " bytes, got " + bytes);
        }
        this.capacity = Integer.highestOneBit(bytes) == bytes ? bytes : Integer.highestOneBit(bytes) << 1;
        return this;
    }

    /**
     * Returns the ring capacity set.
     *
     * @return the capacity in bytes, a power of two; empty for the channel's default (1 MiB per pipe direction,
     *         4 MiB per queue).
     */
    public OptionalInt capacity() {
        return capacity == 0 ? OptionalInt.empty() : OptionalInt.of(capacity);
    }

    /**
     * Sets how waiting threads idle.
     *
     * @param policy the policy; default {@link IdlePolicy#defaultPolicy()}.
     * @return these options.
     * @throws NullPointerException if {@code policy} is {@code null}.
     */
    public ChannelOptions idle(IdlePolicy policy) {
        this.idle = Objects.requireNonNull(policy, "idle");
        return this;
    }

    /**
     * Returns how waiting threads idle.
     *
     * @return the policy; default {@link IdlePolicy#defaultPolicy()}.
     */
    public IdlePolicy idle() {
        return idle;
    }

    /**
     * Sets the codec of values that are not plain values.
     *
     * @param codec the codec; it must be {@link Serializable} (to travel with the channel); default
     *              {@link Codecs#jdk()}.
     * @return these options.
     * @throws IllegalArgumentException if the codec is not serializable.
     * @throws NullPointerException     if {@code codec} is {@code null}.
     */
    public ChannelOptions codec(Codec codec) {
        Objects.requireNonNull(codec, "codec");
        if (!(codec instanceof Serializable)) {
            throw new IllegalArgumentException("codec must be Serializable, got " + codec + ": it travels with the "
                    + "pipe or queue to other processes (every codec from Codecs is)");
        }
        this.codec = (Serializable) codec;
        return this;
    }

    /**
     * Returns the codec of values that are not plain values.
     *
     * @return the codec, {@link Codecs#jdk()} unless set.
     */
    public Codec codec() {
        return codec == null ? Codecs.jdk() : (Codec) codec;
    }

    int capacityOr(int defaultCapacity) {
        return capacity != 0 ? capacity : defaultCapacity;
    }

    /**
     * Describes every setting, {@code default} for the capacity if not set.
     *
     * @return e.g. {@code ChannelOptions[capacity=65536, idle=..., codec=...]}.
     */
    @Override
    public String toString() {
        return "ChannelOptions[capacity=" + (capacity == 0 ? "default" : capacity) + ", idle=" + idle + ", codec="
                + codec() + "]";
    }
}
