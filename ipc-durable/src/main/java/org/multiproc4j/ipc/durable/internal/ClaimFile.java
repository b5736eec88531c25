package org.multiproc4j.ipc.durable.internal;

import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.CLAIM_FILE;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.CLAIM_FILE_SIZE;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.LOW_WATER_OFFSET;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.MAGIC;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.MAGIC_OFFSET;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.SLOTS;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.SLOTS_OFFSET;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.SLOT_START_OFFSET;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.VERSION;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.VERSION_OFFSET;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.slotOffset;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.multiproc4j.core.ProcessException;

/**
 * A durable queue's claim file ({@link QueueDescriptor}), mapped once per JVM and shared by every queue object
 * of this JVM on the same directory (reference counted). Sharing matters: POSIX drops all of a process's
 * {@code fcntl} locks on a file when any of its descriptors for that file is closed, so this JVM keeps
 * exactly one.
 *
 * <p><b>Thread safety.</b> All methods are thread-safe.
 */
public final class ClaimFile {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final Map<Path, ClaimFile> OPEN = new HashMap<>();

    private final Path path;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final Map<Integer, FileLock> held = new HashMap<>();
    private int references;

    /** A consumer's slot, held for as long as the session lives. */
    public record Session(int slot, long epoch) {
    }

    private ClaimFile(Path path, FileChannel channel, MappedByteBuffer map) {
        this.path = path;
        this.channel = channel;
        this.map = map;
    }

    /**
     * Opens (creating it whole if needed) the claim file of the queue in {@code dir}.
     *
     * @param dir the queue's directory.
     * @return the shared claim file; {@link #release()} it when done.
     * @throws IOException if it cannot be created or mapped, or is not a claim file of this version.
     */
    public static ClaimFile open(Path dir) throws IOException {
        Path path = dir.resolve(CLAIM_FILE).toAbsolutePath().normalize();
        synchronized (OPEN) {
            ClaimFile f = OPEN.get(path);
            if (f == null) {
                f = map(path);
                OPEN.put(path, f);
            }
            f.references++;
            return f;
        }
    }

    private static ClaimFile map(Path path) throws IOException {
        if (!Files.exists(path)) {
            create(path);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (ch.size() < CLAIM_FILE_SIZE) {
                throw new IOException(path + " is not a multiproc4j queue file: " + ch.size() + " bytes, expected "
                        + CLAIM_FILE_SIZE);
            }
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, CLAIM_FILE_SIZE);
            long magic = m.order(ByteOrder.BIG_ENDIAN).getLong(MAGIC_OFFSET);
            int version = m.getInt(VERSION_OFFSET);
            if (magic != MAGIC || version != VERSION || m.getInt(SLOTS_OFFSET) != SLOTS) {
                throw new IOException(path + " is not a multiproc4j queue file of version " + VERSION + " (magic "
                        + Long.toHexString(magic) + ", version " + version + ")");
            }
            return new ClaimFile(path, ch, m);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Writes the whole file aside, then links it into place: no process ever sees it half made. */
    private static void create(Path path) throws IOException {
        Path tmp = Files.createTempFile(path.getParent(), CLAIM_FILE, ".tmp");
        try {
            ByteBuffer b = ByteBuffer.allocate(CLAIM_FILE_SIZE).order(ByteOrder.BIG_ENDIAN);
            b.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(SLOTS_OFFSET, SLOTS);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.createLink(path, tmp);
            } catch (FileAlreadyExistsException e) {
                // another process made it first: use theirs
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Drops one reference; the last one unmaps nothing (the GC does) but closes the file, after every slot
     * this JVM held has been released.
     */
    public void release() {
        synchronized (OPEN) {
            if (--references > 0) {
                return;
            }
            OPEN.remove(path);
        }
        synchronized (this) {
            for (FileLock l : held.values()) {
                try {
                    l.release();
                } catch (IOException e) {
                    // closing: the channel's close releases it anyway
                }
            }
            held.clear();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    // ------------------------------------------------------------------------------------------- low water

    /**
     * Returns the low-water index: it and every message before it are consumed.
     *
     * @return the index, or 0 if none is known.
     */
    public long lowWater() {
        return (long) LONGS.getVolatile(map, LOW_WATER_OFFSET);
    }

    /**
     * Raises the low-water index to {@code index} unless it is already at or above it.
     *
     * @param index a Chronicle index such that it and every message before it are consumed.
     */
    public void advanceLowWater(long index) {
        long current;
        do {
            current = (long) LONGS.getVolatile(map, LOW_WATER_OFFSET);
            if (current >= index) {
                return;
            }
        } while (!LONGS.compareAndSet(map, LOW_WATER_OFFSET, current, index));
    }

    // ------------------------------------------------------------------------------------------- sessions

    /**
     * Takes a free consumer slot (one nobody holds, whatever happened to its last owner), for this process,
     * under a new epoch: markers of the slot's earlier owners now read as abandoned.
     *
     * @return the session.
     * @throws ProcessException if every slot is held by a live process.
     * @throws IOException      on an I/O error.
     */
    public synchronized Session acquire() throws IOException {
        int start = ThreadLocalRandom.current().nextInt(SLOTS);
        long pid = ProcessHandle.current().pid();
        long startMillis = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        for (int i = 0; i < SLOTS; i++) {
            int slot = (start + i) % SLOTS;
            if (held.containsKey(slot)) {
                continue;
            }
            FileLock lock = tryLock(slot);
            if (lock == null) {
                continue;
            }
            int offset = slotOffset(slot);
            long word = (long) LONGS.getVolatile(map, offset);
            long epoch = ((word >>> 32) + 1) & 0xFFFF_FFFFL;
            if (epoch == 0) {
                epoch = 1;
            }
            LONGS.setVolatile(map, offset + SLOT_START_OFFSET, startMillis);
            LONGS.setVolatile(map, offset, (epoch << 32) | (pid & 0xFFFF_FFFFL));
            held.put(slot, lock);
            return new Session(slot, epoch);
        }
        throw new ProcessException("all " + SLOTS + " consumer slots of the queue in " + path.getParent()
                + " are held by live processes");
    }

    /**
     * Gives a slot back: its markers now read as abandoned.
     *
     * @param session the session to end.
     */
    public synchronized void release(Session session) {
        FileLock lock = held.remove(session.slot());
        if (lock == null) {
            return;
        }
        int offset = slotOffset(session.slot());
        LONGS.setVolatile(map, offset, session.epoch() << 32);
        try {
            lock.release();
        } catch (IOException e) {
            // the lock goes with the channel at the latest
        }
    }

    /**
     * Tells whether the consumer that wrote a marker is still alive and still holds its slot under that epoch.
     *
     * @param slot  the slot named by the marker.
     * @param epoch the epoch named by the marker.
     * @return {@code true} if the consumer is alive; {@code false} if it closed its queue or its process died.
     * @throws IOException on an I/O error.
     */
    public synchronized boolean isLive(int slot, long epoch) throws IOException {
        if (slot >= SLOTS) {
            return false;
        }
        long word = (long) LONGS.getVolatile(map, slotOffset(slot));
        if ((word >>> 32) != epoch || (word & 0xFFFF_FFFFL) == 0) {
            return false;
        }
        if (held.containsKey(slot)) {
            return true;
        }
        FileLock probe = tryLock(slot);
        if (probe == null) {
            return true;
        }
        probe.release();
        return false;
    }

    /**
     * Describes a slot's last owner, for messages.
     *
     * @param slot the slot.
     * @return e.g. {@code "pid 4242"}.
     */
    public String owner(int slot) {
        long word = (long) LONGS.getVolatile(map, slotOffset(slot));
        return "pid " + (word & 0xFFFF_FFFFL) + " (slot " + slot + ", epoch " + (word >>> 32) + ")";
    }

    private FileLock tryLock(int slot) throws IOException {
        try {
            return channel.tryLock(slotOffset(slot), 1, false);
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ClaimFile[" + path + "]";
    }
}
