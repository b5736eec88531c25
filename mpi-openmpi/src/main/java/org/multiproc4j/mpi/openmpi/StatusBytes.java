package org.multiproc4j.mpi.openmpi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

import mpi.MPI;
import mpi.MPIException;
import mpi.Status;

/**
 * The byte count of a received message's {@link Status} without a call into the JNI library. The bindings keep a
 * status as six {@code long}s ({@code source, tag, error, cancelled, count in bytes, ...}) and {@code getCount} passes
 * them back to C to compute {@code MPI_Get_count}; for {@code MPI_BYTE} that is the fifth field itself. The field is
 * read through a private lookup when the bindings allow it and {@link #check} confirmed it on a real message at
 * start-up; otherwise {@code getCount(MPI.BYTE)} is called. Thread-safe.
 */
final class StatusBytes {
    private static final int COUNT = 4;
    private static final MethodHandle DATA = data();
    private static volatile boolean trusted;

    private StatusBytes() {
    }

    private static MethodHandle data() {
        try {
            return MethodHandles.privateLookupIn(Status.class, MethodHandles.lookup()).findGetter(Status.class, "data",
                    long[].class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Trusts the field only if it agrees with {@code MPI_Get_count} on {@code st}, a status of a message of at least
     * one byte.
     *
     * @param st a status from a receive.
     */
    static void check(Status st) throws MPIException {
        trusted = DATA != null && read(st) == st.getCount(MPI.BYTE) && read(st) > 0;
    }

    private static long read(Status st) {
        try {
            long[] d = (long[]) DATA.invokeExact(st);
            return d.length > COUNT ? d[COUNT] : -1;
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * The bytes of the message of {@code st}.
     *
     * @param st a status from a receive or probe.
     * @return the count, in bytes.
     */
    static int of(Status st) throws MPIException {
        if (trusted) {
            try {
                long[] d = (long[]) DATA.invokeExact(st);
                return (int) d[COUNT];
            } catch (Throwable e) {
                trusted = false;
            }
        }
        return st.getCount(MPI.BYTE);
    }
}
