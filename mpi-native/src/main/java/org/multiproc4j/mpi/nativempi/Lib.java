package org.multiproc4j.mpi.nativempi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.MpiException;

/**
 * The MPI C library as this backend sees it: {@code libmpi.so} (Open MPI) or {@code libmpich.so.12} (MPICH) found and
 * loaded once per process, the handles of its predefined objects and a method handle per function, made for its ABI.
 *
 * <p>Open MPI's ABI: {@code MPI_Comm}, {@code MPI_Datatype}, {@code MPI_Op}, {@code MPI_Request},
 * {@code MPI_Message} and {@code MPI_Errhandler} are pointers; the predefined ones are the addresses of exported
 * globals ({@code MPI_COMM_WORLD} is {@code &ompi_mpi_comm_world}); {@code MPI_Status} is
 * {@code {int source, tag, error, cancelled; size_t ucount}} (24 bytes). MPICH's: the handles are {@code int}s, the
 * predefined ones constants of its {@code mpi.h} (fixed since its 3.1 ABI), {@code MPI_Status} is
 * {@code {int count_lo, count_hi_and_cancelled, source, tag, error}}, {@code MPI_ANY_SOURCE} is -2. Handles are
 * {@code MemorySegment}s for both (an MPICH handle is the segment's address), so that callers do not see the
 * difference.
 */
// restricted methods (library lookup, downcalls, reinterpret) are this backend's purpose: the JVM needs
// --enable-native-access for it (package documentation)
@SuppressWarnings("restricted")
final class Lib {
    /** System property naming the MPI C library to load (a path, or a name dlopen finds). */
    static final String LIBRARY_PROP = "multiproc4j.mpi.native.library";
    /** The names tried, in order, when {@link #LIBRARY_PROP} is not set: the development link, then Open MPI's soname. */
    static final List<String> DEFAULT_NAMES = List.of("libmpi.so", "libmpi.so.40");
    /** MPICH's sonames, tried first under a launcher that is not Open MPI's. */
    static final List<String> MPICH_NAMES = List.of("libmpich.so.12", "libmpi.so.12");

    /** {@code MPI_ANY_TAG} (both ABIs). */
    static final int ANY_TAG = -1;
    static final int UNDEFINED = -32766;
    static final int THREAD_MULTIPLE = 3;
    static final int THREAD_SERIALIZED = 2;
    static final int THREAD_SINGLE = 0;
    /** Room for {@code MPI_MAX_PROCESSOR_NAME} and {@code MPI_MAX_ERROR_STRING} of both ABIs (at most 512). */
    static final int MAX_NAME = 1024;
    static final long STATUS_SIZE = 24;

    static final MemoryLayout STATUS = MemoryLayout.structLayout(JAVA_INT.withName("source"), JAVA_INT.withName("tag"),
            JAVA_INT.withName("error"), JAVA_INT.withName("cancelled"), JAVA_LONG.withName("ucount"));

    /**
     * In the function descriptors below, an MPI handle passed by value ({@code MPI_Comm}, {@code MPI_Datatype},
     * {@code MPI_Op}, {@code MPI_Errhandler}): a pointer in Open MPI, an {@code int} in MPICH. Call sites pass a
     * {@code MemorySegment} either way; for MPICH, {@link #fn} converts it to the {@code int} its address holds.
     */
    private static final AddressLayout H = ADDRESS.withName("handle");
    private static final MethodHandle TO_INT;

    static {
        try {
            TO_INT = MethodHandles.lookup().findStatic(Lib.class, "toInt",
                    MethodType.methodType(int.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int toInt(MemorySegment handle) {
        return (int) handle.address();
    }

    private static volatile Lib loaded;

    final String name;
    /** MPICH's ABI (also Intel MPI's, MVAPICH's): {@code int} handles, constants from its {@code mpi.h}. */
    final boolean mpich;
    /** {@code MPI_ANY_SOURCE}: -1 in Open MPI, -2 in MPICH. */
    final int anySource;
    /** The attribute key {@code MPI_TAG_UB} (0 in Open MPI, {@code 0x64400001} in MPICH). */
    final int keyTagUb;
    /** {@code MPI_IN_PLACE}: {@code (void *) 1} in Open MPI, {@code (void *) -1} in MPICH. */
    final MemorySegment inPlace;
    private final SymbolLookup lookup;
    private final Linker linker = Linker.nativeLinker();

    final MemorySegment commWorld;
    final MemorySegment commSelf;
    final MemorySegment commNull;
    final MemorySegment errorsReturn;
    final MemorySegment tByte;
    final MemorySegment tSignedChar;
    final MemorySegment tShort;
    final MemorySegment tUnsignedShort;
    final MemorySegment tInt;
    final MemorySegment tLong;
    final MemorySegment tFloat;
    final MemorySegment tDouble;
    final MemorySegment opSum;
    final MemorySegment opProd;
    final MemorySegment opMin;
    final MemorySegment opMax;
    final MemorySegment opLand;
    final MemorySegment opLor;
    final MemorySegment opLxor;
    final MemorySegment opBand;
    final MemorySegment opBor;
    final MemorySegment opBxor;

    final MethodHandle initThread;
    final MethodHandle initialized;
    final MethodHandle finalized;
    final MethodHandle finalizeMpi;
    final MethodHandle abort;
    final MethodHandle commRank;
    final MethodHandle commSize;
    final MethodHandle commDup;
    final MethodHandle commSplit;
    final MethodHandle commFree;
    final MethodHandle commSetErrhandler;
    final MethodHandle errorString;
    final MethodHandle processorName;
    final MethodHandle opCreate;
    /** Point to point on native memory. */
    final MethodHandle send;
    final MethodHandle recv;
    final MethodHandle isend;
    final MethodHandle irecv;
    final MethodHandle test;
    final MethodHandle cancel;
    final MethodHandle await;
    final MethodHandle improbe;
    final MethodHandle mprobe;
    final MethodHandle mrecv;
    final MethodHandle mrecvHeap;
    final MethodHandle commGetAttr;
    final MethodHandle getCount;
    /** The same functions with heap access ({@code Linker.Option.critical(true)}): Java arrays passed in place. */
    final MethodHandle sendHeap;
    final MethodHandle recvHeap;
    final MethodHandle barrier;
    final MethodHandle bcast;
    final MethodHandle bcastHeap;
    final MethodHandle scatterv;
    final MethodHandle scattervHeap;
    final MethodHandle gatherv;
    final MethodHandle gathervHeap;
    final MethodHandle allgatherv;
    final MethodHandle allgathervHeap;
    final MethodHandle alltoallv;
    final MethodHandle alltoallvHeap;
    final MethodHandle reduce;
    final MethodHandle reduceHeap;
    final MethodHandle allreduce;
    final MethodHandle allreduceHeap;
    final MethodHandle scan;
    final MethodHandle scanHeap;
    final MethodHandle exscan;
    final MethodHandle exscanHeap;

    private Lib(String name, SymbolLookup lookup, boolean mpich) {
        this.name = name;
        this.lookup = lookup;
        this.mpich = mpich;
        anySource = mpich ? -2 : -1;
        keyTagUb = mpich ? 0x64400001 : 0;
        inPlace = MemorySegment.ofAddress(mpich ? -1L : 1L);
        commWorld = predefined("ompi_mpi_comm_world", 0x44000000);
        commSelf = predefined("ompi_mpi_comm_self", 0x44000001);
        commNull = predefined("ompi_mpi_comm_null", 0x04000000);
        errorsReturn = predefined("ompi_mpi_errors_return", 0x54000001);
        tByte = predefined("ompi_mpi_byte", 0x4c00010d);
        tSignedChar = predefined("ompi_mpi_signed_char", 0x4c000118);
        tShort = predefined("ompi_mpi_short", 0x4c000203);
        tUnsignedShort = predefined("ompi_mpi_unsigned_short", 0x4c000204);
        tInt = predefined("ompi_mpi_int", 0x4c000405);
        tLong = predefined("ompi_mpi_long", 0x4c000807);
        tFloat = predefined("ompi_mpi_float", 0x4c00040a);
        tDouble = predefined("ompi_mpi_double", 0x4c00080b);
        opSum = predefined("ompi_mpi_op_sum", 0x58000003);
        opProd = predefined("ompi_mpi_op_prod", 0x58000004);
        opMin = predefined("ompi_mpi_op_min", 0x58000002);
        opMax = predefined("ompi_mpi_op_max", 0x58000001);
        opLand = predefined("ompi_mpi_op_land", 0x58000005);
        opLor = predefined("ompi_mpi_op_lor", 0x58000007);
        opLxor = predefined("ompi_mpi_op_lxor", 0x58000009);
        opBand = predefined("ompi_mpi_op_band", 0x58000006);
        opBor = predefined("ompi_mpi_op_bor", 0x58000008);
        opBxor = predefined("ompi_mpi_op_bxor", 0x5800000a);

        FunctionDescriptor p2p = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, H, JAVA_INT, JAVA_INT, H);
        FunctionDescriptor recvD = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, H, JAVA_INT, JAVA_INT,
                H, ADDRESS);
        FunctionDescriptor ip2p = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, H, JAVA_INT, JAVA_INT,
                H, ADDRESS);
        initThread = fn("MPI_Init_thread", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        initialized = fn("MPI_Initialized", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        finalized = fn("MPI_Finalized", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        finalizeMpi = fn("MPI_Finalize", FunctionDescriptor.of(JAVA_INT));
        abort = fn("MPI_Abort", FunctionDescriptor.of(JAVA_INT, H, JAVA_INT));
        commRank = fn("MPI_Comm_rank", FunctionDescriptor.of(JAVA_INT, H, ADDRESS));
        commSize = fn("MPI_Comm_size", FunctionDescriptor.of(JAVA_INT, H, ADDRESS));
        commDup = fn("MPI_Comm_dup", FunctionDescriptor.of(JAVA_INT, H, ADDRESS));
        commSplit = fn("MPI_Comm_split", FunctionDescriptor.of(JAVA_INT, H, JAVA_INT, JAVA_INT, ADDRESS));
        commFree = fn("MPI_Comm_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        commSetErrhandler = fn("MPI_Comm_set_errhandler", FunctionDescriptor.of(JAVA_INT, H, H));
        errorString = fn("MPI_Error_string", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        processorName = fn("MPI_Get_processor_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        opCreate = fn("MPI_Op_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        send = fn("MPI_Send", p2p);
        sendHeap = critical("MPI_Send", p2p);
        recv = fn("MPI_Recv", recvD);
        recvHeap = critical("MPI_Recv", recvD);
        isend = fn("MPI_Isend", ip2p);
        irecv = fn("MPI_Irecv", ip2p);
        test = fn("MPI_Test", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        await = fn("MPI_Wait", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        cancel = fn("MPI_Cancel", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        improbe = fn("MPI_Improbe", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, H, ADDRESS, ADDRESS,
                ADDRESS));
        mprobe = fn("MPI_Mprobe", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, H, ADDRESS, ADDRESS));
        FunctionDescriptor mrecvD = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, H, ADDRESS, ADDRESS);
        mrecv = fn("MPI_Mrecv", mrecvD);
        mrecvHeap = critical("MPI_Mrecv", mrecvD);
        commGetAttr = fn("MPI_Comm_get_attr", FunctionDescriptor.of(JAVA_INT, H, JAVA_INT, ADDRESS, ADDRESS));
        getCount = fn("MPI_Get_count", FunctionDescriptor.of(JAVA_INT, ADDRESS, H, ADDRESS));
        barrier = fn("MPI_Barrier", FunctionDescriptor.of(JAVA_INT, H));
        FunctionDescriptor bc = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, H, JAVA_INT, H);
        bcast = fn("MPI_Bcast", bc);
        bcastHeap = critical("MPI_Bcast", bc);
        FunctionDescriptor sv = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, H, ADDRESS, JAVA_INT,
                H, JAVA_INT, H);
        scatterv = fn("MPI_Scatterv", sv);
        scattervHeap = critical("MPI_Scatterv", sv);
        FunctionDescriptor gv = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, H, ADDRESS, ADDRESS, ADDRESS,
                H, JAVA_INT, H);
        gatherv = fn("MPI_Gatherv", gv);
        gathervHeap = critical("MPI_Gatherv", gv);
        FunctionDescriptor agv = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, H, ADDRESS, ADDRESS, ADDRESS,
                H, H);
        allgatherv = fn("MPI_Allgatherv", agv);
        allgathervHeap = critical("MPI_Allgatherv", agv);
        FunctionDescriptor a2av = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, H, ADDRESS, ADDRESS,
                ADDRESS, H, H);
        alltoallv = fn("MPI_Alltoallv", a2av);
        alltoallvHeap = critical("MPI_Alltoallv", a2av);
        FunctionDescriptor red = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, H, H, JAVA_INT,
                H);
        reduce = fn("MPI_Reduce", red);
        reduceHeap = critical("MPI_Reduce", red);
        FunctionDescriptor ared = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, H, H, H);
        allreduce = fn("MPI_Allreduce", ared);
        allreduceHeap = critical("MPI_Allreduce", ared);
        scan = fn("MPI_Scan", ared);
        scanHeap = critical("MPI_Scan", ared);
        exscan = fn("MPI_Exscan", ared);
        exscanHeap = critical("MPI_Exscan", ared);
    }

    /**
     * Returns the library, loading it at the first call.
     *
     * @return the library.
     * @throws MpiException if no MPI C library can be loaded, or the one found is of an unknown ABI; the message names
     *                      every name or path tried and the property that sets it.
     */
    static Lib get() {
        Lib l = loaded;
        if (l == null) {
            synchronized (Lib.class) {
                l = loaded;
                if (l == null) {
                    l = load(System.getProperty(LIBRARY_PROP));
                    loaded = l;
                }
            }
        }
        return l;
    }

    /**
     * Loads the MPI C library from a path or name, or from {@link #DEFAULT_NAMES}.
     *
     * @param wanted a path or a name, or {@code null} for the default names.
     * @return the library.
     * @throws MpiException naming what was looked for.
     */
    static Lib load(String wanted) {
        keepJvmSignals();
        List<String> names = wanted == null || wanted.isBlank() ? defaultNames() : List.of(wanted.trim());
        List<String> failures = new ArrayList<>();
        for (String n : names) {
            SymbolLookup lookup;
            try {
                lookup = n.contains("/") ? SymbolLookup.libraryLookup(Path.of(n), Arena.global())
                        : SymbolLookup.libraryLookup(n, Arena.global());
            } catch (IllegalArgumentException e) {
                String why = n.contains("/") && !Files.exists(Path.of(n)) ? "no such file" : "dlopen failed";
                failures.add(n + " (" + why + ")");
                continue;
            }
            if (lookup.find("MPI_Init_thread").isEmpty()) {
                throw new MpiException("mpi-native: " + n + " is not an MPI C library (it has no MPI_Init_thread); set "
                        + LIBRARY_PROP + " to the path of Open MPI's libmpi.so or MPICH's libmpich.so.12");
            }
            if (lookup.find("ompi_mpi_comm_world").isPresent()) {
                return new Lib(n, lookup, false);
            }
            String version = libraryVersion(lookup);
            if (version.contains("MPICH") || version.contains("MVAPICH") || version.contains("Intel(R) MPI")) {
                return new Lib(n, lookup, true);
            }
            throw new MpiException("mpi-native: " + n + " is an MPI library of an ABI this backend does not know (it is "
                    + "neither Open MPI's nor MPICH's; MPI_Get_library_version says \"" + version.lines().findFirst()
                    .orElse("") + "\"); set " + LIBRARY_PROP + " to the path of Open MPI's libmpi.so or MPICH's "
                    + "libmpich.so.12");
        }
        throw new MpiException("mpi-native: cannot load the MPI C library: tried " + String.join(", ", failures)
                + (wanted == null || wanted.isBlank() ? " on dlopen's search path (LD_LIBRARY_PATH, /etc/ld.so.cache); "
                        + "install Open MPI (Debian/Ubuntu: libopenmpi-dev) or set " + LIBRARY_PROP
                        + " to the path of its libmpi.so"
                        : ", named by " + LIBRARY_PROP));
    }

    /**
     * Keeps UCX (which MPICH's {@code ch4:ucx} and Open MPI's {@code pml/ucx} load) from catching {@code SIGSEGV}: the
     * JVM raises it on purpose (null checks, safepoint polls), and UCX's handler would end the process. Sets
     * {@code UCX_ERROR_SIGNALS} to empty in this process before the library (and UCX, which reads it when loaded) is
     * loaded, unless the environment sets it already.
     */
    private static void keepJvmSignals() {
        try (Arena a = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            int rc = (int) setenv.invokeExact(a.allocateFrom("UCX_ERROR_SIGNALS"), a.allocateFrom(""), 0);
        } catch (Throwable t) {
            // without it the library still loads; only UCX's signal handling stays on
        }
    }

    /**
     * Returns the library names to try: Open MPI's first under Open MPI's launcher (or no launcher), MPICH's first
     * under another one (MPICH's Hydra sets {@code PMI_RANK}, not {@code OMPI_COMM_WORLD_SIZE}).
     *
     * @return the names, in order.
     */
    static List<String> defaultNames() {
        boolean other = System.getenv("OMPI_COMM_WORLD_SIZE") == null && System.getenv("PMI_RANK") != null;
        if (!other) {
            return DEFAULT_NAMES;
        }
        List<String> names = new ArrayList<>(MPICH_NAMES);
        names.addAll(DEFAULT_NAMES);
        return names;
    }

    /** {@code MPI_Get_library_version} (callable before {@code MPI_Init}), or "" if it fails. */
    private static String libraryVersion(SymbolLookup lookup) {
        try (Arena a = Arena.ofConfined()) {
            MethodHandle v = Linker.nativeLinker().downcallHandle(lookup.find("MPI_Get_library_version").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            MemorySegment text = a.allocate(8192);
            MemorySegment len = a.allocate(JAVA_INT);
            int rc = (int) v.invokeExact(text, len);
            return rc == 0 ? text.getString(0) : "";
        } catch (Throwable t) {
            return "";
        }
    }

    private MemorySegment global(String symbol) {
        return lookup.find(symbol).orElseThrow(() -> new MpiException("mpi-native: " + name + " has no symbol " + symbol
                + " (not the Open MPI 4.x/5.x ABI this backend is written for)"));
    }

    /** A predefined handle: the address of Open MPI's global, or MPICH's constant from its {@code mpi.h}. */
    private MemorySegment predefined(String ompiSymbol, int mpichValue) {
        return mpich ? MemorySegment.ofAddress(Integer.toUnsignedLong(mpichValue)) : global(ompiSymbol);
    }

    private MethodHandle fn(String symbol, FunctionDescriptor d) {
        return adapt(linker.downcallHandle(global(symbol), abi(d)), d);
    }

    private MethodHandle critical(String symbol, FunctionDescriptor d) {
        return adapt(linker.downcallHandle(global(symbol), abi(d), Linker.Option.critical(true)), d);
    }

    /** The descriptor as this library's ABI has it: MPICH's handles by value are {@code int}s. */
    private FunctionDescriptor abi(FunctionDescriptor d) {
        if (!mpich) {
            return d;
        }
        MemoryLayout[] args = d.argumentLayouts().toArray(new MemoryLayout[0]);
        for (int i = 0; i < args.length; i++) {
            if (H.equals(args[i])) {
                args[i] = JAVA_INT;
            }
        }
        return FunctionDescriptor.of(d.returnLayout().orElseThrow(), args);
    }

    /** Makes an MPICH handle take a {@code MemorySegment} for each {@code int} handle, as Open MPI's does. */
    private MethodHandle adapt(MethodHandle h, FunctionDescriptor d) {
        if (!mpich) {
            return h;
        }
        List<MemoryLayout> args = d.argumentLayouts();
        for (int i = 0; i < args.size(); i++) {
            if (H.equals(args.get(i))) {
                h = MethodHandles.filterArguments(h, i, TO_INT);
            }
        }
        return h;
    }

    /**
     * Reads a handle that MPI wrote through a pointer ({@code MPI_Comm *newcomm}, the datatype of a user operation).
     *
     * @param cell the memory MPI wrote, at least 8 bytes for Open MPI, 4 for MPICH.
     * @return the handle, as the downcalls take it.
     */
    MemorySegment readHandle(MemorySegment cell) {
        return mpich ? MemorySegment.ofAddress(Integer.toUnsignedLong(cell.reinterpret(4).get(JAVA_INT, 0)))
                : cell.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
    }

    /**
     * Returns a status's source.
     *
     * @param status an {@code MPI_Status} (Open MPI: {@code {source, tag, error, cancelled, size_t count}}; MPICH:
     *               {@code {count_lo, count_hi_and_cancelled, source, tag, error}}).
     * @return the source rank.
     */
    int statusSource(MemorySegment status) {
        return status.get(JAVA_INT, mpich ? 8 : 0);
    }

    /**
     * Returns a status's tag.
     *
     * @param status an {@code MPI_Status}.
     * @return the tag.
     */
    int statusTag(MemorySegment status) {
        return status.get(JAVA_INT, mpich ? 12 : 4);
    }

    /**
     * Returns a status's byte count (of a receive of {@code MPI_BYTE}s).
     *
     * @param status an {@code MPI_Status}.
     * @return the count.
     */
    long statusBytes(MemorySegment status) {
        if (mpich) {
            return Integer.toUnsignedLong(status.get(JAVA_INT, 0)) | (long) (status.get(JAVA_INT, 4) >>> 1) << 32;
        }
        return status.get(JAVA_LONG, 16);
    }

    /**
     * Returns the MPI datatype of an element type: {@code char} is {@code MPI_UNSIGNED_SHORT}, {@code byte}
     * {@code MPI_SIGNED_CHAR} (so that arithmetic reductions apply), {@code long} {@code MPI_LONG} (64 bits on the
     * LP64 platforms this backend runs on).
     *
     * @param t the element type.
     * @return the handle.
     */
    MemorySegment type(ElementType t) {
        return switch (t) {
            case BYTE -> tSignedChar;
            case SHORT -> tShort;
            case CHAR -> tUnsignedShort;
            case INT -> tInt;
            case LONG -> tLong;
            case FLOAT -> tFloat;
            case DOUBLE -> tDouble;
        };
    }

    /**
     * Makes an upcall stub for a function pointer of this library.
     *
     * @param target the Java method.
     * @param d      its C signature.
     * @return the stub, valid for the life of the process.
     */
    MemorySegment upcall(MethodHandle target, FunctionDescriptor d) {
        return linker.upcallStub(target, d, Arena.global());
    }

    /**
     * Returns MPI's text for an error code.
     *
     * @param code an error code.
     * @return the text, or the code if MPI has none.
     */
    String errorText(int code) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(MAX_NAME);
            MemorySegment len = a.allocate(JAVA_INT);
            int rc = (int) errorString.invokeExact(code, s, len);
            return rc == 0 ? s.getString(0) : "MPI error " + code;
        } catch (Throwable t) {
            return "MPI error " + code;
        }
    }
}
