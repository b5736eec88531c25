/**
 * JMH benchmarks of the process pool: map throughput of tiny tasks with default chunking and with chunk size 1,
 * and the {@code applyAsync} round trip ({@link org.multiproc4j.benchmarks.pool.MapThroughputBenchmark}); a
 * pool's create &rarr; first result &rarr; close ({@link org.multiproc4j.benchmarks.pool.PoolStartBenchmark});
 * {@code imap}, {@code imapUnordered} and a word count merging partial {@code HashMap}s
 * ({@link org.multiproc4j.benchmarks.pool.ImapBenchmark}): the paths of the side-by-side workloads
 * {@code pool_map_tiny}, {@code pool_apply_async_latency}, {@code pool_start}, {@code pool_imap_tiny} and
 * {@code pool_wordcount} ({@link org.multiproc4j.benchmarks.sidebyside.PoolWorkload}).
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar 'org.multiproc4j.benchmarks.pool.*'
 * }</pre>
 */
package org.multiproc4j.benchmarks.pool;
