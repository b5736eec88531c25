package org.multiproc4j.ipc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.Waitable;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.internal.Payload;
import org.multiproc4j.ipc.internal.PipeEnd;
import org.multiproc4j.ipc.internal.PipeReceiver;
import org.multiproc4j.ipc.internal.PipeSender;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * One end of a {@link Pipe}: a {@link Connection} through rings in shared memory, between processes of one
 * machine. It keeps the {@code Connection} contract (messages, end of file, failures); this page says what a
 * pipe end adds.
 * <pre>{@code
 * try (Pipe pipe = Pipe.open()) {
 *     PipeConnection inChild = pipe.second();
 *     JvmProcess child = new JvmProcess(() -> {
 *         Object question = inChild.recv();
 *         inChild.send("answer to " + question);
 *     }).start();
 *     pipe.first().send(42);
 *     System.out.println(pipe.first().recv(Duration.ofSeconds(30)));   // answer to 42
 *     child.join();
 * }
 * }</pre>
 *
 * <p><b>Messages.</b> {@code null}, boxed primitives, strings, primitive arrays and {@code Object[]} of those
 * take a fast path; other values go through the pipe's codec
 * ({@link ChannelOptions#codec(org.multiproc4j.core.codec.Codec)}: by default Java serialization, so they must
 * be {@link java.io.Serializable}), and a {@link Shareable} inside them (another pipe end, a queue, a
 * {@code SharedMemory} block) travels as a handle and attaches in the receiver. Messages of any size work:
 * those larger than an eighth of the ring are sent in fragments, and {@link #sendBytes(ReadableByteChannel, long)}
 * / {@link #recvBytesInto(WritableByteChannel)} carry messages beyond 2 GiB without holding them in memory.
 *
 * <p><b>Passing an end to a child.</b> A task that captures a pipe end carries it to the child, which then owns
 * that end from {@code start()} on: as in Python, where a child inherits the end it was given. The parent's
 * object stays usable but no longer keeps the end open, so the parent may close it right after starting the
 * child (the pipe stays for the child; see the lifetime rule in the
 * {@linkplain org.multiproc4j.sharedmem sharedmem package summary}). An end belongs to one process at a time;
 * give each child its own pipe.
 *
 * <p><b>Dead peers.</b> A child that was handed the other end and dies before attaching it (killed early, or a
 * JVM that cannot boot) is a dead peer like any other. A peer that died while writing a message never delivers
 * half of it; a receiver waiting for a message notices a dead peer within about 10 ms. A peer that is alive but
 * never sends blocks {@code recv} as in Python: use a timed form, or {@link Waitable#await} with the child's
 * {@link JvmProcess}. Sends fail with {@link BrokenPipeException}:
 * <ul>
 * <li>once the other end was <em>closed</em>, every send fails at once and writes nothing;</li>
 * <li>once the process holding the other end has <em>died</em> (it has exited, reaped or not: a zombie counts as
 * dead), every send that begins a millisecond or more after that fails. A sender looks at the other end's owner
 * at most once a millisecond, just after writing a message, so that the check adds nothing to a message's way
 * to the receiver and little to a send; the send whose look finds the owner dead fails although its message
 * was written, and later sends fail without writing. What was sent to a peer that died without receiving it
 * is lost: the messages waiting in the ring when it died, and those sent before its death was noticed
 * (within that millisecond), the failing send's included.</li>
 * </ul>
 * A sender waiting for room in a full ring notices either within a millisecond as well.
 *
 * <p><b>Thread and process safety.</b> As {@link Connection}. Use an end from one process at a time.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to sending a message (including its writes to
 * shared memory) happen-before actions subsequent to the {@code recv} that receives it in the other process: the
 * ring's commit is a release store and the receiver's read an acquire load on the same mapped memory. See
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Waiting.</b> A receiver waiting for a message, or a sender waiting for room in a full ring, polls
 * shared memory following the pipe's {@link IdlePolicy} (by default spin 2 µs, yield 100 µs, then park up to
 * 1 ms): it costs little CPU when idle.
 *
 * <p><b>Closing while in use.</b> A thread of this process blocked in a send, receive or {@link #poll(Duration)}
 * of this end when it is closed wakes within one idle period (at most about 1 ms by default) and throws
 * {@link java.nio.channels.AsynchronousCloseException} (a send that had begun a message larger than the ring
 * aborts it, so the other end never receives part of it); {@code close()} returns once this process's sending
 * and receiving threads have left. The memory stays mapped until this object is unreachable, so no call ever
 * touches unmapped memory.
 */
public final class PipeConnection implements Connection, Shareable {

    private final PipeEnd end;
    private final PipeSender sender;
    private final PipeReceiver receiver;

    PipeConnection(PipeEnd end) {
        this.end = end;
        this.sender = end.sender();
        this.receiver = end.receiver();
    }

    // -------------------------------------------------------------------------------------------- objects

    @Override
    public void send(Object obj) throws IOException, InterruptedException {
        try {
            sender.send(obj, Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * {@inheritDoc} A pipe end waits for room in its ring only before the message starts: a message larger than
     * the ring, once begun, is sent to its end.
     */
    @Override
    public void send(Object obj, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        sender.send(obj, Deadlines.of(timeout));
    }

    @Override
    public Object recv() throws IOException, InterruptedException {
        try {
            return receiver.receive(Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public Object recv(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return receiver.receive(Deadlines.of(timeout));
    }

    // ---------------------------------------------------------------------------------------------- bytes

    /**
     * {@inheritDoc} The bytes are copied straight from the array into the ring.
     */
    @Override
    public void sendBytes(byte[] buf, int offset, int length) throws IOException, InterruptedException {
        Objects.checkFromIndexSize(offset, length, buf.length);
        try {
            sender.sendArray(buf, offset, length, Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * {@inheritDoc} A pipe end waits for room in its ring only before the message starts.
     */
    @Override
    public void sendBytes(byte[] buf, int offset, int length, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        Objects.checkFromIndexSize(offset, length, buf.length);
        sender.sendArray(buf, offset, length, Deadlines.of(timeout));
    }

    @Override
    public void sendBytes(ByteBuffer src) throws IOException, InterruptedException {
        try {
            sender.sendBytes(Payload.of(src), Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Sends {@code length} bytes of a buffer from index {@code offset} as one message; the buffer's position
     * and limit are not changed.
     *
     * @param src    the bytes, heap or direct.
     * @param offset the first byte's index in the buffer.
     * @param length how many bytes.
     * @throws IndexOutOfBoundsException if the region is not inside the buffer's capacity.
     * @throws BrokenPipeException       if the other end is gone.
     * @throws ClosedChannelException    if this end is closed.
     * @throws IOException               on another I/O error.
     * @throws InterruptedException      if interrupted while waiting for room.
     */
    public void sendBytes(ByteBuffer src, int offset, int length) throws IOException, InterruptedException {
        Objects.checkFromIndexSize(offset, length, src.capacity());
        sendBytes(src.duplicate().limit(offset + length).position(offset));
    }

    /**
     * Sends the next {@code length} bytes of a channel as one message, streaming them through the ring: for
     * messages of any size, 2 GiB and beyond, without holding them in memory.
     *
     * @param src    the channel to read.
     * @param length how many bytes to send.
     * @throws IllegalArgumentException if {@code length} is negative.
     * @throws EOFException             if the channel ends before {@code length} bytes (the receiver drops the
     *                                  partial message).
     * @throws BrokenPipeException      if the other end is gone.
     * @throws ClosedChannelException   if this end is closed.
     * @throws IOException              if the channel fails (the receiver drops the partial message).
     * @throws InterruptedException     if interrupted (the receiver drops the partial message).
     */
    public void sendBytes(ReadableByteChannel src, long length) throws IOException, InterruptedException {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
        try {
            sender.sendBytes(PipeEnd.payload(src, length), Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public byte[] recvBytes() throws IOException, InterruptedException {
        try {
            return receiver.receiveBytes(Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public byte[] recvBytes(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return receiver.receiveBytes(Deadlines.of(timeout));
    }

    @Override
    public int recvBytesInto(byte[] buf, int offset) throws IOException, InterruptedException {
        try {
            return recvBytesInto(buf, offset, Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public int recvBytesInto(byte[] buf, int offset, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return recvBytesInto(buf, offset, Deadlines.of(timeout));
    }

    private int recvBytesInto(byte[] buf, int offset, long deadline)
            throws IOException, InterruptedException, TimeoutException {
        Objects.checkIndex(offset, buf.length + 1);
        return receiver.receiveInto(buf, offset, deadline);
    }

    @Override
    public int recvBytesInto(ByteBuffer dst) throws IOException, InterruptedException {
        try {
            return receiver.receiveInto(dst, Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public int recvBytesInto(ByteBuffer dst, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return receiver.receiveInto(dst, Deadlines.of(timeout));
    }

    /**
     * Receives the next message, of any length, into a channel, streaming it out of the ring piece by piece.
     *
     * @param dst the channel to write.
     * @return the message length.
     * @throws EOFException           if the other end is gone and every message it sent was received.
     * @throws ClosedChannelException if this end is closed.
     * @throws IOException            if the channel fails (the rest of the message is dropped).
     * @throws InterruptedException   if interrupted while waiting.
     */
    public long recvBytesInto(WritableByteChannel dst) throws IOException, InterruptedException {
        try {
            return receiver.receiveInto(dst, Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------------------- readiness

    @Override
    public boolean poll() throws IOException {
        return receiver.poll();
    }

    @Override
    public boolean poll(Duration timeout) throws IOException, InterruptedException {
        return receiver.poll(Deadlines.of(timeout));
    }

    /**
     * {@inheritDoc} An end another thread is receiving on is not ready (that thread takes what comes).
     */
    @Override
    public boolean isReady() {
        return receiver.isReady();
    }

    // ---------------------------------------------------------------------------------------------- state

    @Override
    public boolean isReadable() {
        return end.isReadable();
    }

    @Override
    public boolean isWritable() {
        return end.isWritable();
    }

    @Override
    public boolean isClosed() {
        return end.isClosed();
    }

    /**
     * Closes this end in this process. If this process owns the end, the other end receives what was sent,
     * then {@link EOFException}. The pipe's shared memory is removed when no live process uses it any more
     * (none has an end open, none was handed one and has not attached it yet). Closing twice is harmless; see
     * "Closing while in use" above.
     */
    @Override
    public void close() {
        end.close();
    }

    /**
     * Returns the handle this end travels as; writing it hands the end over to the receiving process.
     *
     * @return the handle.
     * @throws IllegalStateException if this end is closed.
     */
    @Override
    public Handle handle() {
        long token = end.sending();
        return new ConnectionHandle(end.name(), end.end(), token, end.options());
    }

    /**
     * Hands this end over to the process a task carrying its handle was sent to: from now on that process owns
     * it, so the other end sees end of file (and sends fail) if it dies, even before it attaches the end.
     * {@code null} (the task will never arrive) gives the end back to this process. Called by
     * {@code JvmProcess.start()}; see {@link Shareable#handedOver}.
     *
     * @param recipient the process that will attach the handle, or {@code null}.
     */
    @Override
    public void handedOver(ProcessHandle recipient) {
        end.handedOver(recipient);
    }

    @Override
    public String toString() {
        return "PipeConnection[" + end + (end.isReadable() ? ", readable" : "") + (end.isWritable() ? ", writable" : "")
                + (end.isClosed() ? ", closed" : "") + "]";
    }

    /** What a {@link PipeConnection} travels as. */
    static final class ConnectionHandle implements Handle {
        private static final long serialVersionUID = 1L;

        private final String segment;
        private final int end;
        private final long sender;
        private final ChannelOptions options;

        ConnectionHandle(String segment, int end, long sender, ChannelOptions options) {
            this.segment = segment;
            this.end = end;
            this.sender = sender;
            this.options = options;
        }

        @Override
        public Object attach() throws IOException {
            return new PipeConnection(PipeEnd.attach(segment, end, sender, options));
        }

        @Override
        public String toString() {
            return "ConnectionHandle[" + segment + ", end " + end + "]";
        }
    }
}
