/**
 * Benchmarks of MPI-style programs. {@link org.multiproc4j.benchmarks.mpi.MpiBench} is the SPMD program of the
 * side-by-side runner's {@code mpi} workload ({@link org.multiproc4j.benchmarks.sidebyside.MpiWorkload}): ping-pong,
 * bcast, scatter, allreduce with buffers and objects, on 2 ranks of the {@code local} backend; its twins
 * {@code mpi_side.py} (mpi4py) and {@code mpi_bench.c} (the C floor) run under Open MPI's {@code mpirun}. JMH
 * benchmarks of these paths are not written yet.
 *
 * <pre class="shell">{@code
 * bin/bench --workloads mpi                      # side by side with mpi4py and C (bin/setup-mpi installs them)
 * bin/mpi-launch -n 2 -cp benchmarks/target/benchmarks.jar org.multiproc4j.benchmarks.mpi.MpiBench
 * }</pre>
 */
package org.multiproc4j.benchmarks.mpi;
