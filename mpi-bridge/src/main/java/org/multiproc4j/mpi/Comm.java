package org.multiproc4j.mpi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BinaryOperator;

import org.multiproc4j.mpi.spi.CommBackend;

/**
 * A communicator: a group of ranks that exchange messages, mpi4py's {@code Comm}. Every operation comes in two
 * families, as in mpi4py, told apart by their arguments: <em>object forms</em> take and return any value the
 * codecs carry (mpi4py's lowercase {@code send}, {@code bcast}, {@code gather}...), <em>buffer forms</em> move
 * elements of primitive arrays or direct buffers named by a {@link Buf} (mpi4py's uppercase {@code Send},
 * {@code Bcast}...), without encoding.
 *
 * <pre>{@code
 * try (Mpi mpi = Mpi.init(new String[0])) {
 *     Comm world = mpi.world();
 *     double[] data = world.rank() == 0 ? new double[] {1, 2, 3} : new double[3];
 *     world.bcast(Buf.of(data), 0);                                  // buffer form
 *     Map<String, Integer> config = world.bcast(world.rank() == 0 ? Map.of("steps", 10) : null, 0);  // object form
 *     double sum = world.allreduce(data[0] * world.rank(), Double::sum);
 *     System.out.println(Arrays.toString(data) + " " + config + " " + sum);
 * }
 * }</pre>
 *
 * <p><b>Point to point.</b> {@link #send}, {@link #recv}, {@link #sendrecv} and the nonblocking
 * {@link #isend}/{@link #irecv}; a receive names a source rank or {@link #ANY_SOURCE} and a tag or
 * {@link #ANY_TAG}, and reports a {@link Status}. Messages from one rank to another on one communicator arrive in
 * the order they were sent, and a receive takes the first that matches (MPI's non-overtaking rule).
 *
 * <p><b>Collectives</b> are called by every rank of the communicator, in the same order. The buffer forms follow
 * MPI: counts are the same on every rank where MPI says so, the root's send buffer holds {@code size()} blocks
 * for {@link #scatter(Buf, Buf, int)}, and the v-forms take per-rank counts and displacements ({@link Blocks}).
 * Reductions combine the ranks' contributions in rank order.
 *
 * <p><b>Thread and process safety.</b> A communicator belongs to one process. Its calls may come from several
 * threads: the {@code local} and {@code openmpi} backends serve them one at a time (a blocking call holds the others
 * back), the {@code native} backend runs them concurrently ({@code MPI_THREAD_MULTIPLE}); see {@link Mpi}.
 *
 * <p><b>Memory consistency effects.</b> Actions of the sending rank before a send happen-before the matching
 * receive returns in the receiving rank; for a collective, actions of each rank before the call happen-before
 * the return of the call in every rank that receives data from it (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 *
 * <p><b>Failure.</b> A bad argument (a rank or root out of range, a negative tag, counts that do not fit the
 * buffers, an {@link Op} that does not apply to the element type) is an {@link IllegalArgumentException} naming
 * the values, thrown on the rank that made it before anything is sent. A message longer than the receive buffer,
 * or of another element type, fails the receive with an {@link MpiException}. A peer rank that died or a job
 * being aborted fails every waiting call with a {@link JobAbortedException}; nothing waits forever for a dead
 * rank. A value the codecs cannot encode fails the sending call with
 * {@link org.multiproc4j.core.SerializationException}, before anything is sent.
 */
public final class Comm {
    /** Receive from any source ({@code MPI.ANY_SOURCE}). */
    public static final int ANY_SOURCE = CommBackend.ANY_SOURCE;
    /** Receive any tag ({@code MPI.ANY_TAG}). */
    public static final int ANY_TAG = CommBackend.ANY_TAG;
    /** The color of a rank that joins no communicator in {@link #split(int, int)} ({@code MPI.UNDEFINED}). */
    public static final int UNDEFINED = -32766;

    private final Mpi mpi;
    private final CommBackend b;
    private final String name;

    Comm(Mpi mpi, CommBackend backend, String name) {
        this.mpi = mpi;
        this.b = backend;
        this.name = name;
    }

    static long deadline(Duration timeout) {
        long t = Objects.requireNonNull(timeout, "timeout").toNanos();
        long now = System.nanoTime();
        long d = now + Math.max(0, t);
        return d - now < 0 || d == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : d;
    }

    // ------------------------------------------------------------------ checks

    private void checkRank(String op, String what, int r) {
        if (r < 0 || r >= b.size()) {
            throw new IllegalArgumentException(op + ": " + what + " " + r + " is out of range for a communicator of "
                    + b.size() + " ranks");
        }
    }

    private void checkSource(String op, int source) {
        if (source != ANY_SOURCE) {
            checkRank(op, "source", source);
        }
    }

    private static void checkTag(String op, int tag, boolean wildcard) {
        if (tag < 0 && !(wildcard && tag == ANY_TAG)) {
            throw new IllegalArgumentException(op + ": tag must not be negative" + (wildcard ? " (other than ANY_TAG)"
                    : "") + ", got " + tag);
        }
    }

    private static Buf need(String op, String what, Buf buf) {
        if (buf == null) {
            throw new NullPointerException(op + ": " + what + " buffer is null");
        }
        return buf;
    }

    private void checkBlocks(String op, String what, int[] counts, int[] displs, Buf buf) {
        Objects.requireNonNull(counts, op + ": counts");
        Objects.requireNonNull(displs, op + ": displs");
        if (counts.length != b.size() || displs.length != b.size()) {
            throw new IllegalArgumentException(op + ": need " + b.size() + " counts and displacements, got "
                    + counts.length + " and " + displs.length);
        }
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] < 0) {
                throw new IllegalArgumentException(op + ": counts[" + r + "] is negative: " + counts[r]);
            }
            if (displs[r] < 0) {
                throw new IllegalArgumentException(op + ": displs[" + r + "] is negative: " + displs[r]);
            }
            if ((long) displs[r] + counts[r] > buf.count()) {
                throw new IllegalArgumentException(op + ": block " + r + " (displs " + displs[r] + ", count "
                        + counts[r] + ") exceeds the " + what + " buffer of " + buf.count() + " elements");
            }
        }
    }

    private static void checkSameType(String op, Buf a, Buf c) {
        if (a.type() != c.type()) {
            throw new IllegalArgumentException(op + ": send buffer holds " + a.type() + " but receive buffer holds "
                    + c.type());
        }
    }

    private static void checkOp(String op, Op o, Buf buf) {
        Objects.requireNonNull(o, op + ": op").check(op, buf.type(), buf.count());
    }

    // ------------------------------------------------------------------ basics

    /**
     * Returns this process's rank in the communicator ({@code Get_rank}).
     *
     * @return the rank, from 0 to {@code size() - 1}.
     */
    public int rank() {
        return b.rank();
    }

    /**
     * Returns the number of ranks ({@code Get_size}).
     *
     * @return the size.
     */
    public int size() {
        return b.size();
    }

    /**
     * Returns the backend's communicator, for backends and tests.
     *
     * @return the SPI object.
     */
    public CommBackend backend() {
        return b;
    }

    // ------------------------------------------------------------------ point to point

    /**
     * Sends elements to a rank ({@code Send}). Returns once the buffer may be reused.
     *
     * @param buf  the elements.
     * @param dest the destination rank.
     * @param tag  the tag, not negative.
     * @throws IllegalArgumentException if {@code dest} is out of range or {@code tag} negative.
     * @throws JobAbortedException      if the job is ending.
     */
    public void send(Buf buf, int dest, int tag) {
        need("send", "send", buf);
        checkRank("send", "dest", dest);
        checkTag("send", tag, false);
        b.send(buf, dest, tag);
    }

    /**
     * Sends an object to a rank ({@code send}): it is encoded in this thread, before anything is sent.
     *
     * @param obj  the value, may be {@code null}.
     * @param dest the destination rank.
     * @param tag  the tag, not negative.
     * @throws IllegalArgumentException                       if {@code dest} is out of range or {@code tag} negative.
     * @throws org.multiproc4j.core.SerializationException if the value cannot be encoded.
     * @throws JobAbortedException                            if the job is ending.
     */
    public void send(Object obj, int dest, int tag) {
        checkRank("send", "dest", dest);
        checkTag("send", tag, false);
        b.sendBytes(mpi.encode(obj), dest, tag);
    }

    /**
     * Receives elements ({@code Recv}).
     *
     * @param buf    where they go; the message may be shorter.
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @return the status: source, tag, count.
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     * @throws MpiException             if the message is longer than {@code buf} or of another element type.
     * @throws JobAbortedException      if the job is ending.
     */
    public Status recv(Buf buf, int source, int tag) {
        try {
            return recv(buf, source, tag, Long.MAX_VALUE);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Receives elements, waiting at most {@code timeout}.
     *
     * @param buf     where they go.
     * @param source  the source rank or {@link #ANY_SOURCE}.
     * @param tag     the tag or {@link #ANY_TAG}.
     * @param timeout how long to wait for a matching message.
     * @return the status.
     * @throws TimeoutException         if no matching message came in time (nothing was received).
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     * @throws MpiException             if the message is longer than {@code buf} or of another element type.
     * @throws JobAbortedException      if the job is ending.
     */
    public Status recv(Buf buf, int source, int tag, Duration timeout) throws TimeoutException {
        return recv(buf, source, tag, deadline(timeout));
    }

    private Status recv(Buf buf, int source, int tag, long deadline) throws TimeoutException {
        need("recv", "receive", buf);
        checkSource("recv", source);
        checkTag("recv", tag, true);
        return b.recv(buf, source, tag, deadline);
    }

    /**
     * Receives an object ({@code recv}).
     *
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @param <T>    the expected type.
     * @return the object.
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     * @throws MpiException             if the matching message is a buffer message.
     * @throws JobAbortedException      if the job is ending.
     */
    public <T> T recv(int source, int tag) {
        return recv(source, tag, (Status) null);
    }

    /**
     * Receives an object and fills a status.
     *
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @param status filled with the message's source, tag and size; may be {@code null}.
     * @param <T>    the expected type.
     * @return the object.
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     * @throws MpiException             if the matching message is a buffer message.
     * @throws JobAbortedException      if the job is ending.
     */
    public <T> T recv(int source, int tag, Status status) {
        try {
            return recv(source, tag, status, Long.MAX_VALUE);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Receives an object, waiting at most {@code timeout}.
     *
     * @param source  the source rank or {@link #ANY_SOURCE}.
     * @param tag     the tag or {@link #ANY_TAG}.
     * @param status  filled with the message's status; may be {@code null}.
     * @param timeout how long to wait.
     * @param <T>     the expected type.
     * @return the object.
     * @throws TimeoutException         if no matching message came in time.
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     * @throws MpiException             if the matching message is a buffer message.
     * @throws JobAbortedException      if the job is ending.
     */
    public <T> T recv(int source, int tag, Status status, Duration timeout) throws TimeoutException {
        return recv(source, tag, status, deadline(timeout));
    }

    @SuppressWarnings("unchecked")
    private <T> T recv(int source, int tag, Status status, long deadline) throws TimeoutException {
        checkSource("recv", source);
        checkTag("recv", tag, true);
        return (T) mpi.decode(b.recvBytes(source, tag, status, deadline));
    }

    /**
     * Sends elements and receives others in one call ({@code Sendrecv}), without deadlock whatever the peers do
     * at the same time.
     *
     * @param send     the elements to send.
     * @param dest     the destination rank.
     * @param sendTag  the send's tag.
     * @param recv     where the received elements go.
     * @param source   the source rank or {@link #ANY_SOURCE}.
     * @param recvTag  the receive's tag or {@link #ANY_TAG}.
     * @return the receive's status.
     * @throws IllegalArgumentException if a rank is out of range or a tag negative.
     * @throws MpiException             if the message received does not fit {@code recv}.
     * @throws JobAbortedException      if the job is ending.
     */
    public Status sendrecv(Buf send, int dest, int sendTag, Buf recv, int source, int recvTag) {
        need("sendrecv", "send", send);
        need("sendrecv", "receive", recv);
        checkRank("sendrecv", "dest", dest);
        checkTag("sendrecv", sendTag, false);
        checkSource("sendrecv", source);
        checkTag("sendrecv", recvTag, true);
        Request r = new Request(mpi, b.irecv(recv, source, recvTag), false);
        new Request(mpi, b.isend(send, dest, sendTag), false).await();
        return r.await();
    }

    /**
     * Sends an object and receives one in one call ({@code sendrecv}).
     *
     * @param obj     the object to send.
     * @param dest    the destination rank.
     * @param sendTag the send's tag.
     * @param source  the source rank or {@link #ANY_SOURCE}.
     * @param recvTag the receive's tag or {@link #ANY_TAG}.
     * @param <T>     the expected type.
     * @return the object received.
     * @throws IllegalArgumentException if a rank is out of range or a tag negative.
     * @throws JobAbortedException      if the job is ending.
     */
    public <T> T sendrecv(Object obj, int dest, int sendTag, int source, int recvTag) {
        checkRank("sendrecv", "dest", dest);
        checkTag("sendrecv", sendTag, false);
        checkSource("sendrecv", source);
        checkTag("sendrecv", recvTag, true);
        byte[] bytes = mpi.encode(obj);
        Request r = new Request(mpi, b.irecvBytes(source, recvTag), true);
        b.isendBytes(bytes, dest, sendTag);
        r.await();
        return r.object();
    }

    /**
     * Starts sending elements ({@code Isend}). Do not change the buffer until the request completes.
     *
     * @param buf  the elements.
     * @param dest the destination rank.
     * @param tag  the tag, not negative.
     * @return the request.
     * @throws IllegalArgumentException if {@code dest} is out of range or {@code tag} negative.
     * @throws JobAbortedException      if the job is ending.
     */
    public Request isend(Buf buf, int dest, int tag) {
        need("isend", "send", buf);
        checkRank("isend", "dest", dest);
        checkTag("isend", tag, false);
        return new Request(mpi, b.isend(buf, dest, tag), false);
    }

    /**
     * Starts sending an object ({@code isend}); it is encoded in this thread first.
     *
     * @param obj  the value.
     * @param dest the destination rank.
     * @param tag  the tag, not negative.
     * @return the request.
     * @throws IllegalArgumentException if {@code dest} is out of range or {@code tag} negative.
     * @throws JobAbortedException      if the job is ending.
     */
    public Request isend(Object obj, int dest, int tag) {
        checkRank("isend", "dest", dest);
        checkTag("isend", tag, false);
        return new Request(mpi, b.isendBytes(mpi.encode(obj), dest, tag), false);
    }

    /**
     * Starts receiving elements ({@code Irecv}). Do not touch the buffer until the request completes.
     *
     * @param buf    where they go.
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @return the request.
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     */
    public Request irecv(Buf buf, int source, int tag) {
        need("irecv", "receive", buf);
        checkSource("irecv", source);
        checkTag("irecv", tag, true);
        return new Request(mpi, b.irecv(buf, source, tag), false);
    }

    /**
     * Starts receiving an object ({@code irecv}); {@link Request#object()} returns it once complete.
     *
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @return the request.
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     */
    public Request irecv(int source, int tag) {
        checkSource("irecv", source);
        checkTag("irecv", tag, true);
        return new Request(mpi, b.irecvBytes(source, tag), true);
    }

    /**
     * Waits for a matching message without receiving it ({@code Probe}).
     *
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @return its status (its type is {@code null} for an object message).
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     * @throws JobAbortedException      if the job is ending.
     */
    public Status probe(int source, int tag) {
        try {
            return probe(source, tag, Long.MAX_VALUE);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Waits at most {@code timeout} for a matching message without receiving it.
     *
     * @param source  the source rank or {@link #ANY_SOURCE}.
     * @param tag     the tag or {@link #ANY_TAG}.
     * @param timeout how long to wait.
     * @return its status.
     * @throws TimeoutException         if none came in time.
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     * @throws JobAbortedException      if the job is ending.
     */
    public Status probe(int source, int tag, Duration timeout) throws TimeoutException {
        return probe(source, tag, deadline(timeout));
    }

    private Status probe(int source, int tag, long deadline) throws TimeoutException {
        checkSource("probe", source);
        checkTag("probe", tag, true);
        return b.probe(source, tag, deadline);
    }

    /**
     * Tells whether a matching message has arrived, without receiving it ({@code Iprobe}).
     *
     * @param source the source rank or {@link #ANY_SOURCE}.
     * @param tag    the tag or {@link #ANY_TAG}.
     * @return its status, or empty.
     * @throws IllegalArgumentException if {@code source} is out of range or {@code tag} negative.
     */
    public Optional<Status> iprobe(int source, int tag) {
        checkSource("iprobe", source);
        checkTag("iprobe", tag, true);
        return Optional.ofNullable(b.iprobe(source, tag));
    }

    // ------------------------------------------------------------------ collectives, buffer forms

    /**
     * Waits until every rank has called it ({@code Barrier}).
     *
     * @throws JobAbortedException if the job is ending.
     */
    public void barrier() {
        b.barrier();
    }

    /**
     * Broadcasts the root's elements into every rank's buffer ({@code Bcast}).
     *
     * @param buf  sent at the root, received elsewhere; the same count on every rank.
     * @param root the root rank.
     * @throws IllegalArgumentException if {@code root} is out of range.
     * @throws MpiException             if the counts or element types differ between ranks.
     * @throws JobAbortedException      if the job is ending.
     */
    public void bcast(Buf buf, int root) {
        need("bcast", "", buf);
        checkRank("bcast", "root", root);
        b.bcast(buf, root);
    }

    /**
     * Scatters equal blocks of the root's buffer, one per rank in rank order ({@code Scatter}).
     *
     * @param send the root's buffer of {@code size() * recv.count()} elements; ignored (may be {@code null})
     *             elsewhere.
     * @param recv this rank's block.
     * @param root the root rank.
     * @throws IllegalArgumentException if {@code root} is out of range, or at the root the send buffer does not
     *                                  divide into {@code size()} blocks of {@code recv.count()} elements (the
     *                                  message points to {@link #scatterv}).
     * @throws JobAbortedException      if the job is ending.
     */
    public void scatter(Buf send, Buf recv, int root) {
        need("scatter", "receive", recv);
        checkRank("scatter", "root", root);
        int n = b.size();
        int[] counts = new int[n];
        int[] displs = new int[n];
        if (b.rank() == root) {
            need("scatter", "send", send);
            checkSameType("scatter", send, recv);
            if (send.count() % n != 0) {
                throw new IllegalArgumentException("scatter: send buffer of " + send.count() + " elements does not "
                        + "divide into " + n + " equal blocks; use scatterv (Blocks.even(" + send.count() + ", " + n
                        + ") gives the counts and displacements)");
            }
            if (send.count() / n != recv.count()) {
                throw new IllegalArgumentException("scatter: send buffer of " + send.count() + " elements makes blocks "
                        + "of " + send.count() / n + " but the receive buffer holds " + recv.count());
            }
            for (int r = 0; r < n; r++) {
                counts[r] = recv.count();
                displs[r] = r * recv.count();
            }
        }
        b.scatterv(send, counts, displs, recv, root);
    }

    /**
     * Scatters blocks of the root's buffer with per-rank counts and displacements ({@code Scatterv}).
     *
     * @param send   the root's buffer; ignored elsewhere.
     * @param counts per rank, its block's count (significant at the root).
     * @param displs per rank, its block's first element in {@code send} (significant at the root).
     * @param recv   this rank's block; at least {@code counts[rank]} elements.
     * @param root   the root rank.
     * @throws IllegalArgumentException if {@code root} is out of range, or at the root a count or displacement
     *                                  is negative or a block exceeds the send buffer.
     * @throws MpiException             if this rank's block is longer than {@code recv}.
     * @throws JobAbortedException      if the job is ending.
     */
    public void scatterv(Buf send, int[] counts, int[] displs, Buf recv, int root) {
        need("scatterv", "receive", recv);
        checkRank("scatterv", "root", root);
        if (b.rank() == root) {
            need("scatterv", "send", send);
            checkSameType("scatterv", send, recv);
            checkBlocks("scatterv", "send", counts, displs, send);
            if (counts[root] > recv.count()) {
                throw new IllegalArgumentException("scatterv: the root's block of " + counts[root]
                        + " elements exceeds its receive buffer of " + recv.count());
            }
        }
        b.scatterv(send, counts, displs, recv, root);
    }

    /**
     * Scatters blocks of the root's buffer as {@link Blocks} say.
     *
     * @param send   the root's buffer; ignored elsewhere.
     * @param blocks the counts and displacements (significant at the root).
     * @param recv   this rank's block.
     * @param root   the root rank.
     * @throws IllegalArgumentException as {@link #scatterv(Buf, int[], int[], Buf, int)}.
     */
    public void scatterv(Buf send, Blocks blocks, Buf recv, int root) {
        scatterv(send, blocks.counts(), blocks.displs(), recv, root);
    }

    /**
     * Gathers every rank's elements into equal blocks of the root's buffer, in rank order ({@code Gather}).
     *
     * @param send this rank's elements; the same count on every rank.
     * @param recv the root's buffer of {@code size() * send.count()} elements; ignored elsewhere.
     * @param root the root rank.
     * @throws IllegalArgumentException if {@code root} is out of range or the root's buffer is too small.
     * @throws JobAbortedException      if the job is ending.
     */
    public void gather(Buf send, Buf recv, int root) {
        need("gather", "send", send);
        checkRank("gather", "root", root);
        int n = b.size();
        int[] counts = new int[n];
        int[] displs = new int[n];
        if (b.rank() == root) {
            need("gather", "receive", recv);
            checkSameType("gather", send, recv);
            if ((long) send.count() * n > recv.count()) {
                throw new IllegalArgumentException("gather: " + n + " blocks of " + send.count()
                        + " elements do not fit the receive buffer of " + recv.count());
            }
            for (int r = 0; r < n; r++) {
                counts[r] = send.count();
                displs[r] = r * send.count();
            }
        }
        b.gatherv(send, recv, counts, displs, root);
    }

    /**
     * Gathers every rank's elements into blocks of the root's buffer with per-rank counts and displacements
     * ({@code Gatherv}).
     *
     * @param send   this rank's elements.
     * @param recv   the root's buffer; ignored elsewhere.
     * @param counts per rank, its block's count (significant at the root).
     * @param displs per rank, its block's first element in {@code recv} (significant at the root).
     * @param root   the root rank.
     * @throws IllegalArgumentException if {@code root} is out of range, or at the root a count or displacement
     *                                  is negative, a block exceeds the receive buffer, or the root's own count
     *                                  differs from its send count.
     * @throws MpiException             if a rank sends more than its count.
     * @throws JobAbortedException      if the job is ending.
     */
    public void gatherv(Buf send, Buf recv, int[] counts, int[] displs, int root) {
        need("gatherv", "send", send);
        checkRank("gatherv", "root", root);
        if (b.rank() == root) {
            need("gatherv", "receive", recv);
            checkSameType("gatherv", send, recv);
            checkBlocks("gatherv", "receive", counts, displs, recv);
            if (counts[root] != send.count()) {
                throw new IllegalArgumentException("gatherv: the root's count " + counts[root]
                        + " differs from its send count " + send.count());
            }
        }
        b.gatherv(send, recv, counts, displs, root);
    }

    /**
     * Gathers every rank's elements into every rank's buffer ({@code Allgather}).
     *
     * @param send this rank's elements; the same count on every rank.
     * @param recv {@code size() * send.count()} elements.
     * @throws IllegalArgumentException if {@code recv} is too small.
     * @throws JobAbortedException      if the job is ending.
     */
    public void allgather(Buf send, Buf recv) {
        need("allgather", "send", send);
        need("allgather", "receive", recv);
        checkSameType("allgather", send, recv);
        int n = b.size();
        if ((long) send.count() * n > recv.count()) {
            throw new IllegalArgumentException("allgather: " + n + " blocks of " + send.count()
                    + " elements do not fit the receive buffer of " + recv.count());
        }
        int[] counts = new int[n];
        int[] displs = new int[n];
        for (int r = 0; r < n; r++) {
            counts[r] = send.count();
            displs[r] = r * send.count();
        }
        b.allgatherv(send, recv, counts, displs);
    }

    /**
     * Gathers every rank's elements into every rank's buffer with per-rank counts and displacements
     * ({@code Allgatherv}).
     *
     * @param send   this rank's elements: {@code counts[rank]} of them.
     * @param recv   the result.
     * @param counts per rank, its block's count.
     * @param displs per rank, its block's first element in {@code recv}.
     * @throws IllegalArgumentException if a count or displacement is negative, a block exceeds {@code recv}, or
     *                                  this rank's count differs from its send count.
     * @throws JobAbortedException      if the job is ending.
     */
    public void allgatherv(Buf send, Buf recv, int[] counts, int[] displs) {
        need("allgatherv", "send", send);
        need("allgatherv", "receive", recv);
        checkSameType("allgatherv", send, recv);
        checkBlocks("allgatherv", "receive", counts, displs, recv);
        if (counts[b.rank()] != send.count()) {
            throw new IllegalArgumentException("allgatherv: counts[" + b.rank() + "] is " + counts[b.rank()]
                    + " but this rank sends " + send.count());
        }
        b.allgatherv(send, recv, counts, displs);
    }

    /**
     * Sends an equal block to every rank and receives one from every rank ({@code Alltoall}).
     *
     * @param send {@code size()} blocks, block {@code r} for rank {@code r}.
     * @param recv {@code size()} blocks, block {@code r} from rank {@code r}; as many elements as {@code send}.
     * @throws IllegalArgumentException if the counts differ or do not divide by {@code size()}.
     * @throws JobAbortedException      if the job is ending.
     */
    public void alltoall(Buf send, Buf recv) {
        need("alltoall", "send", send);
        need("alltoall", "receive", recv);
        checkSameType("alltoall", send, recv);
        int n = b.size();
        if (send.count() % n != 0 || send.count() != recv.count()) {
            throw new IllegalArgumentException("alltoall: send and receive buffers must hold the same multiple of "
                    + n + " elements, got " + send.count() + " and " + recv.count() + "; use alltoallv");
        }
        Blocks blocks = Blocks.even(send.count(), n);
        b.alltoallv(send, blocks.counts(), blocks.displs(), recv, blocks.counts(), blocks.displs());
    }

    /**
     * Sends a block to every rank and receives one from every rank, with per-rank counts and displacements
     * ({@code Alltoallv}).
     *
     * @param send    this rank's blocks.
     * @param scounts per destination, its block's count.
     * @param sdispls per destination, its block's first element in {@code send}.
     * @param recv    the blocks received.
     * @param rcounts per source, its block's count.
     * @param rdispls per source, its block's first element in {@code recv}.
     * @throws IllegalArgumentException if a count or displacement is negative or a block exceeds its buffer.
     * @throws MpiException             if a rank sends more than the receiver's count.
     * @throws JobAbortedException      if the job is ending.
     */
    public void alltoallv(Buf send, int[] scounts, int[] sdispls, Buf recv, int[] rcounts, int[] rdispls) {
        need("alltoallv", "send", send);
        need("alltoallv", "receive", recv);
        checkSameType("alltoallv", send, recv);
        checkBlocks("alltoallv", "send", scounts, sdispls, send);
        checkBlocks("alltoallv", "receive", rcounts, rdispls, recv);
        if (scounts[b.rank()] != rcounts[b.rank()]) {
            throw new IllegalArgumentException("alltoallv: this rank sends itself " + scounts[b.rank()]
                    + " elements but expects " + rcounts[b.rank()]);
        }
        b.alltoallv(send, scounts, sdispls, recv, rcounts, rdispls);
    }

    /**
     * Reduces every rank's elements, element-wise in rank order, into the root's buffer ({@code Reduce}).
     *
     * @param send this rank's elements; the same count on every rank.
     * @param recv the result at the root (as many elements); ignored elsewhere.
     * @param op   the operation.
     * @param root the root rank.
     * @throws IllegalArgumentException if {@code root} is out of range, the op does not apply to the element type,
     *                                  or the root's buffers differ in count.
     * @throws JobAbortedException      if the job is ending.
     */
    public void reduce(Buf send, Buf recv, Op op, int root) {
        need("reduce", "send", send);
        checkRank("reduce", "root", root);
        checkOp("reduce", op, send);
        if (b.rank() == root) {
            need("reduce", "receive", recv);
            checkSameType("reduce", send, recv);
            checkSameCount("reduce", send, recv);
        }
        b.reduce(send, recv, op, root);
    }

    private static void checkReduction(String name, Buf send, Buf recv, Op op) {
        need(name, "send", send);
        need(name, "receive", recv);
        checkOp(name, op, send);
        checkSameType(name, send, recv);
        checkSameCount(name, send, recv);
    }

    private static void checkSameCount(String op, Buf send, Buf recv) {
        if (send.count() != recv.count()) {
            throw new IllegalArgumentException(op + ": send buffer holds " + send.count()
                    + " elements but receive buffer holds " + recv.count());
        }
    }

    /**
     * Reduces every rank's elements into every rank's buffer ({@code Allreduce}).
     *
     * @param send this rank's elements.
     * @param recv the result (as many elements); may be the same array as {@code send}.
     * @param op   the operation.
     * @throws IllegalArgumentException if the op does not apply or the counts differ.
     * @throws JobAbortedException      if the job is ending.
     */
    public void allreduce(Buf send, Buf recv, Op op) {
        checkReduction("allreduce", send, recv, op);
        b.allreduce(send, recv, op);
    }

    /**
     * Inclusive prefix reduction ({@code Scan}): rank {@code r} gets the reduction of ranks 0 to {@code r}.
     *
     * @param send this rank's elements.
     * @param recv the result (as many elements).
     * @param op   the operation.
     * @throws IllegalArgumentException if the op does not apply or the counts differ.
     * @throws JobAbortedException      if the job is ending.
     */
    public void scan(Buf send, Buf recv, Op op) {
        checkReduction("scan", send, recv, op);
        b.scan(send, recv, op);
    }

    /**
     * Exclusive prefix reduction ({@code Exscan}): rank {@code r > 0} gets the reduction of ranks 0 to
     * {@code r - 1}; rank 0's {@code recv} is left unchanged.
     *
     * @param send this rank's elements.
     * @param recv the result (as many elements).
     * @param op   the operation.
     * @throws IllegalArgumentException if the op does not apply or the counts differ.
     * @throws JobAbortedException      if the job is ending.
     */
    public void exscan(Buf send, Buf recv, Op op) {
        checkReduction("exscan", send, recv, op);
        b.exscan(send, recv, op);
    }

    /**
     * Reduces every rank's elements and scatters the result in blocks ({@code Reduce_scatter}): rank {@code r}
     * gets elements {@code sum(counts[0..r-1])} to {@code sum(counts[0..r]) - 1} of the reduction.
     *
     * @param send   this rank's elements: {@code sum(counts)} of them.
     * @param recv   this rank's block: at least {@code counts[rank]} elements.
     * @param counts per rank, its block's count; the same on every rank.
     * @param op     the operation.
     * @throws IllegalArgumentException if the counts do not sum to the send count, or a count is negative.
     * @throws JobAbortedException      if the job is ending.
     */
    public void reduceScatter(Buf send, Buf recv, int[] counts, Op op) {
        need("reduceScatter", "send", send);
        need("reduceScatter", "receive", recv);
        checkOp("reduceScatter", op, send);
        checkSameType("reduceScatter", send, recv);
        Objects.requireNonNull(counts, "reduceScatter: counts");
        if (counts.length != b.size()) {
            throw new IllegalArgumentException("reduceScatter: need " + b.size() + " counts, got " + counts.length);
        }
        int[] displs = new int[counts.length];
        long sum = 0;
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] < 0) {
                throw new IllegalArgumentException("reduceScatter: counts[" + r + "] is negative: " + counts[r]);
            }
            displs[r] = (int) sum;
            sum += counts[r];
        }
        if (sum != send.count()) {
            throw new IllegalArgumentException("reduceScatter: counts sum to " + sum + " but the send buffer has "
                    + send.count() + " elements");
        }
        if (counts[b.rank()] > recv.count()) {
            throw new IllegalArgumentException("reduceScatter: this rank's block of " + counts[b.rank()]
                    + " elements exceeds its receive buffer of " + recv.count());
        }
        Buf full = b.rank() == 0 ? Buf.ofArray(send.type().newArray(send.count())) : null;
        b.reduce(send, full, op, 0);
        b.scatterv(full, counts, displs, recv, 0);
    }

    // ------------------------------------------------------------------ collectives, object forms

    /**
     * Broadcasts the root's object to every rank ({@code bcast}).
     *
     * @param obj  the value at the root; ignored elsewhere.
     * @param root the root rank.
     * @param <T>  the value's type.
     * @return the root's value, on every rank (the root gets {@code obj} itself).
     * @throws IllegalArgumentException if {@code root} is out of range.
     * @throws JobAbortedException      if the job is ending.
     */
    @SuppressWarnings("unchecked")
    public <T> T bcast(T obj, int root) {
        checkRank("bcast", "root", root);
        boolean isRoot = b.rank() == root;
        byte[] bytes = isRoot ? mpi.encode(obj) : null;
        int[] len = {isRoot ? bytes.length : 0};
        b.bcast(Buf.of(len), root);
        if (!isRoot) {
            bytes = new byte[len[0]];
        }
        b.bcast(Buf.of(bytes), root);
        return isRoot ? obj : (T) mpi.decode(bytes);
    }

    /**
     * Scatters the root's list, one element per rank ({@code scatter}).
     *
     * @param objs at the root, {@code size()} values; ignored elsewhere.
     * @param root the root rank.
     * @param <T>  the elements' type.
     * @return this rank's element.
     * @throws IllegalArgumentException if {@code root} is out of range or the root's list does not have
     *                                  {@code size()} elements.
     * @throws JobAbortedException      if the job is ending.
     */
    @SuppressWarnings("unchecked")
    public <T> T scatter(List<T> objs, int root) {
        checkRank("scatter", "root", root);
        int n = b.size();
        int[] lens = new int[n];
        byte[] all = null;
        boolean isRoot = b.rank() == root;
        Blocks blocks = null;
        if (isRoot) {
            Objects.requireNonNull(objs, "scatter: the root's list");
            if (objs.size() != n) {
                throw new IllegalArgumentException("scatter: the root's list has " + objs.size()
                        + " elements but the communicator has " + n + " ranks");
            }
            byte[][] parts = new byte[n][];
            long total = 0;
            for (int r = 0; r < n; r++) {
                parts[r] = mpi.encode(objs.get(r));
                lens[r] = parts[r].length;
                total += lens[r];
            }
            all = new byte[Math.toIntExact(total)];
            int[] displs = new int[n];
            int at = 0;
            for (int r = 0; r < n; r++) {
                displs[r] = at;
                System.arraycopy(parts[r], 0, all, at, lens[r]);
                at += lens[r];
            }
            blocks = new Blocks(lens, displs);
        }
        int[] mine = new int[1];
        Blocks ones = Blocks.even(n, n);
        b.scatterv(isRoot ? Buf.of(lens) : null, ones.counts(), ones.displs(), Buf.of(mine), root);
        byte[] block = new byte[mine[0]];
        b.scatterv(isRoot ? Buf.of(all) : null, isRoot ? blocks.counts() : new int[n],
                isRoot ? blocks.displs() : new int[n], Buf.of(block), root);
        return (T) mpi.decode(block);
    }

    /**
     * Gathers every rank's object at the root, in rank order ({@code gather}).
     *
     * @param obj  this rank's value.
     * @param root the root rank.
     * @param <T>  the values' type.
     * @return at the root, the values of ranks 0 to {@code size() - 1}; {@code null} elsewhere.
     * @throws IllegalArgumentException if {@code root} is out of range.
     * @throws JobAbortedException      if the job is ending.
     */
    public <T> List<T> gather(T obj, int root) {
        checkRank("gather", "root", root);
        int n = b.size();
        byte[] mine = mpi.encode(obj);
        boolean isRoot = b.rank() == root;
        int[] lens = isRoot ? new int[n] : null;
        Blocks ones = Blocks.even(n, n);
        b.gatherv(Buf.of(new int[] {mine.length}), isRoot ? Buf.of(lens) : null, ones.counts(), ones.displs(), root);
        if (!isRoot) {
            b.gatherv(Buf.of(mine), null, new int[n], new int[n], root);
            return null;
        }
        Blocks blocks = blocksOf(lens);
        byte[] all = new byte[total(lens)];
        b.gatherv(Buf.of(mine), Buf.of(all), blocks.counts(), blocks.displs(), root);
        return decodeAll(all, blocks);
    }

    private static int total(int[] lens) {
        long t = 0;
        for (int l : lens) {
            t += l;
        }
        return Math.toIntExact(t);
    }

    private static Blocks blocksOf(int[] lens) {
        int[] displs = new int[lens.length];
        int at = 0;
        for (int r = 0; r < lens.length; r++) {
            displs[r] = at;
            at += lens[r];
        }
        return new Blocks(lens, displs);
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> decodeAll(byte[] all, Blocks blocks) {
        List<T> out = new ArrayList<>(blocks.counts().length);
        for (int r = 0; r < blocks.counts().length; r++) {
            out.add((T) mpi.decode(Arrays.copyOfRange(all, blocks.displs()[r], blocks.displs()[r]
                    + blocks.counts()[r])));
        }
        return out;
    }

    /**
     * Gathers every rank's object on every rank, in rank order ({@code allgather}).
     *
     * @param obj this rank's value.
     * @param <T> the values' type.
     * @return the values of ranks 0 to {@code size() - 1}.
     * @throws JobAbortedException if the job is ending.
     */
    public <T> List<T> allgather(T obj) {
        int n = b.size();
        byte[] mine = mpi.encode(obj);
        int[] lens = new int[n];
        Blocks ones = Blocks.even(n, n);
        b.allgatherv(Buf.of(new int[] {mine.length}), Buf.of(lens), ones.counts(), ones.displs());
        Blocks blocks = blocksOf(lens);
        byte[] all = new byte[total(lens)];
        b.allgatherv(Buf.of(mine), Buf.of(all), blocks.counts(), blocks.displs());
        return decodeAll(all, blocks);
    }

    /**
     * Sends one object to every rank and receives one from every rank ({@code alltoall}).
     *
     * @param objs {@code size()} values, value {@code r} for rank {@code r}.
     * @param <T>  the values' type.
     * @return the values received, value {@code r} from rank {@code r}.
     * @throws IllegalArgumentException if the list does not have {@code size()} elements.
     * @throws JobAbortedException      if the job is ending.
     */
    public <T> List<T> alltoall(List<T> objs) {
        int n = b.size();
        Objects.requireNonNull(objs, "alltoall: objs");
        if (objs.size() != n) {
            throw new IllegalArgumentException("alltoall: the list has " + objs.size()
                    + " elements but the communicator has " + n + " ranks");
        }
        byte[][] parts = new byte[n][];
        int[] slens = new int[n];
        for (int r = 0; r < n; r++) {
            parts[r] = mpi.encode(objs.get(r));
            slens[r] = parts[r].length;
        }
        Blocks sblocks = blocksOf(slens);
        byte[] sall = new byte[total(slens)];
        for (int r = 0; r < n; r++) {
            System.arraycopy(parts[r], 0, sall, sblocks.displs()[r], slens[r]);
        }
        int[] rlens = new int[n];
        Blocks ones = Blocks.even(n, n);
        b.alltoallv(Buf.of(slens), ones.counts(), ones.displs(), Buf.of(rlens), ones.counts(), ones.displs());
        Blocks rblocks = blocksOf(rlens);
        byte[] rall = new byte[total(rlens)];
        b.alltoallv(Buf.of(sall), sblocks.counts(), sblocks.displs(), Buf.of(rall), rblocks.counts(),
                rblocks.displs());
        return decodeAll(rall, rblocks);
    }

    /**
     * Reduces every rank's object at the root, in rank order ({@code reduce}).
     *
     * @param obj  this rank's value.
     * @param op   the operation, associative.
     * @param root the root rank.
     * @param <T>  the values' type.
     * @return at the root, {@code v0 op v1 op ...}; {@code null} elsewhere.
     * @throws IllegalArgumentException if {@code root} is out of range.
     * @throws JobAbortedException      if the job is ending.
     */
    public <T> T reduce(T obj, BinaryOperator<T> op, int root) {
        Objects.requireNonNull(op, "reduce: op");
        List<T> all = gather(obj, root);
        return all == null ? null : fold(all, all.size(), op);
    }

    private static <T> T fold(List<T> values, int upTo, BinaryOperator<T> op) {
        T acc = values.get(0);
        for (int i = 1; i < upTo; i++) {
            acc = op.apply(acc, values.get(i));
        }
        return acc;
    }

    /**
     * Reduces every rank's object on every rank ({@code allreduce}).
     *
     * @param obj this rank's value.
     * @param op  the operation, associative.
     * @param <T> the values' type.
     * @return {@code v0 op v1 op ...}.
     * @throws JobAbortedException if the job is ending.
     */
    public <T> T allreduce(T obj, BinaryOperator<T> op) {
        Objects.requireNonNull(op, "allreduce: op");
        T result = reduce(obj, op, 0);
        return bcast(result, 0);
    }

    /**
     * Inclusive prefix reduction of objects ({@code scan}).
     *
     * @param obj this rank's value.
     * @param op  the operation, associative.
     * @param <T> the values' type.
     * @return {@code v0 op ... op v_rank}.
     * @throws JobAbortedException if the job is ending.
     */
    public <T> T scan(T obj, BinaryOperator<T> op) {
        Objects.requireNonNull(op, "scan: op");
        return fold(allgather(obj), b.rank() + 1, op);
    }

    /**
     * Exclusive prefix reduction of objects ({@code exscan}).
     *
     * @param obj this rank's value.
     * @param op  the operation, associative.
     * @param <T> the values' type.
     * @return {@code v0 op ... op v_(rank-1)}; {@code null} on rank 0.
     * @throws JobAbortedException if the job is ending.
     */
    public <T> T exscan(T obj, BinaryOperator<T> op) {
        Objects.requireNonNull(op, "exscan: op");
        List<T> all = allgather(obj);
        return b.rank() == 0 ? null : fold(all, b.rank(), op);
    }

    // ------------------------------------------------------------------ communicators

    /**
     * Makes a communicator of the same ranks with a separate message space ({@code Dup}). Collective.
     *
     * @return the new communicator.
     * @throws JobAbortedException if the job is ending.
     */
    public Comm dup() {
        return new Comm(mpi, b.dup(), name + ".dup");
    }

    /**
     * Splits the ranks into communicators by color, ordered by key then by rank ({@code Split}). Collective.
     *
     * @param color this rank's color, not negative, or {@link #UNDEFINED} to join none.
     * @param key   the sort key.
     * @return this rank's new communicator, or {@code null} for {@link #UNDEFINED}.
     * @throws IllegalArgumentException if {@code color} is negative and not {@link #UNDEFINED}.
     * @throws JobAbortedException      if the job is ending.
     */
    public Comm split(int color, int key) {
        if (color < 0 && color != UNDEFINED) {
            throw new IllegalArgumentException("split: color must not be negative (other than UNDEFINED), got "
                    + color);
        }
        CommBackend c = b.split(color == UNDEFINED ? -1 : color, key);
        return c == null ? null : new Comm(mpi, c, name + ".split(" + color + ")");
    }

    /**
     * Releases the communicator ({@code Free}); using it afterwards is an {@link MpiException}.
     */
    public void free() {
        b.free();
    }

    /**
     * Describes the communicator.
     *
     * @return e.g. {@code Comm[world, rank 1 of 4]}.
     */
    @Override
    public String toString() {
        return "Comm[" + name + ", rank " + b.rank() + " of " + b.size() + "]";
    }
}
