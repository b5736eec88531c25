package org.multiproc4j.mpi.spi;

import java.util.concurrent.TimeoutException;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.Status;

/**
 * A communicator as a backend implements it, wrapped by {@link org.multiproc4j.mpi.Comm}. The bridge checks
 * every argument before it calls a method here (ranks and roots in range, counts and displacements that fit
 * their buffers, an {@link Op} that applies to the element type), and builds the object forms on the byte
 * methods ({@link #sendBytes}, {@link #recvBytes}) and on the buffer collectives over {@code byte[]}s, so a
 * backend implements each operation once, on {@link Buf}s.
 *
 * <p>Counts and displacements of the v-collectives are in elements of the buffers' type. A {@code send} at a
 * root or {@code recv} at a non-root that MPI ignores may be {@code null}.
 *
 * <pre>{@code
 * try (org.multiproc4j.mpi.Mpi mpi = org.multiproc4j.mpi.Mpi.init(new String[0])) {
 *     System.out.println(mpi.world().size());     // 1: a program started without a launcher is a job of one rank
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> A backend serializes the calls of one process
 * ({@code MPI_THREAD_SERIALIZED} at least). Communicators are not shared between processes.
 *
 * <p><b>Failure.</b> A message longer than its receive buffer, or of another element type, fails the receive
 * with an {@link org.multiproc4j.mpi.MpiException}; a peer that died or a job that is ending fails every
 * waiting call with a {@link org.multiproc4j.mpi.JobAbortedException}.
 */
public interface CommBackend {

    /** Wildcard source. */
    int ANY_SOURCE = -1;
    /** Wildcard tag. */
    int ANY_TAG = -1;

    /**
     * Returns this process's rank.
     *
     * @return the rank, from 0 to {@code size() - 1}.
     */
    int rank();

    /**
     * Returns the number of ranks.
     *
     * @return the size.
     */
    int size();

    /**
     * Sends a buffer.
     *
     * @param buf  the elements.
     * @param dest the destination rank.
     * @param tag  the tag, not negative.
     */
    void send(Buf buf, int dest, int tag);

    /**
     * Sends an object message (encoded bytes).
     *
     * @param bytes the encoded object.
     * @param dest  the destination rank.
     * @param tag   the tag.
     */
    void sendBytes(byte[] bytes, int dest, int tag);

    /**
     * Receives into a buffer.
     *
     * @param buf           where the elements go.
     * @param source        the source rank or {@link #ANY_SOURCE}.
     * @param tag           the tag or {@link #ANY_TAG}.
     * @param deadlineNanos a {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for none.
     * @return the status.
     * @throws TimeoutException if the deadline passed first (nothing was received).
     */
    Status recv(Buf buf, int source, int tag, long deadlineNanos) throws TimeoutException;

    /**
     * Receives an object message.
     *
     * @param source        the source rank or {@link #ANY_SOURCE}.
     * @param tag           the tag or {@link #ANY_TAG}.
     * @param status        filled with the message's status, or {@code null}.
     * @param deadlineNanos a {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for none.
     * @return the encoded object.
     * @throws TimeoutException if the deadline passed first (nothing was received).
     */
    byte[] recvBytes(int source, int tag, Status status, long deadlineNanos) throws TimeoutException;

    /**
     * Starts a send.
     *
     * @param buf  the elements.
     * @param dest the destination rank.
     * @param tag  the tag.
     * @return the request.
     */
    BackendRequest isend(Buf buf, int dest, int tag);

    /**
     * Starts an object send.
     *
     * @param bytes the encoded object.
     * @param dest  the destination rank.
     * @param tag   the tag.
     * @return the request.
     */
    BackendRequest isendBytes(byte[] bytes, int dest, int tag);

    /**
     * Starts a receive into a buffer.
     *
     * @param buf    where the elements go.
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @return the request.
     */
    BackendRequest irecv(Buf buf, int source, int tag);

    /**
     * Starts an object receive.
     *
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @return the request; {@link BackendRequest#bytes()} holds the message once complete.
     */
    BackendRequest irecvBytes(int source, int tag);

    /**
     * Tells whether a matching message can be received now, without receiving it.
     *
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @return its status, or {@code null} if none has arrived.
     */
    Status iprobe(int source, int tag);

    /**
     * Waits for a matching message, without receiving it.
     *
     * @param source        the source rank or {@link #ANY_SOURCE}.
     * @param tag           the tag or {@link #ANY_TAG}.
     * @param deadlineNanos a {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for none.
     * @return its status.
     * @throws TimeoutException if the deadline passed first.
     */
    Status probe(int source, int tag, long deadlineNanos) throws TimeoutException;

    /** Waits until every rank has called it. */
    void barrier();

    /**
     * Broadcasts the root's buffer into every rank's.
     *
     * @param buf  the elements: sent at the root, received elsewhere (same count everywhere).
     * @param root the root rank.
     */
    void bcast(Buf buf, int root);

    /**
     * Scatters blocks of the root's buffer.
     *
     * @param send   the root's buffer ({@code null} elsewhere).
     * @param counts per rank, the block's element count (significant at the root).
     * @param displs per rank, the block's first element in {@code send} (significant at the root).
     * @param recv   this rank's block.
     * @param root   the root rank.
     */
    void scatterv(Buf send, int[] counts, int[] displs, Buf recv, int root);

    /**
     * Gathers every rank's buffer into blocks of the root's.
     *
     * @param send   this rank's elements.
     * @param recv   the root's buffer ({@code null} elsewhere).
     * @param counts per rank, the block's element count (significant at the root).
     * @param displs per rank, the block's first element in {@code recv} (significant at the root).
     * @param root   the root rank.
     */
    void gatherv(Buf send, Buf recv, int[] counts, int[] displs, int root);

    /**
     * Gathers every rank's buffer into blocks of every rank's.
     *
     * @param send   this rank's elements.
     * @param recv   every rank's result.
     * @param counts per rank, the block's element count.
     * @param displs per rank, the block's first element in {@code recv}.
     */
    void allgatherv(Buf send, Buf recv, int[] counts, int[] displs);

    /**
     * Sends a block to every rank and receives one from every rank.
     *
     * @param send    this rank's blocks.
     * @param scounts per destination, the block's count.
     * @param sdispls per destination, the block's first element in {@code send}.
     * @param recv    the blocks received.
     * @param rcounts per source, the block's count.
     * @param rdispls per source, the block's first element in {@code recv}.
     */
    void alltoallv(Buf send, int[] scounts, int[] sdispls, Buf recv, int[] rcounts, int[] rdispls);

    /**
     * Reduces every rank's buffer element-wise, in rank order, into the root's.
     *
     * @param send this rank's elements.
     * @param recv the result at the root ({@code null} elsewhere), same count.
     * @param op   the operation.
     * @param root the root rank.
     */
    void reduce(Buf send, Buf recv, Op op, int root);

    /**
     * Reduces every rank's buffer into every rank's.
     *
     * @param send this rank's elements.
     * @param recv the result, same count.
     * @param op   the operation.
     */
    void allreduce(Buf send, Buf recv, Op op);

    /**
     * Inclusive prefix reduction: rank r gets the reduction of ranks 0..r.
     *
     * @param send this rank's elements.
     * @param recv the result, same count.
     * @param op   the operation.
     */
    void scan(Buf send, Buf recv, Op op);

    /**
     * Exclusive prefix reduction: rank r gets the reduction of ranks 0..r-1; rank 0's {@code recv} is left
     * unchanged.
     *
     * @param send this rank's elements.
     * @param recv the result, same count.
     * @param op   the operation.
     */
    void exscan(Buf send, Buf recv, Op op);

    /**
     * Makes a communicator of the same ranks with a separate message space.
     *
     * @return the new communicator.
     */
    CommBackend dup();

    /**
     * Splits the ranks by color, ordered by key then rank.
     *
     * @param color this rank's color, or negative to be in no new communicator.
     * @param key   this rank's sort key.
     * @return the new communicator, or {@code null} for a negative color.
     */
    CommBackend split(int color, int key);

    /** Releases the communicator. */
    void free();
}
