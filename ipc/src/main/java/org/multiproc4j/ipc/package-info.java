/**
 * Moving messages between processes: pipes and queues on Agrona rings in shared memory (this package) and
 * authenticated sockets ({@code ipc.net}). Durable queues ({@code ipc.durable}, on Chronicle Queue) are in an
 * artifact of their own, {@code multiproc4j-ipc-durable}, so that this one carries no Chronicle.
 *
 * <p>{@link org.multiproc4j.ipc.Pipe} and its {@link org.multiproc4j.ipc.PipeConnection}s are Python's
 * {@code Pipe()} and its connections; a pipe end and a socket end ({@code ipc.net.SocketConnection}) are both a
 * {@link org.multiproc4j.ipc.Connection}, with one contract for messages, end of file and failures, and
 * {@code Waitable.await} waits for connections, queues and processes together; {@link org.multiproc4j.ipc.SharedQueue} (a {@code java.util.concurrent.BlockingQueue}),
 * {@link org.multiproc4j.ipc.SimpleSharedQueue} and {@link org.multiproc4j.ipc.JoinableSharedQueue} are
 * Python's {@code Queue}, {@code SimpleQueue} and {@code JoinableQueue}. A pipe end or a queue captured by a
 * {@code JvmProcess} task reaches the child, which attaches to the same shared memory.
 *
 * <pre>{@code
 * try (Pipe pipe = Pipe.open(); SharedQueue<Integer> results = SharedQueue.create()) {
 *     Connection toChild = pipe.first();
 *     Connection inChild = pipe.second();
 *     JvmProcess child = new JvmProcess(() -> {
 *         int x = (Integer) inChild.recv();
 *         results.put(x * x * x);
 *     }).start();
 *     toChild.send(5);
 *     System.out.println(results.take());   // 125
 *     child.join();
 * }
 * }</pre>
 *
 * <p>Actions prior to sending a message on a pipe, or putting a value into a queue, happen-before actions
 * subsequent to its receipt in another process, writes to shared memory included; a socket or durable-queue
 * message is a copy and promises no more than its content: see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p>Every JVM that uses a pipe or a queue needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}
 * (Agrona); children started by multiproc4j get it automatically.
 */
package org.multiproc4j.ipc;
