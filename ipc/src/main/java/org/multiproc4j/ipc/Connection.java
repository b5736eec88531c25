package org.multiproc4j.ipc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.multiproc4j.core.Handle;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.internal.Payload;
import org.multiproc4j.ipc.internal.PipeEnd;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * One end of a {@link Pipe}: Java's counterpart of Python's {@code multiprocessing.connection.Connection}. It
 * sends objects and byte messages to the other end and receives what the other end sends, through rings in
 * shared memory.
 * <pre>{@code
 * try (Pipe pipe = Pipe.open()) {
 *     Connection inChild = pipe.second();
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
 * <p><b>Messages.</b> {@link #send(Object)} encodes the value in the caller's thread and writes it as one
 * message; {@link #recv()} returns it. {@code null}, boxed primitives, strings, primitive arrays and
 * {@code Object[]} of those take a fast path; other values go through the pipe's codec
 * ({@link ChannelOptions#codec(org.multiproc4j.core.codec.Codec)}: by default Java serialization, so they must
 * be {@link java.io.Serializable}), and a {@link Shareable} inside them (another pipe end, a queue, a
 * {@code SharedMemory} block) travels as a handle and attaches in the receiver.
 * {@link #sendBytes(byte[])} sends raw bytes, received with {@link #recvBytes()} or into the caller's buffer
 * with {@link #recvBytesInto(byte[], int)}. Messages of any size work: those larger than an eighth of the
 * ring are sent in fragments, and {@link #sendBytes(ReadableByteChannel, long)} /
 * {@link #recvBytesInto(WritableByteChannel)} carry messages beyond 2 GiB without holding them in memory.
 * A receiver sees whole messages only, in the order they were sent.
 *
 * <p><b>Passing an end to a child.</b> A task that captures a {@code Connection} carries it to the child,
 * which then owns that end from {@code start()} on: as in Python, where a child inherits the end it was given.
 * The parent's object stays usable but no longer keeps the end open, so the parent may close it right after
 * starting the child (the pipe stays for the child; see the lifetime rule in the
 * {@linkplain org.multiproc4j.sharedmem sharedmem package summary}). An end belongs to one process at a time;
 * give each child its own pipe.
 *
 * <p><b>End of file and dead peers.</b> When the process owning the other end closes it, or dies (even by
 * {@code kill -9}), this end first receives every message already sent, then {@code recv} throws
 * {@link EOFException}. A child that was handed the other end and dies before attaching it (killed early, or a
 * JVM that cannot boot) is a dead peer like any other. A peer that died while writing a message never delivers
 * half of it; a receiver waiting for a message notices a dead peer within about 10 ms. A peer that is alive but never sends blocks
 * {@code recv} as in Python: use a timed form, or {@link #await} with the child's {@link JvmProcess}.
 *
 * <p>Sending to a peer that is gone fails with {@link BrokenPipeException}, as writing to an operating-system
 * pipe whose reader is gone does:
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
 * <p><b>Thread and process safety.</b> Sends from several threads of a process are serialized, as are
 * receives: messages never interleave. Use an end from one process at a time.
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
 * <p><b>Failure.</b> An unserializable value fails {@code send} with {@link SerializationException} naming the
 * type; nothing is sent. Bytes that cannot be decoded fail {@code recv} with {@link SerializationException},
 * and that message is consumed. A buffer too small for the next message fails
 * {@code recvBytesInto} with {@link BufferTooShortException} and leaves the message to be received again.
 * Using a closed end throws {@link ClosedChannelException}; a thread blocked in this end when another thread
 * closes it gets {@link java.nio.channels.AsynchronousCloseException}.
 */
public final class Connection implements Shareable, AutoCloseable {
    private static final UnsafeBuffer NO_PREFIX = new UnsafeBuffer(new byte[0]);

    private final PipeEnd end;

    Connection(PipeEnd end) {
        this.end = end;
    }

    // -------------------------------------------------------------------------------------------- objects

    /**
     * Sends a value, waiting for room in the ring if needed.
     *
     * @param obj the value, may be {@code null}.
     * @throws SerializationException if the value cannot be serialized; nothing was sent.
     * @throws BrokenPipeException    if the other end was closed (nothing was sent) or its process died (this
     *                                message may have been written, but nobody will receive it); see the class
     *                                description for when a death is noticed.
     * @throws ClosedChannelException if this end is closed.
     * @throws IOException            if this end is closed by another thread meanwhile.
     * @throws InterruptedException   if interrupted while waiting for room.
     * @throws IllegalStateException  if this is the receiving end of a one-way pipe.
     */
    public void send(Object obj) throws IOException, InterruptedException {
        try {
            end.send(obj, Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Sends a value, waiting at most {@code timeout} for room in the ring.
     *
     * @param obj     the value, may be {@code null}.
     * @param timeout how long to wait for room before the message starts.
     * @throws TimeoutException       if there was no room in time; nothing was sent.
     * @throws SerializationException if the value cannot be serialized; nothing was sent.
     * @throws BrokenPipeException    if the other end was closed (nothing was sent) or its process died (this
     *                                message may have been written, but nobody will receive it).
     * @throws IOException            if this end is closed.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public void send(Object obj, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        end.send(obj, Deadlines.of(timeout));
    }

    /**
     * Receives the next value, waiting for it.
     *
     * @return the value sent by {@link #send(Object)} (or a {@code byte[]} for a message sent as bytes).
     * @throws EOFException           if the other end was closed or died and every message was received.
     * @throws SerializationException if the message cannot be decoded (it is consumed).
     * @throws ClosedChannelException if this end is closed.
     * @throws IOException            if this end is closed by another thread meanwhile.
     * @throws InterruptedException   if interrupted while waiting.
     * @throws IllegalStateException  if this is the sending end of a one-way pipe.
     */
    public Object recv() throws IOException, InterruptedException {
        try {
            return end.receive(Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Receives the next value, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait.
     * @return the value.
     * @throws TimeoutException     if no message came in time.
     * @throws EOFException         if the other end is gone and every message was received.
     * @throws IOException          if this end is closed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public Object recv(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return end.receive(Deadlines.of(timeout));
    }

    // ---------------------------------------------------------------------------------------------- bytes

    /**
     * Sends the bytes of an array as one message.
     *
     * @param buf the bytes.
     * @throws BrokenPipeException  if the other end was closed or its process died (as for
     *                              {@link #send(Object)}).
     * @throws IOException          if this end is closed.
     * @throws InterruptedException if interrupted while waiting for room.
     */
    public void sendBytes(byte[] buf) throws IOException, InterruptedException {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends a region of an array as one message, copied straight from the array into the ring.
     *
     * @param buf    the bytes.
     * @param offset the region's first byte.
     * @param length the region's length.
     * @throws IndexOutOfBoundsException if the region is not inside the array.
     * @throws BrokenPipeException       if the other end was closed or its process died (as for
     *                                   {@link #send(Object)}).
     * @throws IOException               if this end is closed.
     * @throws InterruptedException      if interrupted while waiting for room.
     */
    public void sendBytes(byte[] buf, int offset, int length) throws IOException, InterruptedException {
        Objects.checkFromIndexSize(offset, length, buf.length);
        try {
            end.sendBytes(Payload.of(NO_PREFIX, 0, buf, offset, length), Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Sends a buffer's remaining bytes as one message; the buffer's position advances to its limit.
     *
     * @param src the bytes, heap or direct.
     * @throws BrokenPipeException  if the other end was closed or its process died (as for
     *                              {@link #send(Object)}).
     * @throws IOException          if this end is closed.
     * @throws InterruptedException if interrupted while waiting for room.
     */
    public void sendBytes(ByteBuffer src) throws IOException, InterruptedException {
        try {
            end.sendBytes(Payload.of(src), Long.MAX_VALUE);
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
     * @throws BrokenPipeException       if the other end was closed or its process died (as for
     *                                   {@link #send(Object)}).
     * @throws IOException               if this end is closed.
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
     * @throws EOFException         if the channel ends before {@code length} bytes (the receiver drops the
     *                              partial message).
     * @throws BrokenPipeException  if the other end was closed or its process died (as for
     *                              {@link #send(Object)}).
     * @throws IOException          if this end is closed or the channel fails (the receiver drops the partial
     *                              message).
     * @throws InterruptedException if interrupted (the receiver drops the partial message).
     */
    public void sendBytes(ReadableByteChannel src, long length) throws IOException, InterruptedException {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
        try {
            end.sendBytes(PipeEnd.payload(src, length), Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Receives the next message's bytes, waiting for it.
     *
     * @return a new array holding them (for a message sent with {@link #send(Object)}, its encoded form).
     * @throws BufferTooShortException if the message is longer than a Java array can be (receive it with
     *                                 {@link #recvBytesInto(WritableByteChannel)}); it is not consumed.
     * @throws EOFException            if the other end is gone and every message was received.
     * @throws IOException             if this end is closed.
     * @throws InterruptedException    if interrupted while waiting.
     */
    public byte[] recvBytes() throws IOException, InterruptedException {
        try {
            return end.receiveBytes(Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Receives the next message's bytes, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait.
     * @return a new array holding them.
     * @throws TimeoutException     if no message came in time.
     * @throws EOFException         if the other end is gone and every message was received.
     * @throws IOException          if this end is closed, or the message does not fit in an array.
     * @throws InterruptedException if interrupted while waiting.
     */
    public byte[] recvBytes(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        return end.receiveBytes(Deadlines.of(timeout));
    }

    /**
     * Receives the next message into an array from index 0.
     *
     * @param buf the array.
     * @return the message length.
     * @throws BufferTooShortException if the message is longer than the array; it is not consumed.
     * @throws EOFException            if the other end is gone and every message was received.
     * @throws IOException             if this end is closed.
     * @throws InterruptedException    if interrupted while waiting.
     */
    public int recvBytesInto(byte[] buf) throws IOException, InterruptedException {
        return recvBytesInto(buf, 0);
    }

    /**
     * Receives the next message into an array from {@code offset}.
     *
     * @param buf    the array.
     * @param offset where the message goes.
     * @return the message length.
     * @throws IndexOutOfBoundsException if {@code offset} is outside the array.
     * @throws BufferTooShortException   if the message is longer than the space from {@code offset}; it is
     *                                   not consumed.
     * @throws EOFException              if the other end is gone and every message was received.
     * @throws IOException               if this end is closed.
     * @throws InterruptedException      if interrupted while waiting.
     */
    public int recvBytesInto(byte[] buf, int offset) throws IOException, InterruptedException {
        Objects.checkIndex(offset, buf.length + 1);
        try {
            return end.receiveInto(buf, offset, Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Receives the next message into a buffer at its position; the position advances past it.
     *
     * @param dst the buffer, heap or direct.
     * @return the message length.
     * @throws BufferTooShortException if the message is longer than {@code dst.remaining()}; it is not
     *                                 consumed.
     * @throws EOFException            if the other end is gone and every message was received.
     * @throws IOException             if this end is closed.
     * @throws InterruptedException    if interrupted while waiting.
     */
    public int recvBytesInto(ByteBuffer dst) throws IOException, InterruptedException {
        try {
            return end.receiveInto(dst, Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Receives the next message, of any length, into a channel, streaming it out of the ring piece by piece.
     *
     * @param dst the channel to write.
     * @return the message length.
     * @throws EOFException         if the other end is gone and every message was received.
     * @throws IOException          if this end is closed, or the channel fails (the rest of the message is
     *                              dropped).
     * @throws InterruptedException if interrupted while waiting.
     */
    public long recvBytesInto(WritableByteChannel dst) throws IOException, InterruptedException {
        try {
            return end.receiveInto(dst, Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------------------- readiness

    /**
     * Tells, without blocking, whether {@link #recv()} would return at once: a message is waiting, or the other
     * end is gone (so {@code recv} would throw {@link EOFException}).
     *
     * @return {@code true} if a receive would not block.
     * @throws IOException if this end is closed.
     */
    public boolean poll() throws IOException {
        return end.poll();
    }

    /**
     * Waits at most {@code timeout} until {@link #recv()} would return at once.
     *
     * @param timeout how long to wait; zero polls once.
     * @return {@code true} if a message (or end of file) is waiting.
     * @throws IOException          if this end is closed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean poll(Duration timeout) throws IOException, InterruptedException {
        return end.poll(Deadlines.of(timeout));
    }

    /**
     * Waits until at least one of {@code objects} is ready, and returns the ready ones: Python's
     * {@code multiprocessing.connection.wait}. A {@link Connection} is ready when {@link #poll()} is true, a
     * {@link SharedQueue} or {@link SimpleSharedQueue} when it is not empty, and a {@link JvmProcess},
     * {@link Process} or {@link ProcessHandle} when it has exited.
     * <pre>{@code
     * try (Pipe a = Pipe.open(); Pipe b = Pipe.open()) {
     *     Connection resultsA = a.first();
     *     Connection resultsB = b.first();
     *     Connection toA = a.second();
     *     JvmProcess worker = new JvmProcess(() -> toA.send("result for A")).start();
     *     // the worker first: when it is seen to have exited, what it sent before is seen too
     *     List<Object> waiting = new ArrayList<>(List.of(worker, resultsA, resultsB));
     *     while (waiting.contains(worker)) {
     *         List<Object> ready = Connection.await(waiting, Duration.ofSeconds(30));
     *         if (ready.isEmpty()) {
     *             throw new TimeoutException("nothing ready within 30 s");
     *         }
     *         for (Object r : ready) {
     *             if (r == worker) {
     *                 waiting.remove(worker);                             // it exited
     *             } else {
     *                 try {
     *                     System.out.println(((Connection) r).recv());   // result for A
     *                 } catch (EOFException e) {
     *                     waiting.remove(r);                              // the other end closed: no more
     *                 }
     *             }
     *         }
     *     }
     * }
     * }</pre>
     *
     * @param objects what to wait for.
     * @param <T>     the element type.
     * @return the ready objects, in the order given; never empty.
     * @throws IllegalArgumentException if an object is of another kind.
     * @throws IOException              if a connection is closed.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public static <T> List<T> await(Collection<? extends T> objects) throws IOException, InterruptedException {
        return awaitUntil(objects, Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} until at least one of {@code objects} is ready, as {@link #await(Collection)}.
     *
     * @param objects what to wait for.
     * @param timeout how long to wait; zero checks once.
     * @param <T>     the element type.
     * @return the ready objects, in the order given; empty if none became ready in time.
     * @throws IllegalArgumentException if an object is of another kind.
     * @throws IOException              if a connection is closed.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public static <T> List<T> await(Collection<? extends T> objects, Duration timeout)
            throws IOException, InterruptedException {
        return awaitUntil(objects, Deadlines.of(timeout));
    }

    private static <T> List<T> awaitUntil(Collection<? extends T> objects, long deadlineNanos)
            throws IOException, InterruptedException {
        for (Object o : objects) {
            if (!(o instanceof Connection || o instanceof SharedQueue || o instanceof SimpleSharedQueue
                    || o instanceof JvmProcess || o instanceof Process || o instanceof ProcessHandle)) {
                throw new IllegalArgumentException("cannot wait for a " + (o == null ? "null" : o.getClass().getName())
                        + ": expected a Connection, SharedQueue, SimpleSharedQueue, JvmProcess, Process or ProcessHandle");
            }
        }
        IdleStrategy idle = IdlePolicy.defaultPolicy().newIdleStrategy();
        while (true) {
            List<T> ready = new ArrayList<>();
            for (T o : objects) {
                if (isReady(o)) {
                    ready.add(o);
                }
            }
            if (!ready.isEmpty() || (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0)) {
                return ready;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            idle.idle();
        }
    }

    private static boolean isReady(Object o) throws IOException {
        if (o instanceof Connection) {
            return ((Connection) o).poll();
        }
        if (o instanceof SharedQueue) {
            return !((SharedQueue<?>) o).isEmpty();
        }
        if (o instanceof SimpleSharedQueue) {
            return !((SimpleSharedQueue<?>) o).isEmpty();
        }
        if (o instanceof JvmProcess) {
            return !((JvmProcess) o).isAlive();
        }
        if (o instanceof Process) {
            return !((Process) o).isAlive();
        }
        return !((ProcessHandle) o).isAlive();
    }

    // ---------------------------------------------------------------------------------------------- state

    /**
     * Tells whether this end can receive (false for the sending end of a one-way pipe).
     *
     * @return {@code true} if it can receive.
     */
    public boolean isReadable() {
        return end.isReadable();
    }

    /**
     * Tells whether this end can send (false for the receiving end of a one-way pipe).
     *
     * @return {@code true} if it can send.
     */
    public boolean isWritable() {
        return end.isWritable();
    }

    /**
     * Tells whether this object was closed in this process.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed() {
        return end.isClosed();
    }

    /**
     * Closes this end in this process. If this process owns the end, the other end receives what was sent,
     * then {@link EOFException}. The pipe's shared memory is removed when no live process uses it any more
     * (none has an end open, none was handed one and has not attached it yet). Closing twice is harmless.
     *
     * <p><b>Closing while in use.</b> A thread of this process blocked in a send, receive or
     * {@link #poll(Duration)} of this end when it is closed wakes within one idle period (at most about 1 ms by
     * default) and throws {@link java.nio.channels.AsynchronousCloseException} (a send that had begun a message
     * larger than the ring aborts it, so the other end never receives part of it); {@code close()} returns
     * once this process's sending and receiving threads have left. Every later call throws
     * {@link ClosedChannelException}. The memory stays mapped until this object is unreachable, so no call ever
     * touches unmapped memory.
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
        long sender = end.sending();
        return new ConnectionHandle(end.name(), end.end(), sender, end.options());
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
        return "Connection[" + end + (end.isReadable() ? ", readable" : "") + (end.isWritable() ? ", writable" : "")
                + (end.isClosed() ? ", closed" : "") + "]";
    }

    /** What a {@link Connection} travels as. */
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
            return new Connection(PipeEnd.attach(segment, end, sender, options));
        }

        @Override
        public String toString() {
            return "ConnectionHandle[" + segment + ", end " + end + "]";
        }
    }
}
