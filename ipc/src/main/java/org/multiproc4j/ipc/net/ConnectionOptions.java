package org.multiproc4j.ipc.net;

import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.Objects;

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
 *         .objectFilter(ObjectInputFilter.Config.createFilter("java.base/*;com.example.*;!*"));
 * }</pre>
 *
 * <p><b>Thread safety.</b> Not thread-safe: build it in one thread. Listeners and clients copy the options
 * they are given, so later changes have no effect on them.
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
    private ObjectInputFilter objectFilter;
    private int backlog = DEFAULT_BACKLOG;

    /** Creates options with every default. */
    public ConnectionOptions() {
    }

    /**
     * Copies options.
     *
     * @param other the options to copy.
     */
    public ConnectionOptions(ConnectionOptions other) {
        handshakeTimeout = other.handshakeTimeout;
        maxMessageSize = other.maxMessageSize;
        objectFilter = other.objectFilter;
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
     */
    public ConnectionOptions handshakeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
        }
        this.handshakeTimeout = timeout;
        return this;
    }

    /**
     * Returns how long connecting and authenticating may take.
     *
     * @return the timeout.
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Sets the largest message, in bytes (serialized form for objects), that a connection sends or accepts. A
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
                    + " bytes: " + bytes);
        }
        this.maxMessageSize = bytes;
        return this;
    }

    /**
     * Returns the largest message a connection sends or accepts.
     *
     * @return the size in bytes.
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Sets the filter that every object received with {@link SocketConnection#recv()} passes through (an
     * allow-list of classes, say). Objects are only ever read from an authenticated peer; the filter is a
     * second line of defence.
     *
     * @param filter the filter, or {@code null} (the default) for the JVM-wide filter ({@code jdk.serialFilter})
     *               or, if there is none, limits on depth (100) and references (ten million) only.
     * @return these options.
     */
    public ConnectionOptions objectFilter(ObjectInputFilter filter) {
        this.objectFilter = filter;
        return this;
    }

    /**
     * Returns the filter for received objects.
     *
     * @return the filter, or {@code null} for the default.
     */
    public ObjectInputFilter objectFilter() {
        return objectFilter;
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
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    /**
     * Returns the listener's backlog.
     *
     * @return the backlog.
     */
    public int backlog() {
        return backlog;
    }

    @Override
    public String toString() {
        return "ConnectionOptions[handshakeTimeout=" + handshakeTimeout + ", maxMessageSize=" + maxMessageSize
                + ", objectFilter=" + Objects.toString(objectFilter, "default") + ", backlog=" + backlog + "]";
    }
}
