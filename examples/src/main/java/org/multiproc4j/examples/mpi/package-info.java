/**
 * The tutorial's MPI examples on multiproc4j's {@code Comm}, ports of the mpi4py versions: hello world,
 * broadcast (buffer and object forms), scatter, and {@code scatterv} of 15 numbers. Each is an SPMD program:
 * {@code bin/tour} runs each with 4 ranks on the local backend; {@code bin/mpi-launch -n 4 CLASS} runs one.
 *
 * <pre>{@code
 * // compile-only: starts 4 child JVMs; the tour and the examples' ITs run it
 * int status = org.multiproc4j.mpi.launch.MpiLauncher.run(4, Hello.class);
 * System.out.println("status " + status);
 * }</pre>
 */
package org.multiproc4j.examples.mpi;
