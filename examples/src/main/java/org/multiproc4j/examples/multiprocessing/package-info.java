/**
 * Ports of the tutorial's {@code multiprocessing} examples: processes, pipes, queues, shared values and
 * arrays, a server process and pools.
 *
 * <pre class="shell">{@code
 * java -cp "examples/target/*:examples/target/lib/*" org.multiproc4j.examples.multiprocessing.Cube
 * }</pre>
 */
package org.multiproc4j.examples.multiprocessing;
