package org.multiproc4j.mpi.nativempi;

import org.multiproc4j.mpi.spi.BackendSession;
import org.multiproc4j.mpi.spi.MpiBackendProvider;

/**
 * The {@code native} backend's provider: applies when the process was started by Open MPI's {@code mpirun} (its
 * environment has {@code OMPI_COMM_WORLD_SIZE}), and is preferred over the {@code openmpi} (Java bindings) backend.
 * If the MPI C library then cannot be loaded, {@link #open(String[])} fails with a message naming what was looked
 * for, rather than falling back to another backend (under {@code mpirun}, the {@code local} backend would run every
 * rank as a job of its own).
 *
 * <pre class="java22">{@code
 * MpiBackendProvider p = new NativeProvider();
 * System.out.println(p.name() + " " + p.priority());    // native 20
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Stateless; {@link #open(String[])} is called once per process.
 */
public final class NativeProvider implements MpiBackendProvider {
    /** The backend's name, the value of {@value org.multiproc4j.mpi.Mpi#BACKEND_PROP} that forces it. */
    public static final String NAME = "native";
    /** The environment variable Open MPI's launcher sets in every rank. */
    static final String OMPI_ENV = "OMPI_COMM_WORLD_SIZE";

    /** Makes the provider (for {@link java.util.ServiceLoader}). */
    public NativeProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Tells whether this process runs under Open MPI's {@code mpirun}.
     *
     * @return {@code true} if so.
     */
    @Override
    public boolean applies() {
        return System.getenv(OMPI_ENV) != null;
    }

    /**
     * Returns 20: above {@code local} (0) and the Java-bindings backend {@code openmpi}.
     *
     * @return the priority.
     */
    @Override
    public int priority() {
        return 20;
    }

    /**
     * Loads the MPI C library and calls {@code MPI_Init_thread}.
     *
     * @param args ignored (Open MPI passes nothing there).
     * @return the session.
     * @throws org.multiproc4j.mpi.MpiException if the library cannot be loaded (the message names what was looked
     *                                          for) or MPI cannot be initialized.
     */
    @Override
    public BackendSession open(String[] args) {
        return new NativeSession(Lib.get());
    }
}
