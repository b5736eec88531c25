/**
 * Child JVM processes: Java's counterpart of Python's {@code multiprocessing.Process}.
 *
 * <p>{@link org.multiproc4j.core.JvmProcess} runs a serializable task in a new JVM started with this
 * JVM's java executable and classpath; {@link org.multiproc4j.core.JvmProcess#call JvmProcess.call}
 * brings a value back. Shared objects captured by a task travel as {@link org.multiproc4j.core.Handle}s
 * and re-attach in the child ({@link org.multiproc4j.core.Shareable}).
 *
 * <pre>{@code
 * JvmProcess child = new JvmProcess(() -> System.out.println("hello from " + JvmProcess.current().name()));
 * child.start();
 * child.join();
 * System.out.println("exit code: " + child.exitCode());
 *
 * TaskFuture<Integer> cube = JvmProcess.call(() -> 4 * 4 * 4);
 * System.out.println(cube.get());   // 64
 * }</pre>
 *
 * <h2 id="memory-consistency">Memory consistency across processes</h2>
 *
 * <p>Chapter 17 of <cite>The Java Language Specification</cite> defines <i>happens-before</i> between the
 * actions of the threads of one JVM on its heap. It says nothing of other processes: a child JVM has a heap of
 * its own, and memory mapped by several processes lies outside every heap. multiproc4j extends the relation to
 * the threads of all the processes that use its objects, with the rules below. Each class's "Memory consistency
 * effects" paragraph names the rule it provides and links here. Within each JVM the Java memory model's own
 * rules (program order, monitors, volatiles, {@code Thread.start} and {@code Thread.join}) still hold, and the
 * relation is transitive across processes: if action <i>A</i> in process <i>P</i> happens-before a send, and
 * the receipt of that message in process <i>Q</i> happens-before action <i>B</i>, then <i>A</i>
 * happens-before <i>B</i>.
 *
 * <p>What one process sees of another is either shared memory (the same bytes, mapped by both) or a copy (a
 * task, a result, a message, encoded in the sender's thread and decoded by the receiver). A copy always shows
 * the state of its objects when it was encoded; later changes to the originals are never seen. A
 * happens-before edge between processes also makes visible every write to shared memory, plain writes
 * included, that the first action's thread made before it.
 *
 * <ul>
 *   <li><b>Starting a process.</b> Actions in a thread prior to {@link org.multiproc4j.core.JvmProcess#start()}
 *       (or {@link org.multiproc4j.core.JvmProcess#call JvmProcess.call}) happen-before every action of the
 *       task in the child. The task and what it captures reach the child as a copy taken by {@code start()};
 *       the shared objects it captures are the same memory in both.</li>
 *   <li><b>The end of a process.</b> Every action of a child JVM happens-before, in any thread of its parent,
 *       the return of {@link org.multiproc4j.core.JvmProcess#join()} (or of
 *       {@link org.multiproc4j.core.JvmProcess#join(java.time.Duration) join(Duration)} with {@code true}), an
 *       {@link org.multiproc4j.core.JvmProcess#isAlive()} that returns {@code false}, the completion of
 *       {@link org.multiproc4j.core.JvmProcess#onExit()}, and the return of
 *       {@link org.multiproc4j.core.TaskFuture#get()} with the task's result (a copy) or its
 *       {@link java.util.concurrent.ExecutionException}. This holds however the child ended: a child killed
 *       by a signal leaves what it wrote before it died.</li>
 *   <li><b>Pipes.</b> Actions in a thread prior to sending a message on a pipe's {@code Connection} happen-before
 *       actions subsequent to the receipt of that message ({@code recv}, {@code recvBytes},
 *       {@code recvBytesInto}) in the other process.</li>
 *   <li><b>Queues.</b> Actions in a thread prior to placing an element into a {@code SharedQueue},
 *       {@code SimpleSharedQueue} or {@code JoinableSharedQueue} happen-before actions subsequent to the access
 *       or removal of that element in another process; actions prior to a {@code taskDone()} happen-before
 *       actions subsequent to the return of a {@code join()} it let return.</li>
 *   <li><b>Synchronizers.</b> Actions prior to "releasing" methods such as {@code SharedLock.unlock},
 *       {@code SharedSemaphore.release}, {@code SharedEvent.set} and {@code SharedCondition.signal} (with the
 *       unlock that follows it) happen-before actions subsequent to a successful "acquiring" method such as
 *       {@code SharedLock.lock}, {@code SharedSemaphore.acquire}, or a {@code SharedEvent.await} that finds the
 *       event set, on the same object in another process. Actions prior to {@code SharedBarrier.await} in each
 *       party happen-before actions subsequent to the return of {@code await} in the other parties of the same
 *       round. A lock recovered from a holder that died sees what the holder wrote before it died, which may be
 *       an update left half done.</li>
 *   <li><b>Shared memory.</b> A volatile or release write to a location of shared memory (the {@code set},
 *       {@code setRelease} and atomic update methods of the typed values and arrays; the {@code ...Volatile},
 *       {@code ...Ordered} and atomic methods of a {@code SharedMemory} block's buffer) happens-before every
 *       volatile or acquire read of that location ({@code get}, {@code getAcquire}, an atomic update) in another
 *       process that sees the value written. So plain writes made before a release write are visible to plain
 *       reads made after an acquire read that sees it. Plain and opaque accesses, and bulk copies, order
 *       nothing by themselves: two processes that reach the same bytes with no edge between them race, as two
 *       threads do, and a racy read may see a stale or partly written value.</li>
 *   <li><b>Sockets and durable queues.</b> A message sent on a {@code SocketConnection}, or appended to a
 *       {@code DurableQueue}, is a copy: the receiver sees it as the sending thread encoded it, with the effects
 *       of every action of that thread prior to the send. These channels promise no edge for shared memory
 *       (the peer may be on another machine, and a durable queue's reader may start after its writer is gone):
 *       to publish writes to shared memory along with such a message, use one of the edges above.</li>
 * </ul>
 *
 * <p><b>Where the Java memory model stops.</b> The rules above rest on three things that the Java Language
 * Specification does not describe. Every process that attaches a segment maps the same physical memory, which
 * the processors keep coherent between processes as they do between threads. The access modes of
 * {@link java.lang.invoke.VarHandle}, and the equivalent methods of Agrona's {@code AtomicBuffer} through which
 * multiproc4j reaches mapped memory, are carried out with processor fences that order each thread's accesses
 * whatever memory they touch: a release write is ordered after every earlier read and write of its thread, an
 * acquire read before every later one, and another process observes that same order. And the operating
 * system's calls on processes and pipes (starting a process, writing its task to its control pipe, its exit
 * and the parent's wait for it) order memory as a release in one process and an acquire in the other.
 * multiproc4j's objects are built on these three, so their edges hold on every platform the JDK supports; code
 * of your own on a {@code SharedMemory} buffer gets the same guarantees by using its volatile, ordered and
 * atomic methods.
 */
package org.multiproc4j.core;
