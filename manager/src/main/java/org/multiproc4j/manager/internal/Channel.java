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
     * Sends raw bytes as one message, which the peer's {@link #recv()} returns as a {@code byte[]}.
     *
     * @param bytes  the array.
     * @param length how many of its first bytes.
     * @throws IOException          if the peer is gone or the channel closed.
     * @throws InterruptedException if interrupted while the channel is full.
     */
    void sendBytes(byte[] bytes, int length) throws IOException, InterruptedException;

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
        return new OverConnection(c, "pipe ");
    }

    /**
     * A channel over an authenticated socket.
     *
     * @param c the socket connection.
     * @return the channel.
     */
    static Channel of(SocketConnection c) {
        return new OverConnection(c, "socket ");
    }

    /*
     * Classes, not method references: each method reference is a class spun at its first use, milliseconds of a
     * cold client's first call; and not records: a record's hashCode (channels are kept in a set) bootstraps an
     * invokedynamic on its first use. These have identity equality, as a channel should.
     */

    /** A channel over a connection: a pipe end or an authenticated socket. */
    final class OverConnection implements Channel {
        private final Connection end;
        private final String kind;

        OverConnection(Connection end, String kind) {
            this.end = end;
            this.kind = kind;
        }

        @Override
        public void send(Object message) throws IOException, InterruptedException {
            end.send(message);
        }

        @Override
        public void sendBytes(byte[] bytes, int length) throws IOException, InterruptedException {
            end.sendBytes(bytes, 0, length);
        }

        @Override
        public Object recv() throws IOException, InterruptedException {
            return end.recv();
        }

        @Override
        public boolean pollOrFail() throws IOException {
            return end.poll();
        }

        @Override
        public void close() {
            end.close();
        }

        @Override
        public String toString() {
            return kind + end;
        }
    }
}
