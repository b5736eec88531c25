/**
 * MPI-style SPMD programs in the spirit of mpi4py: one program, written once against {@link
 * org.multiproc4j.mpi.Comm}, runs as {@code n} ranks that exchange messages and take part in collectives. On one
 * machine the {@code local} backend runs the ranks as child JVMs over shared memory, started by
 * {@link org.multiproc4j.mpi.launch.MpiLauncher} ({@code bin/mpi-launch -n 4 Main}); on a cluster the same
 * program runs under Open MPI's {@code mpirun} (module {@code mpi-openmpi}). {@link org.multiproc4j.mpi.Mpi} is
 * the session ({@code MPI_Init} to {@code MPI_Finalize}); every operation of {@code Comm} has an object form (any
 * value the codecs carry, mpi4py's lowercase methods) and a buffer form on {@link org.multiproc4j.mpi.Buf}s of
 * primitive arrays or direct buffers (mpi4py's uppercase methods).
 *
 * <pre>{@code
 * try (Mpi mpi = Mpi.init(new String[0])) {
 *     Comm comm = mpi.world();
 *     int rank = comm.rank();
 *     double[] data = new double[10];
 *     if (rank == 0) {
 *         Arrays.setAll(data, i -> i);
 *     }
 *     comm.bcast(Buf.of(data), 0);                                   // Bcast of a buffer
 *     List<Integer> squares = rank == 0 ? List.of(1, 4, 9, 16).subList(0, comm.size()) : null;
 *     int mine = comm.scatter(squares, 0);                           // scatter of objects
 *     double[] total = new double[1];
 *     comm.allreduce(Buf.of(new double[] {data[9]}), Buf.of(total), Op.SUM);
 *     System.out.println("process " + rank + " of " + comm.size() + ": " + mine + " " + total[0]);
 * }
 * }</pre>
 *
 * <p>mpi4py's names map to these: {@code MPI.COMM_WORLD} is {@link org.multiproc4j.mpi.Mpi#world()},
 * {@code Get_rank}/{@code Get_size} are {@code rank()}/{@code size()}, {@code send}/{@code Send} are the object
 * and buffer forms of {@code send}, {@code [buf, counts, displs, MPI.DOUBLE]} is a {@code Buf} with counts and
 * displacements ({@link org.multiproc4j.mpi.Blocks}), {@code MPI.SUM} is {@link org.multiproc4j.mpi.Op#SUM},
 * {@code Request.Wait} is {@link org.multiproc4j.mpi.Request#await()}.
 */
package org.multiproc4j.mpi;
