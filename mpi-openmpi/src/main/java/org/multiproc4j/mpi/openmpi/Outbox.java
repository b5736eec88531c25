package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import mpi.Comm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import org.agrona.UnsafeApi;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.internal.Mem;
import org.multiproc4j.sharedmem.SharedMemory;

/**
 * The shared-memory outboxes of a communicator whose ranks all run on one node, through which long point-to-point
 * messages travel instead of MPI's frames: the sender takes a block of its own outbox, sends the receiver a short
 * MPI message naming it (so MPI still matches and orders every message), copies the data into the block chunk by
 * chunk, raising the block's posted counter after each, and returns; the receiver copies each chunk out as soon as
 * it is posted, then marks the block done. One copy in and one copy out, overlapping, where MPI's path costs the
 * sender's staging copy, MPI's own copy and the receiver's copy-out, the last two one after the other.
 *
 * <pre>
 *   rank r's outbox, mapped by every rank:
 *   0                 blocks, in ring order; a block starts at a multiple of 64 and never wraps
 *     block + 0       size: bytes of the block, header included (64-byte multiple)
 *     block + 8       posted: bytes of data copied in so far (written by the sender, release)
 *     block + 16      done: 1 once the receiver finished with the block (written by the receiver, release)
 *     block + 64      the data
 * </pre>
 *
 * <p>Only the owner allocates in its outbox: blocks are taken in ring order at {@code head} and given back in ring
 * order from {@code tail} once done (a block done early waits for those before it). A message that does not fit the
 * free part of the ring goes through MPI instead, so a send never waits for a receiver (the buffered semantics of
 * every send on this backend). The outboxes are made by {@link #open} when the communicator is made (collective),
 * and their names are removed as soon as every rank mapped them, so nothing is left in {@code /dev/shm} whatever
 * happens to the job. Not thread-safe: the communicator's lock serializes its use.
 */
final class Outbox implements AutoCloseable {
    /** Bytes of each rank's outbox. */
    static final int SIZE = 4 << 20;
    /** A message of at most this many bytes may use the outbox. */
    static final int MAX_MESSAGE = SIZE / 2;
    /** The chunk after which the sender posts progress. */
    static final int CHUNK = 64 << 10;
    private static final int LINE = 64;
    private static final int NAME = 256;

    private final SharedMemory[] boxes;
    private final long[] bases;
    private final int rank;
    private long head;
    private long tail;

    private Outbox(SharedMemory[] boxes, int rank) {
        this.boxes = boxes;
        this.rank = rank;
        this.bases = new long[boxes.length];
        for (int r = 0; r < boxes.length; r++) {
            bases[r] = boxes[r].buffer().addressOffset();
        }
    }

    /**
     * Makes the outboxes of {@code comm}: collective. Every rank returns its view, or every rank returns null (the
     * ranks are not all on one node, or a rank could not make or map an outbox).
     *
     * @param comm the communicator.
     * @param rank this rank in it.
     * @param size its size.
     * @return the outboxes, or null.
     */
    static Outbox open(Intracomm comm, int rank, int size) throws MPIException {
        Intracomm local = comm.splitType(Comm.TYPE_SHARED, rank, MPI.INFO_NULL);
        int localSize = local.getSize();
        local.free();
        if (localSize != size || size < 2) {
            return null; // every rank sees the same
        }
        SharedMemory mine = null;
        ByteBuffer name = ByteBuffer.allocateDirect(NAME).order(ByteOrder.nativeOrder());
        try {
            mine = SharedMemory.create(SIZE);
        } catch (RuntimeException e) {
            // no outbox here: every rank learns it from the names
        }
        SegmentNames.put(name, 0, mine);
        ByteBuffer names = ByteBuffer.allocateDirect(NAME * size).order(ByteOrder.nativeOrder());
        comm.allGather(name, NAME, MPI.BYTE, names, NAME, MPI.BYTE);
        SharedMemory[] boxes = new SharedMemory[size];
        boolean ok = true;
        for (int r = 0; r < size && ok; r++) {
            if (names.getInt(r * NAME) <= 0) {
                ok = false;
            } else if (r == rank) {
                boxes[r] = mine;
            } else {
                boxes[r] = SegmentNames.attach(names, r * NAME);
                ok = boxes[r] != null && boxes[r].buffer().byteArray() == null;
            }
        }
        ByteBuffer flag = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        flag.putInt(0, ok ? 1 : 0);
        comm.allReduce(flag, 1, MPI.INT, MPI.MIN);
        if (mine != null) {
            mine.unlink(); // every rank mapped it (or gave up): the name is no longer needed
        }
        if (flag.getInt(0) == 0) {
            for (SharedMemory m : boxes) {
                if (m != null) {
                    m.close();
                }
            }
            if (mine != null && boxes[rank] == null) {
                mine.close();
            }
            return null;
        }
        return new Outbox(boxes, rank);
    }

    private static long blockBytes(long total) {
        return LINE + (total + LINE - 1) / LINE * LINE;
    }

    /**
     * Takes a block for {@code total} bytes in this rank's outbox, or returns -1 when the free part of the ring
     * cannot hold it now (the message then goes through MPI). Blocks the receivers finished are given back first.
     *
     * @param total the message's bytes, at most {@link #MAX_MESSAGE}.
     * @return the block's offset in this rank's outbox, or -1.
     */
    long take(long total) {
        long need = blockBytes(total);
        long base = bases[rank];
        for (int attempt = 0; attempt < 2; attempt++) {
            long at = head % SIZE;
            long pad = at + need > SIZE ? SIZE - at : 0; // a block never wraps: skip the ring's end
            if (head + pad + need - tail <= SIZE) {
                if (pad > 0) {
                    UnsafeApi.putLong(null, base + at, pad);
                    UnsafeApi.putLongRelease(null, base + at + 16, 1); // a pad is done from the start
                    head += pad;
                    at = 0;
                }
                UnsafeApi.putLong(null, base + at, need);
                UnsafeApi.putLong(null, base + at + 8, 0);
                UnsafeApi.putLongRelease(null, base + at + 16, 0);
                head += need;
                return at;
            }
            reclaim();
        }
        return -1;
    }

    /** Gives back, in ring order, the blocks the receivers finished. */
    private void reclaim() {
        long base = bases[rank];
        while (tail < head) {
            long at = tail % SIZE;
            if (UnsafeApi.getLongVolatile(null, base + at + 16) == 0) {
                return;
            }
            tail += UnsafeApi.getLong(null, base + at);
        }
    }

    /**
     * Copies {@code total} bytes of {@code buf} from byte {@code from} into the block at {@code at} of this rank's
     * outbox, posting each chunk as it is in.
     */
    void fill(long at, Buf buf, long from, long total) {
        long block = bases[rank] + at;
        Object b = Mem.base(buf);
        long src = Mem.address(buf) + from;
        for (long pos = 0; pos < total;) {
            long k = Math.min(total - pos, CHUNK);
            Mem.copy(b, src + pos, null, block + LINE + pos, k);
            pos += k;
            UnsafeApi.putLongRelease(null, block + 8, pos);
        }
    }

    /**
     * Copies the block at {@code at} of {@code source}'s outbox out as its chunks are posted: {@code total} bytes
     * into {@code buf} from byte {@code to}, or, when {@code buf} is null, none; then marks the block done.
     */
    void drain(int source, long at, long total, Buf buf, long to) {
        long block = bases[source] + at;
        if (buf != null) {
            Object b = Mem.base(buf);
            long dst = Mem.address(buf) + to;
            Backoff idle = new Backoff(2_000);
            for (long pos = 0; pos < total;) {
                long posted = UnsafeApi.getLongVolatile(null, block + 8);
                if (posted <= pos) {
                    idle.idle();
                    continue;
                }
                idle.reset();
                Mem.copy(null, block + LINE + pos, b, dst + pos, posted - pos);
                pos = posted;
            }
        }
        UnsafeApi.putLongRelease(null, block + 16, 1);
    }

    /** Copies a block of {@code source}'s outbox whole into a staging buffer and marks it done (a held message). */
    void drainTo(int source, long at, long total, ByteBuffer into) {
        drain(source, at, total, Buf.of(into, org.multiproc4j.mpi.ElementType.BYTE, 0, (int) total), 0);
    }

    @Override
    public void close() {
        for (SharedMemory m : boxes) {
            m.close();
        }
    }
}
