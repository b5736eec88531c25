/**
 * JMH benchmarks of MPI-style programs on the local and Open MPI backends. Empty for now: the mpi-bridge module's
 * work adds its benchmarks here, and its workloads to the side-by-side runner ({@link
 * org.multiproc4j.benchmarks.sidebyside.Workloads}).
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar 'org.multiproc4j.benchmarks.mpi.*'
 * }</pre>
 */
package org.multiproc4j.benchmarks.mpi;
