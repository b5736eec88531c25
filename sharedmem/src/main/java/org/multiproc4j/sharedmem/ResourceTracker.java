package org.multiproc4j.sharedmem;

import java.nio.file.Path;
import java.util.List;

import org.multiproc4j.sharedmem.internal.Segments;

/**
 * Keeps shared memory from leaking: Python's {@code resource_tracker}, without a separate process.
 *
 * <ul>
 *   <li>A segment is unlinked by its creator's {@code close()}, or, if the creator never closes it, when the
 *       creator's JVM shuts down (a shutdown hook; this covers {@code System.exit} and {@code SIGTERM}).</li>
 *   <li>A creator that dies without shutting down ({@code kill -9}, a crash) leaves its segments behind.
 *       Every JVM that uses shared memory sweeps them away: once when it first uses shared memory, then
 *       about every second from a low-priority daemon thread (system property
 *       {@code multiproc4j.sharedmem.sweepIntervalMs}, default 1000; 0 sweeps only at first use). So a
 *       child killed while it owned segments has them removed within about a second by its parent (or any
 *       other JVM using shared memory), and at the latest by the next program that uses shared memory.</li>
 * </ul>
 *
 * <pre>{@code
 * List<String> removed = ResourceTracker.sweep();    // segments whose creator is dead, now unlinked
 * }</pre>
 *
 * <p><b>Closed, not yet unmapped.</b> Closing an object removes its name (if this process created it) at
 * once, but unmaps its memory only once nothing in this JVM reaches the object or a buffer view of it any
 * more (as the JDK unmaps a {@link java.nio.MappedByteBuffer}): a thread still inside a method of the object
 * when another closes it then never touches unmapped memory. Until the collector finds such memory
 * unreachable, its pages stay allocated in {@code /dev/shm}. So that a loop creating and closing large
 * objects cannot fill it, the bytes of closed objects not yet unmapped are counted: when an object is created
 * or attached while more than {@code multiproc4j.sharedmem.maxRetainedBytes} bytes (system property; default
 * a quarter of the directory's size, at least 16 MiB and at most 256 MiB) or 1024 mappings wait, the
 * creating thread runs {@link System#gc()} and waits (up to about half a second) for them to be released, and
 * after a close that crosses the bound a background thread does the same once no object was created, attached
 * or closed for a second. Memory the program still
 * reaches (a closed object it keeps, a view) is not released by this: drop closed objects. With
 * {@code -XX:+DisableExplicitGC} the bound is not enforced.
 *
 * <p>A segment's creator is identified by pid and start time, so a pid reused by a new process does not
 * keep a dead creator's segments alive, and a live creator's segments are never removed. Only files named
 * {@code mp4j-*} in {@link #directory()} are considered.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread; sweeps in several JVMs at
 * once are harmless.
 */
public final class ResourceTracker {

    private ResourceTracker() {
    }

    /**
     * Returns the directory segments live in: {@code /dev/shm} where it exists, otherwise
     * {@code <java.io.tmpdir>/multiproc4j-shm}; the system property {@code multiproc4j.sharedmem.dir}
     * overrides both.
     *
     * @return the directory.
     * @throws SharedMemoryException if the directory cannot be created.
     */
    public static Path directory() {
        return Segments.directory();
    }

    /**
     * Unlinks every segment in {@link #directory()} whose creator is dead, now, in the calling thread.
     *
     * @return the names of the segments this call removed.
     * @throws SharedMemoryException       if the directory cannot be created.
     * @throws java.io.UncheckedIOException if the directory cannot be listed.
     */
    public static List<String> sweep() {
        return Segments.sweep();
    }
}
