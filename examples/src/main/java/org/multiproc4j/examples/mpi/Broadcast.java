package org.multiproc4j.examples.mpi;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * Broadcast, two ways ({@code bcast.py}): a {@code double[]} with the buffer form of {@code bcast} (mpi4py's
 * {@code Bcast} of a numpy array), and a map with the object form (mpi4py's pickled {@code bcast}).
 *
 * <p>How to run: {@code bin/tour broadcast}, or {@code bin/mpi-launch -n 4 org.multiproc4j.examples.mpi.Broadcast}.
 */
public final class Broadcast {
    private Broadcast() {
    }

    /** Python's {@code 2+3j}: a complex number, printed as Python prints it. */
    record Complex(double re, double im) implements Serializable {
        @Override
        public String toString() {
            return "(" + fmt(re) + "+" + fmt(im) + "j)";
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /**
     * Broadcasts from rank 0 and prints what this rank got.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm comm = mpi.world();
            int rank = comm.rank();

            double[] data = new double[10];
            if (rank == 0) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = i;
                }
            }
            comm.bcast(Buf.of(data), 0);
            System.out.println("process " + rank + " array after Bcast: " + Arrays.toString(data));

            Map<String, Object> obj = null;
            if (rank == 0) {
                obj = new LinkedHashMap<>();
                obj.put("key1", List.of(7, 2.72, new Complex(2, 3)));
                obj.put("key2", List.of("abc", "xyz"));
            }
            obj = comm.bcast(obj, 0);
            System.out.println("process " + rank + " object after bcast: " + obj);
        }
    }
}
