package org.multiproc4j.ipc.net.internal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.ipc.BrokenPipeException;
import org.multiproc4j.ipc.internal.ClosedExceptions;

/**
 * Length-prefixed frames over a non-blocking {@link SocketChannel}, with non-blocking steps (for a listener's
 * selector loop) and blocking forms with a deadline (for connections and clients).
 *
 * <pre>
 *  frame  := int:length (big-endian, 0 ≤ length ≤ maxFrame) byte:kind bytes[length]
 *  kind   := 0 raw bytes (sendBytes) | 1 an object, encoded by the connection's codec | 'H' handshake
 * </pre>
 *
 * <p>Reading keeps its state between calls, so a timed-out read resumes where it stopped and never
 * desynchronises the stream. Bytes that arrive after a frame stay buffered for the next one (a peer may send
 * its first message right behind its last handshake frame).
 *
 * <p><b>Thread safety.</b> None: the owner serialises reads (one lock) and writes (another lock); reading
 * and writing may run concurrently in two threads. {@link #close()} may be called from any thread and wakes a
 * thread blocked in either direction.
 */
public final class FrameChannel implements Closeable {
    /** Bytes before each frame's payload. */
    public static final int HEADER = 5;
    /** Kind of a frame that carries raw bytes. */
    public static final byte KIND_BYTES = 0;
    /** Kind of a frame that carries an object encoded by the connection's codec. */
    public static final byte KIND_OBJECT = 1;
    /** Kind of a handshake frame. */
    public static final byte KIND_HANDSHAKE = 'H';
    /** Deadline meaning "wait forever". */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** The largest payload any frame can have (the largest Java array, less the header). */
    public static final int MAX_PAYLOAD = Integer.MAX_VALUE - 8 - HEADER;

    private static final int BUFFER = 16 * 1024;
    /** How long {@link #fillSoon(long)} tries before a receiver blocks in the selector. */
    private static final long SOON_NANOS = 50_000L;
    /**
     * The most bytes of a large message read or written per call: the JDK copies a heap buffer through a
     * temporary direct buffer of the whole remaining size, so a 100 MiB message would otherwise cost a 100 MiB
     * direct buffer per thread.
     */
    private static final int SLICE = 1 << 20;

    /** A received frame. */
    public record Frame(byte kind, byte[] data) {
    }

    private final SocketChannel channel;
    private final String peer;
    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER).flip();
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private final ByteBuffer[] pair = new ByteBuffer[2];
    private ByteBuffer[] pending;
    private byte[] big;
    private int bigFilled;
    private byte bigKind;
    private Frame ready;
    private IOException failure;
    private int maxFrame;
    private volatile Selector readSelector;
    private volatile Selector writeSelector;
    private volatile boolean closed;

    private FrameChannel(SocketChannel channel, String peer, int maxFrame) {
        this.channel = channel;
        this.peer = peer;
        this.maxFrame = maxFrame;
    }

    /**
     * Wraps a connected channel, switching it to non-blocking mode (and, for TCP, turning Nagle's algorithm
     * off: every frame is written in as few calls as possible, so it only adds latency).
     *
     * @param channel  a connected channel.
     * @param peer     how to name the peer in messages.
     * @param maxFrame the largest payload accepted from the peer.
     * @return the frame channel.
     * @throws IOException if the channel cannot be configured.
     */
    public static FrameChannel open(SocketChannel channel, String peer, int maxFrame) throws IOException {
        channel.configureBlocking(false);
        if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return new FrameChannel(channel, peer, maxFrame);
    }

    /**
     * Returns the wrapped channel.
     *
     * @return the channel.
     */
    public SocketChannel channel() {
        return channel;
    }

    /**
     * Names the peer, for messages.
     *
     * @return the peer's description.
     */
    public String peer() {
        return peer;
    }

    /**
     * Changes the largest payload accepted from the peer (after the handshake, say).
     *
     * @param maxFrame the new limit.
     */
    public void maxFrame(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /**
     * Returns the largest payload accepted from the peer.
     *
     * @return the limit.
     */
    public int maxFrame() {
        return maxFrame;
    }

    // ------------------------------------------------------------------------------------------- reading

    /**
     * Reads what the socket has, without blocking, until a whole frame is assembled.
     *
     * @return {@code true} if a frame is ready ({@link #peek()}, {@link #take()}).
     * @throws EOFException      if the peer closed the connection (or reset it).
     * @throws ProtocolException if the peer announced a frame larger than {@link #maxFrame()}; the channel is
     *                           closed, as the stream cannot be resynchronised cheaply.
     * @throws IOException       if this side closed the channel, or on another I/O error.
     */
    public boolean fill() throws IOException {
        if (ready != null) {
            return true;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            return fill0();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private boolean fill0() throws IOException {
        while (true) {
            if (big != null) {
                int n = read(ByteBuffer.wrap(big, bigFilled, Math.min(SLICE, big.length - bigFilled)));
                if (n < 0) {
                    throw new EOFException(peer + " closed the connection in the middle of a message ("
                            + bigFilled + " of " + big.length + " bytes received)");
                }
                bigFilled += n;
                if (bigFilled == big.length) {
                    ready = new Frame(bigKind, big);
                    big = null;
                    return true;
                }
                if (n == 0) {
                    return false;
                }
                continue;
            }
            if (in.remaining() >= HEADER) {
                int pos = in.position();
                int length = in.getInt(pos);
                byte kind = in.get(pos + 4);
                if (length < 0 || length > maxFrame) {
                    closeQuietly();
                    if (length < 0) {
                        throw new ProtocolException(peer + " sent a corrupt frame header (length " + length
                                + "); the connection is closed");
                    }
                    throw new ProtocolException(peer + " sent a message of " + length + " bytes, more than this"
                            + " connection's maximum of " + maxFrame + " bytes (maxMessageSize); the connection is"
                            + " closed");
                }
                if (in.remaining() >= HEADER + length) {
                    byte[] data = new byte[length];
                    in.position(pos + HEADER);
                    in.get(data);
                    ready = new Frame(kind, data);
                    return true;
                }
                if (HEADER + length > in.capacity()) {
                    in.position(pos + HEADER);
                    big = new byte[length];
                    bigKind = kind;
                    bigFilled = in.remaining();
                    in.get(big, 0, bigFilled);
                    continue;
                }
            }
            in.compact();
            int n;
            try {
                n = read(in);
            } finally {
                in.flip();
            }
            if (n < 0) {
                if (in.hasRemaining()) {
                    throw new EOFException(peer + " closed the connection in the middle of a message ("
                            + in.remaining() + " bytes of it received)");
                }
                throw new EOFException(peer + " closed the connection");
            }
            if (n == 0) {
                return false;
            }
        }
    }

    private int read(ByteBuffer dst) throws IOException {
        try {
            return channel.read(dst);
        } catch (ClosedChannelException e) {
            throw closedException(e);
        } catch (IOException e) {
            if (closed) {
                throw closedException(e);
            }
            EOFException eof = new EOFException(peer + " is gone: " + e.getMessage());
            eof.initCause(e);
            throw eof;
        }
    }

    /**
     * Returns the frame that is ready, without consuming it.
     *
     * @return the frame, or {@code null} if none is ready.
     */
    public Frame peek() {
        return ready;
    }

    /**
     * Consumes the frame that is ready.
     *
     * @return the frame, or {@code null} if none is ready.
     */
    public Frame take() {
        Frame f = ready;
        ready = null;
        return f;
    }

    /**
     * Blocks until a whole frame is ready and consumes it.
     *
     * @param deadline a {@link System#nanoTime()} deadline, or {@link #NO_DEADLINE}.
     * @return the frame.
     * @throws TimeoutException     if the deadline passes first; what was read so far is kept.
     * @throws InterruptedException if the thread is interrupted while waiting; what was read so far is kept.
     * @throws IOException          as for {@link #fill()}.
     */
    public Frame readFrame(long deadline) throws IOException, InterruptedException, TimeoutException {
        while (!fill()) {
            awaitReadable(deadline);
        }
        return take();
    }

    /**
     * Tries to assemble a frame for a short while without blocking: yields the processor between non-blocking
     * reads for up to 50 µs (or until the deadline). A request's answer usually arrives within
     * a few microseconds; waiting in the selector for it costs a failed read, an {@code epoll_wait} and the
     * thread's wake-up by the kernel, which on a virtual machine whose other vCPU is idle is most of a socket
     * round trip. Callers fall back to {@link #awaitReadable(long)} when this returns {@code false}.
     *
     * @param deadline a {@link System#nanoTime()} deadline, or {@link #NO_DEADLINE}.
     * @return {@code true} if a frame is ready.
     * @throws IOException as for {@link #fill()}.
     */
    public boolean fillSoon(long deadline) throws IOException {
        long start = System.nanoTime();
        long end = deadline == NO_DEADLINE || deadline - start > SOON_NANOS ? start + SOON_NANOS : deadline;
        do {
            Thread.yield();
            if (fill()) {
                return true;
            }
        } while (!closed && System.nanoTime() - end < 0);
        return false;
    }

    /**
     * Blocks until the socket is readable (or the deadline passes).
     *
     * @param deadline a {@link System#nanoTime()} deadline, or {@link #NO_DEADLINE}.
     * @throws TimeoutException     if the deadline passes first.
     * @throws InterruptedException if the thread is interrupted.
     * @throws IOException          if this side closed the channel.
     */
    public void awaitReadable(long deadline) throws IOException, InterruptedException, TimeoutException {
        Selector s = readSelector;
        if (s == null) {
            s = register(SelectionKey.OP_READ);
        }
        await(s, deadline);
    }

    // ------------------------------------------------------------------------------------------- writing

    /**
     * Tells whether a frame is still being written.
     *
     * @return {@code true} if some bytes of the last frame are not yet written.
     */
    public boolean hasPendingOutput() {
        return pending != null;
    }

    /**
     * Queues a frame and writes as much of it as the socket takes without blocking.
     *
     * @param kind   the frame's kind.
     * @param data   the payload's array.
     * @param offset where the payload starts.
     * @param length its length.
     * @return {@code true} if the whole frame was written.
     * @throws IOException if the peer is gone ({@link EOFException}) or the channel is closed.
     */
    public boolean offer(byte kind, byte[] data, int offset, int length) throws IOException {
        return offer(kind, ByteBuffer.wrap(data, offset, length));
    }

    /**
     * Queues a frame whose payload is {@code data}'s remaining bytes (the buffer must not change until the
     * frame is written) and writes as much as the socket takes without blocking.
     *
     * @param kind the frame's kind.
     * @param data the payload.
     * @return {@code true} if the whole frame was written.
     * @throws IOException if the peer is gone ({@link EOFException}) or the channel is closed.
     */
    public boolean offer(byte kind, ByteBuffer data) throws IOException {
        if (pending != null) {
            throw new IllegalStateException("a frame to " + peer + " is still being written");
        }
        int length = data.remaining();
        if (HEADER + length <= out.capacity()) {
            out.clear();
            out.putInt(length).put(kind).put(data);
            out.flip();
            pending = new ByteBuffer[] {out};
        } else {
            header.clear();
            header.putInt(length).put(kind).flip();
            pair[0] = header;
            pair[1] = data;
            pending = pair;
        }
        return flush();
    }

    /**
     * Writes as much of the pending frame as the socket takes without blocking.
     *
     * @return {@code true} if nothing is pending any more.
     * @throws IOException if the peer is gone ({@link EOFException}) or the channel is closed.
     */
    public boolean flush() throws IOException {
        ByteBuffer[] p = pending;
        if (p == null) {
            return true;
        }
        ByteBuffer last = p[p.length - 1];
        while (last.hasRemaining()) {
            long n;
            int limit = last.limit();
            try {
                if (!last.isDirect() && last.remaining() > SLICE) {
                    last.limit(last.position() + SLICE);
                }
                n = channel.write(p);
            } catch (ClosedChannelException e) {
                throw closedException(e);
            } catch (IOException e) {
                if (closed) {
                    throw closedException(e);
                }
                EOFException eof = new BrokenPipeException("cannot send to " + peer + ": it is gone: "
                        + e.getMessage());
                eof.initCause(e);
                throw eof;
            } finally {
                last.limit(limit);
            }
            if (n == 0) {
                return false;
            }
        }
        pending = null;
        pair[1] = null;
        return true;
    }

    /**
     * Writes a whole frame, blocking while the socket's buffers are full.
     *
     * @param kind     the frame's kind.
     * @param data     the payload (its remaining bytes).
     * @param deadline a {@link System#nanoTime()} deadline, or {@link #NO_DEADLINE}.
     * @throws TimeoutException     if the deadline passes with the frame partly written (the stream is then
     *                              unusable: the caller closes it).
     * @throws InterruptedException if the thread is interrupted with the frame partly written (same).
     * @throws IOException          if the peer is gone ({@link EOFException}) or the channel is closed.
     */
    public void writeFrame(byte kind, ByteBuffer data, long deadline)
            throws IOException, InterruptedException, TimeoutException {
        if (!offer(kind, data)) {
            while (!flush()) {
                awaitWritable(deadline);
            }
        }
    }

    /**
     * Blocks until the socket is writable (or the deadline passes).
     *
     * @param deadline a {@link System#nanoTime()} deadline, or {@link #NO_DEADLINE}.
     * @throws TimeoutException     if the deadline passes first.
     * @throws InterruptedException if the thread is interrupted.
     * @throws IOException          if this side closed the channel.
     */
    public void awaitWritable(long deadline) throws IOException, InterruptedException, TimeoutException {
        Selector s = writeSelector;
        if (s == null) {
            s = register(SelectionKey.OP_WRITE);
        }
        await(s, deadline);
    }

    /**
     * Forgets a partly written frame (after a failed blocking write; the caller closes the channel).
     */
    public void abandonPendingOutput() {
        pending = null;
        pair[1] = null;
    }

    // ------------------------------------------------------------------------------------------- waiting

    private Selector register(int op) throws IOException {
        if (closed) {
            throw closedException(null);
        }
        Selector s = Selector.open();
        // published before the check of 'closed', which close() sets before reading these fields: either
        // close() sees this selector and closes it, or this thread sees 'closed'
        if (op == SelectionKey.OP_READ) {
            readSelector = s;
        } else {
            writeSelector = s;
        }
        try {
            channel.register(s, op);
        } catch (ClosedChannelException | ClosedSelectorException e) {
            closeSelector(s);
            throw closedException(e);
        }
        if (closed) {
            closeSelector(s);
            throw closedException(null);
        }
        return s;
    }

    private void await(Selector selector, long deadline) throws IOException, InterruptedException, TimeoutException {
        long millis = 0;
        if (deadline != NO_DEADLINE) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            selector.select(millis);
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw closedException(null);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (closed) {
            throw closedException(null);
        }
    }

    private IOException closedException(Throwable cause) {
        IOException e = ClosedExceptions.closedWhileWaiting("the connection to " + peer);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the channel and wakes any thread waiting on it. Harmless twice.
     */
    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        closeSelector(readSelector);
        closeSelector(writeSelector);
    }

    private static void closeSelector(Selector s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException | ClosedSelectorException e) {
                // closing: nothing to do
            }
        }
    }
}
