package org.multiproc4j.mpi.openmpi;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.Op;

/**
 * Large {@code allreduce}s (above {@link OpenMpiComm#NODE_ALLREDUCE}, several steps of the {@link NodeArea} and a
 * partial last one) of every element type with every built-in operation that applies to it, in five forms: arrays,
 * arrays at offsets, direct buffers, arrays on rank 0 and direct buffers elsewhere, and {@code recv} the same array
 * as {@code send}; between them a bcast and a scatter through the same area. The first of them makes the area (it
 * is checked). Every rank checks every element against
 * the rank-order fold of all contributions (computed locally with {@link Op#apply}), bit for bit, and prints
 * {@code ALLREDUCE OK rank r}.
 */
public final class AllreduceMain {
    private static final List<Op> BUILTIN = List.of(Op.SUM, Op.PROD, Op.MIN, Op.MAX, Op.LAND, Op.LOR, Op.LXOR,
            Op.BAND, Op.BOR, Op.BXOR);
    private static final int PAD = 5;

    private AllreduceMain() {
    }

    /** Rank r's element i: small values (0, 1, 2 among them), negative and fractional ones for floating types. */
    private static Object contribution(ElementType t, int r, int count) {
        Object a = t.newArray(count);
        for (int i = 0; i < count; i++) {
            int v = (i * 7 + r * 13) % 5 - 1 + (i % 97 == 0 ? r : 0);
            switch (t) {
                case DOUBLE: Array.setDouble(a, i, v * 0.37 + r * 1.1 + i * 1e-3); break;
                case FLOAT: Array.setFloat(a, i, (float) (v * 0.37 + r * 1.1 + (i % 1000) * 1e-3)); break;
                case LONG: Array.setLong(a, i, v * 1_000_003L + (i % 3 == 0 ? (long) r << 40 : 0)); break;
                case INT: Array.setInt(a, i, v * 1_003 + (i % 3 == 0 ? r << 20 : 0)); break;
                case SHORT: Array.setShort(a, i, (short) (v * 3 + r)); break;
                case CHAR: Array.setChar(a, i, (char) (v + 1 + r)); break;
                default: Array.setByte(a, i, (byte) (v + r)); break;
            }
        }
        return a;
    }

    private static Buf direct(ElementType t, Object values, int count) {
        ByteBuffer b = ByteBuffer.allocateDirect((count + PAD) * t.size()).order(ByteOrder.nativeOrder());
        Buf buf = Buf.of(b, t, PAD, count);
        org.multiproc4j.mpi.internal.Mem.copy(Buf.ofArray(values), buf);
        return buf;
    }

    private static Object read(Buf b) {
        Object a = b.type().newArray(b.count());
        org.multiproc4j.mpi.internal.Mem.copy(b, Buf.ofArray(a));
        return a;
    }

    private static Buf offsetArray(ElementType t, Object values, int count) {
        Object a = t.newArray(count + 2 * PAD);
        System.arraycopy(values, 0, a, PAD, count);
        Buf whole = Buf.ofArray(a);
        return sub(whole, t, PAD, count);
    }

    private static Buf sub(Buf whole, ElementType t, int offset, int count) {
        Object a = whole.array();
        switch (t) {
            case DOUBLE: return Buf.of((double[]) a, offset, count);
            case FLOAT: return Buf.of((float[]) a, offset, count);
            case LONG: return Buf.of((long[]) a, offset, count);
            case INT: return Buf.of((int[]) a, offset, count);
            case SHORT: return Buf.of((short[]) a, offset, count);
            case CHAR: return Buf.of((char[]) a, offset, count);
            default: return Buf.of((byte[]) a, offset, count);
        }
    }

    /**
     * Runs.
     *
     * @param args nothing.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int me = w.rank();
            int n = w.size();
            int checked = 0;
            for (ElementType t : ElementType.values()) {
                // about 2.3 regions of the area per rank: several steps and a partial last one
                int count = (int) ((long) 2 * NodeAreaProbe.regionBytes(n) / t.size()) + 3 + t.ordinal();
                Object[] all = new Object[n];
                for (int r = 0; r < n; r++) {
                    all[r] = contribution(t, r, count);
                }
                for (Op op : BUILTIN) {
                    if (!op.supports(t)) {
                        continue;
                    }
                    Object expected = t.newArray(count);
                    System.arraycopy(all[0], 0, expected, 0, count);
                    for (int r = 1; r < n; r++) {
                        op.apply(t, expected, 0, all[r], 0, count);
                    }
                    for (int form = 0; form < 5; form++) {
                        Object mine = all[me];
                        Buf send;
                        Buf recv;
                        switch (form) {
                            case 0:
                                send = Buf.ofArray(copy(mine, count));
                                recv = Buf.ofArray(t.newArray(count));
                                break;
                            case 1:
                                send = offsetArray(t, mine, count);
                                recv = offsetArray(t, t.newArray(count), count);
                                break;
                            case 2:
                                send = direct(t, mine, count);
                                recv = direct(t, t.newArray(count), count);
                                break;
                            case 3:
                                send = me == 0 ? Buf.ofArray(copy(mine, count)) : direct(t, mine, count);
                                recv = me == 0 ? Buf.ofArray(t.newArray(count)) : direct(t, t.newArray(count), count);
                                break;
                            default:
                                send = Buf.ofArray(copy(mine, count));
                                recv = send;
                                break;
                        }
                        w.allreduce(send, recv, op);
                        if (checked == 0 && !((OpenMpiComm) w.backend()).hasNodeArea()) {
                            throw new AssertionError("rank " + me + ": no node area after a large allreduce on one node");
                        }
                        Object got = read(recv);
                        for (int i = 0; i < count; i++) {
                            Object g = Array.get(got, i);
                            Object e = Array.get(expected, i);
                            if (!g.equals(e)) {
                                throw new AssertionError("rank " + me + ": allreduce " + op + " of " + count + " " + t
                                        + " (form " + form + "): element " + i + " is " + g + ", expected " + e);
                            }
                        }
                        checked++;
                    }
                    // a bcast and a scatter through the same area between the reductions
                    double[] b = new double[(OpenMpiComm.NODE_BCAST + 8 * 1000) / 8];
                    if (me == checked % n) {
                        java.util.Arrays.fill(b, checked);
                    }
                    w.bcast(Buf.of(b), checked % n);
                    double[] part = new double[1000];
                    double[] whole = me == 0 ? new double[1000 * n] : null;
                    if (me == 0) {
                        for (int i = 0; i < whole.length; i++) {
                            whole[i] = i + checked;
                        }
                    }
                    w.scatter(me == 0 ? Buf.of(whole) : null, Buf.of(part), 0);
                    if (b[b.length - 1] != checked || part[999] != me * 1000 + 999 + checked) {
                        throw new AssertionError("rank " + me + ": bcast/scatter between allreduces: " + b[b.length - 1]
                                + " " + part[999]);
                    }
                }
            }
            System.out.println("ALLREDUCE OK rank " + me + " (" + checked + " reductions)");
            System.out.flush();
        }
    }

    private static Object copy(Object a, int count) {
        Object c = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), count);
        System.arraycopy(a, 0, c, 0, count);
        return c;
    }

    /** The allreduce region of the area (as {@link NodeArea} sizes it), to choose counts of several steps. */
    static final class NodeAreaProbe {
        private NodeAreaProbe() {
        }

        static int regionBytes(int size) {
            return NodeArea.regionBytes(size);
        }
    }
}
