package org.multiproc4j.mpi.internal;

import java.util.Optional;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.multiproc4j.mpi.JobAbortedException;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.sharedmem.SharedMemory;

/**
 * A local job's shared segment (see {@link JobLayout}), as the launcher creates it and each rank attaches it.
 */
public final class LocalJob implements AutoCloseable {
    /** System property naming the job's segment, set in a rank's JVM by the launcher. */
    public static final String SEGMENT_PROP = "multiproc4j.mpi.local.segment";
    /** System property holding a rank's rank, set by the launcher. */
    public static final String RANK_PROP = "multiproc4j.mpi.local.rank";

    private static final long HEALTH_PERIOD_NANOS = 10_000_000L;

    private final SharedMemory memory;
    private final AtomicBuffer header;
    private final int size;
    private final int capacity;
    private final ProcessHandle[] peers;
    private long nextHealthCheck;

    private LocalJob(SharedMemory memory) {
        this.memory = memory;
        this.size = memory.buffer(0, 64).getIntVolatile(JobLayout.SIZE_OFFSET);
        this.header = memory.buffer(0, (int) JobLayout.ringsStart(size));
        this.capacity = header.getInt(JobLayout.RING_CAPACITY_OFFSET);
        this.peers = new ProcessHandle[size];
    }

    /**
     * Creates a job's segment.
     *
     * @param n        the rank count.
     * @param capacity the ring capacity, a power of two.
     * @return the job; the caller closes it when every rank has ended.
     */
    public static LocalJob create(int n, int capacity) {
        SharedMemory m = SharedMemory.create(JobLayout.segmentSize(n, capacity));
        AtomicBuffer h = m.buffer(0, (int) JobLayout.ringsStart(n));
        h.putInt(JobLayout.VERSION_OFFSET, JobLayout.VERSION);
        h.putInt(JobLayout.SIZE_OFFSET, n);
        h.putInt(JobLayout.RING_CAPACITY_OFFSET, capacity);
        h.putIntVolatile(JobLayout.MAGIC_OFFSET, JobLayout.MAGIC);
        return new LocalJob(m);
    }

    /**
     * Attaches a job's segment.
     *
     * @param name the segment's name.
     * @return the job.
     * @throws MpiException if the segment is not a job's.
     */
    public static LocalJob attach(String name) {
        SharedMemory m = SharedMemory.attach(name);
        AtomicBuffer h = m.buffer(0, 64);
        if (h.getIntVolatile(JobLayout.MAGIC_OFFSET) != JobLayout.MAGIC
                || h.getInt(JobLayout.VERSION_OFFSET) != JobLayout.VERSION) {
            m.close();
            throw new MpiException("shared segment " + name + " is not a multiproc4j MPI job of layout version "
                    + JobLayout.VERSION);
        }
        return new LocalJob(m);
    }

    /**
     * Returns the segment's name.
     *
     * @return the name.
     */
    public String name() {
        return memory.name();
    }

    /**
     * Returns the rank count.
     *
     * @return n.
     */
    public int size() {
        return size;
    }

    /**
     * Returns the ring from {@code src} to {@code dst}.
     *
     * @param src the sender.
     * @param dst the receiver.
     * @return the ring.
     */
    public OneToOneRingBuffer ring(int src, int dst) {
        long off = JobLayout.ringOffset(size, capacity, src, dst);
        return new OneToOneRingBuffer(memory.buffer(off, JobLayout.ringLength(capacity)));
    }

    /**
     * Returns the control blocks of the collective area, {@link JobLayout#CTL_LENGTH} bytes per rank.
     *
     * @return a view of them.
     */
    AtomicBuffer collControl() {
        return memory.buffer(JobLayout.collStart(size, capacity), size * JobLayout.CTL_LENGTH);
    }

    /**
     * Returns a rank's data slot in the collective area.
     *
     * @param rank the rank.
     * @return a view of its {@link JobLayout#collSlot(int)} bytes.
     */
    AtomicBuffer collSlot(int rank) {
        int slot = JobLayout.collSlot(size);
        return memory.buffer(JobLayout.slotsStart(size, capacity) + (long) rank * slot, slot);
    }

    /**
     * Records that a rank joined.
     *
     * @param rank the rank.
     */
    public void join(int rank) {
        header.putLong(JobLayout.pidOffset(rank), ProcessHandle.current().pid());
        header.putIntVolatile(JobLayout.stateOffset(rank), JobLayout.STATE_RUNNING);
    }

    /**
     * Records that a rank finished.
     *
     * @param rank the rank.
     */
    public void finish(int rank) {
        header.putIntVolatile(JobLayout.stateOffset(rank), JobLayout.STATE_FINISHED);
    }

    /**
     * Returns a rank's state.
     *
     * @param rank the rank.
     * @return one of the {@code STATE_} constants of {@link JobLayout}.
     */
    public int state(int rank) {
        return header.getIntVolatile(JobLayout.stateOffset(rank));
    }

    /**
     * Marks the job aborted because of {@code rank}, unless it already is.
     *
     * @param rank the failing rank.
     * @param code the exit status.
     * @return {@code true} if this call aborted the job.
     */
    public boolean abort(int rank, int code) {
        header.putInt(JobLayout.ABORT_CODE_OFFSET, code);
        return header.compareAndSetInt(JobLayout.ABORT_OFFSET, 0, rank + 1);
    }

    /**
     * Returns the rank whose failure aborted the job.
     *
     * @return the rank, or -1 if the job is not aborted.
     */
    public int abortedBy() {
        return header.getIntVolatile(JobLayout.ABORT_OFFSET) - 1;
    }

    /**
     * Throws if the job is aborted or a running peer died; checks at most every 10 ms.
     *
     * @param me this rank.
     * @throws JobAbortedException naming the rank.
     */
    public void checkHealth(int me) {
        long now = System.nanoTime();
        if (now - nextHealthCheck < 0) {
            return;
        }
        nextHealthCheck = now + HEALTH_PERIOD_NANOS;
        int aborted = abortedBy();
        if (aborted >= 0 && aborted != me) {
            throw new JobAbortedException(aborted, "the job was aborted: rank " + aborted + " failed");
        }
        for (int r = 0; r < size; r++) {
            if (r != me && state(r) == JobLayout.STATE_RUNNING && !alive(r)) {
                throw new JobAbortedException(r, "rank " + r + " (pid " + header.getLong(JobLayout.pidOffset(r))
                        + ") died without finishing");
            }
        }
    }

    private boolean alive(int r) {
        ProcessHandle p = peers[r];
        long pid = header.getLong(JobLayout.pidOffset(r));
        if (p == null || p.pid() != pid) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty()) {
                return false;
            }
            p = h.get();
            peers[r] = p;
        }
        return p.isAlive();
    }

    @Override
    public void close() {
        memory.close();
    }
}
