package org.multiproc4j.core.codec;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.Shareable;

/** Message types used by the codec tests. */
final class Payloads {

    private Payloads() {
    }

    /** A task-like message: a few ints and a String. */
    record Order(int id, String item, int quantity) implements Serializable {
    }

    enum Side { BUY, SELL }

    /** A record holding collections, an enum, a nested record and a primitive array. */
    record Book(String name, List<Order> orders, Map<String, Integer> totals, Side side, int[] levels)
            implements Serializable {
        @Override
        public boolean equals(Object o) {
            return o instanceof Book && ((Book) o).name.equals(name) && ((Book) o).orders.equals(orders)
                    && ((Book) o).totals.equals(totals) && ((Book) o).side == side
                    && Arrays.equals(((Book) o).levels, levels);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, orders, totals, side, Arrays.hashCode(levels));
        }
    }

    /** A plain class without a no-arg constructor. */
    static final class Point implements Serializable {
        private static final long serialVersionUID = 1L;
        final long x;
        final long y;
        String label;

        Point(long x, long y, String label) {
            this.x = x;
            this.y = y;
            this.label = label;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Point && ((Point) o).x == x && ((Point) o).y == y
                    && Objects.equals(((Point) o).label, label);
        }

        @Override
        public int hashCode() {
            return Objects.hash(x, y, label);
        }

        @Override
        public String toString() {
            return "Point(" + x + "," + y + "," + label + ")";
        }
    }

    /** A class that no codec test registers or allow-lists. */
    record Unlisted(int value) implements Serializable {
    }

    /** A record that holds an unregistered class in a field. */
    record Holder(String name, Object inside) implements Serializable {
    }

    /** A class that is not Serializable (and not registered). */
    static final class Opaque {
        final Thread thread = Thread.currentThread();
    }

    /** A job that captures a shared counter. */
    record Job(String name, FileCounter counter) implements Serializable {
    }

    /** A node of a linked structure, for depth and cycle tests. */
    static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        Node next;
        int value;
    }

    /**
     * A {@link Shareable} counter in a file, held through an open {@link FileChannel} (not serializable), so it
     * can only travel as its handle.
     */
    static final class FileCounter implements Shareable, AutoCloseable {
        final Path file;
        private final FileChannel channel;

        FileCounter(Path file) {
            this.file = file;
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long get() {
            try {
                ByteBuffer b = ByteBuffer.allocate(8);
                channel.read(b, 0);
                return b.flip().remaining() < 8 ? 0 : b.getLong();
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
        public void close() throws IOException {
            channel.close();
        }
    }

    /** The descriptor: only the file name travels. */
    record CounterHandle(String path) implements Handle {
        @Override
        public Object attach() throws IOException {
            if (!java.nio.file.Files.exists(Path.of(path))) {
                throw new IOException("no counter file " + path);
            }
            return new FileCounter(Path.of(path));
        }
    }
}
