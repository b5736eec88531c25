package org.multiproc4j.mpi.nativempi;

import java.lang.reflect.InvocationTargetException;

import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.spi.BackendSession;
import org.multiproc4j.mpi.spi.MpiBackendProvider;

/**
 * The {@code native} backend's provider: applies when the process was started by Open MPI's {@code mpirun} (its
 * environment has {@code OMPI_COMM_WORLD_SIZE}) or MPICH's {@code mpiexec} ({@code PMI_RANK}), and is preferred over the {@code openmpi} (Java bindings) backend.
 * If the MPI C library then cannot be loaded, {@link #open(String[])} fails with a message naming what was looked
 * for, rather than falling back to another backend (under {@code mpirun}, the {@code local} backend would run every
 * rank as a job of its own).
 *
 * <p>This class and {@link NativeJvmOptions} are compiled for Java 17 (the rest of the module for Java 22), so that a
 * Java 17 JVM with this module on its classpath loads them, finds that the backend does not apply, and goes on with
 * the others; the session is created reflectively for that reason.
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
    /** The environment variable MPICH's launcher (Hydra: {@code mpiexec.mpich}) sets in every rank. */
    static final String PMI_ENV = "PMI_RANK";

    /** Makes the provider (for {@link java.util.ServiceLoader}). */
    public NativeProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Tells whether this process runs under Open MPI's {@code mpirun} or MPICH's {@code mpiexec}, on Java 22 or newer.
     *
     * @return {@code true} if so.
     */
    @Override
    public boolean applies() {
        return Runtime.version().feature() >= 22 && (System.getenv(OMPI_ENV) != null || System.getenv(PMI_ENV) != null);
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
     * @param args ignored (the launchers pass nothing there).
     * @return the session.
     * @throws org.multiproc4j.mpi.MpiException if the library cannot be loaded (the message names what was looked
     *                                          for) or MPI cannot be initialized.
     */
    @Override
    public BackendSession open(String[] args) {
        if (Runtime.version().feature() < 22) {
            throw new MpiException("mpi-native: the native backend needs Java 22 or newer (java.lang.foreign); this "
                    + "is Java " + Runtime.version().feature());
        }
        try {
            return (BackendSession) Class.forName(NativeProvider.class.getPackageName() + ".NativeSession")
                    .getMethod("open").invoke(null);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new MpiException("mpi-native: MPI initialization failed: " + t, t);
        } catch (ReflectiveOperationException e) {
            throw new MpiException("mpi-native: cannot start the native backend: " + e, e);
        }
    }
}
