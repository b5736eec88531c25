package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import mpi.Comm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.internal.Mem;
import org.multiproc4j.sharedmem.SharedMemory;

/**
 * A shared-memory area of a communicator whose ranks all run on one node, through which large {@code bcast}s (and
 * {@code scatterv}s, and large {@code allreduce}s: see {@link #allreduce}) go instead of MPI: the root copies the data into the area chunk by chunk and every other rank copies each chunk out
 * as soon as it is posted, so the root's copy-in of chunk k+1 overlaps the others' copy-out of chunk k (through MPI a
 * staged bcast costs the root's copy-in, MPI's own copy, and the receivers' copy-out, one after the other: MPI's
 * shared-memory transport moves a large message with one copy made by the receiver, {@code process_vm_readv}, which
 * cannot overlap the receiver's copy-out).
 *
 * <pre>
 *   0                     the posted counter: chunks posted since the area was made (written by each bcast's root)
 *   64 * (1 + r)          rank r's consumed counter: chunks it finished (copied out, or posted as the root)
 *   64 * (1 + r) + 8      rank r's posted counter: allreduce steps whose part it copied in
 *   ctl                   SLOTS chunks of CHUNK bytes; chunk s of the communicator's sequence lies in slot s % SLOTS
 * </pre>
 *
 * <p>Ranks call a communicator's collectives in the same order, so every rank numbers the chunks alike. A root
 * writes chunk s once every rank consumed chunk {@code s - SLOTS}; a rank copies chunk s out once the posted counter
 * passed s. Counters are written with release and read with acquire semantics, so the data copied before a counter
 * is raised is seen by whoever reads the raised value.
 *
 * <p>Made by {@link #open} (collective: every rank of the communicator calls it at the same call), which returns
 * null on every rank when the ranks are not all on one node or the area cannot be made: the callers then use MPI.
 * The area's name is removed as soon as every rank mapped it, so nothing is left in {@code /dev/shm} whatever
 * happens to the job. Not thread-safe: the communicator's lock serializes its use.
 */
final class NodeArea implements AutoCloseable {
    /** Bytes of one chunk: small enough that the copies pipeline, large enough that the waits are few. */
    static final int CHUNK = 64 << 10;
    /** Chunks in flight: the root runs up to this many ahead of the slowest rank. */
    static final int SLOTS = 8;
    private static final int LINE = 64;
    /** Bytes of one rank's entry in a scatterv's plan: first chunk, bytes, element type. */
    private static final int PLAN = 32;
    private static final int PLANS = 8;
    private static final int PLAN_END = 16;

    private final SharedMemory memory;
    private final long base;
    private final long data;
    private final int rank;
    private final int size;
    /** Chunks of this communicator's sequence so far (the same on every rank between collectives). */
    private long seq;
    /** Scatterv plans so far (the same on every rank between collectives). */
    private long plans;

    private NodeArea(SharedMemory memory, int rank, int size) {
        this.memory = memory;
        AtomicBuffer b = memory.buffer();
        this.base = b.addressOffset();
        this.data = base + control(size);
        this.rank = rank;
        this.size = size;
    }

    private static long control(int size) {
        return ((long) LINE * (size + 1) + (long) PLAN * size + 4095) / 4096 * 4096;
    }

    /**
     * Makes the area of {@code comm}: collective. Every rank returns an area, or every rank returns null (the
     * ranks are on several nodes, or a rank could not make or map it).
     *
     * @param comm the communicator.
     * @param rank this rank in it.
     * @param size its size.
     * @return the area, or null.
     */
    static NodeArea open(Intracomm comm, int rank, int size) throws MPIException {
        Intracomm local = comm.splitType(Comm.TYPE_SHARED, rank, MPI.INFO_NULL);
        int localSize = local.getSize();
        local.free();
        if (localSize != size || size < 2) {
            return null; // every rank sees the same: the node's ranks are fewer than the communicator's
        }
        SharedMemory made = null;
        ByteBuffer name = ByteBuffer.allocateDirect(256).order(ByteOrder.nativeOrder());
        if (rank == 0) {
            try {
                made = SharedMemory.create(control(size) + (long) SLOTS * CHUNK);
            } catch (RuntimeException e) {
                // no area: every rank learns it from the name
            }
            SegmentNames.put(name, 0, made);
        }
        comm.bcast(name, 256, MPI.BYTE, 0);
        if (name.getInt(0) <= 0) {
            return null;
        }
        if (rank != 0) {
            made = SegmentNames.attach(name, 0);
        }
        int[] ok = {made != null && made.buffer().byteArray() == null ? 1 : 0};
        ByteBuffer flag = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        flag.putInt(0, ok[0]);
        comm.allReduce(flag, 1, MPI.INT, MPI.MIN);
        if (rank == 0 && made != null) {
            made.unlink(); // every rank mapped it (or gave up): the name is no longer needed
        }
        if (flag.getInt(0) == 0) {
            if (made != null) {
                made.close();
            }
            return null;
        }
        return new NodeArea(made, rank, size);
    }

    private long consumed(int r) {
        return base + (long) LINE * (1 + r);
    }

    private long plan(int r) {
        return base + (long) LINE * (1 + size) + (long) PLAN * r;
    }

    private void awaitConsumed(int r, long atLeast, Backoff idle) {
        idle.reset();
        while (UnsafeApi.getLongVolatile(null, consumed(r)) < atLeast) {
            idle.idle();
        }
    }

    /**
     * Scatters blocks of the root's buffer through the area: the root first posts a plan (each rank's first chunk,
     * byte count and element type; it waits until every rank finished the previous collective, whose plan it
     * overwrites), then the chunks of every other rank's block in rank order, then copies its own block; each rank
     * copies out its own chunks as they are posted.
     *
     * @param send   the root's buffer (significant at the root).
     * @param counts per rank, its block's count (significant at the root).
     * @param displs per rank, its block's first element (significant at the root).
     * @param recv   this rank's block.
     * @param root   the root rank.
     * @throws org.multiproc4j.mpi.MpiException if this rank's block is of another element type or longer than
     *                                          {@code recv} (its chunks are consumed all the same).
     */
    void scatterv(Buf send, int[] counts, int[] displs, Buf recv, int root) {
        Backoff idle = new Backoff(2_000);
        long seq0 = seq;
        long p = plans++;
        if (rank == root) {
            int es = send.type().size();
            for (int r = 0; r < size; r++) {
                if (r != root) {
                    awaitConsumed(r, seq0, idle);
                }
            }
            // the plan takes a step of the sequence itself: a rank raises its consumed counter past seq0 only
            // once it read the plan, so the next collective's root cannot overwrite a plan a rank has not read
            long cursor = seq0 + 1;
            for (int r = 0; r < size; r++) {
                long bytes = (long) counts[r] * es;
                long at = plan(r);
                UnsafeApi.putLong(null, at, cursor);
                UnsafeApi.putLong(null, at + 8, bytes);
                UnsafeApi.putInt(null, at + 16, send.type().ordinal());
                if (r != root) {
                    cursor += (bytes + CHUNK - 1) / CHUNK;
                }
            }
            long end = cursor;
            UnsafeApi.putLong(null, base + PLAN_END, end);
            UnsafeApi.putLongRelease(null, base + PLANS, p + 1);
            Object b = Mem.base(send);
            long s = seq0 + 1;
            for (int r = 0; r < size; r++) {
                if (r == root) {
                    continue;
                }
                long from = Mem.address(send) + (long) displs[r] * es;
                long bytes = (long) counts[r] * es;
                for (long pos = 0; pos < bytes; pos += CHUNK, s++) {
                    long need = s + 1 - SLOTS;
                    for (int q = 0; q < size; q++) {
                        if (q != root) {
                            awaitConsumed(q, need, idle);
                        }
                    }
                    Staging.copy(b, from + pos, null, data + (s % SLOTS) * CHUNK, Math.min(bytes - pos, CHUNK));
                    UnsafeApi.putLongRelease(null, base, s + 1);
                }
            }
            Mem.copy(b, Mem.address(send) + (long) displs[root] * es, Mem.base(recv), Mem.address(recv),
                    (long) counts[root] * es);
            UnsafeApi.putLongRelease(null, base, end);
            UnsafeApi.putLongRelease(null, consumed(rank), end);
            seq = end;
            return;
        }
        idle.reset();
        while (UnsafeApi.getLongVolatile(null, base + PLANS) < p + 1) {
            idle.idle();
        }
        long at = plan(rank);
        long first = UnsafeApi.getLong(null, at);
        long bytes = UnsafeApi.getLong(null, at + 8);
        int kind = UnsafeApi.getInt(null, at + 16);
        long end = UnsafeApi.getLong(null, base + PLAN_END);
        UnsafeApi.putLongRelease(null, consumed(rank), first);
        org.multiproc4j.mpi.MpiException refused = OpenMpiComm.refusal("scatterv", root, OpenMpiComm.TAG_SCATTER, kind,
                bytes, recv.type(), recv.byteCount());
        Object b = Mem.base(recv);
        long to = Mem.address(recv);
        long s = first;
        for (long pos = 0; pos < bytes; pos += CHUNK, s++) {
            idle.reset();
            while (UnsafeApi.getLongVolatile(null, base) < s + 1) {
                idle.idle();
            }
            if (refused == null) {
                Staging.copy(null, data + (s % SLOTS) * CHUNK, b, to + pos, Math.min(bytes - pos, CHUNK));
            }
            UnsafeApi.putLongRelease(null, consumed(rank), s + 1);
        }
        UnsafeApi.putLongRelease(null, consumed(rank), end);
        seq = end;
        if (refused != null) {
            throw refused;
        }
    }

    /** Rank r's allreduce counter: steps whose contribution it copied into the area (the second word of its line). */
    private long posted(int r) {
        return consumed(r) + 8;
    }

    /** The bytes of a rank's allreduce region: two sets of one region per rank fill the chunks' space. */
    static int regionBytes(int size) {
        return (int) ((long) SLOTS * CHUNK / (2L * size) / LINE * LINE);
    }

    /** The region of allreduce step {@code k} where rank {@code r} puts its contribution. */
    private long region(long k, int r, int regionBytes) {
        return data + ((k & 1) * size + r) * (long) regionBytes;
    }

    /**
     * Combines every rank's {@code send} with a built-in operation into every rank's {@code recv} through the area.
     * The vector goes in steps; in each, every rank copies its part of the step into its own region of the area
     * (two sets of regions, used by alternate steps), raises its posted counter, waits for every other rank's, and
     * reduces the step straight into {@code recv}: with two ranks, the other's part combined with its own (the
     * built-in operations give the same bits in either order of two operands); with more, in rank order, so every
     * rank computes the same bits. A rank overwrites its region of step k once every rank finished step k - 2. Each
     * rank copies the vector in once and reads every other rank's contribution once; there is no copy out.
     *
     * @param send this rank's contribution.
     * @param recv the result: the same element type and count; may be {@code send} itself.
     * @param op   a built-in operation that applies to the element type.
     */
    void allreduce(Buf send, Buf recv, Op op) {
        ElementType type = send.type();
        int es = type.size();
        int regionBytes = regionBytes(size);
        int per = regionBytes / es;
        long count = send.count();
        long steps = (count + per - 1) / per;
        Object sArr = send.array();
        int sOff = send.offset();
        Object sBase = Mem.base(send);
        long sAddr = Mem.address(send);
        Object rArr = recv.array();
        int rOff = recv.offset();
        Object rBase = Mem.base(recv);
        long rAddr = Mem.address(recv);
        // the own contribution is read where it lies unless recv overlaps it (recv is written before it is read)
        boolean ownInPlace = sArr != null && (sBase != rBase || sAddr + send.byteCount() <= rAddr
                || rAddr + recv.byteCount() <= sAddr);
        Object acc = rArr != null ? null : type.newArray(per);
        Object tmp = size > 2 || !ownInPlace ? type.newArray(per) : null;
        long arrayBase = Mem.arrayBase(type);
        Backoff idle = new Backoff(2_000);
        long s0 = seq;
        for (int q = 0; q < size; q++) {
            if (q != rank) {
                awaitConsumed(q, s0, idle); // every rank is done with the area's earlier collectives
            }
        }
        for (long k = 0; k < steps; k++) {
            long s = s0 + k;
            long e0 = k * per;
            int n = (int) Math.min(per, count - e0);
            long nb = (long) n * es;
            if (k >= 2) {
                for (int q = 0; q < size; q++) {
                    if (q != rank) {
                        awaitConsumed(q, s - 1, idle); // q finished step k - 2, which used these regions
                    }
                }
            }
            Staging.copy(sBase, sAddr + e0 * es, null, region(k, rank, regionBytes), nb);
            UnsafeApi.putLongRelease(null, posted(rank), s + 1);
            for (int q = 0; q < size; q++) {
                if (q != rank) {
                    idle.reset();
                    while (UnsafeApi.getLongVolatile(null, posted(q)) < s + 1) {
                        idle.idle();
                    }
                }
            }
            Object a = rArr != null ? rArr : acc;
            int aOff = rArr != null ? rOff + (int) e0 : 0;
            long aAddr = rArr != null ? rAddr + e0 * es : arrayBase;
            if (size == 2) {
                Staging.copy(null, region(k, 1 - rank, regionBytes), rArr != null ? rBase : acc, aAddr, nb);
                if (ownInPlace) {
                    op.apply(type, a, aOff, sArr, sOff + (int) e0, n);
                } else {
                    Staging.copy(null, region(k, rank, regionBytes), tmp, arrayBase, nb);
                    op.apply(type, a, aOff, tmp, 0, n);
                }
            } else {
                Staging.copy(null, region(k, 0, regionBytes), rArr != null ? rBase : acc, aAddr, nb);
                for (int q = 1; q < size; q++) {
                    if (q == rank && ownInPlace) {
                        op.apply(type, a, aOff, sArr, sOff + (int) e0, n);
                    } else {
                        Staging.copy(null, region(k, q, regionBytes), tmp, arrayBase, nb);
                        op.apply(type, a, aOff, tmp, 0, n);
                    }
                }
            }
            if (rArr == null) {
                Staging.copy(acc, arrayBase, rBase, rAddr + e0 * es, nb);
            }
            UnsafeApi.putLongRelease(null, consumed(rank), s + 1);
        }
        // SLOTS numbers more, so that the next bcast's root waits until every rank finished this allreduce
        long end = s0 + steps + SLOTS;
        UnsafeApi.putLongRelease(null, consumed(rank), end);
        seq = end;
    }

    /**
     * Broadcasts {@code buf} from {@code root} through the area.
     *
     * @param buf  the root's data, or where the others' goes: the same byte count on every rank.
     * @param root the root rank.
     */
    void bcast(Buf buf, int root) {
        long bytes = buf.byteCount();
        Object b = Mem.base(buf);
        long at = Mem.address(buf);
        Backoff idle = new Backoff(2_000);
        for (long pos = 0; pos < bytes; pos += CHUNK) {
            long k = Math.min(bytes - pos, CHUNK);
            long s = seq++;
            long slot = data + (s % SLOTS) * CHUNK;
            if (rank == root) {
                // the slot is free once every rank consumed the chunk that was in it
                long need = s + 1 - SLOTS;
                for (int r = 0; r < size; r++) {
                    if (r != root) {
                        awaitConsumed(r, need, idle);
                    }
                }
                Staging.copy(b, at + pos, null, slot, k);
                UnsafeApi.putLongRelease(null, base, s + 1);
                UnsafeApi.putLongRelease(null, consumed(rank), s + 1);
            } else {
                idle.reset();
                while (UnsafeApi.getLongVolatile(null, base) < s + 1) {
                    idle.idle();
                }
                Staging.copy(null, slot, b, at + pos, k);
                UnsafeApi.putLongRelease(null, consumed(rank), s + 1);
            }
        }
    }

    @Override
    public void close() {
        memory.close();
    }
}
