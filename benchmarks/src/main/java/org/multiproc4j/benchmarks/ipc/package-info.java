/**
 * JMH benchmarks of pipes and queues. Empty for now: the ipc module's work adds its benchmarks here, and its
 * workloads to the side-by-side runner ({@link org.multiproc4j.benchmarks.sidebyside.Workloads}).
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar 'org.multiproc4j.benchmarks.ipc.*'
 * }</pre>
 */
package org.multiproc4j.benchmarks.ipc;
