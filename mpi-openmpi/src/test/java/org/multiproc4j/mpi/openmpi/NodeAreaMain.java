package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.MpiException;

/**
 * The collectives that go through a communicator's shared-memory {@link NodeArea} when its ranks share a node:
 * checks that the world has one after its first large {@code bcast}, then, over many rounds with the root moving
 * from rank to rank, large {@code bcast}s of arrays and direct buffers (ranks mixing both) of lengths that end inside
 * a chunk, {@code scatterv}s with uneven and zero counts, scatters whose blocks are all empty back to back (each
 * plan must be read before the next overwrites it), and a refused {@code scatterv} (another element type, then a
 * block too long for the receive buffer) after which the same area still carries correct data. Every element is
 * checked; each rank prints {@code AREA OK rank r}.
 */
public final class NodeAreaMain {
    private NodeAreaMain() {
    }

    /**
     * Runs.
     *
     * @param args the number of rounds (default 40).
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int me = w.rank();
            int n = w.size();
            OpenMpiComm backend = (OpenMpiComm) w.backend();
            int count = NodeArea.CHUNK / 8 * 5 + 3; // five chunks and a bit: more than the slots hold on 2 ranks
            w.bcast(Buf.of(new double[count]), 0);
            check(backend.hasNodeArea(), "no node area after a large bcast on one node");
            for (int round = 0; round < rounds; round++) {
                int root = round % n;
                // bcast: even ranks pass arrays, odd ranks direct buffers; the length varies by round
                int len = count + round * 1_001;
                boolean direct = me % 2 == 1;
                double[] arr = new double[len];
                ByteBuffer dbuf = ByteBuffer.allocateDirect(len * 8).order(ByteOrder.nativeOrder());
                Buf b = direct ? Buf.of(dbuf, ElementType.DOUBLE, 0, len) : Buf.of(arr);
                if (me == root) {
                    for (int i = 0; i < len; i++) {
                        double v = i * 0.25 + round;
                        if (direct) {
                            dbuf.putDouble(8 * i, v);
                        } else {
                            arr[i] = v;
                        }
                    }
                }
                w.bcast(b, root);
                for (int i = 0; i < len; i++) {
                    double got = direct ? dbuf.getDouble(8 * i) : arr[i];
                    check(got == i * 0.25 + round, "round " + round + " bcast element " + i + " is " + got);
                }
                // scatterv from the same root: rank r gets (r + round) % 3 chunks and a bit, one rank nothing
                int[] counts = new int[n];
                int[] displs = new int[n];
                int total = 0;
                for (int r = 0; r < n; r++) {
                    counts[r] = r == (round + 1) % n ? 0 : ((r + round) % 3) * (NodeArea.CHUNK / 4) + 17 * r + 1;
                    displs[r] = total;
                    total += counts[r];
                }
                int[] src = null;
                if (me == root) {
                    src = new int[total];
                    for (int i = 0; i < total; i++) {
                        src[i] = i * 7 + round;
                    }
                }
                int[] mine = new int[counts[me] + 5];
                w.scatterv(me == root ? Buf.of(src) : null, counts, displs, Buf.of(mine), root);
                for (int i = 0; i < counts[me]; i++) {
                    check(mine[i] == (displs[me] + i) * 7 + round, "round " + round + " scatterv element " + i);
                }
                for (int i = counts[me]; i < mine.length; i++) {
                    check(mine[i] == 0, "round " + round + " scatterv wrote past the block at " + i);
                }
                // empty scatters back to back, then one that carries data
                for (int k = 0; k < 3; k++) {
                    w.scatterv(me == root ? Buf.of(new long[0]) : null, new int[n], new int[n], Buf.of(new long[1]), root);
                }
                long[] one = new long[1];
                long[] ones = new long[n];
                for (int r = 0; r < n; r++) {
                    ones[r] = 1000L * r + round;
                }
                w.scatter(me == root ? Buf.of(ones) : null, Buf.of(one), root);
                check(one[0] == 1000L * me + round, "round " + round + " scatter of one long gave " + one[0]);
            }
            // refusals on the area's path: every rank but the root names another element type, then a buffer too short
            int root = n - 1;
            int[] counts = new int[n];
            int[] displs = new int[n];
            for (int r = 0; r < n; r++) {
                counts[r] = 3 * NodeArea.CHUNK / 8;
                displs[r] = r * counts[r];
            }
            double[] all = new double[n * counts[0]];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            if (me == root) {
                w.scatterv(Buf.of(all), counts, displs, Buf.of(new double[counts[0]]), root);
            } else {
                MpiException e = expectRefusal(() -> w.scatterv(null, counts, displs, Buf.of(new long[counts[0]]), root));
                check(e.getMessage().contains("DOUBLE") && e.getMessage().contains("LONG"), e.getMessage());
            }
            if (me == root) {
                w.scatterv(Buf.of(all), counts, displs, Buf.of(new double[counts[0]]), root);
            } else {
                MpiException e = expectRefusal(() -> w.scatterv(null, counts, displs, Buf.of(new double[5]), root));
                check(e.getMessage().contains("truncated"), e.getMessage());
            }
            double[] block = new double[counts[me]];
            w.scatterv(me == root ? Buf.of(all) : null, counts, displs, Buf.of(block), root);
            for (int i = 0; i < block.length; i++) {
                check(block[i] == displs[me] + i, "scatterv after the refusals, element " + i + " is " + block[i]);
            }
            double[] after = new double[count];
            if (me == root) {
                java.util.Arrays.fill(after, 42.5);
            }
            w.bcast(Buf.of(after), root);
            for (int i = 0; i < count; i++) {
                check(after[i] == 42.5, "bcast after the refusals, element " + i + " is " + after[i]);
            }
            w.barrier();
            System.out.println("AREA OK rank " + me);
        }
    }

    private static MpiException expectRefusal(Runnable r) {
        try {
            r.run();
        } catch (MpiException e) {
            return e;
        }
        throw new AssertionError("the scatterv was not refused");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
