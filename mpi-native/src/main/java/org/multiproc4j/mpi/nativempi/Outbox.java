package org.multiproc4j.mpi.nativempi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import org.multiproc4j.mpi.JobAbortedException;
import org.multiproc4j.sharedmem.SharedMemory;

/**
 * The shared-memory outboxes of a job whose ranks all run on one node: large messages travel through them instead
 * of through MPI's own path. The sender takes a block of its outbox, sends the receiver the message's RTS naming the
 * block (through MPI on the communicator, so MPI still matches and orders every message), copies the data in chunk
 * by chunk, raising the block's posted counter after each, and returns: the send is complete (buffered). The
 * receiver, once the RTS is matched, copies each chunk out as soon as it is posted, then marks the block done. One
 * copy in and one copy out, overlapping on two cores, where MPI's path for a Java array costs an RTS/CTS handshake
 * before MPI's single copy ({@code process_vm_readv}), and a non-blocking send of a Java array a staging copy first.
 *
 * <pre>
 *   world rank r's outbox, mapped by every rank:
 *   0                 blocks, in ring order; a block starts at a multiple of 64 and never wraps
 *     block + 0       size: bytes of the block, header included (a multiple of 64)
 *     block + 8       posted: bytes of data copied in so far (written by the sender, release)
 *     block + 16      done: 1 once the receiver finished with the block (written by the receiver, release)
 *     block + 64      the data
 * </pre>
 *
 * <p>Only the owner takes blocks of its outbox, in ring order at {@code head}; they come back in ring order from
 * {@code tail} once done (a block done early waits for those before it). A message that does not fit the free part of
 * the ring goes MPI's way instead, so a send never waits for a receiver. The outboxes are made at session open on
 * {@code MPI_COMM_WORLD} (collective), and their names removed as soon as every rank mapped them: nothing is left in
 * {@code /dev/shm} whatever happens to the job. When a rank cannot make or map them (ranks on several nodes, no
 * shared memory, no {@code --add-exports} for Agrona), every rank goes without.
 *
 * <p>Thread safety: {@link #take} is called with the engine's lock held; {@link #fill} by the sending thread on the
 * block it took, {@link #drain} by one receiving thread per block.
 */
final class Outbox implements AutoCloseable {
    /** Bytes of each rank's outbox. */
    static final long SIZE = 4 << 20;
    /** A message of at most this many bytes may use the outbox. */
    static final long MAX_MESSAGE = SIZE / 2;
    /** The chunk after which the sender posts progress (the receiver's copy trails the sender's by about one). */
    static final long CHUNK = 64 << 10;
    private static final long LINE = 64;
    private static final int NAME = 256;
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    /** Every rank's outbox (its {@code SharedMemory} kept here: the memory stays mapped while it is reachable). */
    private final SharedMemory[] blocks;
    /** Every rank's outbox, by world rank. */
    private final MemorySegment[] boxes;
    private final MemorySegment mine;
    private final int rank;
    private long head;
    private long tail;

    private Outbox(SharedMemory[] blocks, int rank) {
        this.blocks = blocks;
        this.rank = rank;
        this.boxes = new MemorySegment[blocks.length];
        for (int r = 0; r < blocks.length; r++) {
            boxes[r] = view(blocks[r]);
        }
        this.mine = boxes[rank];
    }

    @SuppressWarnings("restricted")
    private static MemorySegment view(SharedMemory m) {
        return MemorySegment.ofAddress(m.buffer().addressOffset()).reinterpret(SIZE);
    }

    /**
     * Makes the outboxes of the world: collective. Every rank returns its view, or every rank returns {@code null}
     * (a rank could not make or map an outbox: ranks on several nodes, no shared memory).
     *
     * @param engine the engine (its library and checks).
     * @param rank   this rank in {@code MPI_COMM_WORLD}.
     * @param size   the world's size.
     * @return the outboxes, or {@code null}.
     */
    static Outbox open(Engine engine, int rank, int size) {
        if (size < 2) {
            return null;
        }
        Lib lib = engine.lib;
        SharedMemory made = null;
        try {
            made = SharedMemory.create(SIZE);
        } catch (RuntimeException | LinkageError e) {
            // no outbox here: every rank learns it from the names
        }
        SharedMemory[] all = new SharedMemory[size];
        boolean ok = true;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(NAME);
            if (made != null) {
                byte[] n = made.name().getBytes(StandardCharsets.US_ASCII);
                name.set(JAVA_INT, 0, n.length);
                MemorySegment.copy(MemorySegment.ofArray(n), 0, name, 4, n.length);
            }
            MemorySegment names = a.allocate((long) NAME * size);
            MemorySegment counts = a.allocate(JAVA_INT, size);
            MemorySegment displs = a.allocate(JAVA_INT, size);
            for (int r = 0; r < size; r++) {
                counts.setAtIndex(JAVA_INT, r, NAME);
                displs.setAtIndex(JAVA_INT, r, r * NAME);
            }
            engine.check((int) lib.allgatherv.invokeExact(name, NAME, lib.tByte, names, counts, displs, lib.tByte,
                    lib.commWorld), "MPI_Allgatherv");
            for (int r = 0; r < size && ok; r++) {
                int len = names.get(JAVA_INT, (long) r * NAME);
                if (len <= 0 || len > NAME - 4) {
                    ok = false;
                } else if (r == rank) {
                    all[r] = made;
                } else {
                    byte[] n = names.asSlice((long) r * NAME + 4, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    all[r] = attach(new String(n, StandardCharsets.US_ASCII));
                    ok = all[r] != null;
                }
            }
            MemorySegment flag = a.allocate(JAVA_INT);
            flag.set(JAVA_INT, 0, ok ? 1 : 0);
            engine.check((int) lib.allreduce.invokeExact(lib.inPlace, flag, 1, lib.tInt, lib.opMin, lib.commWorld),
                    "MPI_Allreduce");
            ok = flag.get(JAVA_INT, 0) != 0;
        } catch (Throwable t) {
            ok = false;
            throw Engine.rethrow(t);
        } finally {
            if (made != null) {
                made.unlink(); // every rank mapped it (or gave up): the name is no longer needed
            }
            if (!ok) {
                for (SharedMemory m : all) {
                    if (m != null) {
                        m.close();
                    }
                }
                if (made != null) {
                    made.close();
                }
            }
        }
        return ok ? new Outbox(all, rank) : null;
    }

    private static SharedMemory attach(String name) {
        try {
            SharedMemory m = SharedMemory.attach(name);
            if (m.size() < SIZE || m.buffer().byteArray() != null) {
                m.close();
                return null;
            }
            return m;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** This rank's index in {@code MPI_COMM_WORLD}, which RTSs name as the owner of their block. */
    int rank() {
        return rank;
    }

    private static long blockBytes(long total) {
        return LINE + (total + LINE - 1) / LINE * LINE;
    }

    /**
     * Takes a block for {@code total} bytes in this rank's outbox, or returns -1 when the free part of the ring
     * cannot hold it now (the message then goes MPI's way). Blocks the receivers finished are given back first.
     * Called with the engine's lock held.
     *
     * @param total the message's bytes, at most {@link #MAX_MESSAGE}.
     * @return the block's offset in this rank's outbox, or -1.
     */
    long take(long total) {
        long need = blockBytes(total);
        for (int attempt = 0; attempt < 2; attempt++) {
            long at = head % SIZE;
            long pad = at + need > SIZE ? SIZE - at : 0; // a block never wraps: skip the ring's end
            if (head + pad + need - tail <= SIZE) {
                if (pad > 0) {
                    mine.set(JAVA_LONG, at, pad);
                    LONG.setRelease(mine, at + 16, 1L); // a pad is done from the start
                    head += pad;
                    at = 0;
                }
                mine.set(JAVA_LONG, at, need);
                mine.set(JAVA_LONG, at + 8, 0L);
                LONG.setRelease(mine, at + 16, 0L);
                head += need;
                return at;
            }
            reclaim();
        }
        return -1;
    }

    /** Gives back, in ring order, the blocks the receivers finished. */
    private void reclaim() {
        while (tail < head) {
            long at = tail % SIZE;
            if ((long) LONG.getAcquire(mine, at + 16) == 0) {
                return;
            }
            tail += mine.get(JAVA_LONG, at);
        }
    }

    /**
     * Copies {@code data} into the block at {@code at} of this rank's outbox, posting each chunk as it is in.
     *
     * @param at   the block ({@link #take}).
     * @param data the message's bytes: a Java array's heap segment or native memory.
     */
    void fill(long at, MemorySegment data) {
        long total = data.byteSize();
        long into = at + LINE;
        for (long pos = 0; pos < total;) {
            long k = Math.min(total - pos, CHUNK);
            MemorySegment.copy(data, pos, mine, into + pos, k);
            pos += k;
            LONG.setRelease(mine, at + 8, pos);
        }
    }

    /**
     * Copies a block of {@code owner}'s outbox out as its chunks are posted, then marks it done.
     *
     * @param engine the engine (a wait ends when {@code MPI_Abort} was called in this process).
     * @param owner  the sender's world rank.
     * @param at     the block.
     * @param total  the message's bytes.
     * @param into   where the bytes go, the message's length; {@code null} to discard the message (this waits for
     *               the sender to finish filling, so that the block is not given back under its copy).
     */
    void drain(Engine engine, int owner, long at, long total, MemorySegment into) {
        MemorySegment box = boxes[owner];
        long from = at + LINE;
        Engine.Backoff b = new Engine.Backoff();
        for (long pos = 0; pos < total;) {
            long posted = (long) LONG.getAcquire(box, at + 8);
            if (posted <= pos) {
                engine.checkAborting();
                b.idle();
                continue;
            }
            if (into != null) {
                MemorySegment.copy(box, from + pos, into, pos, posted - pos);
            }
            pos = posted;
            b = new Engine.Backoff(); // the sender is copying: wait for the next chunk by spinning again
        }
        LONG.setRelease(box, at + 16, 1L);
    }

    @Override
    public void close() {
        for (SharedMemory m : blocks) {
            m.close();
        }
    }
}
