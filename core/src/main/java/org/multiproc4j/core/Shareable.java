package org.multiproc4j.core;

/**
 * An object that is shared between processes rather than copied: when a task (or a message) that
 * captures it is serialized, it is replaced by its {@link Handle}, and the receiving process re-attaches
 * to the same underlying resource. This is how a pipe end, a queue, a shared array or a lock reaches a
 * child, the way Python passes them in {@code Process(args=...)}.
 *
 * <pre>{@code
 * try (SharedIntArray counts = SharedIntArray.create(3)) {        // a Shareable
 *     new JvmProcess(() -> counts.incrementAndGet(0)).start().join();  // the child attaches to the same memory
 *     System.out.println(counts.get(0));                          // 1
 * }
 * }</pre>
 *
 * <p>The replacement is done by multiproc4j's task transport and codecs; a {@code Shareable} written
 * with a plain {@link java.io.ObjectOutputStream} is not replaced (implementations that must never be
 * copied can also declare {@code writeReplace()} returning {@link #handle()}).
 *
 * <p><b>Process safety.</b> {@link #handle()} may be called from any thread; it must not change the
 * object.
 */
public interface Shareable {

    /**
     * Returns the descriptor this object travels as.
     *
     * @return a handle whose {@link Handle#attach()} yields an equivalent object in another process.
     */
    Handle handle();

    /**
     * Learns which process a handle of this object was sent to, so that the object can stay attachable
     * until that process attaches it, and can tell a peer that will never attach (its process died first)
     * from one that has not attached yet.
     *
     * <p>{@link JvmProcess#start()} calls this once for every object whose {@link #handle()} it wrote into
     * a task: with the child JVM that will receive the task, after the child exists and before the task is
     * sent to it (so no child has attached the handle yet); or with {@code null} when the task will never
     * reach a process (it could not be serialized, or no JVM could be launched), so that the handle will
     * never be attached. If a warm spare died before it received the task, a second call names the JVM that
     * took its place: the last call counts. Handles written into messages (a value sent through a pipe or a
     * queue) have no known recipient, and this method is not called for them.
     *
     * <p>The default does nothing. Implementations must not throw; the call is made in the thread that
     * called {@code start()}.
     *
     * @param recipient the process that will attach the handle (it may have ended already), or {@code null}
     *                  if the handle will never be attached.
     */
    default void handedOver(ProcessHandle recipient) {
        // nothing to track
    }
}
