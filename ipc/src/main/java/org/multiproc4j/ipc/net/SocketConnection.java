package org.multiproc4j.ipc.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.net.internal.FrameChannel;

/**
 * One end of an authenticated socket connection, made by {@link Listener#accept()} or
 * {@link Client#connect(SocketAddress, byte[])}: Python's {@code multiprocessing.connection.Connection} over
 * TCP or a Unix domain socket. Messages are objects ({@link #send(Object)}, {@link #recv()}) or raw bytes
 * ({@link #sendBytes(byte[])}, {@link #recvBytes()}); each arrives whole, in the order it was sent.
 *
 * <pre>{@code
 * import java.net.InetAddress;
 * import java.net.InetSocketAddress;
 * import java.nio.charset.StandardCharsets;
 *
 * byte[] authkey = "secret password".getBytes(StandardCharsets.UTF_8);
 * try (Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), authkey)) {
 *     SocketAddress address = listener.address();
 *     JvmProcess client = new JvmProcess(() -> {
 *         try (SocketConnection conn = Client.connect(address, authkey)) {
 *             conn.send(List.of(1, 2, 3));
 *             Object reply = conn.recv(Duration.ofSeconds(5));
 *             System.out.println(reply);                        // 6
 *         }
 *     }).start();
 *     try (SocketConnection conn = listener.accept(Duration.ofSeconds(30))) {
 *         List<?> numbers = (List<?>) conn.recv(Duration.ofSeconds(5));
 *         conn.send(numbers.stream().mapToInt(n -> (Integer) n).sum());
 *     }
 *     client.join();
 * }
 * }</pre>
 *
 * <p>The connection is duplex. Objects are encoded in the sender's thread by the connection's
 * {@linkplain ConnectionOptions#codec(Codec) codec} (JDK serialization by default), so an unserializable value
 * fails at {@code send} and nothing is sent; they are decoded in the receiving thread. Primitive arrays
 * bypass the codec.
 *
 * <p><b>Thread and process safety.</b> One thread may send while another receives. Concurrent senders are
 * serialised (their messages never interleave), and so are concurrent receivers. A connection cannot be
 * passed to another process; pass the listener's address and the authkey and connect again.
 *
 * <p><b>Memory consistency effects.</b> A message is a copy: the peer's {@code recv} returns it as the
 * sending thread encoded it, with the effects of every action of that thread prior to the send. No edge is
 * promised for shared memory (the peer may be on another machine): see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> A peer that closed its end, exited or died is reported as an {@link EOFException} by the
 * receive methods once every message it sent before has been received, and by the send methods. Receiving
 * after this side closed the connection throws an {@link IOException} saying so. A message larger than
 * {@link ConnectionOptions#maxMessageSize(int)} is refused: by the sender before anything is sent, or by the
 * receiver with a {@link ProtocolException} that closes the connection. Timed receives that time out keep
 * what was read so far: nothing is lost.
 */
public final class SocketConnection implements AutoCloseable {
    private final FrameChannel channel;
    private final Codec codec;
    private final int maxMessageSize;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock recvLock = new ReentrantLock();

    SocketConnection(FrameChannel channel, ConnectionOptions options) throws IOException {
        this.channel = channel;
        this.codec = options.codec();
        this.maxMessageSize = options.maxMessageSize();
        this.local = channel.channel().getLocalAddress();
        this.remote = channel.channel().getRemoteAddress();
        channel.maxFrame(maxMessageSize);
    }

    // ------------------------------------------------------------------------------------------- sending

    /**
     * Sends an object: serializes it in this thread, then writes it.
     *
     * @param obj the object; {@code null} is allowed.
     * @throws SerializationException   if it cannot be serialized (the message names the type); nothing is sent.
     * @throws IllegalArgumentException if its encoded form is larger than the maximum message size; nothing
     *                                  is sent.
     * @throws EOFException             if the peer is gone.
     * @throws InterruptedIOException   if the thread is interrupted while the socket's buffers are full; the
     *                                  message may be partly sent, so the connection is closed.
     * @throws IOException              if this connection is closed, or on another I/O error.
     */
    public void send(Object obj) throws IOException {
        byte[] bytes = codec.encode(obj);
        write(FrameChannel.KIND_OBJECT, ByteBuffer.wrap(bytes),
                "an object of type " + (obj == null ? "null" : obj.getClass().getName()));
    }

    /**
     * Sends raw bytes, received whole by {@link #recvBytes()} on the other side.
     *
     * @param buf the bytes.
     * @throws IllegalArgumentException if there are more than the maximum message size; nothing is sent.
     * @throws EOFException             if the peer is gone.
     * @throws InterruptedIOException   as for {@link #send(Object)}.
     * @throws IOException              if this connection is closed, or on another I/O error.
     */
    public void sendBytes(byte[] buf) throws IOException {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends part of an array as raw bytes.
     *
     * @param buf    the array.
     * @param offset where the bytes start.
     * @param length how many to send.
     * @throws IndexOutOfBoundsException if the range is outside the array.
     * @throws IllegalArgumentException  if {@code length} is more than the maximum message size; nothing is
     *                                   sent.
     * @throws EOFException              if the peer is gone.
     * @throws InterruptedIOException    as for {@link #send(Object)}.
     * @throws IOException               if this connection is closed, or on another I/O error.
     */
    public void sendBytes(byte[] buf, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, buf.length);
        write(FrameChannel.KIND_BYTES, ByteBuffer.wrap(buf, offset, length), "raw bytes");
    }

    /**
     * Sends a buffer's remaining bytes as raw bytes. The buffer's position is advanced past them.
     *
     * @param buf the buffer.
     * @throws IllegalArgumentException if it has more than the maximum message size remaining; nothing is
     *                                  sent.
     * @throws EOFException             if the peer is gone.
     * @throws InterruptedIOException   as for {@link #send(Object)}.
     * @throws IOException              if this connection is closed, or on another I/O error.
     */
    public void sendBytes(ByteBuffer buf) throws IOException {
        write(FrameChannel.KIND_BYTES, buf, "raw bytes");
    }

    private void write(byte kind, ByteBuffer data, String what) throws IOException {
        int length = data.remaining();
        if (length > maxMessageSize) {
            throw new IllegalArgumentException("cannot send " + what + " of " + length + " bytes to " + channel.peer()
                    + ": more than the maximum message size of " + maxMessageSize + " bytes"
                    + " (ConnectionOptions.maxMessageSize); nothing was sent");
        }
        sendLock.lock();
        try {
            channel.writeFrame(kind, data, FrameChannel.NO_DEADLINE);
        } catch (InterruptedException e) {
            channel.abandonPendingOutput();
            close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending " + what + " to " + channel.peer()
                    + " (its socket buffers were full); the message may be partly sent, so the connection is closed");
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        } finally {
            sendLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- receiving

    /**
     * Receives the next object, waiting as long as it takes.
     *
     * @return the object.
     * @throws EOFException           if the peer closed its end or died, and every message it sent before was
     *                                received.
     * @throws SerializationException if the object cannot be decoded (a class refused by the codec or missing
     *                                here, or bytes of another kind of codec; the message names it); the
     *                                message is consumed.
     * @throws IllegalStateException  if the next message is raw bytes (read it with {@link #recvBytes()}; it
     *                                is not consumed).
     * @throws InterruptedException   if the thread is interrupted while waiting; nothing is lost.
     * @throws IOException            if this connection is closed, the peer broke the protocol, or on another
     *                                I/O error.
     */
    public Object recv() throws IOException, InterruptedException {
        try {
            return recv(FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    /**
     * Receives the next object, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero or negative means only what has already arrived.
     * @return the object.
     * @throws TimeoutException       if no whole message arrived in time; what arrived of it is kept.
     * @throws EOFException           as for {@link #recv()}.
     * @throws SerializationException as for {@link #recv()}.
     * @throws IllegalStateException  as for {@link #recv()}.
     * @throws InterruptedException   if the thread is interrupted while waiting; nothing is lost.
     * @throws IOException            as for {@link #recv()}.
     */
    public Object recv(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return recv(Deadlines.of(timeout), timeout);
    }

    private Object recv(long deadline, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        FrameChannel.Frame f;
        lock(deadline, timeout);
        try {
            f = await(deadline, timeout);
            if (f.kind() == FrameChannel.KIND_BYTES) {
                throw new IllegalStateException("the next message from " + channel.peer() + " is raw bytes ("
                        + f.data().length + " bytes, sent with sendBytes): read it with recvBytes(); it was not"
                        + " consumed");
            }
            channel.take();
        } finally {
            recvLock.unlock();
        }
        if (f.kind() != FrameChannel.KIND_OBJECT) {
            throw new SerializationException("cannot read a message of " + f.data().length + " bytes from "
                    + channel.peer() + ": its frame kind " + f.kind() + " is unknown here", null);
        }
        try {
            return codec.decode(f.data(), 0, f.data().length);
        } catch (SerializationException e) {
            throw new SerializationException("cannot read a message of " + f.data().length + " bytes from "
                    + channel.peer() + " (it is consumed): " + e.getMessage(), e);
        }
    }

    /**
     * Receives the next message as bytes, waiting as long as it takes. A message sent with
     * {@link #send(Object)} arrives as its encoded form.
     *
     * @return the bytes.
     * @throws EOFException         as for {@link #recv()}.
     * @throws InterruptedException if the thread is interrupted while waiting; nothing is lost.
     * @throws IOException          as for {@link #recv()}.
     */
    public byte[] recvBytes() throws IOException, InterruptedException {
        try {
            return recvBytes(FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    /**
     * Receives the next message as bytes, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero or negative means only what has already arrived.
     * @return the bytes.
     * @throws TimeoutException     if no whole message arrived in time; what arrived of it is kept.
     * @throws EOFException         as for {@link #recv()}.
     * @throws InterruptedException if the thread is interrupted while waiting; nothing is lost.
     * @throws IOException          as for {@link #recv()}.
     */
    public byte[] recvBytes(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return recvBytes(Deadlines.of(timeout), timeout);
    }

    private byte[] recvBytes(long deadline, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        lock(deadline, timeout);
        try {
            await(deadline, timeout);
            return channel.take().data();
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * Receives the next message into an array, waiting as long as it takes.
     *
     * @param buf    the array.
     * @param offset where to put the message.
     * @return the message's length.
     * @throws IllegalArgumentException  if the message does not fit between {@code offset} and the end of
     *                                   {@code buf} (the message names both sizes); it is not consumed.
     * @throws IndexOutOfBoundsException if {@code offset} is outside the array.
     * @throws EOFException              as for {@link #recv()}.
     * @throws InterruptedException      if the thread is interrupted while waiting; nothing is lost.
     * @throws IOException               as for {@link #recv()}.
     */
    public int recvBytesInto(byte[] buf, int offset) throws IOException, InterruptedException {
        java.util.Objects.checkIndex(offset, buf.length + 1);
        recvLock.lockInterruptibly();
        try {
            FrameChannel.Frame f = awaitForever();
            int length = f.data().length;
            if (length > buf.length - offset) {
                throw new IllegalArgumentException("the next message from " + channel.peer() + " has " + length
                        + " bytes but the buffer has " + (buf.length - offset) + " from offset " + offset
                        + "; it was not consumed: use a larger buffer or recvBytes()");
            }
            System.arraycopy(f.data(), 0, buf, offset, length);
            channel.take();
            return length;
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * Receives the next message into a buffer, from its position, waiting as long as it takes. The position
     * is advanced past the message.
     *
     * @param buf the buffer.
     * @return the message's length.
     * @throws IllegalArgumentException if the message is longer than the buffer's remaining space (the message
     *                                  names both sizes); it is not consumed.
     * @throws EOFException             as for {@link #recv()}.
     * @throws InterruptedException     if the thread is interrupted while waiting; nothing is lost.
     * @throws IOException              as for {@link #recv()}.
     */
    public int recvBytesInto(ByteBuffer buf) throws IOException, InterruptedException {
        recvLock.lockInterruptibly();
        try {
            FrameChannel.Frame f = awaitForever();
            int length = f.data().length;
            if (length > buf.remaining()) {
                throw new IllegalArgumentException("the next message from " + channel.peer() + " has " + length
                        + " bytes but the buffer has " + buf.remaining() + " remaining; it was not consumed: use a"
                        + " larger buffer or recvBytes()");
            }
            buf.put(f.data());
            channel.take();
            return length;
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * Tells, without waiting, whether a receive would return at once: a whole message has arrived, or the
     * peer is gone (the receive then throws {@link EOFException}).
     *
     * @return {@code true} if a receive would not block.
     * @throws IOException if this connection is closed, or on another I/O error.
     */
    public boolean poll() throws IOException {
        recvLock.lock();
        try {
            return fillOrFailed();
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * Waits at most {@code timeout} until a receive would return at once (as for {@link #poll()}).
     *
     * @param timeout how long to wait; zero or negative is {@link #poll()}.
     * @return {@code true} if a receive would not block, {@code false} if the time ran out.
     * @throws InterruptedException if the thread is interrupted while waiting.
     * @throws IOException          if this connection is closed, or on another I/O error.
     */
    public boolean poll(Duration timeout) throws IOException, InterruptedException {
        long deadline = Deadlines.of(timeout);
        if (!recvLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            while (!fillOrFailed()) {
                try {
                    channel.awaitReadable(deadline);
                } catch (TimeoutException e) {
                    return fillOrFailed();
                }
            }
            return true;
        } finally {
            recvLock.unlock();
        }
    }

    private boolean fillOrFailed() throws IOException {
        try {
            return channel.fill();
        } catch (EOFException | ProtocolException e) {
            return true;
        }
    }

    private void lock(long deadline, Duration timeout) throws InterruptedException, TimeoutException {
        if (deadline == FrameChannel.NO_DEADLINE) {
            recvLock.lockInterruptibly();
        } else if (!recvLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw timeout(timeout);
        }
    }

    private FrameChannel.Frame await(long deadline, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        while (!channel.fill()) {
            try {
                channel.awaitReadable(deadline);
            } catch (TimeoutException e) {
                if (channel.fill()) {
                    break;
                }
                throw timeout(timeout);
            }
        }
        return channel.peek();
    }

    private FrameChannel.Frame awaitForever() throws IOException, InterruptedException {
        try {
            return await(FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    private TimeoutException timeout(Duration timeout) {
        return new TimeoutException("no whole message from " + channel.peer() + " within " + timeout);
    }

    // ------------------------------------------------------------------------------------------- the rest

    /**
     * Returns this end's address.
     *
     * @return a {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}.
     */
    public SocketAddress localAddress() {
        return local;
    }

    /**
     * Returns the peer's address.
     *
     * @return a {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress} (often unnamed,
     *         on the listener's side).
     */
    public SocketAddress remoteAddress() {
        return remote;
    }

    /**
     * Tells whether this end was closed.
     *
     * @return {@code true} once {@link #close()} was called (or the connection was closed after a protocol
     *         error or an interrupted send).
     */
    public boolean isClosed() {
        return channel.isClosed();
    }

    /**
     * Closes this end. The peer receives every message sent before, then {@link EOFException}. A thread
     * blocked in a receive or a send on this connection is woken with an {@link IOException}. Closing twice
     * is harmless.
     */
    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "SocketConnection[" + local + " <-> " + channel.peer() + (isClosed() ? ", closed" : "") + "]";
    }
}
