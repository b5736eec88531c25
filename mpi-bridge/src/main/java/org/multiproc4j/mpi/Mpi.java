package org.multiproc4j.mpi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.core.internal.Wire;
import org.multiproc4j.mpi.spi.BackendSession;
import org.multiproc4j.mpi.spi.MpiBackendProvider;

/**
 * This process's membership of an MPI job: {@code MPI_Init} to {@code MPI_Finalize}, as an
 * {@link AutoCloseable} session. {@link #world()} is {@code MPI.COMM_WORLD}.
 *
 * <pre>{@code
 * try (Mpi mpi = Mpi.init(new String[0])) {
 *     Comm world = mpi.world();
 *     System.out.println("Hello world from process " + world.rank() + " of " + world.size());
 * }
 * }</pre>
 *
 * <p><b>Backends.</b> {@link #init(String[])} picks the backend for the way the program was started: under
 * Open MPI's {@code mpirun}, the {@code openmpi} backend (module {@code mpi-openmpi}, when on the classpath); under
 * the project's launcher ({@link org.multiproc4j.mpi.launch.MpiLauncher}, {@code bin/mpi-launch}), or started
 * plainly (a job of one rank), the {@code local} backend. The system property {@value #BACKEND_PROP} forces one
 * by name. The program itself never names a backend.
 *
 * <p><b>Objects.</b> The object forms of {@link Comm} encode values with the project's fast codec
 * ({@link Codecs#fast()}: JDK value types, collections, arrays), and any other {@link java.io.Serializable} value
 * with JDK serialization, as mpi4py pickles anything.
 *
 * <p><b>Thread and process safety.</b> One session per process at a time. Several threads may call its
 * communicators. On the {@code local} backend and on {@code openmpi} (Open MPI's Java bindings) the calls are
 * serialized: one at a time is served, and a blocking call holds the others back until it returns. On
 * {@code native} (the MPI C library, Java 22+) they run concurrently under {@code MPI_THREAD_MULTIPLE}. A session
 * cannot travel to another process.
 *
 * <p><b>Failure.</b> Under the launcher an uncaught exception on any rank ends the whole job: the launcher names
 * the rank and the exception, stops the other ranks, and exits non-zero within seconds; ranks waiting for the
 * failed one fail with {@link JobAbortedException} meanwhile, never hang. A rank killed by a signal is handled
 * the same way. {@link #abort(int)} ends the job at once with a status. A rank that calls {@code System.exit}
 * while its session is open and the thread that opened it is still running (in the middle of the program) leaves
 * the job as a C rank that calls {@code exit} does: under {@code mpirun} without {@code MPI_Finalize} (which would
 * wait for the ranks blocked on this one), so that {@code mpirun} ends the job naming the rank and its status; close
 * the session first ({@code try}-with-resources) to finalize and exit normally. A session still open when the
 * program's main thread has ended is finalized at exit.
 */
public final class Mpi implements AutoCloseable {
    /** System property that forces a backend by name ({@code local}, {@code openmpi}). */
    public static final String BACKEND_PROP = "multiproc4j.mpi.backend";

    private static final Object LOCK = new Object();
    private static Mpi current;


    private final BackendSession session;
    private final Comm world;
    private final Comm self;
    private final long startNanos = System.nanoTime();
    private final Thread hook;
    /** The codecs, made at the first object message: a program that sends only buffers never loads Kryo. */
    private volatile Codec fast;
    private volatile Codec jdk;
    private boolean closed;

    private Mpi(BackendSession session) {
        this.session = session;
        this.world = new Comm(this, session.world(), "world");
        this.self = new Comm(this, session.self(), "self");
        Thread opener = Thread.currentThread();
        // at exit with the session open: finalize when the thread that opened it has ended; a System.exit while it
        // still runs leaves the job without finalizing (see the class comment)
        this.hook = new Thread(() -> {
            if (opener.isAlive()) {
                session.exitWhileOpen();
            } else {
                session.finish();
            }
        }, "multiproc4j-mpi-finalize");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Joins the job ({@code MPI_Init}).
     *
     * @param args the program's arguments.
     * @return the session; close it at the end ({@code MPI_Finalize}).
     * @throws IllegalStateException if a session is open in this process.
     * @throws MpiException          if the job cannot be joined, or the forced backend is unknown or does not
     *                               apply; the message says why.
     */
    public static Mpi init(String[] args) {
        synchronized (LOCK) {
            if (current != null) {
                throw new IllegalStateException("Mpi.init: this process already has an open session; close it first");
            }
            current = new Mpi(choose().open(args == null ? new String[0] : args));
            return current;
        }
    }

    private static MpiBackendProvider choose() {
        List<MpiBackendProvider> all = new ArrayList<>();
        ServiceLoader.load(MpiBackendProvider.class, Mpi.class.getClassLoader()).forEach(all::add);
        String forced = System.getProperty(BACKEND_PROP);
        if (forced != null) {
            for (MpiBackendProvider p : all) {
                if (p.name().equals(forced)) {
                    if (!p.applies()) {
                        throw new MpiException("Mpi.init: backend '" + forced + "' (forced by " + BACKEND_PROP
                                + ") cannot run this process");
                    }
                    return p;
                }
            }
            List<String> names = new ArrayList<>();
            all.forEach(p -> names.add(p.name()));
            throw new MpiException("Mpi.init: unknown backend '" + forced + "' (forced by " + BACKEND_PROP
                    + "); available: " + names);
        }
        return all.stream().filter(MpiBackendProvider::applies)
                .max(Comparator.comparingInt(MpiBackendProvider::priority))
                .orElseThrow(() -> new MpiException("Mpi.init: no MPI backend applies"));
    }

    /**
     * Returns the communicator of every rank of the job ({@code MPI.COMM_WORLD}).
     *
     * @return the world communicator.
     */
    public Comm world() {
        return world;
    }

    /**
     * Returns the communicator of this rank alone ({@code MPI.COMM_SELF}).
     *
     * @return the self communicator.
     */
    public Comm self() {
        return self;
    }

    /**
     * Returns the backend's name.
     *
     * @return {@code local} or {@code openmpi}, ...
     */
    public String backend() {
        return session.backend();
    }

    /**
     * Returns wall-clock time in seconds since an arbitrary moment ({@code MPI.Wtime}), for timing.
     *
     * @return seconds.
     */
    public double wtime() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Returns the name of the host this rank runs on ({@code MPI.Get_processor_name}).
     *
     * @return the host name.
     */
    public String processorName() {
        return session.processorName();
    }

    /**
     * Ends the whole job with an exit status ({@code MPI_Abort}): this process halts, and the launcher (or
     * {@code mpirun}) stops the others. Does not return.
     *
     * @param code the exit status; 0 is made 1, since an abort is a failure.
     */
    public void abort(int code) {
        session.abort(code);
    }

    /**
     * Leaves the job ({@code MPI_Finalize}). Closing twice is harmless; at JVM exit an open session is closed.
     */
    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            session.finish();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran
            }
            if (current == this) {
                current = null;
            }
        }
    }

    private Codec fast() {
        Codec c = fast;
        if (c == null) {
            c = Codecs.fast();
            fast = c;
        }
        return c;
    }

    private Codec jdk() {
        Codec c = jdk;
        if (c == null) {
            c = Codecs.jdk();
            jdk = c;
        }
        return c;
    }

    byte[] encode(Object value) {
        try {
            return fast().encode(value);
        } catch (SerializationException e) {
            if (!(value instanceof java.io.Serializable)) {
                throw e;
            }
            return jdk().encode(value);
        }
    }

    /** The codec's own first byte says which wrote the bytes: the JDK codec's messages start with {@code Wire.JDK}. */
    Object decode(byte[] bytes) {
        return (bytes.length > 0 && bytes[0] == Wire.JDK ? jdk() : fast()).decode(bytes);
    }
}
