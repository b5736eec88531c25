package org.multiproc4j.mpi.openmpi;

import org.multiproc4j.mpi.spi.BackendSession;
import org.multiproc4j.mpi.spi.MpiBackendProvider;

/**
 * The {@code openmpi} backend's provider: applies when the process was started by Open MPI's {@code mpirun}
 * (the environment variable {@value #SIZE_ENV} is set), with priority {@value #PRIORITY}: above {@code local} (0),
 * below a native backend.
 *
 * <pre>{@code
 * for (MpiBackendProvider p : ServiceLoader.load(MpiBackendProvider.class)) {
 *     if (p.name().equals("openmpi")) {
 *         System.out.println(p.priority() + " " + p.applies());    // 10 false (true under mpirun)
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Stateless; {@link #open(String[])} is called once per process by
 * {@link org.multiproc4j.mpi.Mpi#init(String[])}.
 */
public final class OpenMpiProvider implements MpiBackendProvider {
    /** The environment variable Open MPI's launcher sets in every rank: the job's size. */
    public static final String SIZE_ENV = "OMPI_COMM_WORLD_SIZE";
    /** The priority among the backends that apply. */
    public static final int PRIORITY = 10;

    /** Creates the provider; {@link java.util.ServiceLoader} does. */
    public OpenMpiProvider() {
    }

    @Override
    public String name() {
        return "openmpi";
    }

    /**
     * Tells whether Open MPI's launcher started this process.
     *
     * @return {@code true} if {@value #SIZE_ENV} is set.
     */
    @Override
    public boolean applies() {
        return System.getenv(SIZE_ENV) != null;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * Joins the job: {@code MPI_Init_thread} asking for {@code MPI_THREAD_MULTIPLE}, or for
     * {@code MPI_THREAD_SINGLE} when the system property {@code multiproc4j.mpi.openmpi.threads} is {@code single}
     * (then only the calling thread may make MPI calls; see the package documentation).
     *
     * @param args the program's arguments.
     * @return the session.
     * @throws org.multiproc4j.mpi.MpiException if Open MPI's {@code mpi.jar} is not on the classpath, its JNI
     *                                          library cannot be loaded, {@code MPI_Init} fails, or the thread level
     *                                          property names no level; the message says which and what to do.
     */
    @Override
    public BackendSession open(String[] args) {
        return OpenMpiSession.open(args);
    }
}
