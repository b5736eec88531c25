/**
 * JMH benchmarks of the process pool. Empty for now: the pool module's work adds its benchmarks here, and its
 * workloads to the side-by-side runner ({@link org.multiproc4j.benchmarks.sidebyside.Workloads}).
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar 'org.multiproc4j.benchmarks.pool.*'
 * }</pre>
 */
package org.multiproc4j.benchmarks.pool;
