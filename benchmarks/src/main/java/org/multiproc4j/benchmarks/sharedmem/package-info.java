/**
 * JMH benchmarks of shared memory segments, typed shared values and arrays and cross-process locks. Empty for now:
 * the sharedmem module's work adds its benchmarks here, and its workloads to the side-by-side runner ({@link
 * org.multiproc4j.benchmarks.sidebyside.Workloads}).
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar 'org.multiproc4j.benchmarks.sharedmem.*'
 * }</pre>
 */
package org.multiproc4j.benchmarks.sharedmem;
