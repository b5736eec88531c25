package org.multiproc4j.core;

/**
 * An object that is shared between processes rather than copied: when a task (or a message) that
 * captures it is serialized, it is replaced by its {@link Handle}, and the receiving process re-attaches
 * to the same underlying resource. This is how a pipe end, a queue, a shared array or a lock reaches a
 * child, the way Python passes them in {@code Process(args=...)}.
 *
 * <pre>{@code
 * SharedIntArray counts = SharedIntArray.create(3);     // a Shareable
 * new JvmProcess(() -> counts.incrementAndGet(0)).start();  // the child attaches to the same memory
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
}
