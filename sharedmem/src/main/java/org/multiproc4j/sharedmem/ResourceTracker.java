package org.multiproc4j.sharedmem;

import java.nio.file.Path;
import java.util.List;

import org.multiproc4j.sharedmem.internal.Segments;

/**
 * Keeps shared memory from leaking: Python's {@code resource_tracker}, without a separate process.
 *
 * <ul>
 *   <li>A segment's name is removed by the {@code close()} that leaves no live process using it (none has it
 *       open, none was handed it by {@code JvmProcess.start()} and has not attached it yet), whichever process
 *       that is: see the lifetime rule in the {@linkplain org.multiproc4j.sharedmem package summary}. A JVM
 *       that shuts down (this covers {@code System.exit} and {@code SIGTERM}) closes its uses on the way out
 *       (a shutdown hook).</li>
 *   <li>A process that dies without shutting down ({@code kill -9}, a crash), or before it attached what it
 *       was handed, counts for nothing. Every JVM that uses shared memory sweeps away what only dead processes
 *       used: once when it first uses shared memory, then about every second from a low-priority daemon thread
 *       (system property {@code multiproc4j.sharedmem.sweepIntervalMs}, default 1000; 0 sweeps only at first
 *       use). So a child killed while it used segments has them removed within about a second by its parent
 *       (or any other JVM using shared memory), and at the latest by the next program that uses shared
 *       memory.</li>
 * </ul>
 *
 * <pre>{@code
 * List<String> removed = ResourceTracker.sweep();    // segments that only dead processes used, now unlinked
 * }</pre>
 *
 * <p><b>Closed, not yet unmapped.</b> Closing an object ends this process's use of it at once (removing its
 * name when that was the last live use), but unmaps its memory only once nothing in this JVM reaches the object or a buffer view of it any
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
 * <p>Processes are identified by pid and start time, so a pid reused by a new process does not keep a dead
 * process's segments alive, and a segment a live process uses is never removed. Only files named
 * {@code mp4j-*} in {@link #directory()} are considered; a sweep opens only those whose creator is dead and
 * those this JVM closed while others still used them.
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
     * Unlinks every segment in {@link #directory()} that only dead processes used, now, in the calling thread
     * (among those whose creator is dead, and those this JVM closed while others still used them).
     *
     * @return the names of the segments this call removed.
     * @throws SharedMemoryException       if the directory cannot be created.
     * @throws java.io.UncheckedIOException if the directory cannot be listed.
     */
    public static List<String> sweep() {
        return Segments.sweep();
    }
}
