package org.multiproc4j.mpi.nativempi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.Request;

/**
 * Messages around the sizes where the engine changes how it sends ({@link Engine#STAGE_SMALL}, {@link Engine#EAGER}, and
 * 16 KiB): a ring in which every rank sends (blocking) before it receives, Java arrays, direct buffers
 * and objects, non-blocking sends, messages of three sizes with one tag received in order, a type mismatch and a
 * truncation of a mid-size message, the direct path of blocking receives (messages of other tags landing meanwhile,
 * mismatches), small collectives on Java arrays (in place and not), and the node's {@link Outbox}es: more large
 * messages sent before their receives than an outbox holds (the rest go MPI's way), received in reverse order, and a
 * type mismatch and a truncation of a message in an outbox. Each rank prints {@code OK sizes rank r}, and
 * {@code outbox on} when the outboxes were made.
 */
public final class SizesMain {
    private SizesMain() {
    }

    /** A mid size: several times the eager limit of MPI's shared memory, below the RTS of the largest messages. */
    static final int MID = 16384;

    /** Byte sizes on both sides of every boundary. */
    static final int[] SIZES = {8, Engine.STAGE_SMALL - 8, Engine.STAGE_SMALL, Engine.EAGER, Engine.EAGER + 8,
        Engine.STAGE_SMALL + 8, 8192, MID - 8, MID, MID + 8, 3 * MID};

    /**
     * Runs the cases.
     *
     * @param args ignored.
     * @throws Exception if a case fails (an {@link AssertionError} names it).
     */
    public static void main(String[] args) throws Exception {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int n = w.size();
            int me = w.rank();
            int next = (me + 1) % n;
            int prev = (me - 1 + n) % n;
            for (int bytes : SIZES) {
                int count = bytes / 8;
                // every rank sends first: a send that waited for its receiver would never return
                double[] out = new double[count];
                for (int i = 0; i < count; i++) {
                    out[i] = me * 1e6 + i + bytes;
                }
                w.send(Buf.of(out), next, 3);
                double[] in = new double[count];
                w.recv(Buf.of(in), prev, 3);
                for (int i = 0; i < count; i++) {
                    check(in[i] == prev * 1e6 + i + bytes, "ring of " + bytes + " B at " + i);
                }
                ByteBuffer d = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
                for (int i = 0; i < count; i++) {
                    d.putDouble(8 * i, me + i * 0.25);
                }
                w.send(Buf.of(d, ElementType.DOUBLE, 0, count), next, 4);
                ByteBuffer din = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
                w.recv(Buf.of(din, ElementType.DOUBLE, 0, count), prev, 4);
                check(din.getDouble(8 * (count - 1)) == prev + (count - 1) * 0.25, "direct " + bytes + " B");
                byte[] obj = new byte[bytes];
                obj[bytes - 1] = (byte) me;
                w.send(obj, next, 5);
                byte[] objIn = w.recv(prev, 5);
                check(objIn.length == bytes && objIn[bytes - 1] == (byte) prev, "object " + bytes + " B");
                // non-blocking, from an array the sender may reuse once the request completes
                int[] ints = new int[bytes / 4];
                ints[ints.length - 1] = me + 7;
                Request s = w.isend(Buf.of(ints), next, 6);
                int[] intsIn = new int[ints.length];
                Request r = w.irecv(Buf.of(intsIn), prev, 6);
                s.await();
                r.await();
                check(intsIn[intsIn.length - 1] == prev + 7, "isend " + bytes + " B");
            }
            // one tag, three sizes (small, mid, large): received in the order sent
            List<Request> sends = new ArrayList<>();
            for (int bytes : new int[] {64, MID, 4 * MID, 8, Engine.EAGER + 8}) {
                long[] m = new long[bytes / 8];
                m[0] = bytes;
                sends.add(w.isend(Buf.of(m), next, 8));
            }
            for (int bytes : new int[] {64, MID, 4 * MID, 8, Engine.EAGER + 8}) {
                long[] m = new long[4 * MID / 8];
                w.recv(Buf.of(m), prev, 8);
                check(m[0] == bytes, "order: expected the message of " + bytes + " B, got " + m[0]);
            }
            for (Request q : sends) {
                q.await();
            }
            // a mid-size message of another element type, then one longer than the buffer: errors, not hangs
            w.send(Buf.of(new int[Engine.EAGER / 4 + 10]), next, 9);
            expectError(() -> w.recv(Buf.of(new double[MID / 8]), prev, 9, Duration.ofSeconds(30)),
                    "sent INT elements with tag 9 but the receive buffer holds DOUBLE");
            w.send(Buf.of(new double[MID / 8]), next, 10);
            expectError(() -> w.recv(Buf.of(new double[16]), prev, 10, Duration.ofSeconds(30)),
                    "message truncated");
            // a blocking receive polls MPI itself while nothing is queued (NativeComm's direct path): what lands
            // meanwhile for other tags, small and large, is kept for the receives that come later
            w.send(Buf.of(new long[] {21}), next, 21);
            long[] big = new long[4 * MID / 8];
            big[big.length - 1] = 22;
            Request bigSend = w.isend(Buf.of(big), next, 22);
            w.send(Buf.of(new long[] {23}), next, 23);
            long[] got = new long[big.length];
            w.recv(Buf.of(got), prev, 23);
            check(got[0] == 23, "direct path: tag 23 first");
            w.recv(Buf.of(got), prev, 22);
            check(got[got.length - 1] == 22, "direct path: the large message kept meanwhile");
            w.recv(Buf.of(got), Comm.ANY_SOURCE, Comm.ANY_TAG);
            check(got[0] == 21, "direct path: the small message kept meanwhile");
            bigSend.await();
            // mismatches taken on the direct path fail the receive, and the next message of the tag comes whole
            w.send(Buf.of(new int[] {1, 2}), next, 24);
            w.send(Buf.of(new double[] {24.5}), next, 24);
            expectError(() -> w.recv(Buf.of(new double[2]), prev, 24), "sent INT elements with tag 24");
            double[] one = new double[2];
            check(w.recv(Buf.of(one), prev, 24).count(ElementType.DOUBLE) == 1 && one[0] == 24.5,
                    "direct path: after a type mismatch");
            w.send(Buf.of(new double[8]), next, 25);
            w.send(Buf.of(new double[] {25.5}), next, 25);
            expectError(() -> w.recv(Buf.of(new double[2]), prev, 25), "message truncated");
            w.recv(Buf.of(one), prev, 25);
            check(one[0] == 25.5, "direct path: after a truncation");
            w.send("object", next, 26);
            w.send(Buf.of(new double[] {26.5}), next, 26);
            expectError(() -> w.recv(Buf.of(one), prev, 26), "sent an object message");
            expectError(() -> w.recv(prev, 26), "expected an object message");
            w.send("again", next, 26);
            check("again".equals(w.recv(prev, 26)), "direct path: an object after two mismatches");
            // small collectives on Java arrays: through the thread's native scratch
            for (int count : new int[] {1, 3, Engine.STAGE_SMALL / 8, Engine.STAGE_SMALL / 8 + 1}) {
                double[] b = new double[count];
                if (me == 0) {
                    b[count - 1] = 42.5;
                }
                w.bcast(Buf.of(b), 0);
                check(b[count - 1] == 42.5, "bcast of " + count);
                double[] v = new double[count];
                java.util.Arrays.fill(v, me + 1);
                double[] sum = new double[count];
                w.allreduce(Buf.of(v), Buf.of(sum), Op.SUM);
                check(sum[count - 1] == n * (n + 1) / 2.0, "allreduce of " + count);
                w.allreduce(Buf.of(v), Buf.of(v), Op.SUM);
                check(v[0] == n * (n + 1) / 2.0, "allreduce in place of " + count);
                long[] mx = {me};
                long[] mxOut = new long[1];
                w.allreduce(Buf.of(mx), Buf.of(mxOut), Op.MAX);
                check(mxOut[0] == n - 1, "allreduce max");
            }
            outboxes(w, next, prev);
            w.barrier();
            System.out.println("OK sizes rank " + me);
        }
    }

    /** Large messages through the outboxes, and past what they hold. */
    private static void outboxes(Comm w, int next, int prev) throws Exception {
        int me = w.rank();
        if (((NativeComm) w.backend()).engine().outbox != null) {
            System.out.println("outbox on rank " + me);
        }
        int count = (1 << 20) / 8;
        int messages = (int) (Outbox.SIZE / (count * 8L)) + 2;
        for (int k = 0; k < messages; k++) {
            double[] m = new double[count];
            m[0] = k;
            m[count - 1] = me * 100 + k;
            // every rank sends them all first: those the outbox cannot hold go MPI's way, and their receive is
            // posted only after the last send
            w.send(Buf.of(m), next, 40 + k);
        }
        for (int k = messages - 1; k >= 0; k--) {
            double[] m = new double[count];
            w.recv(Buf.of(m), prev, 40 + k);
            check(m[0] == k && m[count - 1] == prev * 100 + k, "outbox: message " + k + " of " + messages);
        }
        // the blocks were all given back: the outbox carries messages again, also non-blocking ones
        int[] again = new int[3 * MID / 4];
        again[again.length - 1] = me;
        Request s = w.isend(Buf.of(again), next, 39);
        int[] in = new int[again.length];
        w.recv(Buf.of(in), prev, 39);
        s.await();
        check(in[in.length - 1] == prev, "outbox: after the ring filled");
        // a mismatch or a truncation consumes the message: the next of the tag comes whole
        w.send(Buf.of(new int[4 * MID / 4]), next, 38);
        w.send(Buf.of(new double[4 * MID / 8]), next, 38);
        w.send(Buf.of(new double[] {38.5}), next, 38);
        expectError(() -> w.recv(Buf.of(new double[4 * MID / 8]), prev, 38), "sent INT elements with tag 38");
        expectError(() -> w.recv(Buf.of(new double[MID / 8]), prev, 38), "message truncated");
        double[] one = new double[1];
        w.recv(Buf.of(one), prev, 38);
        check(one[0] == 38.5, "outbox: after a mismatch and a truncation");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void expectError(Call c, String part) throws Exception {
        try {
            c.run();
        } catch (MpiException e) {
            check(e.getMessage().contains(part), "error \"" + e.getMessage() + "\" lacks \"" + part + "\"");
            return;
        }
        throw new AssertionError("no error; expected one containing \"" + part + "\"");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + ": wrong data");
        }
    }
}
