package org.multiproc4j.mpi.spi;

/**
 * A backend of {@link org.multiproc4j.mpi.Mpi}, found with {@link java.util.ServiceLoader}: the {@code local}
 * backend of this module (ranks as child JVMs over shared memory), Open MPI's Java bindings in
 * {@code mpi-openmpi}, the MPI C library through {@code java.lang.foreign} in {@code mpi-native}.
 *
 * <p><b>Selection.</b> {@link org.multiproc4j.mpi.Mpi#init(String[])} loads every provider, keeps those that
 * {@link #applies()} in this process (the {@code openmpi} one when the program was started by Open MPI's
 * {@code mpirun}; {@code local} always), and opens the one with the highest {@link #priority()}. The system
 * property {@value org.multiproc4j.mpi.Mpi#BACKEND_PROP} forces a backend by {@link #name()}.
 *
 * <pre>{@code
 * for (MpiBackendProvider p : ServiceLoader.load(MpiBackendProvider.class)) {
 *     System.out.println(p.name() + " applies=" + p.applies() + " priority=" + p.priority());
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Providers are stateless; {@link #open(String[])} is called once per
 * process.
 */
public interface MpiBackendProvider {

    /**
     * Returns the backend's name, the value of {@value org.multiproc4j.mpi.Mpi#BACKEND_PROP} that forces it.
     *
     * @return e.g. {@code local} or {@code openmpi}.
     */
    String name();

    /**
     * Tells whether this backend can run this process's rank (it was started by the backend's launcher).
     *
     * @return {@code true} if {@link #open(String[])} would succeed.
     */
    boolean applies();

    /**
     * Returns the backend's priority among those that apply: the highest wins. {@code local} is 0.
     *
     * @return the priority.
     */
    int priority();

    /**
     * Joins the job: {@code MPI_Init}.
     *
     * @param args the program's arguments (some launchers pass theirs there).
     * @return the session.
     * @throws org.multiproc4j.mpi.MpiException if the job cannot be joined; the message says why.
     */
    BackendSession open(String[] args);
}
