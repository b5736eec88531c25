package org.multiproc4j.sharedmem.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.multiproc4j.sharedmem.SharedMemoryException;

/**
 * One segment file, mapped into this process: its header ({@link SegmentDescriptor}) and its data.
 *
 * <p>A file of up to {@link Integer#MAX_VALUE} bytes is mapped at once. A larger one is mapped in chunks:
 * chunk {@code i} maps the file from {@code i * CHUNK} for {@code 2 * CHUNK - 4096} bytes (or to the end),
 * so consecutive mappings overlap by almost a chunk. Any aligned element lies in one mapping, and so does any
 * window of up to {@link #MAX_WINDOW} bytes, wherever it starts: the address of file offset {@code o} is
 * {@code chunk[o >>> 30] + (o & (CHUNK - 1))}. Pages are shared by the kernel, so writes through one
 * mapping are seen through the other; pages that are never touched cost nothing (the file is sparse).
 *
 * <p><b>Lifetime.</b> Every process that has the segment open, was handed it or sent a handle of it is
 * recorded in the header's users table ({@link SegmentUsers}); {@link #close()} removes the name when it leaves
 * no live use behind, whichever process closes last (the creator is not special). A handle carries its sender
 * ({@link #sending()}); {@code JvmProcess.start()} names its recipient ({@link #handedOver}); its attach
 * ({@link #attachingHandle}) ends that use. {@link #unlink()} removes the name early, on purpose.
 *
 * <p><b>Thread safety.</b> Accessors may be called from any thread. {@link #close()} does not unmap: it
 * marks the segment closed (later accessors throw {@link IllegalStateException}) and hands its mappings to
 * {@link RetiredMappings}, which leaves them mapped until the segment and every buffer over it are
 * unreachable. So a thread that read an address (or found its object open) just before another thread closed
 * the segment touches memory that is still mapped, never unmapped memory. Whoever keeps a raw address must
 * keep this segment reachable while it uses it (a field of the object whose method runs, or
 * {@link java.lang.ref.Reference#reachabilityFence} after a loop that may reach a safepoint); buffers from
 * {@link #window(long, int)} wrap the mapped buffer itself and keep the mapping alive on their own.
 */
public final class Segment implements AutoCloseable {
    /** log2 of the chunk size of large segments. */
    public static final int CHUNK_SHIFT = 30;
    /** The chunk size of large segments: 1 GiB. */
    public static final long CHUNK = 1L << CHUNK_SHIFT;
    private static final long CHUNK_MASK = CHUNK - 1;
    private static final long CHUNK_MAP_LENGTH = 2 * CHUNK - 4096;
    /** The longest window {@link #window(long, int)} can give anywhere in a large segment. */
    public static final int MAX_WINDOW = (int) (CHUNK - 4096);
    /** How long an attacher waits for a creator that is still writing the header. */
    private static final long INIT_WAIT_MS = 1000;
    private static final long COPY_STEP = 1L << 20;
    private static final int CREATE_ATTEMPTS = 100;
    /** The largest data length: the file's length must fit a {@code long} with a chunk to spare. */
    public static final long MAX_DATA_LENGTH = Long.MAX_VALUE - SegmentDescriptor.HEADER_LENGTH - CHUNK;
    /** The sender of the handle being attached by this thread, 0 outside {@link #attachingHandle}. */
    private static final ThreadLocal<long[]> ARRIVING_FROM = ThreadLocal.withInitial(() -> new long[1]);

    /** Initialises the kind header and the data of a new segment, before it is published. */
    @FunctionalInterface
    public interface Initializer {
        /**
         * Writes the kind header and initial data.
         *
         * @param segment the segment, mapped, not yet visible to attachers.
         */
        void init(Segment segment);
    }

    private final String name;
    private final Path path;
    private final boolean creator;
    private final int kind;
    private final long dataLength;
    private final long fileLength;
    private final long creatorToken;
    private final long createdMillis;
    private final MappedByteBuffer[] maps;
    private final long[] chunkAddress;
    private volatile Object fileKey;
    private volatile boolean closed;

    private Segment(String name, Path path, boolean creator, int kind, long dataLength, long creatorToken,
                    long createdMillis, MappedByteBuffer[] maps) {
        this.name = name;
        this.path = path;
        this.creator = creator;
        this.kind = kind;
        this.dataLength = dataLength;
        this.fileLength = SegmentDescriptor.HEADER_LENGTH + dataLength;
        this.creatorToken = creatorToken;
        this.createdMillis = createdMillis;
        this.maps = maps;
        this.chunkAddress = new long[maps.length];
        for (int i = 0; i < maps.length; i++) {
            chunkAddress[i] = BufferUtil.address(maps[i]);
        }
    }

    // ------------------------------------------------------------------------------------------ create

    /**
     * Creates, maps and publishes a new segment.
     *
     * @param requestedName the name the user chose, or {@code null} for a generated one.
     * @param kind          what the segment holds ({@link SegmentDescriptor} {@code KIND_*}).
     * @param kindVersion   the layout version of that kind.
     * @param dataLength    the data's length in bytes, not negative.
     * @param init          writes the kind header and initial data, may be {@code null}.
     * @return the segment; this process is its creator.
     * @throws IllegalArgumentException if the length or name is bad.
     * @throws SharedMemoryException    if the file cannot be created or mapped, or the name is taken.
     */
    public static Segment create(String requestedName, int kind, int kindVersion, long dataLength, Initializer init) {
        AgronaAccess.check();
        if (dataLength < 0) {
            throw new IllegalArgumentException("shared memory size must not be negative: size=" + dataLength);
        }
        if (dataLength > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("shared memory size too large: size=" + dataLength + ", at most "
                    + MAX_DATA_LENGTH + " bytes");
        }
        String finalName = requestedName == null ? null : Segments.normalize(requestedName, true);
        Path dir = Segments.directory();
        Segments.startSweeper();
        long fileLength = SegmentDescriptor.HEADER_LENGTH + dataLength;
        checkCapacity(dir, fileLength, dataLength);
        RetiredMappings.beforeMapping();

        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            String fileName = finalName == null ? Segments.newName() : Segments.tmpName();
            Path file = dir.resolve(fileName);
            try {
                Segments.createFile(file);
            } catch (FileAlreadyExistsException e) {
                continue; // a stale name of ours: try the next sequence number
            } catch (IOException e) {
                throw new SharedMemoryException("cannot create shared memory segment " + file + ": " + e, e);
            }
            Segment s = null;
            try {
                MappedByteBuffer[] maps = mapNew(file, fileLength);
                s = new Segment(finalName == null ? fileName : finalName, file, true, kind, dataLength,
                        ProcessIdentity.SELF_TOKEN, System.currentTimeMillis(), maps);
                s.writeHeader(kind, kindVersion);
                SegmentUsers.init(s.chunkAddress[0]);
                if (init != null) {
                    init.init(s);
                }
                UnsafeApi.putLongRelease(null, s.chunkAddress[0] + SegmentDescriptor.MAGIC_OFFSET, SegmentDescriptor.MAGIC);
            } catch (IOException | RuntimeException | Error e) {
                if (s != null) {
                    s.closeMaps();
                }
                deleteQuietly(file);
                if (e instanceof RuntimeException) {
                    throw (RuntimeException) e;
                }
                if (e instanceof Error) {
                    throw (Error) e;
                }
                throw new SharedMemoryException("cannot create shared memory segment " + file + " of "
                        + dataLength + " bytes: " + e, e);
            }
            if (finalName != null) {
                s = s.publishAs(dir.resolve(finalName));
            }
            s.fileKey = fileKey(s.path);
            Segments.opened(s);
            return s;
        }
        throw new SharedMemoryException("cannot find a free segment name in " + dir + " after " + CREATE_ATTEMPTS
                + " attempts");
    }

    private static void checkCapacity(Path dir, long fileLength, long dataLength) {
        try {
            long total = Files.getFileStore(dir).getTotalSpace();
            if (total > 0 && fileLength > total) {
                throw new SharedMemoryException("cannot create a shared memory segment of " + dataLength
                        + " bytes: " + dir + " holds at most " + total + " bytes");
            }
        } catch (IOException e) {
            // no capacity to compare with: let the file system decide
        }
    }

    private static MappedByteBuffer[] mapNew(Path file, long fileLength) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(fileLength); // sparse: pages are allocated when first touched
            return map(raf.getChannel(), fileLength);
        }
    }

    private static MappedByteBuffer[] map(FileChannel channel, long fileLength) throws IOException {
        if (fileLength <= Integer.MAX_VALUE) {
            return new MappedByteBuffer[] {channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength)};
        }
        int chunks = (int) ((fileLength + CHUNK - 1) >>> CHUNK_SHIFT);
        MappedByteBuffer[] maps = new MappedByteBuffer[chunks];
        try {
            for (int i = 0; i < chunks; i++) {
                long start = (long) i << CHUNK_SHIFT;
                maps[i] = channel.map(FileChannel.MapMode.READ_WRITE, start, Math.min(CHUNK_MAP_LENGTH, fileLength - start));
            }
        } catch (IOException | RuntimeException e) {
            for (MappedByteBuffer m : maps) {
                if (m != null) {
                    BufferUtil.free(m);
                }
            }
            throw e;
        }
        return maps;
    }

    private void writeHeader(int kindValue, int kindVersion) {
        long h = chunkAddress[0];
        UnsafeApi.putInt(null, h + SegmentDescriptor.VERSION_OFFSET, SegmentDescriptor.VERSION);
        UnsafeApi.putInt(null, h + SegmentDescriptor.HEADER_LENGTH_OFFSET, SegmentDescriptor.HEADER_LENGTH);
        UnsafeApi.putLong(null, h + SegmentDescriptor.DATA_LENGTH_OFFSET, dataLength);
        UnsafeApi.putLong(null, h + SegmentDescriptor.CREATOR_PID_OFFSET, ProcessIdentity.SELF_PID);
        UnsafeApi.putLong(null, h + SegmentDescriptor.CREATOR_STAMP_OFFSET, ProcessIdentity.SELF_STAMP);
        UnsafeApi.putLong(null, h + SegmentDescriptor.CREATED_MILLIS_OFFSET, createdMillis);
        UnsafeApi.putInt(null, h + SegmentDescriptor.KIND_OFFSET, kindValue);
        UnsafeApi.putInt(null, h + SegmentDescriptor.KIND_VERSION_OFFSET, kindVersion);
    }

    /** Gives a fully written temporary file its final name, atomically and without replacing another's. */
    private Segment publishAs(Path target) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createLink(target, path);
                deleteQuietly(path);
                return new Segment(name, target, true, kind, dataLength, creatorToken, createdMillis, maps);
            } catch (FileAlreadyExistsException e) {
                long other = Segments.creatorOf(target);
                if (attempt == 0 && other != 0 && !ProcessIdentity.isAlive(other) && Segments.removeIfUnused(target)) {
                    continue; // left behind by a dead creator, and nobody alive uses it: take the name over
                }
                closeMaps();
                deleteQuietly(path);
                throw new SharedMemoryException("a shared memory segment named " + target.getFileName()
                        + " already exists in " + target.getParent()
                        + (other != 0 ? " (created by " + ProcessIdentity.describe(other) + ")" : ""));
            } catch (IOException | UnsupportedOperationException e) {
                closeMaps();
                deleteQuietly(path);
                throw new SharedMemoryException("cannot name shared memory segment " + target + ": " + e, e);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    // ------------------------------------------------------------------------------------------ attach

    /**
     * Attaches an existing segment by name.
     *
     * @param name         the segment's name ({@code mp4j-} is added if missing).
     * @param expectedKind the kind the caller can use, or 0 for any.
     * @param kindVersion  the layout version of that kind the caller reads (ignored for kind 0).
     * @param what         what the caller attaches it as, for messages ("a SharedInt").
     * @return the segment; this process is an attacher.
     * @throws SharedMemoryException if there is no such segment, it is too small, or its layout, version or
     *                               kind does not match.
     */
    public static Segment attach(String name, int expectedKind, int kindVersion, String what) {
        return attach(name, expectedKind, kindVersion, what, ARRIVING_FROM.get()[0]);
    }

    /**
     * Attaches an existing segment by name, as {@link #attach(String, int, int, String)}, for a handle written
     * by {@code sender}: the use that kept the segment for this process (its pending use, or the sender's
     * transit) ends.
     *
     * @param name         the segment's name ({@code mp4j-} is added if missing).
     * @param expectedKind the kind the caller can use, or 0 for any.
     * @param kindVersion  the layout version of that kind the caller reads (ignored for kind 0).
     * @param what         what the caller attaches it as, for messages ("a SharedInt").
     * @param sender       the token of the process that wrote the handle ({@link #sending()}), 0 for none.
     * @return the segment; this process is an attacher.
     * @throws SharedMemoryException if there is no such segment (or it was removed meanwhile), it is too small,
     *                               its layout, version or kind does not match, or it has as many users as it
     *                               can hold.
     */
    public static Segment attach(String name, int expectedKind, int kindVersion, String what, long sender) {
        AgronaAccess.check();
        String fileName = Segments.normalize(name, false);
        Path dir = Segments.directory();
        Segments.startSweeper();
        Path file = dir.resolve(fileName);
        RetiredMappings.beforeMapping();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < SegmentDescriptor.KIND_HEADER_OFFSET) {
                throw new SharedMemoryException("cannot attach " + fileName + " as " + what + ": the file is "
                        + size + " bytes, too small for a multiproc4j segment header of "
                        + SegmentDescriptor.HEADER_LENGTH + " bytes");
            }
            ByteBuffer header = readHeader(ch, fileName, what);
            int version = header.getInt(SegmentDescriptor.VERSION_OFFSET);
            if (version != SegmentDescriptor.VERSION) {
                throw new SharedMemoryException("cannot attach " + fileName + " as " + what + ": its layout version is "
                        + version + ", this multiproc4j reads version " + SegmentDescriptor.VERSION);
            }
            int headerLength = header.getInt(SegmentDescriptor.HEADER_LENGTH_OFFSET);
            long dataLength = header.getLong(SegmentDescriptor.DATA_LENGTH_OFFSET);
            if (headerLength != SegmentDescriptor.HEADER_LENGTH || dataLength < 0) {
                throw new SharedMemoryException("cannot attach " + fileName + " as " + what + ": damaged header: "
                        + "headerLength=" + headerLength + ", dataLength=" + dataLength);
            }
            if (size < headerLength + dataLength) {
                throw new SharedMemoryException("cannot attach " + fileName + " as " + what + ": segment too small: "
                        + "its header says " + dataLength + " data bytes, the file holds " + (size - headerLength));
            }
            int kind = header.getInt(SegmentDescriptor.KIND_OFFSET);
            if (expectedKind != 0 && kind != expectedKind) {
                throw new SharedMemoryException("cannot attach " + fileName + " as " + what + ": it holds "
                        + SegmentDescriptor.kindName(kind));
            }
            int kv = header.getInt(SegmentDescriptor.KIND_VERSION_OFFSET);
            if (expectedKind != 0 && kv != kindVersion) {
                throw new SharedMemoryException("cannot attach " + fileName + " as " + what + ": its layout version is "
                        + kv + ", this multiproc4j reads version " + kindVersion);
            }
            long token = ProcessIdentity.token(header.getLong(SegmentDescriptor.CREATOR_PID_OFFSET),
                    header.getLong(SegmentDescriptor.CREATOR_STAMP_OFFSET));
            MappedByteBuffer[] maps = map(ch, headerLength + dataLength);
            Segment s = new Segment(fileName, file, false, kind, dataLength, token,
                    header.getLong(SegmentDescriptor.CREATED_MILLIS_OFFSET), maps);
            try {
                SegmentUsers.join(s.chunkAddress[0], sender, fileName + " as " + what);
            } catch (RuntimeException | Error e) {
                s.closeMaps();
                throw e;
            }
            s.fileKey = fileKey(file);
            Segments.opened(s);
            return s;
        } catch (NoSuchFileException e) {
            throw new SharedMemoryException("cannot attach " + fileName + " as " + what + ": no shared memory segment "
                    + "of that name in " + dir + " (it was never created, or it was removed: every process that used "
                    + "it has closed it or died, or it was unlinked)", e);
        } catch (IOException e) {
            throw new SharedMemoryException("cannot attach " + fileName + " as " + what + ": " + e, e);
        }
    }

    private static ByteBuffer readHeader(FileChannel ch, String fileName, String what) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(SegmentDescriptor.KIND_HEADER_OFFSET).order(ByteOrder.nativeOrder());
        long deadline = System.nanoTime() + INIT_WAIT_MS * 1_000_000L;
        while (true) {
            header.clear();
            while (header.hasRemaining()) {
                if (ch.read(header, header.position()) < 0) {
                    break;
                }
            }
            long magic = header.getLong(SegmentDescriptor.MAGIC_OFFSET);
            if (magic == SegmentDescriptor.MAGIC) {
                return header;
            }
            if (magic != 0) {
                throw new SharedMemoryException("cannot attach " + fileName + " as " + what
                        + ": not a multiproc4j segment (magic=0x" + Long.toHexString(magic) + ", expected 0x"
                        + Long.toHexString(SegmentDescriptor.MAGIC) + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new SharedMemoryException("cannot attach " + fileName + " as " + what
                        + ": its header was never completed (its creator may have died while creating it)");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SharedMemoryException("interrupted while waiting for " + fileName + " to be initialised", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ access

    /**
     * Returns the segment's name, as {@code attach} takes it.
     *
     * @return the name, e.g. {@code mp4j-4242-1f3a-1}.
     */
    public String name() {
        return name;
    }

    /**
     * Returns the segment file.
     *
     * @return the path.
     */
    public Path path() {
        return path;
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
     * Returns the kind the header names.
     *
     * @return a {@link SegmentDescriptor} {@code KIND_*} constant.
     */
    public int kind() {
        return kind;
    }

    /**
     * Returns the length of the data, after the header.
     *
     * @return bytes.
     */
    public long dataLength() {
        return dataLength;
    }

    /**
     * Returns the creator's token.
     *
     * @return see {@link ProcessIdentity}.
     */
    public long creatorToken() {
        return creatorToken;
    }

    /**
     * Returns when the segment was created.
     *
     * @return epoch milliseconds.
     */
    public long createdMillis() {
        return createdMillis;
    }

    /**
     * Tells whether the whole file is one mapping, so that data addresses are {@code address(0) + offset}.
     *
     * @return {@code true} for files of up to {@link Integer#MAX_VALUE} bytes.
     */
    public boolean isSingleMapping() {
        return maps.length == 1;
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Returns the address of a header byte.
     *
     * @param headerOffset offset from the start of the file, below {@link SegmentDescriptor#HEADER_LENGTH}.
     * @return the address.
     * @throws IllegalStateException if closed.
     */
    public long headerAddress(int headerOffset) {
        ensureOpen();
        return chunkAddress[0] + headerOffset;
    }

    /**
     * Writes an ASCII string into the kind header, preceded by its length (4 bytes).
     *
     * @param lengthOffset header offset of the length.
     * @param textOffset   header offset of the text.
     * @param max          the most bytes the field holds.
     * @param text         the string.
     * @throws IllegalArgumentException if it is too long or not ASCII.
     */
    public void putHeaderString(int lengthOffset, int textOffset, int max, String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (b.length > max || !new String(b, java.nio.charset.StandardCharsets.US_ASCII).equals(text)) {
            throw new IllegalArgumentException("name too long or not ASCII for a header field of " + max + " bytes: " + text);
        }
        UnsafeApi.putInt(null, headerAddress(lengthOffset), b.length);
        UnsafeApi.copyMemory(b, Bulk.BYTE_BASE, null, headerAddress(textOffset), b.length);
    }

    /**
     * Reads a string written by {@link #putHeaderString}.
     *
     * @param lengthOffset header offset of the length.
     * @param textOffset   header offset of the text.
     * @param max          the most bytes the field holds.
     * @return the string.
     * @throws SharedMemoryException if the length is out of range (a damaged header).
     */
    public String headerString(int lengthOffset, int textOffset, int max) {
        int n = UnsafeApi.getInt(null, headerAddress(lengthOffset));
        if (n < 0 || n > max) {
            throw new SharedMemoryException("segment " + name + " has a damaged header: a name of " + n + " bytes");
        }
        byte[] b = new byte[n];
        UnsafeApi.copyMemory(null, headerAddress(textOffset), b, Bulk.BYTE_BASE, n);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Returns the address of a data byte. Elements aligned to their size never straddle mappings.
     *
     * @param dataOffset offset from the start of the data, in {@code [0, dataLength]}.
     * @return the address.
     * @throws IllegalStateException if closed.
     */
    public long address(long dataOffset) {
        ensureOpen();
        long o = SegmentDescriptor.HEADER_LENGTH + dataOffset;
        long[] c = chunkAddress;
        return c.length == 1 ? c[0] + o : c[(int) (o >>> CHUNK_SHIFT)] + (o & CHUNK_MASK);
    }

    /**
     * Returns an Agrona buffer over part of the data.
     *
     * @param dataOffset where the window starts.
     * @param length     its length; in a segment larger than {@link Integer#MAX_VALUE} bytes, at most
     *                   {@link #MAX_WINDOW}.
     * @return a new buffer over the mapped {@link MappedByteBuffer}, which it keeps reachable: it stays usable
     *         (the memory stays mapped) after the segment is closed, until it is unreachable.
     * @throws IndexOutOfBoundsException if the window is not inside the data or too long.
     * @throws IllegalStateException     if closed.
     */
    public AtomicBuffer window(long dataOffset, int length) {
        ensureOpen();
        if (dataOffset < 0 || length < 0 || dataOffset > dataLength - length) {
            throw new IndexOutOfBoundsException("window out of bounds: offset=" + dataOffset + ", length=" + length
                    + ", size=" + dataLength);
        }
        if (maps.length > 1 && length > MAX_WINDOW) {
            throw new IndexOutOfBoundsException("window too long for a segment of " + dataLength + " bytes: length="
                    + length + ", at most " + MAX_WINDOW + " bytes in segments larger than 2 GiB");
        }
        long o = SegmentDescriptor.HEADER_LENGTH + dataOffset;
        // a slice refers to the mapped buffer it was cut from: the view keeps the mapping alive, and its
        // byteBuffer() shows the window, not the header
        MappedByteBuffer window = maps.length == 1 ? maps[0].slice((int) o, length)
                : maps[(int) (o >>> CHUNK_SHIFT)].slice((int) (o & CHUNK_MASK), length);
        return new UnsafeBuffer(window);
    }

    /**
     * Copies bytes between the data and a Java array or native memory, in pieces that never cross a chunk
     * and never hold off a safepoint for long. Bounds are the caller's job.
     *
     * @param dataOffset  where in the data.
     * @param other       the array, or {@code null} for native memory.
     * @param otherOffset the array offset (from {@link UnsafeApi#arrayBaseOffset}) or the address.
     * @param bytes       how many bytes.
     * @param toSegment   {@code true} to copy into the segment, {@code false} out of it.
     */
    public void copy(long dataOffset, Object other, long otherOffset, long bytes, boolean toSegment) {
        copy(dataOffset, other, otherOffset, bytes, toSegment, 0);
    }

    /**
     * Copies like {@link #copy(long, Object, long, long, boolean)}, reversing the byte order of each element
     * of {@code swapSize} bytes on the way (for buffers whose order is not the native one).
     *
     * @param dataOffset  where in the data.
     * @param other       the array, or {@code null} for native memory.
     * @param otherOffset the array offset or the address.
     * @param bytes       how many bytes, a multiple of {@code swapSize}.
     * @param toSegment   {@code true} to copy into the segment, {@code false} out of it.
     * @param swapSize    the element size to swap (2, 4 or 8), or 0 or 1 for a plain copy.
     */
    public void copy(long dataOffset, Object other, long otherOffset, long bytes, boolean toSegment, int swapSize) {
        ensureOpen();
        try {
            copySteps(dataOffset, other, otherOffset, bytes, toSegment, swapSize);
        } finally {
            Reference.reachabilityFence(this); // the mapping stays while a step may stop at a safepoint
        }
    }

    private void copySteps(long dataOffset, Object other, long otherOffset, long bytes, boolean toSegment, int swapSize) {
        long done = 0;
        while (done < bytes) {
            long o = SegmentDescriptor.HEADER_LENGTH + dataOffset + done;
            long inChunk = maps.length == 1 ? Long.MAX_VALUE : CHUNK - (o & CHUNK_MASK);
            long n = Math.min(Math.min(bytes - done, COPY_STEP), inChunk);
            long addr = address(dataOffset + done);
            if (swapSize > 1) {
                if (toSegment) {
                    UnsafeApi.copySwapMemory(other, otherOffset + done, null, addr, n, swapSize);
                } else {
                    UnsafeApi.copySwapMemory(null, addr, other, otherOffset + done, n, swapSize);
                }
            } else if (toSegment) {
                UnsafeApi.copyMemory(other, otherOffset + done, null, addr, n);
            } else {
                UnsafeApi.copyMemory(null, addr, other, otherOffset + done, n);
            }
            done += n;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("shared memory segment " + name + " is closed");
        }
    }

    // ------------------------------------------------------------------------------------------ lifetime

    /**
     * Runs {@code attach} (which attaches shared objects by name) as the attach of a handle written by
     * {@code sender}: every segment it attaches in this thread ends the use that kept it for this process
     * (see {@link #attach(String, int, int, String, long)}). Handles call their object's public
     * {@code attach(name)} through this, so an object made of several segments (a value and its lock) needs
     * no other plumbing.
     *
     * @param sender the token the handle carries ({@link #sending()}).
     * @param attach what attaches the object.
     * @param <T>    the object's type.
     * @return what {@code attach} returned.
     */
    public static <T> T attachingHandle(long sender, java.util.function.Supplier<T> attach) {
        long[] from = ARRIVING_FROM.get();
        long outer = from[0];
        from[0] = sender;
        try {
            return attach.get();
        } finally {
            from[0] = outer;
        }
    }

    /**
     * Records that this process wrote a handle of the segment for another process, whose recipient is not
     * known yet: the segment stays until a process attaches that handle, {@link #handedOver} names its
     * recipient, or this process dies.
     *
     * @return this process's token, which the handle carries to its attach.
     * @throws IllegalStateException if closed.
     */
    public long sending() {
        synchronized (this) {
            ensureOpen();
            return SegmentUsers.sending(chunkAddress[0]);
        }
    }

    /**
     * Records which process will attach the handle this process wrote ({@link #sending()}): until it attaches
     * it or dies, that process keeps the segment; {@code null}, or a process that is already dead, keeps
     * nothing. If that leaves no live use (this process closed its objects meanwhile), the name is removed.
     * Never throws: a segment whose name is already gone is left alone.
     *
     * @param recipient the process, or {@code null} if the handle will never be attached.
     */
    public void handedOver(ProcessHandle recipient) {
        long token = recipient == null ? 0 : ProcessIdentity.tokenOf(recipient.pid());
        boolean unused;
        synchronized (this) {
            if (!closed) {
                unused = SegmentUsers.handedOver(chunkAddress[0], token);
            } else {
                // closed by another thread after the handle was written: update the table through a new mapping
                Boolean u = Segments.withHeader(path, fileKey, h -> SegmentUsers.handedOver(h, token));
                unused = u != null && u;
            }
        }
        if (unused) {
            removeName();
        }
    }

    /**
     * Closes the segment and ends this object's use of it: if no live process uses it any more (has it open,
     * was handed it and has not attached it yet, or wrote a handle of it still in flight), this process removes
     * its name, whether or not it created it. Otherwise the name stays for those users; this JVM's sweeps look
     * again later, in case they die without closing. Later accessors throw {@link IllegalStateException}. The
     * memory is not unmapped here but once nothing reaches it any more (see {@link RetiredMappings}), so a
     * thread still inside an accessor never touches unmapped memory. Closing twice is harmless.
     */
    @Override
    public void close() {
        boolean unused;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            unused = SegmentUsers.release(chunkAddress[0]);
        }
        if (unused) {
            removeName();
        } else {
            Segments.lingering(path, fileKey);
        }
        Segments.forget(this);
        RetiredMappings.retire(maps, fileLength);
    }

    /**
     * Ends every use this process has of the segment, without unmapping it (the JVM is exiting, and threads may
     * still run): removes the name if no other live process uses it.
     *
     * @param deadline when to give up waiting for the users table's lock ({@link System#nanoTime()} scale).
     */
    void releaseAtExit(long deadline) {
        synchronized (this) {
            if (closed || !SegmentUsers.releaseAll(chunkAddress[0], deadline)) {
                return;
            }
        }
        removeName();
    }

    /** Unmaps at once: only for a segment that was never handed out (a failed create). */
    private void closeMaps() {
        for (MappedByteBuffer m : maps) {
            BufferUtil.free(m);
        }
    }

    /**
     * Removes the segment's name now, whoever still uses it (Python's {@code unlink()}): no process can attach
     * it afterwards, and those that have it keep their mappings. A no-op if the name was removed already or
     * now names another segment.
     *
     * @return {@code true} if this call removed it.
     */
    public boolean unlink() {
        synchronized (this) {
            if (!closed) {
                SegmentUsers.retire(chunkAddress[0]);
            } else {
                Segments.withHeader(path, fileKey, h -> {
                    SegmentUsers.retire(h);
                    return Boolean.TRUE;
                });
            }
        }
        return removeName();
    }

    /** Deletes the file, if the name still names this segment. */
    private boolean removeName() {
        Object key = fileKey;
        try {
            if (key != null && !key.equals(fileKey(path))) {
                return false; // someone else's segment now has the name
            }
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Describes who uses the segment now (for messages and tests).
     *
     * @return the live users and their counts, or {@code "none"}.
     * @throws IllegalStateException if closed.
     */
    public String users() {
        synchronized (this) {
            ensureOpen();
            return SegmentUsers.describe(chunkAddress[0]);
        }
    }

    static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more to do
        }
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name) * 31 + Long.hashCode(createdMillis);
    }
}
