package org.multiproc4j.manager.internal;

import java.io.IOException;

import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.net.SocketConnection;

/**
 * One client's conversation with the server: a pipe in shared memory (a client on this machine) or an
 * authenticated socket. Requests and responses alternate; one thread uses a channel at a time.
 */
public interface Channel extends AutoCloseable {

    /**
     * Sends one message.
     *
     * @param message the message.
     * @throws IOException          if the peer is gone or the channel closed.
     * @throws InterruptedException if interrupted while the channel is full.
     */
    void send(Object message) throws IOException, InterruptedException;

    /**
     * Receives one message, waiting as long as it takes; a dead peer ends the wait with an
     * {@link java.io.EOFException}.
     *
     * @return the message.
     * @throws IOException          if the peer is gone or the channel closed.
     * @throws InterruptedException if interrupted while waiting.
     */
    Object recv() throws IOException, InterruptedException;

    /**
     * Tells, without blocking, whether a message or the end of the conversation is waiting: for a server
     * thread inside a blocking call this means its client went away.
     *
     * @return {@code true} if {@link #recv()} would not block.
     * @throws IOException if the channel is closed.
     */
    boolean pollOrFail() throws IOException;

    /**
     * As {@link #pollOrFail()}, a closed channel counting as a message waiting.
     *
     * @return {@code true} if {@link #recv()} would not block.
     */
    default boolean poll() {
        try {
            return pollOrFail();
        } catch (IOException e) {
            return true;
        }
    }

    /** Closes this side; harmless twice. */
    @Override
    void close();

    /**
     * A channel over a pipe end.
     *
     * @param c the end.
     * @return the channel.
     */
    static Channel of(Connection c) {
        return new Of("pipe", c, c::send, c::recv, c::poll, c::close);
    }

    /**
     * A channel over an authenticated socket.
     *
     * @param c the socket connection.
     * @return the channel.
     */
    static Channel of(SocketConnection c) {
        return new Of("socket", c, c::send, c::recv, c::poll, c::close);
    }

    /** Sends a message. */
    interface Sender {
        /**
         * Sends.
         *
         * @param message the message.
         * @throws IOException          on a failure.
         * @throws InterruptedException if interrupted.
         */
        void send(Object message) throws IOException, InterruptedException;
    }

    /** Receives a message. */
    interface Receiver {
        /**
         * Receives.
         *
         * @return the message.
         * @throws IOException          on a failure.
         * @throws InterruptedException if interrupted.
         */
        Object recv() throws IOException, InterruptedException;
    }

    /** Polls without blocking. */
    interface Poller {
        /**
         * Polls.
         *
         * @return whether a receive would not block.
         * @throws IOException if closed.
         */
        boolean poll() throws IOException;
    }

    /**
     * A channel made of the four operations of a pipe end or a socket connection. A class, not a record: a
     * record's {@code hashCode} (channels are kept in a set) bootstraps an invokedynamic on its first use,
     * milliseconds in a cold JVM; this one has identity equality, as a channel should.
     */
    final class Of implements Channel {
        private final String kind;
        private final Object end;
        private final Sender sender;
        private final Receiver receiver;
        private final Poller poller;
        private final Runnable closer;

        /**
         * Makes a channel.
         *
         * @param kind     what it runs over ({@code "pipe"} or {@code "socket"}).
         * @param end      the pipe end or socket connection, for {@link #toString()}.
         * @param sender   its send.
         * @param receiver its receive.
         * @param poller   its poll.
         * @param closer   its close.
         */
        Of(String kind, Object end, Sender sender, Receiver receiver, Poller poller, Runnable closer) {
            this.kind = kind;
            this.end = end;
            this.sender = sender;
            this.receiver = receiver;
            this.poller = poller;
            this.closer = closer;
        }

        @Override
        public void send(Object message) throws IOException, InterruptedException {
            sender.send(message);
        }

        @Override
        public Object recv() throws IOException, InterruptedException {
            return receiver.recv();
        }

        @Override
        public boolean pollOrFail() throws IOException {
            return poller.poll();
        }

        @Override
        public void close() {
            closer.run();
        }

        @Override
        public String toString() {
            return kind + " " + end;
        }
    }
}
