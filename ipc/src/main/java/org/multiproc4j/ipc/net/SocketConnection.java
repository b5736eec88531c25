package org.multiproc4j.ipc.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.BrokenPipeException;
import org.multiproc4j.ipc.BufferTooShortException;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.internal.ClosedExceptions;
import org.multiproc4j.ipc.net.internal.FrameChannel;

/**
 * One end of an authenticated socket connection, made by {@link Listener#accept()} or
 * {@link Client#connect(SocketAddress, byte[])}: a {@link Connection} over TCP or a Unix domain socket, Python's
 * {@code multiprocessing.connection.Connection} on a socket. It keeps the {@code Connection} contract (messages,
 * end of file, failures); this page says what a socket end adds.
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
 * receive methods once every message it sent before has been received. A send notices it once the operating
 * system reports the connection reset, with {@link BrokenPipeException}: what the socket's buffers took before
 * is lost. A message larger than {@link ConnectionOptions#maxMessageSize(int)} is refused: by the sender before
 * anything is sent ({@link IllegalArgumentException}), or by the receiver with a {@link ProtocolException} that
 * closes the connection. A send that times out or is interrupted with its message partly written closes the
 * connection (the stream cannot be resynchronised): the peer sees the connection end in the middle of a message,
 * never a part of one as a message.
 */
public final class SocketConnection implements Connection {
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
     * Sends an object: serializes it in this thread, then writes it, waiting as long as the socket's buffers are
     * full.
     *
     * @param obj the object; {@code null} is allowed.
     * @throws SerializationException   if it cannot be serialized (the message names the type); nothing is sent.
     * @throws IllegalArgumentException if its encoded form is larger than the maximum message size; nothing
     *                                  is sent.
     * @throws BrokenPipeException      if the peer is gone.
     * @throws InterruptedIOException   if the thread is interrupted while the socket's buffers are full; the
     *                                  message may be partly written, so the connection is closed.
     * @throws ClosedChannelException   if this connection is closed.
     * @throws IOException              on another I/O error.
     */
    @Override
    public void send(Object obj) throws IOException {
        write(FrameChannel.KIND_OBJECT, ByteBuffer.wrap(codec.encode(obj)), describe(obj));
    }

    /**
     * {@inheritDoc} A socket end writes what its socket's buffers take at once; if the rest is not taken in
     * time, the message is partly written, so the connection is closed and the {@code TimeoutException} says so.
     */
    @Override
    public void send(Object obj, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        writeTimed(FrameChannel.KIND_OBJECT, ByteBuffer.wrap(codec.encode(obj)), describe(obj), timeout);
    }

    private void writeTimed(byte kind, ByteBuffer data, String what, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        long deadline = Deadlines.of(timeout);
        if (!sendLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("cannot send " + what + " to " + channel.peer() + " within " + timeout
                    + ": other threads were sending; nothing was sent");
        }
        try {
            checkSize(data.remaining(), what);
            writeFrame(kind, data, what, deadline, timeout);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * {@inheritDoc} A socket end writes what its socket's buffers take at once; if the rest is not taken in
     * time, the message is partly written, so the connection is closed and the {@code TimeoutException} says so.
     */
    @Override
    public void sendBytes(byte[] buf, int offset, int length, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        java.util.Objects.checkFromIndexSize(offset, length, buf.length);
        writeTimed(FrameChannel.KIND_BYTES, ByteBuffer.wrap(buf, offset, length), "raw bytes", timeout);
    }

    private static String describe(Object obj) {
        return "an object of type " + (obj == null ? "null" : obj.getClass().getName());
    }

    /**
     * Sends raw bytes, received whole by {@link #recvBytes()} on the other side.
     *
     * @param buf the bytes.
     * @throws IllegalArgumentException if there are more than the maximum message size; nothing is sent.
     * @throws BrokenPipeException      if the peer is gone.
     * @throws InterruptedIOException   as for {@link #send(Object)}.
     * @throws ClosedChannelException   if this connection is closed.
     * @throws IOException              on another I/O error.
     */
    @Override
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
     * @throws BrokenPipeException       if the peer is gone.
     * @throws InterruptedIOException    as for {@link #send(Object)}.
     * @throws ClosedChannelException    if this connection is closed.
     * @throws IOException               on another I/O error.
     */
    @Override
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
     * @throws BrokenPipeException      if the peer is gone.
     * @throws InterruptedIOException   as for {@link #send(Object)}.
     * @throws ClosedChannelException   if this connection is closed.
     * @throws IOException              on another I/O error.
     */
    @Override
    public void sendBytes(ByteBuffer buf) throws IOException {
        write(FrameChannel.KIND_BYTES, buf, "raw bytes");
    }

    private void checkSize(int length, String what) throws ClosedChannelException {
        if (channel.isClosed()) {
            throw ClosedExceptions.closed(describe());
        }
        if (length > maxMessageSize) {
            throw new IllegalArgumentException("cannot send " + what + " of " + length + " bytes to " + channel.peer()
                    + ": more than the maximum message size of " + maxMessageSize + " bytes"
                    + " (ConnectionOptions.maxMessageSize); nothing was sent");
        }
    }

    private void write(byte kind, ByteBuffer data, String what) throws IOException {
        sendLock.lock();
        try {
            checkSize(data.remaining(), what);
            writeFrame(kind, data, what, FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        } finally {
            sendLock.unlock();
        }
    }

    /** Writes a frame; called holding the send lock. */
    private void writeFrame(byte kind, ByteBuffer data, String what, long deadline, Duration timeout)
            throws IOException, TimeoutException {
        try {
            channel.writeFrame(kind, data, deadline);
        } catch (EOFException e) {
            channel.abandonPendingOutput(); // the peer is gone: later sends fail the same way
            throw e;
        } catch (InterruptedException e) {
            channel.abandonPendingOutput();
            close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending " + what + " to " + channel.peer()
                    + " (its socket buffers were full); the message may be partly sent, so the connection is closed");
        } catch (TimeoutException e) {
            channel.abandonPendingOutput();
            close();
            throw new TimeoutException("cannot send " + what + " to " + channel.peer() + " within " + timeout
                    + ": its socket buffers stayed full; the message may be partly sent, so the connection is closed");
        }
    }

    // ------------------------------------------------------------------------------------------- receiving

    /**
     * {@inheritDoc}
     *
     * @throws ProtocolException if the peer sent a message larger than the maximum message size (the connection
     *                           is closed).
     */
    @Override
    public Object recv() throws IOException, InterruptedException {
        try {
            return recv(FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    @Override
    public Object recv(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return recv(Deadlines.of(timeout), timeout);
    }

    private Object recv(long deadline, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        FrameChannel.Frame f;
        lock(deadline, timeout);
        try {
            f = await(deadline, timeout);
            channel.take();
        } finally {
            recvLock.unlock();
        }
        if (f.kind() == FrameChannel.KIND_BYTES) {
            return f.data();
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

    @Override
    public byte[] recvBytes() throws IOException, InterruptedException {
        try {
            return recvBytes(FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    @Override
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

    @Override
    public int recvBytesInto(byte[] buf, int offset) throws IOException, InterruptedException {
        try {
            return recvBytesInto(buf, offset, FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    @Override
    public int recvBytesInto(byte[] buf, int offset, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return recvBytesInto(buf, offset, Deadlines.of(timeout), timeout);
    }

    private int recvBytesInto(byte[] buf, int offset, long deadline, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        java.util.Objects.checkIndex(offset, buf.length + 1);
        lock(deadline, timeout);
        try {
            FrameChannel.Frame f = await(deadline, timeout);
            int length = f.data().length;
            if (length > buf.length - offset) {
                throw tooShort(length, (buf.length - offset) + " bytes from offset " + offset);
            }
            System.arraycopy(f.data(), 0, buf, offset, length);
            channel.take();
            return length;
        } finally {
            recvLock.unlock();
        }
    }

    @Override
    public int recvBytesInto(ByteBuffer buf) throws IOException, InterruptedException {
        try {
            return recvBytesInto(buf, FrameChannel.NO_DEADLINE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline was set", e);
        }
    }

    @Override
    public int recvBytesInto(ByteBuffer buf, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return recvBytesInto(buf, Deadlines.of(timeout), timeout);
    }

    private int recvBytesInto(ByteBuffer buf, long deadline, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        lock(deadline, timeout);
        try {
            FrameChannel.Frame f = await(deadline, timeout);
            int length = f.data().length;
            if (length > buf.remaining()) {
                throw tooShort(length, buf.remaining() + " bytes remaining in the buffer");
            }
            buf.put(f.data());
            channel.take();
            return length;
        } finally {
            recvLock.unlock();
        }
    }

    private BufferTooShortException tooShort(int length, String room) {
        return new BufferTooShortException("the next message from " + channel.peer() + " has " + length
                + " bytes but there are " + room + "; it was not consumed: use a larger buffer or recvBytes()",
                length);
    }

    @Override
    public boolean poll() throws IOException {
        recvLock.lock();
        try {
            ensureOpen();
            return fillOrFailed();
        } finally {
            recvLock.unlock();
        }
    }

    @Override
    public boolean poll(Duration timeout) throws IOException, InterruptedException {
        long deadline = Deadlines.of(timeout);
        if (!recvLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            ensureOpen();
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

    /**
     * {@inheritDoc} A connection another thread is receiving from is not ready (that thread takes what comes).
     */
    @Override
    public boolean isReady() {
        if (isClosed()) {
            return true;
        }
        if (!recvLock.tryLock()) {
            return false;
        }
        try {
            return fillOrFailed();
        } catch (IOException e) {
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

    private void ensureOpen() throws ClosedChannelException {
        if (channel.isClosed()) {
            throw ClosedExceptions.closed(describe());
        }
    }

    private void lock(long deadline, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        if (deadline == FrameChannel.NO_DEADLINE) {
            recvLock.lockInterruptibly();
        } else if (!recvLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw timeout(timeout);
        }
        if (channel.isClosed()) {
            recvLock.unlock();
            throw ClosedExceptions.closed(describe());
        }
    }

    private FrameChannel.Frame await(long deadline, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        if (channel.fill() || channel.fillSoon(deadline)) {
            return channel.peek();
        }
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

    private TimeoutException timeout(Duration timeout) {
        return new TimeoutException("no whole message from " + channel.peer() + " within " + timeout);
    }

    private String describe() {
        return "the connection to " + channel.peer();
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
     * Tells whether this end can receive: always, a socket connection is duplex.
     *
     * @return {@code true}.
     */
    @Override
    public boolean isReadable() {
        return true;
    }

    /**
     * Tells whether this end can send: always, a socket connection is duplex.
     *
     * @return {@code true}.
     */
    @Override
    public boolean isWritable() {
        return true;
    }

    /**
     * Tells whether this end was closed.
     *
     * @return {@code true} once {@link #close()} was called (or the connection was closed after a protocol
     *         error or an interrupted send).
     */
    @Override
    public boolean isClosed() {
        return channel.isClosed();
    }

    /**
     * Closes this end. The peer receives every message sent before, then {@link EOFException}. A thread
     * blocked in a receive or a send on this connection is woken with an {@link AsynchronousCloseException}.
     * Closing twice is harmless.
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
