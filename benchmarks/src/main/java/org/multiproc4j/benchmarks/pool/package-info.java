/**
 * JMH benchmarks of the process pool: map throughput of tiny tasks, chunk size 1, and the applyAsync round trip
 * (the paths of the side-by-side workloads {@code pool_map_tiny} and {@code pool_apply_async_latency}).
 */
package org.multiproc4j.benchmarks.pool;
