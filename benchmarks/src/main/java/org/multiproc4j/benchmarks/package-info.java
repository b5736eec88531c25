/**
 * multiproc4j's benchmarks, packaged as one runnable {@code benchmarks.jar}: JMH benchmarks in packages that
 * mirror the modules ({@code core}, {@code sharedmem}, {@code ipc}, {@code pool}, {@code mpi}), raw references
 * in {@code baseline}, and the side-by-side runner against Python in {@code sidebyside}.
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar ProcessStart      // JMH, one benchmark class
 * bin/bench --quick                                          // side by side with Python, smoke test
 * }</pre>
 */
package org.multiproc4j.benchmarks;
