package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Mpi;

/**
 * {@code bcast} of direct buffers, which the backend hands to MPI without staging: a run of 300,003 doubles (more
 * than one 256 KiB staging chunk) at an element offset inside a larger buffer, and a single long, from the last
 * rank, three rounds, and a bcast where some ranks pass a direct buffer and the others a {@code double[]}. Every
 * element of the run is checked on every rank, and the elements around it must be untouched; each rank then prints
 * {@code DIRECT BCAST OK rank r}.
 */
public final class DirectBcastMain {
    private DirectBcastMain() {
    }

    /**
     * Runs.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int me = w.rank();
            int root = w.size() - 1;
            int count = 300_003;
            int offset = 5;
            ByteBuffer big = ByteBuffer.allocateDirect((count + offset + 3) * 8).order(ByteOrder.nativeOrder());
            ByteBuffer one = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < count + offset + 3; i++) {
                    big.putDouble(8 * i, me == root ? i * 0.5 + round : -1.0 - me);
                }
                one.putLong(0, -7).putLong(8, me == root ? 1234567890123L + round : me).putLong(16, -9);
                w.bcast(Buf.of(big, ElementType.DOUBLE, offset, count), root);
                w.bcast(Buf.of(one, ElementType.LONG, 1, 1), root);
                for (int i = 0; i < count + offset + 3; i++) {
                    boolean inRun = i >= offset && i < offset + count;
                    double want = inRun || me == root ? i * 0.5 + round : -1.0 - me;
                    if (big.getDouble(8 * i) != want) {
                        throw new AssertionError("rank " + me + " round " + round + ": element " + i + " is "
                                + big.getDouble(8 * i) + ", expected " + want);
                    }
                }
                // ranks mixing forms: the last rank (the root) and every even rank pass a direct buffer, the
                // others a double[] (staged): MPI needs the same chunks on every rank
                boolean asArray = me != root && me % 2 == 1;
                double[] arr = new double[count];
                ByteBuffer mixed = ByteBuffer.allocateDirect(count * 8).order(ByteOrder.nativeOrder());
                for (int i = 0; i < count; i++) {
                    mixed.putDouble(8 * i, me == root ? i + 0.25 * round : -2.0);
                }
                w.bcast(asArray ? Buf.of(arr) : Buf.of(mixed, ElementType.DOUBLE, 0, count), root);
                for (int i = 0; i < count; i++) {
                    double got = asArray ? arr[i] : mixed.getDouble(8 * i);
                    if (got != i + 0.25 * round) {
                        throw new AssertionError("rank " + me + " round " + round + ": mixed bcast element " + i
                                + " is " + got);
                    }
                }
                if (one.getLong(0) != -7 || one.getLong(8) != 1234567890123L + round || one.getLong(16) != -9) {
                    throw new AssertionError("rank " + me + " round " + round + ": the long bcast gave " + one.getLong(0)
                            + " " + one.getLong(8) + " " + one.getLong(16));
                }
            }
            System.out.println("DIRECT BCAST OK rank " + me);
            System.out.flush();
        }
    }
}
