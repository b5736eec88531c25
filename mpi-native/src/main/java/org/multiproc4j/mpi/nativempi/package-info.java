/**
 * The {@code native} MPI backend: {@link org.multiproc4j.mpi.Comm} on the MPI C library ({@code libmpi.so}),
 * called directly through {@code java.lang.foreign} (Java 22+), with no Java bindings and no {@code mpi.jar}.
 *
 * <h2>Running</h2>
 * Put this module on the classpath and start the program with Open MPI's {@code mpirun}; {@code Mpi.init}
 * chooses this backend (it is preferred over the {@code openmpi} Java-bindings backend; force it or another with
 * {@code -Dmultiproc4j.mpi.backend=native}). The JVM must allow native access:
 * <pre>
 * mpirun -n 4 java --enable-native-access=ALL-UNNAMED -cp app.jar:libs/* Main
 * </pre>
 * Child JVMs that {@code core} starts get the flag from this module ({@code NativeJvmOptions}); a jar started
 * with {@code java -jar} may instead say {@code Enable-Native-Access: ALL-UNNAMED} in its manifest.
 *
 * <h2>Finding the library</h2>
 * The system property {@code multiproc4j.mpi.native.library} names the library (a path, or a name for
 * {@code dlopen}); without it {@code libmpi.so} then {@code libmpi.so.40} are looked up on {@code dlopen}'s path
 * ({@code LD_LIBRARY_PATH}, {@code /etc/ld.so.cache}). A missing library, or one that is not Open MPI's, fails
 * {@code Mpi.init} with an {@link org.multiproc4j.mpi.MpiException} naming what was looked for.
 *
 * <h2>Open MPI's handles, and other MPI libraries</h2>
 * In Open MPI (4.x and 5.x) {@code MPI_Comm}, {@code MPI_Datatype}, {@code MPI_Op}, {@code MPI_Request} are
 * pointers, and the predefined ones are addresses of exported globals: {@code MPI_COMM_WORLD} is
 * {@code &ompi_mpi_comm_world}, {@code MPI_DOUBLE} {@code &ompi_mpi_double}, {@code MPI_SUM}
 * {@code &ompi_mpi_op_sum}. This backend reads those addresses from the library at run time, so it needs no
 * {@code mpi.h} at build time; the few numeric constants it uses (wildcards -1, {@code MPI_UNDEFINED} -32766,
 * {@code MPI_THREAD_MULTIPLE} 3, the 24-byte {@code MPI_Status}) are the same in Open MPI 4 and 5. Open MPI 5.x
 * should therefore work unchanged (not tested here: Debian 12 ships 4.1.4).
 *
 * <p>MPICH (and Intel MPI, MVAPICH, which share its ABI) is different: handles are {@code int}s
 * ({@code MPI_COMM_WORLD} is {@code 0x44000000}, {@code MPI_DOUBLE} {@code 0x4c00080b}), constants are macros
 * with no symbol to look up, {@code MPI_Status} has another layout, and the library is {@code libmpich.so.12}.
 * Supporting it means a second handle table: the function descriptors take {@code JAVA_INT} where Open MPI takes
 * {@code ADDRESS}, and the constants come from MPICH's {@code mpi.h} (generated at build time, or a table per ABI
 * version), chosen by which library loaded. The MPI 5.0 standard ABI ({@code libmpi_abi.so}) will make one table
 * serve every implementation that ships it. Not done yet: the backend refuses a non-Open-MPI library by name.
 *
 * <h2>Threads</h2>
 * The backend asks for {@code MPI_THREAD_MULTIPLE} ({@code MPI_Init_thread}) and refuses to start with less.
 * Any thread may call any operation; point-to-point matching is done in Java under one lock per process, while
 * collectives and the transfer of large data run in MPI concurrently. As MPI says, concurrent collectives on one
 * communicator from several threads are not allowed (use a {@code dup} per thread).
 *
 * <p>{@code MPI_THREAD_MULTIPLE} has a price in Open MPI, which then locks inside every call: measured here with C,
 * an 8-byte one-way message takes about 0.48 µs instead of 0.35 µs. A program that calls MPI from one thread at a
 * time may say {@code -Dmultiproc4j.mpi.native.threads=serialized}: the backend then asks for
 * {@code MPI_THREAD_SERIALIZED}, and calls from several threads at once are the program's error (not detected).
 *
 * <h2>Messages and memory</h2>
 * A message of at most 4,000 bytes is one MPI message, sent straight from the sender's memory; each communicator
 * keeps a wildcard receive posted into a native buffer, where MPI delivers it, and it is matched and copied into the
 * receive buffer in Java. Its element type travels in the MPI tag ({@code tag << 4 | kind}), so a receive still names
 * a type mismatch or a truncation. A larger message is announced by a 24-byte RTS message
 * and its data goes on a private duplicate of the communicator, in pieces of at most 1 GiB (so messages over 2 GiB
 * work). Direct {@code ByteBuffer}s and Java arrays are passed to MPI in place: a Java array through a
 * {@code Linker.Option.critical(true)} heap segment, which the JVM cannot move or collect while the call runs. A large
 * array of a blocking {@code send} therefore goes only when the receiver answers the RTS (a CTS message): the critical
 * {@code MPI_Send} then lasts only the transfer; a blocking receive waits in Java until the data starts to arrive,
 * then receives it with a critical {@code MPI_Mrecv}. Non-blocking calls cannot pin an array across calls: a large
 * array of {@code isend} is copied to native memory first, and {@code irecv} of a large message into an array
 * receives into native memory and copies on completion; small messages and direct buffers are never copied. Tags
 * above {@code MPI_TAG_UB / 16} (2<sup>27</sup> with Open MPI's shared memory) travel in the RTS instead.
 *
 * <p>Collectives are one MPI call on the caller's memory (arrays as critical heap segments). {@code bcast} and the
 * reductions go in 1 GiB pieces when the count does not fit MPI's {@code int}; the v-collectives need no pieces: their
 * counts and displacements are {@code int}s of elements in the API as in MPI, so a call of more than 2 GiB in total,
 * or with one block above 2 GiB, is one MPI call (tested with Open MPI 4.1: gatherv, scatterv and alltoallv with a
 * block of 2 GiB + 24 bytes). A critical call does not
 * reach a safepoint until it returns: a collective waiting for a slow rank holds this JVM's garbage collections back
 * meanwhile; the system property {@code multiproc4j.mpi.native.stageArrays=true} copies the arrays of collectives
 * through native memory instead. Java reduction operations (user ones, {@code MINLOC}/{@code MAXLOC}) run as an
 * {@code MPI_Op} created over an upcall, applied in rank order.
 *
 * <h2>Failure</h2>
 * An uncaught exception of the thread that opened the session prints the rank and the exception and calls
 * {@code MPI_Abort}, which ends the job; so does {@code Mpi.abort}. A rank that dies (a signal, {@code halt}) is
 * noticed by {@code mpirun}, which ends the other ranks: they are killed rather than failed with a
 * {@code JobAbortedException} as on the {@code local} backend. {@code close()} waits (at most a minute) until this
 * rank's sends are received; {@code MPI_Finalize} runs when the JVM exits, so that a session closed by a
 * try-with-resources block that an exception is leaving never waits in it for ranks that wait for this one.
 *
 * <p>The examples of this module's Javadoc are marked {@code java22}: {@code doc-examples} compiles with
 * {@code --release 17}, so they are counted there, not compiled.
 */
package org.multiproc4j.mpi.nativempi;
