package org.multiproc4j.core;

import java.io.Serializable;

/**
 * The small, serializable descriptor that a {@link Shareable} object travels as: it names the shared
 * resource (a segment name, a size, a layout version) and knows how to re-attach to it in the receiving
 * process.
 *
 * <p>Implementations hold only plain values (names, sizes, numbers), never an open resource. Records are
 * a natural fit:
 * <pre>{@code
 * record CounterHandle(String blockName) implements Handle {
 *     public Object attach() {
 *         return new Counter(SharedMemory.attach(blockName));      // runs in the child
 *     }
 * }
 *
 * // the Shareable it stands for: a counter in shared memory
 * final class Counter implements Shareable, AutoCloseable {
 *     final SharedMemory block;
 *
 *     Counter(SharedMemory block) {
 *         this.block = block;
 *     }
 *
 *     long incrementAndGet() {
 *         return block.buffer().getAndAddLong(0, 1) + 1;
 *     }
 *
 *     public Handle handle() {
 *         return new CounterHandle(block.name());
 *     }
 *
 *     public void close() {
 *         block.close();
 *     }
 * }
 *
 * try (Counter counter = new Counter(SharedMemory.create(8))) {
 *     new JvmProcess(() -> counter.incrementAndGet()).start().join();
 *     System.out.println(counter.incrementAndGet());               // 2
 * }
 * }</pre>
 *
 * <p><b>Process safety.</b> {@link #attach()} runs in the receiving process while the task is being
 * decoded, once per shared object (a object captured twice is attached once). An attached object that
 * is {@link AutoCloseable} is closed when the task ends in the child.
 *
 * <p><b>Failure.</b> If the resource is gone (its owner died and it was cleaned up), {@link #attach()}
 * throws, and the task fails in the child with that exception before it runs.
 */
public interface Handle extends Serializable {

    /**
     * Re-attaches to the shared resource this handle describes, in the current process.
     *
     * @return the attached object, of the type that was captured in the sending process.
     * @throws Exception if the resource cannot be attached.
     */
    Object attach() throws Exception;
}
