package org.multiproc4j.mpi.nativempi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.MpiException;

/**
 * The MPI C library as this backend sees it: {@code libmpi.so} found and loaded once per process, the handles of
 * Open MPI's predefined objects (addresses of its exported globals) and a method handle per function.
 *
 * <p>Open MPI's ABI: {@code MPI_Comm}, {@code MPI_Datatype}, {@code MPI_Op}, {@code MPI_Request},
 * {@code MPI_Message} and {@code MPI_Errhandler} are pointers; the predefined ones are the addresses of exported
 * globals ({@code MPI_COMM_WORLD} is {@code &ompi_mpi_comm_world}); {@code MPI_Status} is
 * {@code {int source, tag, error, cancelled; size_t ucount}} (24 bytes). The numeric constants used here
 * ({@code MPI_ANY_SOURCE = MPI_ANY_TAG = -1}, {@code MPI_UNDEFINED = -32766}, {@code MPI_THREAD_MULTIPLE = 3},
 * {@code MPI_MAX_PROCESSOR_NAME = MPI_MAX_ERROR_STRING = 256}) are those of Open MPI 4.x and 5.x's {@code mpi.h}.
 */
// restricted methods (library lookup, downcalls, reinterpret) are this backend's purpose: the JVM needs
// --enable-native-access for it (package documentation)
@SuppressWarnings("restricted")
final class Lib {
    /** System property naming the MPI C library to load (a path, or a name dlopen finds). */
    static final String LIBRARY_PROP = "multiproc4j.mpi.native.library";
    /** The names tried, in order, when {@link #LIBRARY_PROP} is not set: the development link, then Open MPI's soname. */
    static final List<String> DEFAULT_NAMES = List.of("libmpi.so", "libmpi.so.40");

    static final int ANY = -1;
    static final int UNDEFINED = -32766;
    static final int THREAD_MULTIPLE = 3;
    static final int THREAD_SERIALIZED = 2;
    static final int MAX_NAME = 256;
    static final long STATUS_SIZE = 24;
    /** {@code MPI_TAG_UB}, the attribute key of the largest tag. */
    static final int KEY_TAG_UB = 0;

    static final MemoryLayout STATUS = MemoryLayout.structLayout(JAVA_INT.withName("source"), JAVA_INT.withName("tag"),
            JAVA_INT.withName("error"), JAVA_INT.withName("cancelled"), JAVA_LONG.withName("ucount"));

    private static volatile Lib loaded;

    final String name;
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

    private Lib(String name, SymbolLookup lookup) {
        this.name = name;
        this.lookup = lookup;
        commWorld = global("ompi_mpi_comm_world");
        commSelf = global("ompi_mpi_comm_self");
        commNull = global("ompi_mpi_comm_null");
        errorsReturn = global("ompi_mpi_errors_return");
        tByte = global("ompi_mpi_byte");
        tSignedChar = global("ompi_mpi_signed_char");
        tShort = global("ompi_mpi_short");
        tUnsignedShort = global("ompi_mpi_unsigned_short");
        tInt = global("ompi_mpi_int");
        tLong = global("ompi_mpi_long");
        tFloat = global("ompi_mpi_float");
        tDouble = global("ompi_mpi_double");
        opSum = global("ompi_mpi_op_sum");
        opProd = global("ompi_mpi_op_prod");
        opMin = global("ompi_mpi_op_min");
        opMax = global("ompi_mpi_op_max");
        opLand = global("ompi_mpi_op_land");
        opLor = global("ompi_mpi_op_lor");
        opLxor = global("ompi_mpi_op_lxor");
        opBand = global("ompi_mpi_op_band");
        opBor = global("ompi_mpi_op_bor");
        opBxor = global("ompi_mpi_op_bxor");

        FunctionDescriptor p2p = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
        FunctionDescriptor recvD = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS);
        FunctionDescriptor ip2p = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS);
        initThread = fn("MPI_Init_thread", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        initialized = fn("MPI_Initialized", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        finalized = fn("MPI_Finalized", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        finalizeMpi = fn("MPI_Finalize", FunctionDescriptor.of(JAVA_INT));
        abort = fn("MPI_Abort", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        commRank = fn("MPI_Comm_rank", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        commSize = fn("MPI_Comm_size", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        commDup = fn("MPI_Comm_dup", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        commSplit = fn("MPI_Comm_split", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        commFree = fn("MPI_Comm_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        commSetErrhandler = fn("MPI_Comm_set_errhandler", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
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
        improbe = fn("MPI_Improbe", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS));
        mprobe = fn("MPI_Mprobe", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        FunctionDescriptor mrecvD = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        mrecv = fn("MPI_Mrecv", mrecvD);
        mrecvHeap = critical("MPI_Mrecv", mrecvD);
        commGetAttr = fn("MPI_Comm_get_attr", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        getCount = fn("MPI_Get_count", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        barrier = fn("MPI_Barrier", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        FunctionDescriptor bc = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        bcast = fn("MPI_Bcast", bc);
        bcastHeap = critical("MPI_Bcast", bc);
        FunctionDescriptor sv = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS, JAVA_INT, ADDRESS);
        scatterv = fn("MPI_Scatterv", sv);
        scattervHeap = critical("MPI_Scatterv", sv);
        FunctionDescriptor gv = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, JAVA_INT, ADDRESS);
        gatherv = fn("MPI_Gatherv", gv);
        gathervHeap = critical("MPI_Gatherv", gv);
        FunctionDescriptor agv = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS);
        allgatherv = fn("MPI_Allgatherv", agv);
        allgathervHeap = critical("MPI_Allgatherv", agv);
        FunctionDescriptor a2av = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS);
        alltoallv = fn("MPI_Alltoallv", a2av);
        alltoallvHeap = critical("MPI_Alltoallv", a2av);
        FunctionDescriptor red = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS);
        reduce = fn("MPI_Reduce", red);
        reduceHeap = critical("MPI_Reduce", red);
        FunctionDescriptor ared = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
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
     * @throws MpiException if no MPI C library can be loaded, or the one found is not Open MPI's; the message names
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
        List<String> names = wanted == null || wanted.isBlank() ? DEFAULT_NAMES : List.of(wanted.trim());
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
                        + LIBRARY_PROP + " to the path of Open MPI's libmpi.so");
            }
            if (lookup.find("ompi_mpi_comm_world").isEmpty()) {
                throw new MpiException("mpi-native: " + n + " is an MPI library but not Open MPI's (it has no "
                        + "ompi_mpi_comm_world; MPICH and its derivatives are not supported yet, see the package "
                        + "documentation); set " + LIBRARY_PROP + " to the path of Open MPI's libmpi.so");
            }
            return new Lib(n, lookup);
        }
        throw new MpiException("mpi-native: cannot load the MPI C library: tried " + String.join(", ", failures)
                + (wanted == null || wanted.isBlank() ? " on dlopen's search path (LD_LIBRARY_PATH, /etc/ld.so.cache); "
                        + "install Open MPI (Debian/Ubuntu: libopenmpi-dev) or set " + LIBRARY_PROP
                        + " to the path of its libmpi.so"
                        : ", named by " + LIBRARY_PROP));
    }

    private MemorySegment global(String symbol) {
        return lookup.find(symbol).orElseThrow(() -> new MpiException("mpi-native: " + name + " has no symbol " + symbol
                + " (not the Open MPI 4.x/5.x ABI this backend is written for)"));
    }

    private MethodHandle fn(String symbol, FunctionDescriptor d) {
        return linker.downcallHandle(global(symbol), d);
    }

    private MethodHandle critical(String symbol, FunctionDescriptor d) {
        return linker.downcallHandle(global(symbol), d, Linker.Option.critical(true));
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
