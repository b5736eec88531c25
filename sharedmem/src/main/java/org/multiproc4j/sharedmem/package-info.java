/**
 * Memory shared between processes: Python's {@code Value}, {@code Array}, {@code RawValue},
 * {@code RawArray} and {@code shared_memory.SharedMemory}, on memory-mapped files under {@code /dev/shm}.
 *
 * <ul>
 *   <li>{@link org.multiproc4j.sharedmem.SharedMemory}: a named block of bytes, viewed as an Agrona
 *       {@code AtomicBuffer} (the one place Agrona shows), of any size, also beyond 2 GiB.</li>
 *   <li>Typed values with the verbs of {@code java.util.concurrent.atomic}:
 *       {@link org.multiproc4j.sharedmem.SharedInt}, {@link org.multiproc4j.sharedmem.SharedLong},
 *       {@link org.multiproc4j.sharedmem.SharedDouble}, {@link org.multiproc4j.sharedmem.SharedBoolean}.</li>
 *   <li>Typed arrays with {@code long} indices, element atomics, bulk copies and streams:
 *       {@link org.multiproc4j.sharedmem.SharedIntArray}, {@link org.multiproc4j.sharedmem.SharedLongArray},
 *       {@link org.multiproc4j.sharedmem.SharedDoubleArray}, {@link org.multiproc4j.sharedmem.SharedFloatArray},
 *       {@link org.multiproc4j.sharedmem.SharedShortArray}, {@link org.multiproc4j.sharedmem.SharedByteArray},
 *       {@link org.multiproc4j.sharedmem.SharedCharArray}.</li>
 *   <li>{@link org.multiproc4j.sharedmem.ResourceTracker}: segments never leak, even when their creator is
 *       killed.</li>
 *   <li>Locks, semaphores, events, conditions and barriers across processes:
 *       {@link org.multiproc4j.sharedmem.sync}.</li>
 *   <li>{@link org.multiproc4j.sharedmem.IdlePolicy}: how a thread waits for another process (spin, yield,
 *       park), for every waiter of multiproc4j: these synchronizers, and {@code ipc}'s pipes and queues.</li>
 * </ul>
 *
 * <p>Each typed value and array has every method its element type allows, under the names of
 * {@code java.util.concurrent.atomic}: access in the strengths of {@link java.lang.invoke.VarHandle} (plain,
 * opaque, acquire/release, volatile), swaps and compare-and-sets for every type, arithmetic and update functions
 * for numbers, bitwise operations for integers and {@code boolean}; each class's documentation says which.
 *
 * <pre>{@code
 * try (SharedInt num = SharedInt.create(4);
 *      SharedIntArray arr = SharedIntArray.create(3)) {
 *     JvmProcess child = new JvmProcess(() -> {        // the child attaches both by name
 *         num.set(num.get() * num.get() * num.get());
 *         for (long i = 0; i < arr.length(); i++) {
 *             arr.incrementAndGet(i);
 *         }
 *     });
 *     child.start().join();
 *     System.out.println(num.get() + " " + arr);        // 64 [1, 1, 1]
 * }
 * }</pre>
 *
 * <p>Every object is {@link org.multiproc4j.core.Shareable}: captured by a task, it travels to the child as
 * its name and is mapped there, so both processes use the same memory. Which accesses order that memory
 * between processes (volatile, release and atomic writes; volatile, acquire and atomic reads) is defined once,
 * in <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Lifetime: when a shared object goes away.</b> Every shared object (a {@code SharedMemory} block, a
 * typed value or array, a lock, semaphore, event, condition or barrier, and {@code ipc}'s pipes and queues)
 * lives in a named segment, and one rule decides when its name goes:
 * <ul>
 *   <li>The name stays while a live process has the object open, or has been handed it and has not attached
 *       it yet: a task captured the object and {@code JvmProcess.start()} started that task in that process.
 *       So a creator may close its object right after {@code start()}, as Python programs do: the child still
 *       attaches it. A handle sent in a message (through a pipe or a queue) keeps the object until a receiver
 *       attaches it or the sender dies.</li>
 *   <li>The process whose {@code close()} leaves no such use removes the name, creator or not. A JVM that
 *       exits (normally, or on {@code SIGTERM}) closes its uses on the way out.</li>
 *   <li>A process that dies without closing ({@code kill -9}, a crash) counts for nothing any more, and so
 *       does one that died before attaching what it was handed (a child killed early, or a JVM that could not
 *       boot): what only dead processes used is removed by the sweep of any JVM using shared memory, within
 *       about a second (see {@link org.multiproc4j.sharedmem.ResourceTracker}). A pipe's other end sees such
 *       a child dead (end of file) as promptly as one that died after attaching.</li>
 *   <li>{@link org.multiproc4j.sharedmem.SharedMemory#unlink()} removes a block's name at once, Python's
 *       way.</li>
 * </ul>
 * Processes that have an object keep using it after its name is gone; only attaching it fails (with a
 * {@link org.multiproc4j.sharedmem.SharedMemoryException} saying so). One segment can be used by up to 128
 * live processes at once.
 *
 * <p>Every JVM that uses this package needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}
 * (Agrona's requirement). Children started by multiproc4j get it automatically; a JVM without it gets a
 * {@link org.multiproc4j.sharedmem.SharedMemoryException} naming the flag at its first use of shared
 * memory.
 */
package org.multiproc4j.sharedmem;
