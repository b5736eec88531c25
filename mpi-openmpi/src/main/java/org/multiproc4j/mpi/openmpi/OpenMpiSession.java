package org.multiproc4j.mpi.openmpi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

import mpi.MPI;
import mpi.MPIException;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.spi.BackendSession;
import org.multiproc4j.mpi.spi.CommBackend;

/**
 * One rank's session on Open MPI: {@code MPI_Init_thread(MPI_THREAD_MULTIPLE)} at the first open, every MPI call
 * of the process serialized by one lock (or, with {@link #THREADS_PROP}{@code =single},
 * {@code MPI_Init_thread(MPI_THREAD_SINGLE)} and every MPI call confined to the thread of the first open: see
 * {@link ConfinedLock}), {@code MPI_Finalize} when the JVM exits (after the pending sends completed), and an uncaught
 * exception in any thread ending the job with {@code MPI_Abort}.
 *
 * <p>{@code MPI_Finalize} is not called by {@link #finish()}: {@code try (Mpi mpi = Mpi.init(args))} closes the
 * session before an exception thrown in its body reaches the uncaught-exception handler, and Open MPI's finalize
 * waits for every rank, so finalizing there would hang the failed rank (and the job) instead of aborting it.
 */
final class OpenMpiSession implements BackendSession {
    private static final Object INIT = new Object();
    /** System property: {@code true} sends long messages through MPI even when the ranks share a node (A/B runs). */
    static final String NO_OUTBOX = "multiproc4j.mpi.openmpi.noOutbox";
    /**
     * System property: the thread level asked of MPI. {@code multiple} (the default) asks for
     * {@code MPI_THREAD_MULTIPLE} and serializes the calls of every thread with one lock. {@code single} asks for
     * {@code MPI_THREAD_SINGLE}, as the bindings' own {@code MPI.Init} does, for a program whose MPI calls all come
     * from the thread that called {@code Mpi.init}: Open MPI 4.1 then takes no locks inside its calls (about 0.1 µs
     * less per small message, measured in C) and the backend takes none either; a call from any other thread fails
     * with an {@link MpiException} before it reaches MPI.
     */
    static final String THREADS_PROP = "multiproc4j.mpi.openmpi.threads";
    private static boolean initialized;
    /** The world communicator's outboxes (made at the first open), or null. */
    private static Outbox outbox;
    private static int threadLevel;
    /**
     * Who may call MPI: made at the first open, from {@link #THREADS_PROP}: a {@link ReentrantLock} that serializes
     * every thread's calls, or at {@code single} a {@link ConfinedLock} that lets only the opening thread through.
     */
    private static ReentrantLock lock;
    private static final Staging STAGING = new Staging();
    private static final List<OpenMpiComm> COMMS = new ArrayList<>();

    /** The session opened last (one at a time per process, {@code Mpi}'s rule), for the finalize hook. */
    private static volatile OpenMpiSession current;

    private final OpenMpiComm world;
    private final OpenMpiComm self;
    private final Thread opener = Thread.currentThread();
    private volatile boolean finished;

    private OpenMpiSession(OpenMpiComm world, OpenMpiComm self) {
        this.world = world;
        this.self = self;
    }

    static OpenMpiSession open(String[] args) {
        synchronized (INIT) {
            try {
                Class.forName("mpi.MPI", false, OpenMpiSession.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new MpiException("the openmpi backend needs Open MPI's mpi.jar on the classpath (it is in Open MPI's"
                        + " library directory, `ompi_info --path libdir`; bin/setup-mpi builds one): " + e);
            }
            try {
                boolean first = !initialized;
                if (!initialized) {
                    boolean single = singleThreaded(System.getProperty(THREADS_PROP));
                    threadLevel = MPI.InitThread(args, single ? MPI.THREAD_SINGLE : MPI.THREAD_MULTIPLE);
                    lock = single ? new ConfinedLock(Thread.currentThread()) : new ReentrantLock();
                    initialized = true;
                    learnTagsAndStatus();
                    installAbortHandler();
                    Runtime.getRuntime().addShutdownHook(new Thread(OpenMpiSession::finalizeAtExit,
                            "multiproc4j-openmpi-finalize"));
                }
                OpenMpiComm world = new OpenMpiComm(MPI.COMM_WORLD, lock, STAGING, false);
                OpenMpiComm self = new OpenMpiComm(MPI.COMM_SELF, lock, STAGING, false);
                if (first && !Boolean.getBoolean(NO_OUTBOX)) {
                    outbox = world.openOutbox();
                } else {
                    world.useOutbox(outbox);
                }
                synchronized (COMMS) {
                    COMMS.add(world);
                    COMMS.add(self);
                }
                current = new OpenMpiSession(world, self);
                return current;
            } catch (UnsatisfiedLinkError e) {
                throw new MpiException("the openmpi backend cannot load Open MPI's JNI library libmpi_java.so: start the"
                        + " JVM with -Djava.library.path=<Open MPI's libdir> (`ompi_info --path libdir`): " + e);
            } catch (ExceptionInInitializerError e) {
                throw new MpiException("the openmpi backend cannot load Open MPI's Java bindings: " + e.getCause());
            } catch (MPIException e) {
                throw new MpiException("MPI_Init_thread failed: " + e.getMessage());
            }
        }
    }

    /**
     * Sets the communicators' tag space from {@code MPI_TAG_UB} and checks, with one message to itself on
     * {@code MPI_COMM_SELF}, that a status' byte count can be read without a call into C ({@link StatusBytes}).
     */
    private static void learnTagsAndStatus() throws MPIException {
        Object ub = MPI.COMM_WORLD.getAttr(MPI.TAG_UB);
        OpenMpiComm.tagSpace(ub instanceof Integer ? (Integer) ub : 32767);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(16);
        mpi.Request q = MPI.COMM_SELF.iSend(b, 5, MPI.BYTE, 0, 0);
        StatusBytes.check(MPI.COMM_SELF.recv(b.duplicate().position(8).slice(), 8, MPI.BYTE, 0, 0));
        q.waitFor();
    }

    /** The thread level Open MPI granted: {@code MPI.THREAD_MULTIPLE} here, {@code MPI.THREAD_SINGLE} at single. */
    static int threadLevel() {
        return threadLevel;
    }

    /**
     * Reads {@link #THREADS_PROP}.
     *
     * @param value its value: null or {@code multiple}, or {@code single} (any case, blanks around ignored).
     * @return whether the level is {@code single}.
     * @throws MpiException for any other value, naming it and the choices.
     */
    static boolean singleThreaded(String value) {
        String v = value == null ? "multiple" : value.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "multiple":
            case "":
                return false;
            case "single":
                return true;
            default:
                throw new MpiException("openmpi backend: " + THREADS_PROP + " must be multiple or single, got \""
                        + value + "\"");
        }
    }

    static void register(OpenMpiComm c) {
        synchronized (COMMS) {
            COMMS.add(c);
        }
    }

    private static void installAbortHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            int rank = -1;
            try {
                rank = MPI.COMM_WORLD.getRank();
            } catch (MPIException | RuntimeException ignored) {
                // the rank stays unknown
            }
            System.err.println("multiproc4j-mpi: rank " + rank + " failed: uncaught " + e + " in thread \""
                    + t.getName() + "\"; aborting the job (MPI_Abort)");
            e.printStackTrace();
            System.err.flush();
            if (previous != null) {
                try {
                    previous.uncaughtException(t, e);
                } catch (RuntimeException ignored) {
                    // abort anyway
                }
            }
            abortNow(1);
        });
    }

    private static void abortNow(int code) {
        try {
            MPI.COMM_WORLD.abort(code == 0 ? 1 : code);
        } catch (MPIException | RuntimeException ignored) {
            // halt below
        }
        Runtime.getRuntime().halt(code == 0 ? 1 : code);
    }

    private static void finalizeAtExit() {
        OpenMpiSession open = current;
        if (open != null && !open.finished && open.opener.isAlive()) {
            // System.exit in the middle of the program: MPI_Finalize would wait for the ranks blocked on this one
            System.err.println("multiproc4j-mpi: rank " + open.world.rank() + ": the JVM exits while its MPI session"
                    + " is open and thread \"" + open.opener.getName() + "\" still runs: leaving without MPI_Finalize,"
                    + " so that mpirun ends the job (close the Mpi before System.exit to finalize)");
            System.err.flush();
            return;
        }
        // at single the thread of the calls is done (or blocked in exit): the hook calls without the check
        boolean locked = !(lock instanceof ConfinedLock);
        if (locked) {
            lock.lock();
        }
        try {
            List<OpenMpiComm> comms;
            synchronized (COMMS) {
                comms = new ArrayList<>(COMMS);
            }
            for (OpenMpiComm c : comms) {
                c.completeSends();
            }
            if (!MPI.isFinalized()) {
                MPI.Finalize();
            }
        } catch (MPIException | RuntimeException e) {
            System.err.println("multiproc4j-mpi: MPI_Finalize failed: " + e);
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    @Override
    public String backend() {
        return "openmpi";
    }

    @Override
    public CommBackend world() {
        return world;
    }

    @Override
    public CommBackend self() {
        return self;
    }

    @Override
    public String processorName() {
        lock.lock();
        try {
            return MPI.getProcessorName();
        } catch (MPIException e) {
            throw new MpiException("MPI_Get_processor_name failed: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void abort(int code) {
        int rank = world.rank();
        System.err.println("multiproc4j-mpi: rank " + rank + " called abort(" + code + "): ending the job");
        System.err.flush();
        abortNow(code);
    }

    /** Nothing: the finalize hook leaves without {@code MPI_Finalize} in this case (see {@code finalizeAtExit}). */
    @Override
    public void exitWhileOpen() {
    }

    @Override
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        // MPI_Finalize, and the wait for sends still pending, run at JVM exit (see the class comment): waiting here
        // would hang a rank that closes its session while an exception propagates and its peers wait for it
    }
}
