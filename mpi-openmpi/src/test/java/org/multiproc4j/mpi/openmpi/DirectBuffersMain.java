package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.Op;

/**
 * The collectives that the backend hands direct buffers to MPI without staging, three rounds: {@code bcast} of a run
 * of 300,003 doubles (more than one 256 KiB staging chunk) at an element offset inside a larger buffer and of a
 * single long, from the last rank; a {@code bcast} and a {@code reduce} where some ranks pass direct buffers and the
 * others arrays; {@code allreduce} and {@code scan} from one direct buffer into another at offsets; an {@code
 * allreduce} whose send and receive runs overlap (staged); an {@code exscan} (staged: rank 0's receive buffer stays
 * untouched). Every element is checked on every rank, and the elements around each run must be untouched; each
 * rank then prints {@code DIRECT OK rank r}.
 */
public final class DirectBuffersMain {
    private DirectBuffersMain() {
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
            reductions(w, count);
            System.out.println("DIRECT OK rank " + me);
            System.out.flush();
        }
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private static void reductions(Comm w, int count) {
        int me = w.rank();
        int n = w.size();
        int root = n - 1;
        for (int round = 0; round < 3; round++) {
            // allreduce, direct into direct, at offsets 3 and 7, with guards around the receive run
            ByteBuffer in = direct((count + 3) * 8);
            ByteBuffer out = direct((count + 8) * 8);
            for (int i = 0; i < count; i++) {
                in.putDouble(8 * (i + 3), me + i + round);
            }
            for (int i = 0; i < count + 8; i++) {
                out.putDouble(8 * i, -5.0);
            }
            w.allreduce(Buf.of(in, ElementType.DOUBLE, 3, count), Buf.of(out, ElementType.DOUBLE, 7, count), Op.SUM);
            double ranks = n * (n - 1) / 2.0;
            for (int i = 0; i < count + 8; i++) {
                double want = i >= 7 && i < 7 + count ? ranks + (double) n * (i - 7 + round) : -5.0;
                check(out.getDouble(8 * i) == want, "rank " + me + " allreduce element " + i + " is "
                        + out.getDouble(8 * i) + ", expected " + want);
            }
            // reduce MAX to the last rank, odd ranks (not the root) passing long[]s
            boolean asArray = me != root && me % 2 == 1;
            long[] la = new long[count];
            long[] lr = new long[count];
            ByteBuffer ld = direct(count * 8);
            ByteBuffer lo = direct(count * 8);
            for (int i = 0; i < count; i++) {
                la[i] = (long) i * (me + 1) + round;
                ld.putLong(8 * i, la[i]);
            }
            w.reduce(asArray ? Buf.of(la) : Buf.of(ld, ElementType.LONG, 0, count),
                    asArray ? Buf.of(lr) : Buf.of(lo, ElementType.LONG, 0, count), Op.MAX, root);
            if (me == root) {
                for (int i = 0; i < count; i++) {
                    check(lo.getLong(8 * i) == (long) i * n + round, "reduce element " + i + " is " + lo.getLong(8 * i));
                }
            }
            // scan SUM of ints, direct into direct
            ByteBuffer si = direct(4 * 1000);
            ByteBuffer so = direct(4 * 1000);
            for (int i = 0; i < 1000; i++) {
                si.putInt(4 * i, me + 1 + i);
            }
            w.scan(Buf.of(si, ElementType.INT, 0, 1000), Buf.of(so, ElementType.INT, 0, 1000), Op.SUM);
            for (int i = 0; i < 1000; i++) {
                int want = (me + 1) * (me + 2) / 2 + (me + 1) * i;
                check(so.getInt(4 * i) == want, "rank " + me + " scan element " + i + " is " + so.getInt(4 * i));
            }
            // exscan: rank 0's receive run stays as it was
            ByteBuffer eo = direct(4 * 10);
            for (int i = 0; i < 10; i++) {
                eo.putInt(4 * i, -7);
            }
            w.exscan(Buf.of(si, ElementType.INT, 0, 10), Buf.of(eo, ElementType.INT, 0, 10), Op.SUM);
            for (int i = 0; i < 10; i++) {
                int want = me == 0 ? -7 : me * (me + 1) / 2 + me * i;
                check(eo.getInt(4 * i) == want, "rank " + me + " exscan element " + i + " is " + eo.getInt(4 * i));
            }
            // overlapping runs of one buffer: elements 0..99 into 50..149
            ByteBuffer ov = direct(8 * 150);
            for (int i = 0; i < 150; i++) {
                ov.putDouble(8 * i, i < 100 ? me + i : 0);
            }
            w.allreduce(Buf.of(ov, ElementType.DOUBLE, 0, 100), Buf.of(ov, ElementType.DOUBLE, 50, 100), Op.SUM);
            for (int i = 0; i < 100; i++) {
                check(ov.getDouble(8 * (50 + i)) == ranks + (double) n * i, "rank " + me + " overlapping allreduce"
                        + " element " + i + " is " + ov.getDouble(8 * (50 + i)));
            }
        }
    }
}
