package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;

import org.agrona.concurrent.AtomicBuffer;
import org.multiproc4j.core.Handle;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.sharedmem.internal.Bulk;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * A named block of memory shared between processes: Python's {@code multiprocessing.shared_memory.SharedMemory}.
 * The block is a file under {@code /dev/shm} (the temp directory where there is none), mapped into every
 * process that uses it; what one process writes, the others read, without copies.
 *
 * <pre>{@code
 * try (SharedMemory block = SharedMemory.create(1 << 20)) {
 *     block.buffer().putLong(0, 42);                       // Agrona's AtomicBuffer over the block
 *     new JvmProcess(() -> System.out.println(block.buffer().getLong(0))).start().join();   // prints 42
 * }
 * }</pre>
 *
 * <p><b>Creator and attachers.</b> One process {@linkplain #create(long) creates} a block; others
 * {@linkplain #attach(String) attach} it by name or receive it captured in a task (it travels as its name,
 * see {@link Shareable}). The block's name stays while any live process has it open or was handed it and has
 * not attached it yet, so the creator may close it right after starting a child that uses it; the close that
 * leaves no such use, by whichever process, removes the name (unlinks the block), and {@link #unlink()}
 * removes it at once. Processes that mapped the block keep their mapping until they close it. What only dead
 * processes used ({@code kill -9}) is removed by the next sweep of any JVM that uses shared memory: within
 * about a second where one is running, at the latest when the next one starts. The rule is the same for every
 * shared object: see the {@linkplain org.multiproc4j.sharedmem package summary} and {@link ResourceTracker}.
 *
 * <p><b>Size.</b> Blocks of any size the file system allows work, also beyond 2 GiB: pages are allocated
 * when first touched, so a large block costs only what is written. {@link #buffer()} views a whole block of
 * up to {@link #MAX_BUFFER_SIZE} bytes; larger ones are read through {@link #buffer(long, int)} windows (of up
 * to 1 GiB anywhere), the bulk {@code read}/{@code write} methods, or {@link SharedByteArray} and its kin.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the block. The memory itself has no lock: coordinate with atomic operations on the {@link AtomicBuffer}
 * or with a lock from {@link org.multiproc4j.sharedmem.sync}. Closing a block while other threads of this
 * process use it is safe (see {@link #close()}): no call ever touches unmapped memory.
 *
 * <p><b>Memory consistency effects.</b> The block is the same memory in every process that has it, coherent as
 * between threads: a volatile, ordered or atomic write through its {@link AtomicBuffer} happens-before a
 * volatile or atomic read of the same bytes in another process that sees the value written, and so publishes the
 * plain writes its thread made before it; plain accesses, and the bulk {@code read} and {@code write} methods,
 * order nothing by themselves (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 *
 * <p><b>Failure.</b> A missing block, one too small for its header, one of another kind or layout version,
 * and file-system errors are {@link SharedMemoryException}s that name the block; a JVM without the flag
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (which Agrona needs) gets one naming the
 * flag at its first use of shared memory.
 */
public final class SharedMemory implements Shareable, AutoCloseable {
    /** The largest block {@link #buffer()} can view whole: {@code Integer.MAX_VALUE} less the header. */
    public static final int MAX_BUFFER_SIZE = Integer.MAX_VALUE - SegmentDescriptor.HEADER_LENGTH;
    private static final int KIND_VERSION = 1;

    private final Segment segment;
    private final long size;

    private SharedMemory(Segment segment) {
        this.segment = segment;
        this.size = segment.dataLength();
    }

    /**
     * Creates a block with a generated name, filled with zeros.
     *
     * @param size the size in bytes, positive.
     * @return the block; this process is its creator.
     * @throws IllegalArgumentException if {@code size} is not positive, or larger than any file can be (the
     *                                  message names the limit).
     * @throws SharedMemoryException    if the block cannot be created (too large for the file system, say).
     */
    public static SharedMemory create(long size) {
        return new SharedMemory(Segment.create(null, SegmentDescriptor.KIND_RAW, KIND_VERSION, checkSize(size), null));
    }

    /**
     * Creates a block with the given name, filled with zeros. The file is {@code mp4j-<name>} ({@code mp4j-}
     * is not added twice); other processes attach it by the same name.
     *
     * @param name the name: 1 to 200 letters, digits, {@code '.'}, {@code '_'} or {@code '-'}.
     * @param size the size in bytes, positive.
     * @return the block; this process is its creator.
     * @throws IllegalArgumentException if the name is malformed or reserved, or {@code size} is not positive
     *                                  or larger than any file can be.
     * @throws SharedMemoryException    if a block of that name exists (unless its creator is dead and no live
     *                                  process uses it: then it is replaced), or the block cannot be created.
     */
    public static SharedMemory create(String name, long size) {
        return new SharedMemory(Segment.create(name, SegmentDescriptor.KIND_RAW, KIND_VERSION, checkSize(size), null));
    }

    private static long checkSize(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("shared memory size must be positive: size=" + size);
        }
        return size;
    }

    /**
     * Attaches a block that another process (or this one) created.
     *
     * @param name the block's name, as {@link #name()} returns it (or without the {@code mp4j-} prefix).
     * @return the block; this process is an attacher.
     * @throws IllegalArgumentException if the name is malformed.
     * @throws SharedMemoryException    if there is no such block, it is too small for what its header says,
     *                                  or it holds a typed object or another layout version.
     */
    public static SharedMemory attach(String name) {
        return new SharedMemory(Segment.attach(name, SegmentDescriptor.KIND_RAW, KIND_VERSION, "a SharedMemory block"));
    }

    /**
     * Returns the block's name, the one {@link #attach(String)} takes.
     *
     * @return the name, starting with {@code mp4j-}.
     */
    public String name() {
        return segment.name();
    }

    /**
     * Returns the block's size.
     *
     * @return bytes, as created.
     */
    public long size() {
        return size;
    }

    /**
     * Tells whether this process created the block.
     *
     * @return {@code true} for the creator.
     */
    public boolean isCreator() {
        return segment.isCreator();
    }

    /**
     * Returns an Agrona {@link AtomicBuffer} over the whole block: the raw view, with atomic and ordered
     * accesses, for users who know Agrona. Index 0 is the block's first byte.
     *
     * @return a new buffer view; it keeps the memory mapped while it is reachable, also after {@link #close()}.
     * @throws IllegalStateException if the block is larger than {@link #MAX_BUFFER_SIZE} (use
     *                               {@link #buffer(long, int)}), or closed.
     */
    public AtomicBuffer buffer() {
        if (size > MAX_BUFFER_SIZE) {
            throw new IllegalStateException("block " + name() + " of " + size + " bytes is larger than one AtomicBuffer "
                    + "can view (" + MAX_BUFFER_SIZE + " bytes): use buffer(offset, length) for windows of up to "
                    + Segment.MAX_WINDOW + " bytes");
        }
        return segment.window(0, (int) size);
    }

    /**
     * Returns an Agrona {@link AtomicBuffer} over part of the block; its index 0 is byte {@code offset}.
     *
     * @param offset the first byte.
     * @param length the window's length; in a block larger than {@link #MAX_BUFFER_SIZE}, at most 1 GiB less
     *               4 KiB.
     * @return a new buffer view; it keeps the memory mapped while it is reachable, also after {@link #close()}.
     * @throws IndexOutOfBoundsException if the window is not inside the block (the message names offset,
     *                                   length and size) or too long.
     * @throws IllegalStateException     if the block is closed.
     */
    public AtomicBuffer buffer(long offset, int length) {
        return segment.window(offset, length);
    }

    /**
     * Copies bytes from the block into an array.
     *
     * @param offset    the block's first byte to copy.
     * @param dst       the destination.
     * @param dstOffset the first index in {@code dst}.
     * @param length    how many bytes.
     * @throws IndexOutOfBoundsException if either range is out of bounds.
     * @throws IllegalStateException     if the block is closed.
     */
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        Bulk.checkArrayRange("read", dst.length, dstOffset, length);
        checkBlockRange("read", offset, length);
        segment.copy(offset, dst, Bulk.BYTE_BASE + dstOffset, length, false);
    }

    /**
     * Copies bytes from an array into the block.
     *
     * @param offset    the block's first byte to write.
     * @param src       the source.
     * @param srcOffset the first index in {@code src}.
     * @param length    how many bytes.
     * @throws IndexOutOfBoundsException if either range is out of bounds.
     * @throws IllegalStateException     if the block is closed.
     */
    public void write(long offset, byte[] src, int srcOffset, int length) {
        Bulk.checkArrayRange("write", src.length, srcOffset, length);
        checkBlockRange("write", offset, length);
        segment.copy(offset, src, Bulk.BYTE_BASE + srcOffset, length, true);
    }

    /**
     * Copies {@code dst.remaining()} bytes from the block into a buffer (heap or direct) and advances the
     * buffer's position.
     *
     * @param offset the block's first byte to copy.
     * @param dst    the destination.
     * @throws IndexOutOfBoundsException       if the block has fewer bytes from {@code offset}.
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only.
     * @throws IllegalStateException           if the block is closed.
     */
    public void read(long offset, ByteBuffer dst) {
        checkBlockRange("read", offset, dst.remaining());
        Bulk.toBuffer(segment, offset, dst);
    }

    /**
     * Copies {@code src.remaining()} bytes from a buffer (heap, direct or read-only) into the block and
     * advances the buffer's position.
     *
     * @param offset the block's first byte to write.
     * @param src    the source.
     * @throws IndexOutOfBoundsException if the block has fewer bytes from {@code offset}.
     * @throws IllegalStateException     if the block is closed.
     */
    public void write(long offset, ByteBuffer src) {
        checkBlockRange("write", offset, src.remaining());
        Bulk.fromBuffer(segment, offset, src);
    }

    private void checkBlockRange(String what, long offset, long length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(what + ": range [" + offset + ", " + offset + " + " + length
                    + ") out of bounds for block size " + size);
        }
    }

    /**
     * Removes the block's name now, so that no process can attach it any more, whoever still uses it or was
     * handed it; processes that have it keep it until they close it. Python's {@code unlink()}: the last
     * user's {@link #close()} does it already, so this is for a block that must go early. Calling it twice, or
     * after {@link #close()}, is harmless.
     *
     * @return {@code true} if this call removed the name.
     */
    public boolean unlink() {
        return segment.unlink();
    }

    /**
     * Closes the block in this process. If no live process uses the block any more (has it open, or was
     * handed it by {@code JvmProcess.start()} and has not attached it yet), this also unlinks it, whether or
     * not this process created it; see the lifetime rule in the {@linkplain org.multiproc4j.sharedmem package
     * summary}. Closing twice is harmless. Afterwards, methods of this object throw
     * {@link IllegalStateException}.
     *
     * <p><b>Closing while in use.</b> The memory is not unmapped by the close but once this object and every
     * buffer view it returned are unreachable, as the JDK unmaps a {@link java.nio.MappedByteBuffer}. So a
     * call of another thread racing with the close (one that found the block open just before) completes on
     * mapped memory, and a buffer view obtained earlier stays usable (its writes reach the shared pages, which
     * other processes that have the block still see) until it is dropped. Drop closed blocks and their views
     * to give the memory back: the pages of a block stay allocated in {@code /dev/shm} until the last mapping
     * of it is gone, also after its name was removed. How much closed memory may wait for the garbage
     * collector is bounded: see {@link ResourceTracker}.
     */
    @Override
    public void close() {
        segment.close();
    }

    /**
     * Returns the descriptor this block travels as to a child JVM: its name. Until the handle is attached, or
     * its recipient is named ({@link #handedOver}) and dies, the block stays attachable.
     *
     * @return the handle; attaching it maps the same block.
     * @throws IllegalStateException if the block is closed.
     */
    @Override
    public Handle handle() {
        return new MemoryHandle(name(), segment.sending());
    }

    /**
     * Keeps the block attachable for the process a task carrying its handle was sent to, until that process
     * attaches it or dies ({@code null}: the task will never arrive, nothing is kept). Called by
     * {@code JvmProcess.start()}; see {@link Shareable#handedOver}.
     *
     * @param recipient the process that will attach the handle, or {@code null}.
     */
    @Override
    public void handedOver(ProcessHandle recipient) {
        segment.handedOver(recipient);
    }

    /**
     * Describes the block.
     *
     * @return e.g. {@code SharedMemory[name=mp4j-4242-1f3a-1, size=4096, creator]}.
     */
    @Override
    public String toString() {
        return "SharedMemory[name=" + name() + ", size=" + size + (isCreator() ? ", creator" : "")
                + (segment.isClosed() ? ", closed" : "") + "]";
    }

    /**
     * What a block travels as: its name, and the process that wrote the handle.
     * A class, not a record: a record's first deserialization in a JVM spins method-handle classes that no class-data
     * archive keeps, tens of milliseconds of a child's start (pool workers, manager clients, MPI ranks).
     */
    private static final class MemoryHandle implements Handle {
        private static final long serialVersionUID = 1L;
        /** The block's name. */
        private final String name;
        /** The token of the process that wrote the handle. */
        private final long sender;

        MemoryHandle(String name, long sender) {
            this.name = name;
            this.sender = sender;
        }

        @Override
        public Object attach() {
            return Segment.attachingHandle(sender, () -> SharedMemory.attach(name));
        }
    }
}
