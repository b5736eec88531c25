package org.multiproc4j.benchmarks.support;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file in {@code /dev/shm} (the temp directory where there is none), mapped read-write: raw shared memory
 * for the baseline benchmarks. The creator deletes the file on {@link #close()}; the mapping stays valid until
 * the buffer is collected.
 *
 * <p>Not thread-safe. Sizes up to 2 GiB.
 */
public final class ShmFile implements AutoCloseable {
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path path;
    private final MappedByteBuffer buffer;
    private final boolean owner;
    private boolean closed;

    private ShmFile(Path path, MappedByteBuffer buffer, boolean owner) {
        this.path = path;
        this.buffer = buffer;
        this.owner = owner;
    }

    /**
     * Creates and maps a new zero-filled file named {@code <prefix>-<pid>-<n>}.
     *
     * @param prefix the start of the name.
     * @param size   its size in bytes.
     * @return the mapped file; {@link #close()} deletes it.
     * @throws IOException if it cannot be created or mapped.
     */
    public static ShmFile create(String prefix, int size) throws IOException {
        Path dir = Paths.get("/dev/shm");
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            dir = Paths.get(System.getProperty("java.io.tmpdir"));
        }
        Path path = dir.resolve(prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return new ShmFile(path, ch.map(FileChannel.MapMode.READ_WRITE, 0, size), true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw new IOException("cannot create and map " + size + " bytes at " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Maps an existing file, which another process created.
     *
     * @param path the file.
     * @return the mapped file; {@link #close()} leaves the file in place.
     * @throws IOException if it cannot be opened or mapped.
     */
    public static ShmFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new ShmFile(path, ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size()), false);
        }
    }

    /**
     * The file.
     *
     * @return its path.
     */
    public Path path() {
        return path;
    }

    /**
     * The mapping.
     *
     * @return the whole file, mapped read-write.
     */
    public MappedByteBuffer buffer() {
        return buffer;
    }

    /** Deletes the file if this process created it; harmless twice. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (owner) {
                Files.deleteIfExists(path);
            }
        }
    }
}
