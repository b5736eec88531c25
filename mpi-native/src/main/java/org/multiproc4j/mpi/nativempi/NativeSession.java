package org.multiproc4j.mpi.nativempi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.spi.BackendSession;
import org.multiproc4j.mpi.spi.CommBackend;

/**
 * This process's membership of an MPI job through the C library: {@code MPI_Init_thread} asking for
 * {@code MPI_THREAD_MULTIPLE} (or the level {@link #THREADS_PROP} names) at open, {@code MPI_Finalize} when the JVM exits.
 *
 * <p>{@link #finish()} does not call {@code MPI_Finalize} at once: it waits for this rank's sends and leaves
 * finalization to a shutdown hook. Java closes a try-with-resources session before the exception that ended the
 * block reaches the uncaught-exception handler; a finalize there would wait forever for ranks blocked on this one,
 * while the handler installed here calls {@code MPI_Abort} naming the rank, which ends the job.
 */
// restricted methods (library lookup, downcalls, reinterpret) are this backend's purpose: the JVM needs
// --enable-native-access for it (package documentation)
@SuppressWarnings("restricted")
final class NativeSession implements BackendSession {
    /** System property: {@code true} stages Java arrays of collectives through native memory instead of passing them in place. */
    static final String STAGE_PROP = "multiproc4j.mpi.native.stageArrays";
    /**
     * System property: the thread level asked of MPI. {@code multiple} (the default) asks for
     * {@code MPI_THREAD_MULTIPLE}: any thread may call at any time. {@code serialized} asks for
     * {@code MPI_THREAD_SERIALIZED}, for programs that call MPI from one thread at a time (Open MPI 4.1 locks as it
     * does at {@code multiple}: no faster there, measured). {@code single} asks for {@code MPI_THREAD_SINGLE}, for
     * programs whose MPI calls all come from one thread (the usual SPMD program, on the thread that opened the
     * session): Open MPI then takes no locks, which makes small messages and collectives faster (see the package
     * documentation); the JVM's own threads do not call MPI. Calls from another thread are then the program's error
     * (not detected).
     */
    static final String THREADS_PROP = "multiproc4j.mpi.native.threads";
    /**
     * System property: {@code false} sends every large message through MPI, even when all the ranks share one node
     * (by default messages of more than 4,000 bytes and at most 2 MiB then go through the ranks' shared-memory
     * {@link Outbox}es).
     */
    static final String OUTBOX_PROP = "multiproc4j.mpi.native.outbox";

    private static final ElementType[] TYPES = ElementType.values();
    /** How long {@link #finish()} waits for this rank's sends to be received. */
    private static final long DRAIN_NANOS = 60_000_000_000L;

    final Engine engine;
    final boolean stageArrays = Boolean.getBoolean(STAGE_PROP);
    private final Lib lib;
    private final int provided;
    private final NativeComm world;
    private final NativeComm self;
    private final Thread opener = Thread.currentThread();
    private final Thread.UncaughtExceptionHandler previous;
    private volatile boolean finished;
    private volatile MemorySegment javaOp;
    private final ThreadLocal<Op> currentOp = new ThreadLocal<>();
    private final ThreadLocal<Throwable> opFailure = new ThreadLocal<>();

    private static boolean hookInstalled;
    private static volatile NativeSession current;

    /**
     * Opens this process's session (called reflectively by {@link NativeProvider}, which is compiled for Java 17).
     *
     * @return the session.
     */
    public static NativeSession open() {
        return new NativeSession(Lib.get());
    }

    NativeSession(Lib lib) {
        this.lib = lib;
        int wanted = threadLevelWanted(System.getProperty(THREADS_PROP));
        this.engine = new Engine(lib);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment flag = a.allocate(JAVA_INT);
            engine.check((int) lib.initialized.invokeExact(flag), "MPI_Initialized");
            if (flag.get(JAVA_INT, 0) == 0) {
                MemorySegment out = a.allocate(JAVA_INT);
                engine.check((int) lib.initThread.invokeExact(MemorySegment.NULL, MemorySegment.NULL,
                        wanted, out), "MPI_Init_thread");
                provided = out.get(JAVA_INT, 0);
            } else {
                // a session closed earlier in this process: MPI stays initialized until the JVM exits
                provided = wanted;
            }
            MemorySegment value = a.allocate(ADDRESS);
            MemorySegment found = a.allocate(JAVA_INT);
            engine.check((int) lib.commGetAttr.invokeExact(lib.commWorld, lib.keyTagUb, value, found),
                    "MPI_Comm_get_attr");
            engine.tagUb(found.get(JAVA_INT, 0) != 0 ? value.get(ADDRESS, 0).reinterpret(4).get(JAVA_INT, 0) : 32767);
            engine.check((int) lib.commSetErrhandler.invokeExact(lib.commWorld, lib.errorsReturn),
                    "MPI_Comm_set_errhandler");
            engine.check((int) lib.commSetErrhandler.invokeExact(lib.commSelf, lib.errorsReturn),
                    "MPI_Comm_set_errhandler");
        } catch (Throwable t) {
            throw Engine.rethrow(t);
        }
        if (provided < wanted) {
            throw new MpiException("mpi-native: this MPI library provides thread level " + provided
                    + ", and the backend asked for " + wanted + " (MPI_THREAD_MULTIPLE is 3, MPI_THREAD_SERIALIZED 2, "
                    + "MPI_THREAD_SINGLE 0; "
                    + THREADS_PROP + " chooses)");
        }
        engine.threadLevel(provided);
        world = new NativeComm(this, lib.commWorld);
        self = new NativeComm(this, lib.commSelf);
        if (!"false".equalsIgnoreCase(System.getProperty(OUTBOX_PROP, "true").trim())) {
            engine.outbox = Outbox.open(engine, world.rank(), world.size());
        }
        synchronized (NativeSession.class) {
            if (!hookInstalled) {
                hookInstalled = true;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    // shutdown hooks run concurrently: the session's own finish (Mpi's hook) comes first
                    NativeSession open = current;
                    if (open != null) {
                        if (!open.finished && open.opener.isAlive()) {
                            open.leaveWithoutFinalize();
                            return;
                        }
                        open.finish();
                    }
                    finalizeMpi(lib);
                }, "multiproc4j-mpi-native-finalize"));
            }
        }
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(this::uncaught);
        current = this;
    }

    private void uncaught(Thread t, Throwable e) {
        if (t == opener) {
            System.err.println("multiproc4j-mpi: rank " + world.rank() + " failed: uncaught " + e
                    + " in thread \"" + t.getName() + "\"; aborting the job");
            e.printStackTrace();
            System.err.flush();
            abort(1);
        }
        if (previous != null) {
            previous.uncaughtException(t, e);
        } else {
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace();
        }
    }

    private static void finalizeMpi(Lib lib) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment flag = a.allocate(JAVA_INT);
            int rc = (int) lib.initialized.invokeExact(flag);
            if (rc != 0 || flag.get(JAVA_INT, 0) == 0) {
                return;
            }
            rc = (int) lib.finalized.invokeExact(flag);
            if (rc != 0 || flag.get(JAVA_INT, 0) != 0) {
                return;
            }
            rc = (int) lib.finalizeMpi.invokeExact();
        } catch (Throwable t) {
            System.err.println("multiproc4j-mpi: MPI_Finalize failed: " + t);
        }
    }

    /**
     * Returns the thread level to ask MPI for.
     *
     * @param value the value of {@link #THREADS_PROP}: {@code null} or {@code multiple}, {@code serialized} or
     *              {@code single}.
     * @return {@code MPI_THREAD_MULTIPLE} (3), {@code MPI_THREAD_SERIALIZED} (2) or {@code MPI_THREAD_SINGLE} (0).
     * @throws MpiException naming the property and its values for anything else.
     */
    static int threadLevelWanted(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("multiple")) {
            return Lib.THREAD_MULTIPLE;
        }
        if (value.trim().equalsIgnoreCase("serialized")) {
            return Lib.THREAD_SERIALIZED;
        }
        if (value.trim().equalsIgnoreCase("single")) {
            return Lib.THREAD_SINGLE;
        }
        throw new MpiException("mpi-native: " + THREADS_PROP + " must be multiple, serialized or single, got \"" + value
                + "\"");
    }

    /**
     * Returns the thread level MPI provides.
     *
     * @return at least the level asked for ({@link #threadLevelWanted}): open fails with less.
     */
    int threadLevel() {
        return provided;
    }

    @Override
    public String backend() {
        return "native";    // NativeProvider.NAME; not referred to, so that it stays a Java 17 class (pom.xml)
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
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(Lib.MAX_NAME);
            MemorySegment len = a.allocate(JAVA_INT);
            engine.check((int) lib.processorName.invokeExact(name, len), "MPI_Get_processor_name");
            return name.getString(0);
        } catch (Throwable t) {
            throw Engine.rethrow(t);
        }
    }

    @Override
    public void abort(int code) {
        engine.aborting = true;
        System.err.println("multiproc4j-mpi: rank " + world.rank() + " called abort(" + code + "): ending the job");
        System.err.flush();
        try {
            int rc = (int) lib.abort.invokeExact(lib.commWorld, code == 0 ? 1 : code);
        } catch (Throwable t) {
            // MPI_Abort does not return; if it did, end this process anyway
        }
        Runtime.getRuntime().halt(code == 0 ? 1 : code);
    }

    /** Nothing: the finalize hook leaves without {@code MPI_Finalize} (see {@link #leaveWithoutFinalize()}). */
    @Override
    public void exitWhileOpen() {
    }

    /**
     * At JVM exit with the session open while its opener still runs ({@code System.exit} in the middle of the
     * program): no {@code MPI_Finalize}, which would wait for ranks blocked on this one; {@code mpirun} ends the job
     * when this process exits.
     */
    private void leaveWithoutFinalize() {
        System.err.println("multiproc4j-mpi: rank " + world.rank() + ": the JVM exits while its MPI session is open"
                + " and thread \"" + opener.getName() + "\" still runs: leaving without MPI_Finalize, so that mpirun"
                + " ends the job (close the Mpi before System.exit to finalize)");
        System.err.flush();
    }

    @Override
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (!engine.drain(System.nanoTime() + DRAIN_NANOS)) {
            System.err.println("multiproc4j-mpi: rank " + world.rank() + ": sends still unreceived after "
                    + DRAIN_NANOS / 1_000_000_000L + " s at close; finalizing anyway");
        }
        engine.unpostAll();
        if (engine.outbox != null) {
            // the mapping stays while the engine holds the outbox; receivers keep their own mappings of this one
            engine.outbox.close();
        }
        // MPI_Finalize runs in the shutdown hook, and the uncaught-exception handler stays: see the class comment
    }

    // ------------------------------------------------------------------ Java reduction operations

    /** The MPI operation that applies the calling thread's current Java {@link Op} (non-commutative: rank order). */
    MemorySegment javaOp() {
        MemorySegment op = javaOp;
        if (op == null) {
            synchronized (this) {
                op = javaOp;
                if (op == null) {
                    try (Arena a = Arena.ofConfined()) {
                        MemorySegment fn = lib.upcall(MethodHandles.lookup().findVirtual(NativeSession.class, "applyOp",
                                MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class,
                                        MemorySegment.class, MemorySegment.class)).bindTo(this),
                                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
                        MemorySegment h = a.allocate(ADDRESS);
                        engine.check((int) lib.opCreate.invokeExact(fn, 0, h), "MPI_Op_create");
                        op = lib.readHandle(h);
                        javaOp = op;
                    } catch (Throwable t) {
                        throw Engine.rethrow(t);
                    }
                }
            }
        }
        return op;
    }

    void javaOpBegin(Op op) {
        currentOp.set(op);
        opFailure.remove();
    }

    void javaOpEnd() {
        currentOp.remove();
        Throwable t = opFailure.get();
        opFailure.remove();
        if (t != null) {
            throw new MpiException("the reduction operation failed: " + t, t);
        }
    }

    /** MPI's callback: {@code inout[i] = in[i] op inout[i]}, {@code in} from the lower ranks. */
    @SuppressWarnings("unused")
    private void applyOp(MemorySegment in, MemorySegment inout, MemorySegment len, MemorySegment dtype) {
        try {
            int n = len.reinterpret(4).get(JAVA_INT, 0);
            long handle = lib.readHandle(dtype).address();
            ElementType t = typeOf(handle);
            long bytes = (long) n * t.size();
            Object a = t.newArray(n);
            Object b = t.newArray(n);
            MemorySegment as = NativeComm.segment(org.multiproc4j.mpi.Buf.ofArray(a));
            MemorySegment bs = NativeComm.segment(org.multiproc4j.mpi.Buf.ofArray(b));
            as.copyFrom(in.reinterpret(bytes));
            bs.copyFrom(inout.reinterpret(bytes));
            currentOp.get().apply(t, a, 0, b, 0, n);
            inout.reinterpret(bytes).copyFrom(as);
        } catch (Throwable e) {
            if (opFailure.get() == null) {
                opFailure.set(e);
            }
        }
    }

    private ElementType typeOf(long handle) {
        for (ElementType t : TYPES) {
            if (lib.type(t).address() == handle) {
                return t;
            }
        }
        throw new IllegalStateException("MPI called the Java operation with an unknown datatype " + handle);
    }
}
