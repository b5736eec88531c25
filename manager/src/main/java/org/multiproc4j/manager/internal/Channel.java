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
     */
    boolean poll();

    /** Closes this side; harmless twice. */
    @Override
    void close();

    /**
     * A channel over a pipe end.
     *
     * @param connection the end.
     * @return the channel.
     */
    static Channel of(Connection connection) {
        return new Channel() {
            @Override
            public void send(Object message) throws IOException, InterruptedException {
                connection.send(message);
            }

            @Override
            public Object recv() throws IOException, InterruptedException {
                return connection.recv();
            }

            @Override
            public boolean poll() {
                try {
                    return connection.poll();
                } catch (IOException e) {
                    return true;
                }
            }

            @Override
            public void close() {
                connection.close();
            }

            @Override
            public String toString() {
                return "pipe " + connection;
            }
        };
    }

    /**
     * A channel over an authenticated socket.
     *
     * @param connection the socket connection.
     * @return the channel.
     */
    static Channel of(SocketConnection connection) {
        return new Channel() {
            @Override
            public void send(Object message) throws IOException {
                connection.send(message);
            }

            @Override
            public Object recv() throws IOException, InterruptedException {
                return connection.recv();
            }

            @Override
            public boolean poll() {
                try {
                    return connection.poll();
                } catch (IOException e) {
                    return true;
                }
            }

            @Override
            public void close() {
                connection.close();
            }

            @Override
            public String toString() {
                return "socket " + connection;
            }
        };
    }
}
