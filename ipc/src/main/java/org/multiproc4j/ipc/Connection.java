package org.multiproc4j.ipc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Waitable;

/**
 * One end of a two-way message channel: Java's counterpart of Python's {@code multiprocessing.connection.Connection}.
 * A {@link Pipe}'s ends ({@link PipeConnection}, through shared memory, on one machine) and a socket's ends
 * ({@link org.multiproc4j.ipc.net.SocketConnection}, made by {@code Listener} and {@code Client}, across
 * machines) are connections, and keep the contract below; code written against this type works with either.
 * <pre>{@code
 * try (Pipe pipe = Pipe.open()) {
 *     Connection a = pipe.first();
 *     Connection b = pipe.second();
 *     a.send(List.of(1, 2, 3));
 *     System.out.println(b.recv(Duration.ofSeconds(5)));   // [1, 2, 3]
 *     b.close();
 *     try {
 *         a.recv(Duration.ofSeconds(5));
 *     } catch (EOFException e) {
 *         System.out.println("the other end is gone");     // the other end is gone
 *     }
 * }
 * }</pre>
 *
 * <p><b>Messages.</b> {@link #send(Object)} encodes a value in the caller's thread with the connection's codec
 * and sends it as one message; {@link #recv()} returns it. {@link #sendBytes(byte[])} sends raw bytes, received
 * with {@link #recvBytes()} or into the caller's memory with {@link #recvBytesInto(byte[], int)}. Every message
 * arrives whole, once, in the order it was sent. A message sent as bytes is received by {@code recv} as a
 * {@code byte[]}; a message sent as an object is received by {@code recvBytes} as its encoded form.
 *
 * <p><b>When the other end is gone.</b> When the other end is closed, or the process holding it exits or dies
 * (even by {@code kill -9}), this end first receives every message already sent, then every receive throws
 * {@link EOFException}, and {@link #poll()} is true. Sending to an end that is gone fails with
 * {@link BrokenPipeException}, itself an {@code EOFException}, so one {@code catch (EOFException e)} handles a
 * peer that is gone on either side. What was sent to a peer that died without receiving it is lost. How soon a
 * sender notices is each kind's: a pipe end at once after a close and within a millisecond of a death; a socket
 * once the operating system reports the connection reset (a few sends later: what the socket's buffers took
 * before is lost).
 *
 * <p><b>When this end is closed.</b> Every call on a closed end (but {@link #close()}, {@link #isClosed()},
 * {@link #isReady()} and the state queries) throws {@link ClosedChannelException}. A thread blocked in this
 * end when another thread closes it wakes and throws {@link AsynchronousCloseException} (a subclass).
 *
 * <p><b>Timeouts and interrupts.</b> Every blocking call has a form taking a {@link Duration}, which throws
 * {@link TimeoutException} when it runs out; an interrupted call throws {@link InterruptedException}. A receive
 * that times out or is interrupted loses nothing: the message it was waiting for, or had begun to receive, is
 * received by the next call. A send that times out or is interrupted delivers nothing of its message; a
 * connection that had already written part of it to a byte stream (a socket) cannot take it back, so it closes
 * itself, and the send says so ({@link InterruptedIOException} for an interrupt).
 *
 * <p><b>Other failures.</b> A value the codec cannot encode fails {@code send} with
 * {@link SerializationException} naming its type; nothing is sent. A message that cannot be decoded fails
 * {@code recv} with {@link SerializationException}, and is consumed. A message larger than the caller's array
 * or buffer fails {@code recvBytesInto} with {@link BufferTooShortException}; it is not consumed. A connection
 * may bound a message's size (a socket's {@code maxMessageSize}; a pipe's messages are unbounded): a larger one
 * is refused with {@link IllegalArgumentException} before anything is sent.
 *
 * <p><b>Thread and process safety.</b> Every method may be called from any thread. Sends from several threads
 * are serialized, as are receives: messages never interleave; one thread may send while another receives.
 * Whether an end may move to another process is each kind's (a pipe end may, a socket end may not).
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to sending a message happen-before actions
 * subsequent to the receive that returns it, in the other process (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>); each kind says what more it promises.
 *
 * <p><b>Waiting for several.</b> A connection is {@linkplain #isReady() ready} when a receive would not block;
 * {@link Waitable#await(Collection, Duration)} waits for connections together with queues, processes and task
 * results.
 */
public interface Connection extends Waitable, AutoCloseable {

    // -------------------------------------------------------------------------------------------- objects

    /**
     * Sends a value, waiting as long as it takes for room.
     *
     * @param obj the value, may be {@code null}.
     * @throws SerializationException   if the value cannot be encoded; nothing was sent.
     * @throws IllegalArgumentException if its encoded form is larger than this connection's maximum message
     *                                  size; nothing was sent.
     * @throws BrokenPipeException      if the other end is gone.
     * @throws ClosedChannelException   if this end is closed ({@link AsynchronousCloseException} if by another
     *                                  thread while this one waited).
     * @throws IOException              on another I/O error.
     * @throws InterruptedException     if interrupted while waiting for room; nothing was delivered.
     * @throws IllegalStateException    if this end cannot send (the receiving end of a one-way pipe).
     */
    void send(Object obj) throws IOException, InterruptedException;

    /**
     * Sends a value, waiting at most {@code timeout} for it to be taken.
     *
     * @param obj     the value, may be {@code null}.
     * @param timeout how long to wait; zero or negative does not wait.
     * @throws TimeoutException         if it could not be sent in time; nothing was delivered (a connection
     *                                  that had written part of it is closed, and the message says so).
     * @throws SerializationException   if the value cannot be encoded; nothing was sent.
     * @throws IllegalArgumentException if it is larger than this connection's maximum message size.
     * @throws BrokenPipeException      if the other end is gone.
     * @throws ClosedChannelException   if this end is closed.
     * @throws IOException              on another I/O error.
     * @throws InterruptedException     if interrupted while waiting; nothing was delivered.
     * @throws IllegalStateException    if this end cannot send.
     */
    void send(Object obj, Duration timeout) throws IOException, InterruptedException, TimeoutException;

    /**
     * Receives the next value, waiting as long as it takes.
     *
     * @return the value sent (a {@code byte[]} for a message sent as bytes).
     * @throws EOFException           if the other end is gone and every message it sent was received.
     * @throws SerializationException if the message cannot be decoded; it is consumed.
     * @throws ClosedChannelException if this end is closed ({@link AsynchronousCloseException} if by another
     *                                thread while this one waited).
     * @throws IOException            on another I/O error (a peer that broke the protocol).
     * @throws InterruptedException   if interrupted while waiting; nothing is lost.
     * @throws IllegalStateException  if this end cannot receive (the sending end of a one-way pipe).
     */
    Object recv() throws IOException, InterruptedException;

    /**
     * Receives the next value, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero or negative takes only what has arrived.
     * @return the value.
     * @throws TimeoutException       if no whole message came in time; nothing is lost.
     * @throws EOFException           if the other end is gone and every message it sent was received.
     * @throws SerializationException if the message cannot be decoded; it is consumed.
     * @throws ClosedChannelException if this end is closed.
     * @throws IOException            on another I/O error.
     * @throws InterruptedException   if interrupted while waiting; nothing is lost.
     * @throws IllegalStateException  if this end cannot receive.
     */
    Object recv(Duration timeout) throws IOException, InterruptedException, TimeoutException;

    // ---------------------------------------------------------------------------------------------- bytes

    /**
     * Sends the bytes of an array as one message.
     *
     * @param buf the bytes.
     * @throws IllegalArgumentException if there are more than this connection's maximum message size.
     * @throws BrokenPipeException      if the other end is gone.
     * @throws ClosedChannelException   if this end is closed.
     * @throws IOException              on another I/O error.
     * @throws InterruptedException     if interrupted while waiting for room; nothing was delivered.
     */
    default void sendBytes(byte[] buf) throws IOException, InterruptedException {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends a region of an array as one message.
     *
     * @param buf    the bytes.
     * @param offset the region's first byte.
     * @param length the region's length.
     * @throws IndexOutOfBoundsException if the region is not inside the array.
     * @throws IllegalArgumentException  if {@code length} is more than this connection's maximum message size.
     * @throws BrokenPipeException       if the other end is gone.
     * @throws ClosedChannelException    if this end is closed.
     * @throws IOException               on another I/O error.
     * @throws InterruptedException      if interrupted while waiting for room; nothing was delivered.
     */
    void sendBytes(byte[] buf, int offset, int length) throws IOException, InterruptedException;

    /**
     * Sends a region of an array as one message, waiting at most {@code timeout} for it to be taken.
     *
     * @param buf     the bytes.
     * @param offset  the region's first byte.
     * @param length  the region's length.
     * @param timeout how long to wait; zero or negative does not wait.
     * @throws TimeoutException          if it could not be sent in time; nothing was delivered (a connection
     *                                   that had written part of it is closed, and the message says so).
     * @throws IndexOutOfBoundsException if the region is not inside the array.
     * @throws IllegalArgumentException  if {@code length} is more than this connection's maximum message size.
     * @throws BrokenPipeException       if the other end is gone.
     * @throws ClosedChannelException    if this end is closed.
     * @throws IOException               on another I/O error.
     * @throws InterruptedException      if interrupted while waiting; nothing was delivered.
     */
    void sendBytes(byte[] buf, int offset, int length, Duration timeout)
            throws IOException, InterruptedException, TimeoutException;

    /**
     * Sends a buffer's remaining bytes as one message; the buffer's position advances to its limit.
     *
     * @param src the bytes, heap or direct.
     * @throws IllegalArgumentException if there are more than this connection's maximum message size.
     * @throws BrokenPipeException      if the other end is gone.
     * @throws ClosedChannelException   if this end is closed.
     * @throws IOException              on another I/O error.
     * @throws InterruptedException     if interrupted while waiting for room; nothing was delivered.
     */
    void sendBytes(ByteBuffer src) throws IOException, InterruptedException;

    /**
     * Receives the next message's bytes, waiting as long as it takes.
     *
     * @return a new array holding them (for a message sent as an object, its encoded form).
     * @throws BufferTooShortException if the message is longer than a Java array can be; it is not consumed.
     * @throws EOFException            if the other end is gone and every message it sent was received.
     * @throws ClosedChannelException  if this end is closed.
     * @throws IOException             on another I/O error.
     * @throws InterruptedException    if interrupted while waiting; nothing is lost.
     */
    byte[] recvBytes() throws IOException, InterruptedException;

    /**
     * Receives the next message's bytes, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; zero or negative takes only what has arrived.
     * @return a new array holding them.
     * @throws TimeoutException       if no whole message came in time; nothing is lost.
     * @throws EOFException           if the other end is gone and every message it sent was received.
     * @throws ClosedChannelException if this end is closed.
     * @throws IOException            on another I/O error.
     * @throws InterruptedException   if interrupted while waiting; nothing is lost.
     */
    byte[] recvBytes(Duration timeout) throws IOException, InterruptedException, TimeoutException;

    /**
     * Receives the next message into an array from index 0, waiting as long as it takes.
     *
     * @param buf the array.
     * @return the message's length.
     * @throws BufferTooShortException if the message is longer than the array; it is not consumed.
     * @throws EOFException            if the other end is gone and every message it sent was received.
     * @throws ClosedChannelException  if this end is closed.
     * @throws IOException             on another I/O error.
     * @throws InterruptedException    if interrupted while waiting; nothing is lost.
     */
    default int recvBytesInto(byte[] buf) throws IOException, InterruptedException {
        return recvBytesInto(buf, 0);
    }

    /**
     * Receives the next message into an array from {@code offset}, waiting as long as it takes.
     *
     * @param buf    the array.
     * @param offset where the message goes.
     * @return the message's length.
     * @throws IndexOutOfBoundsException if {@code offset} is outside the array.
     * @throws BufferTooShortException   if the message is longer than the room from {@code offset}; it is not
     *                                   consumed.
     * @throws EOFException              if the other end is gone and every message it sent was received.
     * @throws ClosedChannelException    if this end is closed.
     * @throws IOException               on another I/O error.
     * @throws InterruptedException      if interrupted while waiting; nothing is lost.
     */
    int recvBytesInto(byte[] buf, int offset) throws IOException, InterruptedException;

    /**
     * Receives the next message into an array from {@code offset}, waiting at most {@code timeout}.
     *
     * @param buf     the array.
     * @param offset  where the message goes.
     * @param timeout how long to wait; zero or negative takes only what has arrived.
     * @return the message's length.
     * @throws TimeoutException          if no whole message came in time; nothing is lost.
     * @throws IndexOutOfBoundsException if {@code offset} is outside the array.
     * @throws BufferTooShortException   if the message is longer than the room from {@code offset}; it is not
     *                                   consumed.
     * @throws EOFException              if the other end is gone and every message it sent was received.
     * @throws ClosedChannelException    if this end is closed.
     * @throws IOException               on another I/O error.
     * @throws InterruptedException      if interrupted while waiting; nothing is lost.
     */
    int recvBytesInto(byte[] buf, int offset, Duration timeout)
            throws IOException, InterruptedException, TimeoutException;

    /**
     * Receives the next message into a buffer at its position, waiting as long as it takes; the position
     * advances past it.
     *
     * @param dst the buffer, heap or direct.
     * @return the message's length.
     * @throws BufferTooShortException if the message is longer than {@code dst.remaining()}; it is not consumed.
     * @throws EOFException            if the other end is gone and every message it sent was received.
     * @throws ClosedChannelException  if this end is closed.
     * @throws IOException             on another I/O error.
     * @throws InterruptedException    if interrupted while waiting; nothing is lost.
     */
    int recvBytesInto(ByteBuffer dst) throws IOException, InterruptedException;

    /**
     * Receives the next message into a buffer at its position, waiting at most {@code timeout}; the position
     * advances past it.
     *
     * @param dst     the buffer, heap or direct.
     * @param timeout how long to wait; zero or negative takes only what has arrived.
     * @return the message's length.
     * @throws TimeoutException        if no whole message came in time; nothing is lost.
     * @throws BufferTooShortException if the message is longer than {@code dst.remaining()}; it is not consumed.
     * @throws EOFException            if the other end is gone and every message it sent was received.
     * @throws ClosedChannelException  if this end is closed.
     * @throws IOException             on another I/O error.
     * @throws InterruptedException    if interrupted while waiting; nothing is lost.
     */
    int recvBytesInto(ByteBuffer dst, Duration timeout) throws IOException, InterruptedException, TimeoutException;

    // ------------------------------------------------------------------------------------------ readiness

    /**
     * Tells, without blocking, whether a receive would return at once: a message is waiting, or the other end is
     * gone (the receive would throw {@link EOFException}).
     *
     * @return {@code true} if a receive would not block.
     * @throws ClosedChannelException if this end is closed.
     * @throws IOException            on another I/O error.
     * @throws IllegalStateException  if this end cannot receive.
     */
    boolean poll() throws IOException;

    /**
     * Waits at most {@code timeout} until a receive would return at once.
     *
     * @param timeout how long to wait; zero or negative is {@link #poll()}.
     * @return {@code true} if a message (or end of file) is waiting, {@code false} if the time ran out.
     * @throws ClosedChannelException if this end is closed ({@link AsynchronousCloseException} if by another
     *                                thread while this one waited).
     * @throws IOException            on another I/O error.
     * @throws InterruptedException   if interrupted while waiting.
     * @throws IllegalStateException  if this end cannot receive.
     */
    boolean poll(Duration timeout) throws IOException, InterruptedException;

    /**
     * Tells, without blocking, whether a receive would return or throw at once: {@link #poll()} is true, or this
     * end is closed. An end that cannot receive is never ready.
     *
     * @return {@code true} if a receive would not block.
     */
    @Override
    default boolean isReady() {
        if (isClosed()) {
            return true;
        }
        if (!isReadable()) {
            return false;
        }
        try {
            return poll();
        } catch (IOException e) {
            return true; // the receive would throw at once
        }
    }

    /**
     * Waits until at least one of {@code objects} is ready: the same as {@link Waitable#await(Collection)},
     * kept here for the code that called it on connections.
     *
     * @param objects what to wait for.
     * @param <T>     the element type.
     * @return the ready objects, in the order given.
     * @throws IllegalArgumentException if an object cannot be waited for.
     * @throws InterruptedException     if interrupted while waiting.
     */
    static <T> List<T> await(Collection<? extends T> objects) throws InterruptedException {
        return Waitable.await(objects);
    }

    /**
     * Waits at most {@code timeout} until at least one of {@code objects} is ready: the same as
     * {@link Waitable#await(Collection, Duration)}.
     *
     * @param objects what to wait for.
     * @param timeout how long to wait; zero or negative looks once.
     * @param <T>     the element type.
     * @return the ready objects, in the order given; empty if none became ready in time.
     * @throws IllegalArgumentException if an object cannot be waited for.
     * @throws InterruptedException     if interrupted while waiting.
     */
    static <T> List<T> await(Collection<? extends T> objects, Duration timeout) throws InterruptedException {
        return Waitable.await(objects, timeout);
    }

    // ---------------------------------------------------------------------------------------------- state

    /**
     * Tells whether this end can receive.
     *
     * @return {@code true} if it can (false for the sending end of a one-way pipe).
     */
    boolean isReadable();

    /**
     * Tells whether this end can send.
     *
     * @return {@code true} if it can (false for the receiving end of a one-way pipe).
     */
    boolean isWritable();

    /**
     * Tells whether this end was closed (by {@link #close()}, or by the connection itself after a failure it
     * cannot recover from).
     *
     * @return {@code true} once closed.
     */
    boolean isClosed();

    /**
     * Closes this end. The other end receives what was sent, then {@link EOFException}. Threads blocked in this
     * end wake with {@link AsynchronousCloseException}. Closing twice is harmless.
     */
    @Override
    void close();
}
