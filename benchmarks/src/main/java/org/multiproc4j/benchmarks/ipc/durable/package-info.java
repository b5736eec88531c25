/**
 * JMH benchmarks of {@code DurableQueue} (module {@code ipc-durable}): append → take latency across two JVMs and
 * throughput, with the child-JVM halves in {@link org.multiproc4j.benchmarks.ipc.durable.DurableQueuePeers}.
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar 'org.multiproc4j.benchmarks.ipc.durable.*'
 * }</pre>
 */
package org.multiproc4j.benchmarks.ipc.durable;
