package org.multiproc4j.ipc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A named block of shared memory for one pipe or queue: a file under {@code /dev/shm} (the temp directory where
 * there is none), mapped read-write and viewed as an Agrona {@link AtomicBuffer}.
 *
 * <p><b>Temporary.</b> This class stands in for {@code org.multiproc4j.sharedmem.SharedMemory} (issue 4), which
 * was not yet available when the rings were written. It offers the same few operations (create with a size,
 * attach by name, close, unlink, a buffer view) so that replacing it touches only {@link PipeSegment} and
 * {@link QueueSegment}. Segments are at most 2 GiB here (rings are small).
 *
 * <p>Clean-up: the creator unlinks when the last user is done (see {@link SegmentUsers}); a JVM that exits
 * normally unlinks the segments it created; the first segment created in a JVM sweeps the segments of creators
 * that died (their names carry the creator's {@link ProcessIdentity}).
 */
public final class MappedSegment implements AutoCloseable {
    /** Prefix of every segment file this class creates. */
    public static final String PREFIX = "mp4j-ipc-";

    private static final Path DIR = chooseDirectory();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<MappedSegment> CREATED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean SWEPT = new AtomicBoolean();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private final String name;
    private final Path path;
    private final boolean creator;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final java.util.concurrent.atomic.AtomicInteger references = new java.util.concurrent.atomic.AtomicInteger(1);
    private final AtomicBoolean unlinked = new AtomicBoolean();

    private MappedSegment(String name, Path path, boolean creator, MappedByteBuffer mapped) {
        this.name = name;
        this.path = path;
        this.creator = creator;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    private static Path chooseDirectory() {
        Path shm = Paths.get("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Creates a zero-filled segment of {@code size} bytes with a fresh name.
     *
     * @param kind what it holds ("pipe", "queue"), part of the name.
     * @param size its size in bytes.
     * @return the mapped segment; this process is its creator.
     * @throws UncheckedIOException if the file cannot be created or mapped.
     */
    public static MappedSegment create(String kind, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("segment size must be positive, got " + size);
        }
        sweepOnce();
        long me = ProcessIdentity.current();
        for (int attempt = 0; ; attempt++) {
            String name = PREFIX + kind + "-" + Long.toHexString(me) + "-" + COUNTER.incrementAndGet() + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 8);
            Path path = DIR.resolve(name);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {0}), size - 1L); // sparse: pages appear when touched
                MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
                MappedSegment s = new MappedSegment(name, path, true, mapped);
                CREATED.add(s);
                hookOnce();
                return s;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw new UncheckedIOException("cannot create a segment in " + DIR + ": names keep colliding", e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a " + size + "-byte " + kind + " segment " + path
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Attaches to an existing segment.
     *
     * @param name the segment's name, from {@link #name()} in the creating process.
     * @return the mapped segment; this process is an attacher and never unlinks it on its own.
     * @throws NoSuchFileException if no segment has that name (its users are all gone).
     * @throws IOException         if it cannot be mapped.
     */
    public static MappedSegment attach(String name) throws IOException {
        if (name.contains("/") || !name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a multiproc4j ipc segment name: " + name);
        }
        Path path = DIR.resolve(name);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0 || size > Integer.MAX_VALUE) {
                throw new IOException("segment " + path + " has an unexpected size of " + size + " bytes");
            }
            return new MappedSegment(name, path, false, ch.map(FileChannel.MapMode.READ_WRITE, 0, size));
        }
    }

    /**
     * Returns the segment's name, which another process passes to {@link #attach(String)}.
     *
     * @return the name.
     */
    public String name() {
        return name;
    }

    /**
     * Returns the memory, as an Agrona buffer over the whole segment.
     *
     * @return the buffer; unusable after {@link #close()}.
     */
    public AtomicBuffer buffer() {
        return buffer;
    }

    /**
     * Tells whether this process created the segment.
     *
     * @return {@code true} for the creator.
     */
    public boolean isCreator() {
        return creator;
    }

    /**
     * Removes the segment's name, so that no process can attach any more; mappings stay valid. Harmless if done
     * already, here or elsewhere.
     */
    public void unlink() {
        if (unlinked.compareAndSet(false, true)) {
            CREATED.remove(this);
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // nothing to do: a sweep removes it later
            }
        }
    }

    /**
     * Counts one more local user of this mapping (the two ends of a pipe created here share one); each calls
     * {@link #close()}.
     *
     * @return this segment.
     * @throws IllegalStateException if it was already unmapped.
     */
    public MappedSegment retain() {
        if (references.getAndUpdate(n -> n == 0 ? 0 : n + 1) == 0) {
            throw new IllegalStateException(this + " is already unmapped");
        }
        return this;
    }

    /** Drops one local user; the last one unmaps the segment. Does not unlink. */
    @Override
    public void close() {
        if (references.getAndUpdate(n -> n == 0 ? 0 : n - 1) == 1) {
            buffer.wrap(new byte[8]); // a stray use after close fails softly instead of crashing the JVM
            IoUtil.unmap(mapped);
        }
    }

    @Override
    public String toString() {
        return "segment " + path;
    }

    private static void hookOnce() {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (MappedSegment s : CREATED) {
                    s.unlink();
                }
            }, "mp4j-ipc-segment-cleanup"));
        }
    }

    /** Removes the segments whose creator died without cleaning up (kill -9). */
    static void sweepOnce() {
        if (!SWEPT.compareAndSet(false, true)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DIR, PREFIX + "*")) {
            for (Path f : files) {
                String[] parts = f.getFileName().toString().substring(PREFIX.length()).split("-");
                if (parts.length < 2) {
                    continue;
                }
                long creatorId;
                try {
                    creatorId = Long.parseUnsignedLong(parts[1], 16);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!ProcessIdentity.isAlive(creatorId)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }
}
