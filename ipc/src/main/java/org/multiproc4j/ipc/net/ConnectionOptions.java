package org.multiproc4j.ipc.net;

import java.time.Duration;
import java.util.Objects;

import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.ipc.net.internal.FrameChannel;

/**
 * Settings of a {@link Listener} and of {@link Client#connect(java.net.SocketAddress, byte[], ConnectionOptions)},
 * shared by the {@link SocketConnection}s they make. Every setting has a default a newcomer never needs to
 * change.
 *
 * <pre>{@code
 * ConnectionOptions options = new ConnectionOptions()
 *         .handshakeTimeout(Duration.ofSeconds(2))
 *         .maxMessageSize(1 << 30)
 *         .codec(Codecs.jdk("com.example.*;java.base/*;!*"));    // JDK serialization, allow-listed
 * }</pre>
 *
 * <p>Each setting has a setter and a getter of the same name; a setter checks its argument and throws, naming
 * the setting and the value, before it changes anything.
 *
 * <p><b>Thread safety.</b> Not thread-safe: configure it in one thread. Listeners and clients copy the options
 * they are given, so later changes do not affect them.
 */
public final class ConnectionOptions {
    /** Default {@link #handshakeTimeout()}: 5 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #maxMessageSize()}: 128 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 128 << 20;
    /** Default {@link #backlog()}: 128 connections. */
    public static final int DEFAULT_BACKLOG = 128;

    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private Codec codec = Codecs.jdk();
    private int backlog = DEFAULT_BACKLOG;

    /** Creates options with every default. */
    public ConnectionOptions() {
    }

    /**
     * Copies options: the copy and {@code other} can then be changed independently.
     *
     * @param other the options to copy.
     * @throws NullPointerException if {@code other} is {@code null}.
     */
    public ConnectionOptions(ConnectionOptions other) {
        handshakeTimeout = other.handshakeTimeout;
        maxMessageSize = other.maxMessageSize;
        codec = other.codec;
        backlog = other.backlog;
    }

    /**
     * Sets how long connecting and authenticating may take. A listener drops a client that has not finished
     * its handshake by then (so a client that connects and says nothing costs it nothing but a socket for that
     * long); a client gives up on a listener that does not answer.
     *
     * @param timeout a positive duration; default {@link #DEFAULT_HANDSHAKE_TIMEOUT}.
     * @return these options.
     * @throws IllegalArgumentException if {@code timeout} is not positive.
     * @throws NullPointerException     if {@code timeout} is {@code null}.
     */
    public ConnectionOptions handshakeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "handshakeTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive, got " + timeout);
        }
        this.handshakeTimeout = timeout;
        return this;
    }

    /**
     * Returns how long connecting and authenticating may take.
     *
     * @return the timeout; default {@link #DEFAULT_HANDSHAKE_TIMEOUT}.
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Sets the largest message, in bytes (encoded form for objects), that a connection sends or accepts. A
     * larger {@code send} fails before anything is sent; a larger incoming message closes the connection with
     * a {@link java.net.ProtocolException} (the stream cannot be resynchronised without reading it all).
     *
     * @param bytes between 1 and {@code Integer.MAX_VALUE - 13}; default {@link #DEFAULT_MAX_MESSAGE_SIZE}.
     * @return these options.
     * @throws IllegalArgumentException if {@code bytes} is out of range.
     */
    public ConnectionOptions maxMessageSize(int bytes) {
        if (bytes < 1 || bytes > FrameChannel.MAX_PAYLOAD) {
            throw new IllegalArgumentException("maxMessageSize must be between 1 and " + FrameChannel.MAX_PAYLOAD
                    + " bytes, got " + bytes);
        }
        this.maxMessageSize = bytes;
        return this;
    }

    /**
     * Returns the largest message a connection sends or accepts.
     *
     * @return the size in bytes; default {@link #DEFAULT_MAX_MESSAGE_SIZE}.
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Sets the codec that turns the objects of {@link SocketConnection#send(Object)} into bytes and back. Both
     * ends must use the same kind of codec (a mismatch is reported by {@code recv} as a
     * {@link org.multiproc4j.core.SerializationException} naming the codecs). Objects are only ever read from an
     * authenticated peer; an allow-list is a second line of defence.
     *
     * @param codec the codec; default {@link Codecs#jdk()} (any {@link java.io.Serializable}, through core's
     *              default filter). {@code Codecs.jdk("com.example.*;java.base/*;!*")} allow-lists classes;
     *              {@code Codecs.fast(Order.class)} is many times faster for registered classes.
     * @return these options.
     * @throws NullPointerException if {@code codec} is {@code null}.
     */
    public ConnectionOptions codec(Codec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /**
     * Returns the codec of objects.
     *
     * @return the codec; default {@link Codecs#jdk()}.
     */
    public Codec codec() {
        return codec;
    }

    /**
     * Sets how many connections the operating system queues for a {@link Listener} before they are accepted
     * (ignored by clients).
     *
     * @param backlog a positive number; default {@link #DEFAULT_BACKLOG}.
     * @return these options.
     * @throws IllegalArgumentException if {@code backlog} is not positive.
     */
    public ConnectionOptions backlog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, got " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    /**
     * Returns the listener's backlog.
     *
     * @return the backlog; default {@link #DEFAULT_BACKLOG}.
     */
    public int backlog() {
        return backlog;
    }

    /**
     * Describes every setting.
     *
     * @return e.g. {@code ConnectionOptions[handshakeTimeout=PT5S, maxMessageSize=134217728, ...]}.
     */
    @Override
    public String toString() {
        return "ConnectionOptions[handshakeTimeout=" + handshakeTimeout + ", maxMessageSize=" + maxMessageSize
                + ", codec=" + codec + ", backlog=" + backlog + "]";
    }
}
