/**
 * The {@code openmpi} backend of {@code mpi-bridge}: the same SPMD program, written against {@link
 * org.multiproc4j.mpi.Comm}, runs under Open MPI's {@code mpirun}, on one host or across many, on Open MPI's Java
 * bindings ({@code mpi.jar}, which the cluster's Open MPI provides: this module compiles against it and does not
 * ship it). Nothing in the program names the backend: {@link org.multiproc4j.mpi.Mpi#init(String[])} chooses it when
 * the process was started by Open MPI's {@code mpirun} ({@link org.multiproc4j.mpi.openmpi.OpenMpiProvider}).
 *
 * <pre>{@code
 * // the backends this classpath offers, and which one applies in this process (not started by mpirun: local)
 * for (MpiBackendProvider p : ServiceLoader.load(MpiBackendProvider.class)) {
 *     System.out.println(p.name() + " applies=" + p.applies() + " priority=" + p.priority());
 * }
 * try (Mpi mpi = Mpi.init(new String[0])) {
 *     System.out.println(mpi.backend());    // local here; openmpi under mpirun
 * }
 * }</pre>
 *
 * <p>Under {@code mpirun} every rank needs Open MPI's {@code mpi.jar} on its classpath, {@code
 * -Djava.library.path=<Open MPI's libdir>} (for {@code libmpi_java.so}; {@code ompi_info --path libdir}) and the JVM
 * flags of the project's modules (README, "MPI under mpirun").
 *
 * <p><b>Correctness where the raw bindings fail.</b> The bindings are never handed a Java array: with arrays they
 * return zeros (and leak) for a {@code scatter} into a block above 64 KiB and overflow the heap in the
 * v-collectives. Every buffer form, arrays and direct buffers alike, is staged through pooled direct buffers
 * (power-of-two sizes, a bounded number kept per size, so memory stays flat), and the object forms are encoded with
 * the project's codecs onto those buffers; only a {@code bcast} of a direct buffer ({@link
 * org.multiproc4j.mpi.Buf#of(java.nio.ByteBuffer, org.multiproc4j.mpi.ElementType, int, int)}), and a {@code
 * reduce}, {@code allreduce} or {@code scan} with a built-in operation from one direct buffer into another that
 * does not overlap it, go to MPI in place, with no copy. Long messages travel in frames of 256 KiB (within MPI's {@code int}
 * counts, and copied out by the receiver while the next frame travels); {@code bcast} and the reductions with
 * built-in operations run in chunks of 256 KiB; {@code scatterv} and {@code gatherv} are framed messages between the
 * root and each rank: all of these take any length. {@code allgatherv}, {@code alltoallv} and the reductions with
 * location or user operations stage each buffer whole and refuse one over 1 GiB with an {@link
 * org.multiproc4j.mpi.MpiException} naming its size (left uncaught, it ends the job with {@code MPI_Abort}: the
 * ranks already in the collective would otherwise wait for the refusing one). An object message is at most one Java array (2 GiB − 8 bytes): the
 * codecs encode it into one.
 *
 * <p><b>Ranks on one node.</b> When every rank of a communicator runs on the same node ({@code
 * MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)}), its {@code bcast}s of 32 KiB or more, its {@code allreduce}s of 64
 * KiB or more with a built-in operation, and all its {@code scatterv}s (and {@code scatter}s) bypass MPI: the first
 * of them maps a shared-memory block of about 0.5 MiB for the communicator (from {@code /dev/shm}, named only until
 * every rank mapped it, so nothing is left behind), the root
 * copies the data into it in 64 KiB chunks and the other ranks copy each chunk out as soon as it is there, so the
 * copies of both sides overlap. Through MPI the same call costs the root's staging copy, MPI's own copy and the
 * receivers' copy-out one after the other (Open MPI's shared-memory transport moves large messages with one copy by
 * the receiver, which cannot overlap the receiver's own copy-out). Waits in these collectives spin, then yield, then
 * park for 20 µs at a time. An {@code allreduce} goes in steps through the same area: every rank copies its part of
 * the step in, then reduces the step from the others' parts straight into its receive buffer (one copy in, no copy
 * out; in rank order, so every rank gets the same bits; with two ranks each combines the other's part with its own,
 * which gives the same bits for the built-in operations). A communicator spanning several nodes uses MPI as
 * described above.
 *
 * <p><b>Messages.</b> A point-to-point message carries its element type (or "object") in the MPI tag, beside the
 * user's tag ({@code tag << 4 | code}), so a receive into a buffer of another type, or one too small, fails with an
 * {@link org.multiproc4j.mpi.MpiException} naming both, as on the {@code local} backend. A short message (up to 16
 * KiB) is the data alone, one MPI message, received without a probe; a longer one is a 16-byte header and frames.
 * User tags up to {@code (MPI_TAG_UB + 1) / 16 - 2} (134,217,726 under Open MPI) travel in the MPI tag; larger ones,
 * up to {@code Integer.MAX_VALUE} like every backend permits, travel in the header of a framed message (a little
 * slower). A receive takes the next message of its source from MPI whatever its tag and holds one of another tag
 * for a later receive, so MPI's order between two ranks holds for every tag, and a {@link
 * org.multiproc4j.mpi.Status} reports the user's tag. Sends are buffered: {@code send} copies the data (a direct
 * buffer's run of up to 4 KiB is handed to MPI in place, within Open MPI's eager limits) and returns, and completes in
 * the background as MPI progresses (a ring of blocking sends does not deadlock). Every send still pending is
 * completed before {@code MPI_Finalize}. When every rank of the world communicator runs on one node, {@code
 * Mpi.init} maps a 4 MiB outbox per rank (named only until every rank mapped them) and a message of 16 KiB to 2 MiB
 * on the world communicator goes through its sender's outbox (one copy in, one copy out, overlapping) whenever the
 * outbox has room, else through MPI; {@code -Dmultiproc4j.mpi.openmpi.noOutbox=true} turns that off.
 *
 * <p><b>Threads.</b> {@code MPI_Init_thread} asks for {@code MPI_THREAD_MULTIPLE}; the backend serializes every MPI
 * call of the process with one lock (the bridge's {@code MPI_THREAD_SERIALIZED} contract): any thread may call, one
 * call is served at a time, a blocking call without a deadline holds the others back until it returns, and calls
 * with a deadline poll and let other threads in between polls. {@code MPI_Abort} is called without the lock, from
 * any thread. Open MPI 4.1 takes locks inside every call at any level above {@code MPI_THREAD_SINGLE} (about 0.1 µs
 * per small call, measured in C; {@code SERIALIZED} costs what {@code MULTIPLE} does), so for a program whose MPI
 * calls all come from one thread the system property {@code -Dmultiproc4j.mpi.openmpi.threads=single} asks for
 * {@code MPI_THREAD_SINGLE}, as the bindings' own {@code MPI.Init} does, and the backend takes no lock either: only
 * the thread that called {@code Mpi.init} may then call, and a call from any other thread fails at once with an
 * {@link org.multiproc4j.mpi.MpiException} naming both threads and the property (nothing reaches MPI; the program
 * goes on). {@code MPI_Finalize} runs at JVM exit as at the default level, and {@code MPI_Abort} from any thread.
 * The default, {@code multiple}, is right for every program; {@code single} is worth it for small messages (the
 * README's figures).
 *
 * <p><b>Failure.</b> An exception that escapes any thread of a rank (the main thread included, after {@code
 * try (Mpi mpi = ...)} closed the session) prints {@code multiproc4j-mpi: rank <r> failed: uncaught <exception>} and
 * calls {@code MPI_Abort}: {@code mpirun} ends every rank and exits non-zero within seconds. For that,
 * {@code MPI_Finalize} runs at JVM exit, not when the session is closed: Open MPI's finalize waits for every rank,
 * and a failed rank finalizing while its peers wait for it in a collective would hang the job. {@link
 * org.multiproc4j.mpi.Mpi#abort(int)} is {@code MPI_Abort}.
 */
package org.multiproc4j.mpi.openmpi;
