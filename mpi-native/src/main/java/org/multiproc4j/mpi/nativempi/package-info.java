/**
 * The {@code native} MPI backend: {@link org.multiproc4j.mpi.Comm} on the MPI C library ({@code libmpi.so}),
 * called directly through {@code java.lang.foreign} (Java 22+), with no Java bindings and no {@code mpi.jar}.
 *
 * <h2>Running</h2>
 * Put this module on the classpath and start the program with Open MPI's {@code mpirun} (or MPICH's
 * {@code mpiexec}); {@code Mpi.init}
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
 * {@code dlopen}); without it {@code libmpi.so} then {@code libmpi.so.40} (Open MPI) are looked up on {@code dlopen}'s
 * path ({@code LD_LIBRARY_PATH}, {@code /etc/ld.so.cache}), after {@code libmpich.so.12} and {@code libmpi.so.12}
 * (MPICH) when the launcher is not Open MPI's ({@code PMI_RANK} set, {@code OMPI_COMM_WORLD_SIZE} not). A missing
 * library, or one of an unknown ABI, fails {@code Mpi.init} with an {@link org.multiproc4j.mpi.MpiException} naming
 * what was looked for.
 *
 * <h2>Open MPI and MPICH: two ABIs</h2>
 * Which ABI a library has is told by the library itself: Open MPI's exports {@code ompi_mpi_comm_world}; otherwise
 * {@code MPI_Get_library_version} must name MPICH (or MVAPICH, Intel MPI, which share its ABI). In Open MPI (4.x and
 * 5.x) {@code MPI_Comm}, {@code MPI_Datatype}, {@code MPI_Op}, {@code MPI_Request} are pointers, and the predefined
 * ones are addresses of exported globals ({@code MPI_COMM_WORLD} is {@code &ompi_mpi_comm_world}), read from the
 * library at run time. In MPICH they are {@code int}s and the predefined ones are constants of its {@code mpi.h}
 * ({@code MPI_COMM_WORLD} {@code 0x44000000}, {@code MPI_DOUBLE} {@code 0x4c00080b}, {@code MPI_SUM}
 * {@code 0x58000003}), written into this backend as a table: MPICH keeps them fixed since its 3.1 ABI (libmpi.so.12),
 * so no {@code mpi.h} is needed at build time. Each downcall is made for the library's ABI (an {@code int} where MPICH
 * takes one) and takes the same Java arguments for both. The other differences: {@code MPI_ANY_SOURCE} is -1 in Open
 * MPI and -2 in MPICH; {@code MPI_Status} is {@code {source, tag, error, cancelled, size_t count}} in Open MPI and
 * {@code {count_lo, count_hi_and_cancelled, source, tag, error}} in MPICH; the key of {@code MPI_TAG_UB} is 0 and
 * {@code 0x64400001}. Tested here with Open MPI 4.1.4 (the whole suite) and MPICH 4.0.2 (the contract at 2 ranks under
 * {@code mpiexec.mpich}); Open MPI 5.x has the same ABI as 4.x for everything used here (not tested: Debian 12 ships
 * 4.1). The MPI 5.0 standard ABI ({@code libmpi_abi.so}) would be a third table.
 *
 * <p>MPICH's default device loads UCX, which catches {@code SIGSEGV}, a signal the JVM raises on purpose: the backend
 * sets {@code UCX_ERROR_SIGNALS} to empty in its process before it loads the library (unless the environment sets
 * it), so that the JVM keeps its signals.
 *
 * <h2>Threads</h2>
 * The backend asks for {@code MPI_THREAD_MULTIPLE} ({@code MPI_Init_thread}) and refuses to start with less.
 * Any thread may call any operation; point-to-point matching is done in Java under one lock per process, while
 * collectives and the transfer of large data run in MPI concurrently. As MPI says, concurrent collectives on one
 * communicator from several threads are not allowed (use a {@code dup} per thread).
 *
 * <p>{@code MPI_THREAD_MULTIPLE} has a price in Open MPI, which then locks inside every call: measured here with C,
 * an 8-byte one-way message takes about 0.45 µs instead of 0.36 µs, an 8-byte {@code MPI_Bcast} about 0.29 µs
 * instead of 0.10 µs. Open MPI 4.1 takes the same locks at {@code MPI_THREAD_FUNNELED} and
 * {@code MPI_THREAD_SERIALIZED} (measured: no faster than {@code MULTIPLE}); only {@code MPI_THREAD_SINGLE} avoids
 * them. The system property {@code multiproc4j.mpi.native.threads} chooses:
 * <ul>
 * <li>{@code multiple} (the default): any thread may call any operation, as above;</li>
 * <li>{@code serialized}: the backend asks for {@code MPI_THREAD_SERIALIZED}; calls from several threads at once are
 * the program's error (not detected);</li>
 * <li>{@code single}: the backend asks for {@code MPI_THREAD_SINGLE}, for a program whose MPI calls all come from
 * one thread (the usual SPMD program, calling from its main thread); the JVM's own threads never call MPI, as with
 * Open MPI's Java bindings, whose {@code MPI.Init} asks for this level. Calls from another thread are the program's
 * error (not detected). Measured here (Java, two ranks): an 8-byte {@code bcast} 0.15 µs instead of 0.25–0.28 µs.</li>
 * </ul>
 * The default cannot be made as cheap as {@code single} by asking MPI for less and serializing the calls in Java:
 * every level above {@code MPI_THREAD_SINGLE} costs Open MPI 4.1 the same (above), and at {@code MPI_THREAD_SINGLE} a
 * process-wide lock would have to be held across each blocking collective, so another thread of the rank could not
 * send the message that a peer waits for before it joins that collective: a deadlock that {@code MULTIPLE} does not
 * have.
 *
 * <h2>Messages and memory</h2>
 * A message of at most 4,000 bytes is one MPI message, sent straight from the sender's memory; each communicator
 * keeps a wildcard receive posted into a native buffer, where MPI delivers it, and it is matched and copied into the
 * receive buffer in Java. Its element type travels in the MPI tag ({@code tag << 4 | kind}), so a receive still names
 * a type mismatch or a truncation. A larger message is announced by a 32-byte RTS message
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
 * <p><b>On one node.</b> When every rank of the job runs on one node, each rank makes a shared-memory outbox of
 * 4 MiB at {@code Mpi.init} (its name is removed from {@code /dev/shm} as soon as every rank mapped it), and a
 * message of more than 4,000 bytes and at most 2 MiB goes through it instead of MPI: the RTS names a block of the
 * sender's outbox, the sender copies its data in, 64 KiB at a time, and returns, while the receiver, once the RTS is
 * matched, copies each piece out as soon as it is in. Two copies that overlap, without a CTS and without a critical
 * call, where MPI's path costs the handshake and one copy by the receiver ({@code process_vm_readv}) that waits for
 * it: a 1 MiB {@code double[]} one way took 37–38 µs against 118–125 µs through MPI (C: 120 µs when quiet), and
 * 4 KiB 0.72 µs against 3.2 µs (C: 2.6–2.8 µs), in A/Bs here. A blocking send is complete when its data is in the outbox; a message that does not fit the free part of
 * the outbox (its receivers have not taken the earlier ones) goes MPI's way. The outboxes need what shared memory
 * needs ({@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, which children get from {@code core});
 * without it, on several nodes, or with {@code -Dmultiproc4j.mpi.native.outbox=false}, every large message goes
 * through MPI.
 *
 * <p>Collectives are one MPI call on the caller's memory (arrays as critical heap segments). {@code bcast} and the
 * reductions go in 1 GiB pieces when the count does not fit MPI's {@code int}; the v-collectives need no pieces: their
 * counts and displacements are {@code int}s of elements in the API as in MPI, so a call of more than 2 GiB in total,
 * or with one block above 2 GiB, is one MPI call (tested with Open MPI 4.1: gatherv, scatterv and alltoallv with a
 * block of 2 GiB + 24 bytes). A critical call does not
 * reach a safepoint until it returns: a collective waiting for a slow rank holds this JVM's garbage collections back
 * meanwhile (measured: a {@code System.gc()} asked for 50 ms into a root's 200 ms wait in a 1 MiB {@code scatter}
 * took 155–167 ms, against 18–35 ms with the arrays staged); the system property
 * {@code multiproc4j.mpi.native.stageArrays=true} copies the arrays of collectives through native memory instead, at
 * a price (a 1 MiB {@code scatter} of {@code double[]}s 330–1,400 µs staged, against 43–47 µs in place: each call
 * maps, faults in and copies a fresh native block). Java reduction operations (user ones, {@code MINLOC}/{@code MAXLOC}) run as an
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
