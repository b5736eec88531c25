/**
 * Benchmarks of MPI-style programs. {@link org.multiproc4j.benchmarks.mpi.MpiBench} is the SPMD program of the
 * side-by-side runner's {@code mpi} workload ({@link org.multiproc4j.benchmarks.sidebyside.MpiWorkload}): ping-pong,
 * bcast, scatter, allreduce with buffers and objects, on 2 ranks of the {@code local} backend; its twins
 * {@code mpi_side.py} (mpi4py) and {@code mpi_bench.c} (the C floor) run under Open MPI's {@code mpirun}. The JMH
 * benchmarks measure the same paths with rank 0 in JMH's JVM and rank 1 a child JVM ({@code MpiPair}):
 * {@link org.multiproc4j.benchmarks.mpi.MpiPingPongBenchmark} (buffer p2p latency),
 * {@link org.multiproc4j.benchmarks.mpi.MpiCollectiveBenchmark} (bcast, allreduce) and
 * {@link org.multiproc4j.benchmarks.mpi.MpiObjectPingPongBenchmark} (object p2p).
 *
 * <pre class="shell">{@code
 * bin/bench --workloads mpi                      # side by side with mpi4py and C (bin/setup-mpi installs them)
 * bin/mpi-launch -n 2 -cp benchmarks/target/benchmarks.jar org.multiproc4j.benchmarks.mpi.MpiBench
 * bin/bench jmh 'Mpi.*Benchmark'                 # the JMH benchmarks of the same paths
 * }</pre>
 */
package org.multiproc4j.benchmarks.mpi;
