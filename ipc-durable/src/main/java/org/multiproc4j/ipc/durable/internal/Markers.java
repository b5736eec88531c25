package org.multiproc4j.ipc.durable.internal;

import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.CHUNK_BYTES;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.MARKS_DIR;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.MARKS_PER_CHUNK;
import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.MARKS_SUFFIX;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The consumption markers of a durable queue's messages ({@link QueueDescriptor}): one sparse file per roll
 * cycle, mapped chunk by chunk as messages reach it. A message's marker is found from its Chronicle index's
 * cycle and sequence number.
 *
 * <p><b>Thread safety.</b> Thread-safe; markers themselves are changed by compare-and-set only, and are
 * shared with every other process that maps the same files.
 */
public final class Markers implements Closeable {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final ByteBuffer PAD = ByteBuffer.allocateDirect(8);

    private final Path dir;
    private final Map<Integer, Cycle> cycles = new HashMap<>();
    private boolean closed;

    private static final class Cycle {
        final FileChannel channel;
        final List<MappedByteBuffer> chunks = new ArrayList<>();

        Cycle(FileChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * Opens the markers of the queue in {@code queueDir}.
     *
     * @param queueDir the queue's directory.
     * @throws IOException if the markers' directory cannot be created.
     */
    public Markers(Path queueDir) throws IOException {
        this.dir = Files.createDirectories(queueDir.resolve(MARKS_DIR));
    }

    /**
     * Returns the file holding the markers of a cycle.
     *
     * @param queueDir the queue's directory.
     * @param cycle    the cycle.
     * @return its marker file (which may not exist).
     */
    public static Path file(Path queueDir, int cycle) {
        return queueDir.resolve(MARKS_DIR).resolve(cycle + MARKS_SUFFIX);
    }

    /**
     * Reads a message's marker.
     *
     * @param cycle    the message's cycle.
     * @param sequence its sequence number in the cycle.
     * @return the marker; {@link QueueDescriptor#FREE} for a message nobody took.
     */
    public long get(int cycle, long sequence) {
        MappedByteBuffer chunk = chunk(cycle, sequence);
        return (long) LONGS.getVolatile(chunk, offset(sequence));
    }

    /**
     * Changes a message's marker from {@code expected} to {@code update}, atomically across processes.
     *
     * @param cycle    the message's cycle.
     * @param sequence its sequence number in the cycle.
     * @param expected the marker it must have.
     * @param update   the marker it gets.
     * @return {@code true} if it had {@code expected} and now has {@code update}.
     */
    public boolean compareAndSet(int cycle, long sequence, long expected, long update) {
        MappedByteBuffer chunk = chunk(cycle, sequence);
        return LONGS.compareAndSet(chunk, offset(sequence), expected, update);
    }

    private static int offset(long sequence) {
        return (int) (sequence % MARKS_PER_CHUNK) * 8;
    }

    private synchronized MappedByteBuffer chunk(int cycle, long sequence) {
        if (closed) {
            throw new IllegalStateException("the queue is closed");
        }
        int index = (int) (sequence / MARKS_PER_CHUNK);
        try {
            Cycle c = cycles.get(cycle);
            if (c == null) {
                c = new Cycle(FileChannel.open(file(dir.getParent(), cycle), StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE));
                cycles.put(cycle, c);
            }
            while (c.chunks.size() <= index) {
                int k = c.chunks.size();
                long end = (long) (k + 1) * CHUNK_BYTES;
                if (c.channel.size() < end) {
                    // the chunk's last 8 bytes are padding: zeros written there grow the file and change nothing
                    c.channel.write(PAD.duplicate(), end - 8);
                }
                c.chunks.add(c.channel.map(FileChannel.MapMode.READ_WRITE, (long) k * CHUNK_BYTES, CHUNK_BYTES));
            }
            return c.chunks.get(index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the markers of cycle " + cycle + " in " + dir + ": " + e, e);
        }
    }

    /**
     * Forgets a cycle and deletes its marker file (after its Chronicle file was deleted). Other processes that
     * still map it keep a valid mapping until they drop it.
     *
     * @param cycle the cycle.
     * @throws IOException if the file cannot be deleted.
     */
    public synchronized void deleteCycle(int cycle) throws IOException {
        Cycle c = cycles.remove(cycle);
        if (c != null) {
            c.channel.close();
        }
        Files.deleteIfExists(file(dir.getParent(), cycle));
    }

    /** Closes every marker file (the mappings go with the garbage collector). Harmless twice. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Cycle c : cycles.values()) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
        cycles.clear();
    }
}
