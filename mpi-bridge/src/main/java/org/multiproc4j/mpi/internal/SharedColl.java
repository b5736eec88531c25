package org.multiproc4j.mpi.internal;

import java.time.Duration;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * The world communicator's barrier, bcast, reduce, allreduce, scatterv, gatherv and allgatherv over the job's
 * collective area (see {@link JobLayout}), instead of messages through the rings: each rank has a data slot that
 * every other rank reads in place, and counters: the last step it posted ({@code arrive}), the last step whose
 * reduced block it posted ({@code done}, large reductions only) and the last step it finished ({@code release}).
 *
 * <p>A collective is a sequence of steps, numbered alike on every rank (ranks call the world's collectives in the
 * same order, as MPI requires). Data moves in chunks, one per step, each in the chunk of the writer's slot numbered
 * {@code step % COLL_STEPS}; a writer may run up to {@code COLL_STEPS} steps ahead of the slowest rank, so copying in
 * and copying out overlap. A large bcast is written once by the root and every rank copies it from the root's slot at
 * once; a small reduction (under {@link #LARGE_REDUCE} bytes) has every rank (allreduce) or the root (reduce) combine
 * the chunks where they lie, in rank order, so every rank computes the same bits; a large one is a reduce-scatter and
 * an allgather over the area (see {@link #reduceLarge}), each rank reducing {@code 1/n} of the vector. Waits spin,
 * yield and park (a collective that moves more than a chunk spins longer: see {@link #idleStrategy}), keep draining
 * the rings (a peer's large send never waits for a rank inside a collective), and check every 10 ms that no peer
 * died and the job is not aborted.
 *
 * <p>Not thread-safe: {@link LocalComm} serializes calls on the engine.
 */
final class SharedColl {
    private static final int STEPS = JobLayout.COLL_STEPS;
    private static final int ARRIVE = 0;
    /** The last step whose reduced block this rank posted (large reductions); on the arrive line. */
    private static final int DONE = 8;
    private static final int RELEASE = 64;
    /** Reductions of at least this many bytes are reduce-scatter + allgather (see {@link #reduceLarge}). */
    static final long LARGE_REDUCE = 16 * 1024;
    /** How many steps a large reduction's copy-out trails its reductions. */
    private static final int LAG = 4;
    /**
     * How many steps a large reduction's copy-in runs ahead of its reductions; {@code LEAD + LAG + 1} steps are in
     * flight, which must not exceed {@code COLL_STEPS}.
     */
    private static final int LEAD = 4;

    static {
        if (LEAD + LAG + 1 > STEPS) {
            // a rank would wait to reuse a chunk that the others release only after it posted more steps
            throw new AssertionError("LEAD + LAG + 1 must not exceed COLL_STEPS");
        }
    }
    private static final int HEADERS = 128;
    /** How long a wait spins before yielding when the ranks have a core each (see {@link #idleStrategy}). */
    static final long SPIN_NANOS = 20_000;

    private final Engine e;
    private final int n;
    private final int me;
    private final AtomicBuffer ctl;
    /** Kept so that the views stay reachable; {@link #slot} holds their addresses. */
    private final AtomicBuffer[] slotViews;
    private final long[] slot;
    private final int chunk;
    private final Object[] acc = new Object[Engine.TYPES.length];
    private final Object[] tmp = new Object[Engine.TYPES.length];
    private long seq;
    /** The idle strategy of a collective that moves more than a chunk (see {@link #idleStrategy}). */
    private final IdleStrategy dataIdle;
    /** The current collective's idle strategy: {@link #dataIdle} or the engine's. */
    private IdleStrategy idle;
    private int idles;
    /** The lowest release counter of the other ranks, as last read. */
    private long released;

    SharedColl(Engine e) {
        this.e = e;
        this.n = e.n;
        this.me = e.me;
        this.ctl = e.job.collControl();
        this.slotViews = new AtomicBuffer[n];
        this.slot = new long[n];
        for (int r = 0; r < n; r++) {
            slotViews[r] = e.job.collSlot(r);
            slot[r] = slotViews[r].addressOffset();
        }
        this.chunk = JobLayout.collSlot(n) / STEPS;
        this.dataIdle = idleStrategy(n);
        this.idle = e.idle;
        // every collective ends with this rank's release of its last step: a session opened again in the same
        // rank (after closing one) continues the numbering
        this.seq = ctl.getLongVolatile(ctl(me, RELEASE));
    }

    private long chunkAddress(int r, long step) {
        return slot[r] + (step % STEPS) * chunk;
    }

    private static int ctl(int r, int field) {
        return r * JobLayout.CTL_LENGTH + field;
    }

    private static int header(int r, long step) {
        return ctl(r, HEADERS) + (int) (step % STEPS) * 16;
    }

    /**
     * The idle strategy of the waits of a collective that moves more than a chunk. Under the default policy, when
     * the job has no more ranks than the machine has cores, it spins for {@link #SPIN_NANOS} before yielding: a
     * step of a large collective waits about the time another rank takes to copy a chunk (a few microseconds),
     * longer than the engine's 2 µs spin, and a wait that ends only after yielding makes the engine's strategy
     * stop spinning altogether, so every chunk would cost a yield (and on a busy machine a time slice). With more
     * ranks than cores it is the engine's policy, spinning briefly (oversubscribed ranks must leave the core to the
     * rank they wait for). Small collectives keep the engine's strategy: their waits are short, and a long spin
     * costs much when two ranks share a core (the adaptive strategy probes with its full spin every 16th wait).
     */
    static IdleStrategy idleStrategy(int n) {
        IdlePolicy p = Engine.idlePolicy();
        if (p.equals(IdlePolicy.defaultPolicy()) && n <= Runtime.getRuntime().availableProcessors()) {
            p = IdlePolicy.backoff(Duration.ofNanos(SPIN_NANOS), Duration.ofNanos(100_000), Duration.ofNanos(1_000),
                    Duration.ofMillis(1));
        }
        return p.newIdleStrategy();
    }

    private void waitFor(int offset, long step) {
        if (ctl.getLongVolatile(offset) >= step) {
            return;
        }
        try {
            while (ctl.getLongVolatile(offset) < step) {
                if (e.progress() == 0) {
                    // every 16th idle period checks the job's health (at most every 10 ms: the check reads the clock)
                    if ((++idles & 15) == 0) {
                        e.job.checkHealth(me);
                    }
                    idle.idle();
                }
            }
        } finally {
            idle.reset();
        }
    }

    private void awaitAll(int field, long step) {
        for (int r = 0; r < n; r++) {
            if (r != me) {
                waitFor(ctl(r, field), step);
            }
        }
    }

    /** Chooses the current collective's idle strategy by how many bytes it moves. */
    private void idleFor(long bytes) {
        idle = bytes > chunk ? dataIdle : e.idle;
    }

    /**
     * Starts a step that writes this rank's slot: waits until every rank is done with its chunk. The other ranks'
     * release counters are read only when the lowest one seen last is too low (they sit on the readers' cache
     * lines), as a ring's producer caches the consumer's position.
     */
    private long beginWrite() {
        long s = ++seq;
        long need = s - STEPS;
        if (need > released) {
            awaitAll(RELEASE, need);
            long low = Long.MAX_VALUE;
            for (int r = 0; r < n; r++) {
                if (r != me) {
                    low = Math.min(low, ctl.getLongVolatile(ctl(r, RELEASE)));
                }
            }
            released = low;
        }
        return s;
    }

    private void post(long s, long bytes, int type) {
        int h = header(me, s);
        ctl.putLong(h, bytes);
        ctl.putInt(h + 8, type);
        ctl.putLongOrdered(ctl(me, ARRIVE), s);
    }

    private void release(long s) {
        ctl.putLongOrdered(ctl(me, RELEASE), s);
    }

    /** Barrier: every rank posts a step and waits for all the others to post it. */
    void barrier() {
        idle = e.idle;
        long s = beginWrite();
        post(s, 0, 0);
        awaitAll(ARRIVE, s);
        release(s);
    }

    /**
     * Bcast from {@code root}: the root copies each chunk into its slot once; the others copy it out.
     *
     * @param buf  the buffer.
     * @param root the root, a world rank.
     */
    void bcast(Buf buf, int root) {
        long bytes = buf.byteCount();
        idleFor(bytes);
        Object base = Mem.base(buf);
        long addr = Mem.address(buf);
        int type = buf.type().ordinal();
        if (me == root) {
            long pos = 0;
            do {
                int len = (int) Math.min(chunk, bytes - pos);
                long s = beginWrite();
                Mem.copy(base, addr + pos, null, chunkAddress(me, s), len);
                post(s, bytes, type);
                release(s);
                pos += len;
            } while (pos < bytes);
            return;
        }
        long first = seq + 1;
        waitFor(ctl(root, ARRIVE), first);
        long rootBytes = ctl.getLong(header(root, first));
        int rootType = ctl.getInt(header(root, first) + 8);
        long steps = Math.max(1, (rootBytes + chunk - 1) / chunk);
        boolean fits = rootType == type && rootBytes <= bytes;
        long pos = 0;
        for (long k = 0; k < steps; k++) {
            long s = ++seq;
            waitFor(ctl(root, ARRIVE), s);
            int len = (int) Math.min(chunk, rootBytes - pos);
            if (fits && len > 0) {
                Mem.copy(null, chunkAddress(root, s), base, addr + pos, len);
            }
            release(s);
            pos += len;
        }
        if (!fits) {
            ElementType rt = Engine.TYPES[rootType];
            throw new MpiException("bcast: rank " + root + " broadcast " + rootBytes / rt.size() + " " + rt
                    + " elements but this rank's buffer holds " + buf.count() + " " + buf.type() + " elements");
        }
    }

    /**
     * Reduces every rank's {@code send} into {@code recv} at {@code root}, or at every rank if {@code root} is
     * negative (allreduce).
     *
     * @param send the contribution.
     * @param recv the result (at the root, or everywhere for allreduce); may be {@code null} elsewhere.
     * @param op   the operation, already checked for the type.
     * @param root the root, or -1 for allreduce.
     */
    void reduce(Buf send, Buf recv, Op op, int root) {
        idleFor(send.byteCount());
        if (n > 1 && send.byteCount() >= LARGE_REDUCE) {
            reduceLarge(send, recv, op, root);
            return;
        }
        ElementType type = send.type();
        int size = type.size();
        long bytes = send.byteCount();
        Object sBase = Mem.base(send);
        long sAddr = Mem.address(send);
        boolean combining = root < 0 || root == me;
        Object rBase = combining ? Mem.base(recv) : null;
        long rAddr = combining ? Mem.address(recv) : 0;
        int per = chunk / size;
        Object a = combining ? scratch(acc, type, per) : null;
        Object t = combining ? scratch(tmp, type, per) : null;
        long aBase = Mem.arrayBase(type);
        long pos = 0;
        boolean first = true;
        do {
            int len = (int) Math.min((long) per * size, bytes - pos);
            long s = beginWrite();
            Mem.copy(sBase, sAddr + pos, null, chunkAddress(me, s), len);
            post(s, bytes, type.ordinal());
            if (!combining) {
                release(s);
                pos += len;
                continue;
            }
            awaitAll(ARRIVE, s);
            if (first) {
                first = false;
                checkHeaders(s, bytes, type, root);
            }
            int count = len / size;
            Mem.copy(null, chunkAddress(0, s), a, aBase, len);
            for (int r = 1; r < n; r++) {
                Mem.copy(null, chunkAddress(r, s), t, aBase, len);
                op.apply(type, a, 0, t, 0, count);
            }
            Mem.copy(a, aBase, rBase, rAddr + pos, len);
            release(s);
            pos += len;
        } while (pos < bytes);
    }

    /** Checks, at a reduction's first step, that every rank contributes as many elements of the same type. */
    private void checkHeaders(long s, long bytes, ElementType type, int root) {
        for (int r = 0; r < n; r++) {
            long b = ctl.getLong(header(r, s));
            int ty = ctl.getInt(header(r, s) + 8);
            if (b != bytes || ty != type.ordinal()) {
                release(s);
                ElementType rt = Engine.TYPES[ty];
                throw new MpiException((root < 0 ? "allreduce" : "reduce") + ": rank " + r + " contributed "
                        + b / rt.size() + " " + rt + " elements but rank " + me + " " + bytes / type.size() + " "
                        + type + " elements");
            }
        }
    }

    /**
     * Tells whether the result of an operation does not depend on the order of its operands, bit for bit: the
     * built-in arithmetic, logical and bitwise ones (floating-point addition and multiplication of two operands
     * commute exactly; the location operations and user operations are combined in rank order).
     */
    private static boolean isCommutative(Op op) {
        return op == Op.SUM || op == Op.PROD || op == Op.MIN || op == Op.MAX || op == Op.LAND || op == Op.LOR
                || op == Op.LXOR || op == Op.BAND || op == Op.BOR || op == Op.BXOR;
    }

    /** Elements of each rank's block in a step of {@code len} elements: even, so location pairs never split. */
    private int part(int len) {
        return ((len + n - 1) / n + 1) & ~1;
    }

    /**
     * A large reduction as reduce-scatter + allgather over the area. Each step covers {@code n} blocks of the
     * vector, block {@code r} reduced by rank {@code r}: every rank copies the other ranks' blocks of its
     * contribution into its chunk (not its own), {@link #LEAD} steps ahead of its reductions (so that ranks do not
     * wait on each other at every step), then reduces its block in rank order straight from the others' chunks
     * (its own contribution read where it lies), writes the result over the next rank's contribution to that block
     * (rank {@code r+1}'s chunk, or rank 0's for the last rank: the reducing rank has just read those lines, so they
     * are in its cache and the write does not fetch them from another core) and posts it ({@code DONE}); the ranks
     * that need the result (all for allreduce, the root for reduce) copy every other block out {@link #LAG} steps
     * later, so reducing and copying out overlap. A chunk written by another rank is safe to overwrite: only the
     * reducing rank reads that block of it, and the chunk is reused only after every rank released the step. Each
     * element is computed once, by one rank, so every rank gets the same bits; each rank copies {@code (n-1)/n} of
     * the vector in, reduces {@code 1/n} of it and copies {@code (n-1)/n} of it out.
     */
    private void reduceLarge(Buf send, Buf recv, Op op, int root) {
        ElementType type = send.type();
        int size = type.size();
        long bytes = send.byteCount();
        long count = send.count();
        int sub = (chunk / size / n) & ~7;
        long span = (long) sub * n;
        Object sBase = Mem.base(send);
        long sAddr = Mem.address(send);
        Object sArr = send.array();
        int sOff = send.offset();
        boolean out = root < 0 || root == me;
        Object rBase = out ? Mem.base(recv) : null;
        long rAddr = out ? Mem.address(recv) : 0;
        Object a = scratch(acc, type, chunk / size);
        Object t = scratch(tmp, type, chunk / size);
        long aBase = Mem.arrayBase(type);
        long steps = (count + span - 1) / span;
        long first = seq + 1;
        int lag = out ? LAG : 0;
        boolean commutative = sArr != null && isCommutative(op);
        for (long k = 0; k < steps + LEAD + lag; k++) {
            if (k < steps) {
                // copy in: this step's blocks of the other ranks, LEAD steps ahead of this rank's reductions
                long s = beginWrite();
                long e0 = k * span;
                int len = (int) Math.min(span, count - e0);
                int part = part(len);
                int lo = Math.min(me * part, len);
                int hi = Math.min(lo + part, len);
                long dst = chunkAddress(me, s);
                if (lo > 0) {
                    Mem.copy(sBase, sAddr + e0 * size, null, dst, (long) lo * size);
                }
                if (hi < len) {
                    Mem.copy(sBase, sAddr + (e0 + hi) * size, null, dst + (long) hi * size, (long) (len - hi) * size);
                }
                post(s, bytes, type.ordinal());
                if (k == 0) {
                    // before posting any further step, so that a mismatch leaves every rank at the same step
                    awaitAll(ARRIVE, s);
                    checkHeaders(s, bytes, type, root);
                }
            }
            long j = k - LEAD;
            if (j >= 0 && j < steps) {
                long s = first + j;
                long e0 = j * span;
                int len = (int) Math.min(span, count - e0);
                int part = part(len);
                int lo = Math.min(me * part, len);
                int hi = Math.min(lo + part, len);
                awaitAll(ARRIVE, s);
                int cnt = hi - lo;
                if (cnt > 0) {
                    long off = (long) lo * size;
                    long cb = (long) cnt * size;
                    if (commutative) {
                        // any order gives the same result: start from another rank's block (a copy is needed
                        // anyway) and combine this rank's own contribution where it lies, last
                        int from = me == 0 ? 1 : 0;
                        Mem.copy(null, chunkAddress(from, s) + off, a, aBase, cb);
                        for (int r = 0; r < n; r++) {
                            if (r != me && r != from) {
                                Mem.copy(null, chunkAddress(r, s) + off, t, aBase, cb);
                                op.apply(type, a, 0, t, 0, cnt);
                            }
                        }
                        op.apply(type, a, 0, sArr, sOff + (int) (e0 + lo), cnt);
                    } else {
                        // rank order: rank 0's block first
                        if (me == 0) {
                            Mem.copy(sBase, sAddr + e0 * size + off, a, aBase, cb);
                        } else {
                            Mem.copy(null, chunkAddress(0, s) + off, a, aBase, cb);
                        }
                        for (int r = 1; r < n; r++) {
                            if (r == me && sArr != null) {
                                op.apply(type, a, 0, sArr, sOff + (int) (e0 + lo), cnt);
                                continue;
                            }
                            Mem.copy(r == me ? sBase : null, r == me ? sAddr + e0 * size + off
                                    : chunkAddress(r, s) + off, t, aBase, cb);
                            op.apply(type, a, 0, t, 0, cnt);
                        }
                    }
                    Mem.copy(a, aBase, null, chunkAddress(me + 1 == n ? 0 : me + 1, s) + off, cb);
                    if (out) {
                        Mem.copy(a, aBase, rBase, rAddr + e0 * size + off, cb);
                    }
                }
                ctl.putLongOrdered(ctl(me, DONE), s);
            }
            j -= lag;
            if (j >= 0 && j < steps) {
                long s = first + j;
                if (out) {
                    long e0 = j * span;
                    int len = (int) Math.min(span, count - e0);
                    int part = part(len);
                    for (int r = 0; r < n; r++) {
                        int lo = Math.min(r * part, len);
                        int hi = Math.min(lo + part, len);
                        if (r == me || hi == lo) {
                            continue;
                        }
                        waitFor(ctl(r, DONE), s);
                        Mem.copy(null, chunkAddress(r + 1 == n ? 0 : r + 1, s) + (long) lo * size, rBase, rAddr + (e0 + lo) * size,
                                (long) (hi - lo) * size);
                    }
                }
                release(s);
            }
        }
    }

    /**
     * Tells whether scatterv and gatherv fit this area: the root's first chunk carries one count per rank.
     *
     * @return {@code true} if they do.
     */
    boolean blocksFit() {
        return (long) n * 8 <= chunk;
    }

    /**
     * Scatterv from {@code root}: the root's first step carries every rank's byte count, the next ones the other
     * ranks' blocks back to back in rank order, so that the root writes each byte once; each rank copies its own
     * block out as it passes, and releases the steps it does not need at once. The root copies its own block last,
     * while the others copy theirs out.
     *
     * @param send   the root's buffer.
     * @param counts the blocks' element counts (at the root).
     * @param displs the blocks' displacements (at the root).
     * @param recv   this rank's block.
     * @param root   the root, a world rank.
     */
    void scatterv(Buf send, int[] counts, int[] displs, Buf recv, int root) {
        idleFor(me == root ? send.byteCount() : recv.byteCount());
        if (me == root) {
            ElementType type = send.type();
            int size = type.size();
            long s = beginWrite();
            int head = (int) ((s % STEPS) * chunk);
            long stream = 0;
            for (int r = 0; r < n; r++) {
                long b = (long) counts[r] * size;
                slotViews[me].putLong(head + 8 * r, b);
                if (r != root) {
                    stream += b;
                }
            }
            post(s, stream, type.ordinal());
            release(s);
            Object base = Mem.base(send);
            long addr = Mem.address(send);
            int r = 0;
            long within = 0;
            long written = 0;
            while (written < stream) {
                s = beginWrite();
                long dst = chunkAddress(me, s);
                int filled = 0;
                while (filled < chunk && written < stream) {
                    long left = r == root ? 0 : (long) counts[r] * size - within;
                    if (left == 0) {
                        r++;
                        within = 0;
                        continue;
                    }
                    int len = (int) Math.min(left, chunk - filled);
                    Mem.copy(base, addr + (long) displs[r] * size + within, null, dst + filled, len);
                    filled += len;
                    within += len;
                    written += len;
                }
                post(s, stream, type.ordinal());
                release(s);
            }
            // the root's own block last: it copies it while the others copy theirs out
            Mem.copy(send.slice(displs[root], counts[root]), recv.slice(0, counts[root]));
            return;
        }
        long first = ++seq;
        waitFor(ctl(root, ARRIVE), first);
        int head = (int) ((first % STEPS) * chunk);
        long stream = ctl.getLong(header(root, first));
        int rootType = ctl.getInt(header(root, first) + 8);
        long offset = 0;
        for (int r = 0; r < me; r++) {
            if (r != root) {
                offset += slotViews[root].getLong(head + 8 * r);
            }
        }
        long mine = slotViews[root].getLong(head + 8 * me);
        release(first);
        long steps = (stream + chunk - 1) / chunk;
        boolean fits = rootType == recv.type().ordinal() && mine <= recv.byteCount();
        if (fits && mine > 0) {
            Object base = Mem.base(recv);
            long addr = Mem.address(recv);
            for (long k = offset / chunk; k <= (offset + mine - 1) / chunk; k++) {
                long s = first + 1 + k;
                waitFor(ctl(root, ARRIVE), s);
                long from = Math.max(offset, k * chunk);
                long to = Math.min(offset + mine, (k + 1) * chunk);
                Mem.copy(null, chunkAddress(root, s) + (from - k * chunk), base, addr + (from - offset), to - from);
                release(s);
            }
        }
        seq = first + steps;
        release(seq);
        if (!fits) {
            ElementType rt = Engine.TYPES[rootType];
            throw new MpiException("scatterv: rank " + root + " sent " + mine / rt.size() + " " + rt
                    + " elements but this rank's receive buffer holds " + recv.count() + " " + recv.type()
                    + " elements");
        }
    }

    /**
     * Gatherv to {@code root}: the root's first step says how many steps follow; in each, every other rank
     * writes the next chunk of its block into its own slot (all at once) and the root copies them to their
     * places.
     *
     * @param send   this rank's block.
     * @param recv   the root's buffer.
     * @param counts the blocks' element counts (at the root).
     * @param displs the blocks' displacements (at the root).
     * @param root   the root, a world rank.
     */
    void gatherv(Buf send, Buf recv, int[] counts, int[] displs, int root) {
        idleFor(me == root ? recv.byteCount() : send.byteCount());
        if (me == root) {
            ElementType type = recv.type();
            int size = type.size();
            long steps = 0;
            for (int r = 0; r < n; r++) {
                if (r != root) {
                    steps = Math.max(steps, ((long) counts[r] * size + chunk - 1) / chunk);
                }
            }
            long first = beginWrite();
            post(first, steps, type.ordinal());
            release(first);
            Mem.copy(send, recv.slice(displs[root], counts[root]));
            Object base = Mem.base(recv);
            long addr = Mem.address(recv);
            String error = null;
            for (long k = 0; k < steps; k++) {
                long s = first + 1 + k;
                for (int r = 0; r < n; r++) {
                    long bytes = (long) counts[r] * size;
                    if (r == root || k * chunk >= bytes) {
                        continue;
                    }
                    waitFor(ctl(r, ARRIVE), s);
                    long got = ctl.getLong(header(r, s));
                    int ty = ctl.getInt(header(r, s) + 8);
                    if (got != bytes || ty != type.ordinal()) {
                        if (error == null) {
                            ElementType rt = Engine.TYPES[ty];
                            error = "gatherv: rank " + r + " sent " + got / rt.size() + " " + rt + " elements but "
                                    + "the root expects " + counts[r] + " " + type + " elements from it";
                        }
                        continue;
                    }
                    int len = (int) Math.min(chunk, bytes - k * chunk);
                    Mem.copy(null, chunkAddress(r, s), base, addr + (long) displs[r] * size + k * chunk, len);
                }
                release(s);
            }
            seq = first + steps;
            release(seq);
            if (error != null) {
                throw new MpiException(error);
            }
            return;
        }
        long first = ++seq;
        waitFor(ctl(root, ARRIVE), first);
        long steps = ctl.getLong(header(root, first));
        release(first);
        long bytes = send.byteCount();
        Object base = Mem.base(send);
        long addr = Mem.address(send);
        for (long k = 0; k < steps; k++) {
            long s = beginWrite();
            long pos = k * chunk;
            if (pos < bytes) {
                Mem.copy(base, addr + pos, null, chunkAddress(me, s), (int) Math.min(chunk, bytes - pos));
            }
            post(s, bytes, send.type().ordinal());
            release(s);
        }
    }

    private static Object scratch(Object[] cache, ElementType type, int count) {
        Object o = cache[type.ordinal()];
        if (o == null) {
            o = type.newArray(count);
            cache[type.ordinal()] = o;
        }
        return o;
    }
}
