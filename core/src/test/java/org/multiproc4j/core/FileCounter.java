package org.multiproc4j.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A test {@link Shareable}: a counter in a file, held through an open {@link FileChannel} (which cannot be
 * serialized), so it can only reach a child as its handle.
 */
final class FileCounter implements Shareable, AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    /** What {@link #handedOver} was told, in order: a pid, or -1 for {@code null}. */
    final java.util.List<Long> handedOver = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FileCounter(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    static FileCounter create(Path file) throws IOException {
        FileCounter c = new FileCounter(file);
        c.set(0);
        return c;
    }

    long get() {
        try {
            ByteBuffer b = ByteBuffer.allocate(8);
            channel.read(b, 0);
            return b.flip().getLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void set(long value) {
        try {
            channel.write(ByteBuffer.allocate(8).putLong(value).flip(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Handle handle() {
        return new CounterHandle(file.toString());
    }

    @Override
    public void handedOver(ProcessHandle recipient) {
        handedOver.add(recipient == null ? -1L : recipient.pid());
    }

    @Override
    public void close() throws IOException {
        channel.close();
        // leaves a trace that the child closed what it attached
        Files.writeString(file.resolveSibling(file.getFileName() + ".closed-by-" + ProcessHandle.current().pid()), "");
    }

    /** The descriptor: only the file name travels. */
    record CounterHandle(String path) implements Handle {
        @Override
        public Object attach() throws IOException {
            return new FileCounter(Path.of(path));
        }
    }
}
