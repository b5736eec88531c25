package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Request;
import org.multiproc4j.mpi.Status;

/**
 * Point to point with the message's element type in the MPI tag ({@link OpenMpiComm#tagSpace}), 2 ranks: rank 0
 * sends messages of several tags, types and sizes (whole and framed, the largest tag that fits the MPI tag, the first
 * that does not, {@code Integer.MAX_VALUE}), rank 1 receives them in another order, by tag, with wildcards, probes
 * and nonblocking receives, and checks data, status tag, source, type and count; then a type mismatch and a
 * truncation (each a clear error, after which the next message arrives whole), direct buffers at offsets sent and
 * received with their neighbours untouched, and MPI's order among whole and framed messages of one tag. Each rank
 * prints {@code TAGS OK rank r}.
 */
public final class TagsMain {
    private TagsMain() {
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private static void status(Status s, int tag, ElementType type, long bytes, String what) {
        check(s.source() == 0 && s.tag() == tag && s.type() == type && s.byteCount() == bytes,
                what + ": status " + s + ", expected tag " + tag + ", " + type + ", " + bytes + " bytes");
    }

    private static double[] ramp(int n, double base) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = base + i;
        }
        return a;
    }

    /**
     * Long messages through the ranks' outboxes on one node: more than an outbox holds sent before any is received
     * (the rest go through MPI), received by tag in another order (those passed over are copied out of the outbox and
     * held), a refused one, then a ping-pong of varied lengths that wraps the outboxes many times.
     */
    private static void outboxes(Comm w, int me) {
        check(((OpenMpiComm) w.backend()).hasOutbox(), "no outbox on one node");
        int n = (1 << 20) / 8;
        if (me == 0) {
            for (int k = 0; k < 7; k++) {
                w.send(Buf.of(ramp(n + k, 1000 * k)), 1, 40 + k % 2);
            }
            w.send(Buf.of(new long[n]), 1, 42);
            w.send(Buf.of(ramp(n, -1)), 1, 42);
        } else if (me == 1) {
            double[] d = new double[n + 8];
            for (int k : new int[] {1, 3, 5, 0, 2, 4, 6}) {
                status(w.recv(Buf.of(d), 0, 40 + k % 2), 40 + k % 2, ElementType.DOUBLE, 8L * (n + k), "outbox " + k);
                check(d[0] == 1000 * k && d[n + k - 1] == 1000 * k + n + k - 1, "outbox " + k + " data");
            }
            try {
                w.recv(Buf.of(d), 0, 42);
                check(false, "longs were received into doubles");
            } catch (MpiException e) {
                check(e.getMessage().contains("LONG"), "outbox mismatch: " + e);
            }
            status(w.recv(Buf.of(d), 0, 42), 42, ElementType.DOUBLE, 8L * n, "after the outbox refusal");
            check(d[0] == -1 && d[n - 1] == n - 2, "after the outbox refusal: data");
        }
        w.barrier();
        int peer = 1 - me;
        if (peer < w.size()) {
            double[] d = new double[3 * n];
            for (int round = 0; round < 40; round++) {
                int len = (round * 7919 % (2 * n)) + n / 3; // 350 KiB to 2.3 MiB: outbox and MPI
                if ((round + me) % 2 == 0) {
                    w.send(Buf.of(ramp(len, round)), peer, 50);
                } else {
                    Status s = w.recv(Buf.of(d), peer, 50);
                    check(s.byteCount() == 8L * len && d[0] == round && d[len - 1] == round + len - 1,
                            "ping-pong round " + round + ": " + s);
                }
            }
        }
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
            int limit = OpenMpiComm.tagLimit();
            check(limit >= 2047, "tag limit " + limit);
            int top = limit - 1;
            int big = 300_001; // framed: more than one staging chunk
            if (me == 0) {
                w.send(Buf.of(new int[] {1, 2, 3}), 1, 7);
                w.send(Buf.of(ramp(2, 10)), 1, 5);
                w.send(List.of("nine", 9), 1, 9);
                w.send(Buf.of(ramp(big, 0.5)), 1, 5);
                w.send(Buf.of(new long[] {top}), 1, top);
                w.send(Buf.of(new long[] {limit}), 1, limit);
                w.send(Buf.of(ramp(3, 100)), 1, Integer.MAX_VALUE);
                w.send("max", 1, Integer.MAX_VALUE);
                w.send(Buf.of(ramp(big, 7)), 1, Integer.MAX_VALUE);
                w.send(Buf.of(new byte[0]), 1, 11);
            } else if (me == 1) {
                double[] d = new double[4];
                status(w.recv(Buf.of(d), 0, 5), 5, ElementType.DOUBLE, 16, "tag 5 past tag 7");
                check(d[0] == 10 && d[1] == 11 && d[2] == 0, "tag 5 data " + Arrays.toString(d));
                int[] i3 = new int[3];
                status(w.recv(Buf.of(i3), Comm.ANY_SOURCE, Comm.ANY_TAG), 7, ElementType.INT, 12, "held tag 7");
                check(Arrays.equals(i3, new int[] {1, 2, 3}), "tag 7 data " + Arrays.toString(i3));
                Status p = w.probe(Comm.ANY_SOURCE, 9);
                check(p.tag() == 9 && p.type() == null, "probe of the object: " + p);
                check(w.iprobe(0, 12345).isEmpty(), "iprobe of an absent tag found a message");
                Status os = new Status();
                check(List.of("nine", 9).equals(w.recv(0, 9, os)) && os.tag() == 9, "object tag 9: " + os);
                double[] large = new double[big + 2];
                status(w.recv(Buf.of(large), 0, Comm.ANY_TAG), 5, ElementType.DOUBLE, big * 8L, "framed tag 5");
                check(Arrays.equals(Arrays.copyOf(large, big), ramp(big, 0.5)) && large[big] == 0, "framed data");
                // the escaped ones first, by tag; then the largest tag in the MPI tag
                Request esc = w.irecv(Buf.of(new long[1]), 0, limit);
                long[] t = new long[1];
                status(w.recv(Buf.of(t), 0, top), top, ElementType.LONG, 8, "largest tag in the MPI tag");
                check(t[0] == top, "tag " + top + " data " + t[0]);
                status(esc.await(), limit, ElementType.LONG, 8, "first escaped tag");
                double[] m3 = new double[3];
                status(w.recv(Buf.of(m3), 0, Integer.MAX_VALUE), Integer.MAX_VALUE, ElementType.DOUBLE, 24, "MAX tag");
                check(m3[2] == 102, "MAX tag data " + Arrays.toString(m3));
                check("max".equals(w.recv(0, Integer.MAX_VALUE, os)) && os.tag() == Integer.MAX_VALUE, "MAX object " + os);
                double[] large2 = new double[big];
                status(w.recv(Buf.of(large2), Comm.ANY_SOURCE, Comm.ANY_TAG), Integer.MAX_VALUE, ElementType.DOUBLE,
                        big * 8L, "framed MAX tag");
                check(Arrays.equals(large2, ramp(big, 7)), "framed MAX data");
                status(w.recv(Buf.of(new byte[4]), 0, 11), 11, ElementType.BYTE, 0, "empty message");
            }
            w.barrier();
            // a type mismatch and a truncation: clear errors, and the next message arrives whole
            if (me == 0) {
                w.send(Buf.of(new int[] {4, 5}), 1, 3);
                w.send(Buf.of(ramp(10, 0)), 1, 4);
                w.send(Buf.of(ramp(2, 40)), 1, 3);
            } else if (me == 1) {
                try {
                    w.recv(Buf.of(new double[2]), 0, 3);
                    check(false, "an int message was received into doubles");
                } catch (MpiException e) {
                    check(e.getMessage().contains("INT") && e.getMessage().contains("DOUBLE"), "mismatch: " + e);
                }
                try {
                    w.recv(Buf.of(new double[5]), 0, 4);
                    check(false, "10 doubles were received into 5");
                } catch (MpiException e) {
                    check(e.getMessage().contains("truncated"), "truncation: " + e);
                }
                double[] d = new double[2];
                status(w.recv(Buf.of(d), 0, 3), 3, ElementType.DOUBLE, 16, "after the refusals");
                check(d[0] == 40 && d[1] == 41, "after the refusals: " + Arrays.toString(d));
            }
            w.barrier();
            // direct buffers at offsets, sent from and received into the caller's memory; neighbours untouched
            ByteBuffer bb = ByteBuffer.allocateDirect(8 * 520).order(ByteOrder.nativeOrder());
            for (int i = 0; i < 520; i++) {
                bb.putDouble(8 * i, me == 0 ? i : -1);
            }
            if (me == 0) {
                w.send(Buf.of(bb, ElementType.DOUBLE, 3, 4), 1, 21);
                w.send(Buf.of(bb, ElementType.DOUBLE, 5, 512), 1, 22); // 4 KiB: the largest sent in place
                w.send(Buf.of(bb, ElementType.DOUBLE, 2, 513), 1, 23); // staged
                bb.putDouble(8 * 3, -5); // the send returned: the caller may reuse its buffer
            } else if (me == 1) {
                status(w.recv(Buf.of(bb, ElementType.DOUBLE, 10, 4), 0, 21), 21, ElementType.DOUBLE, 32, "direct");
                for (int i = 0; i < 520; i++) {
                    double want = i >= 10 && i < 14 ? i - 7 : -1;
                    check(bb.getDouble(8 * i) == want, "direct element " + i + " is " + bb.getDouble(8 * i));
                }
                double[] d = new double[513];
                status(w.recv(Buf.of(d, 1, 512), 0, 22), 22, ElementType.DOUBLE, 4096, "direct 4 KiB");
                check(d[0] == 0 && d[1] == 5 && d[512] == 516, "direct 4 KiB data");
                status(w.recv(Buf.of(d), 0, 23), 23, ElementType.DOUBLE, 4104, "direct staged");
                check(d[0] == 2 && d[512] == 514, "direct staged data");
            }
            w.barrier();
            // MPI's order within one tag, whole and framed messages mixed, some taken by wildcard receives
            if (me == 0) {
                for (int k = 0; k < 6; k++) {
                    w.send(Buf.of(ramp(k % 2 == 0 ? 3 : big, k)), 1, 1);
                }
            } else if (me == 1) {
                double[] d = new double[big];
                for (int k = 0; k < 6; k++) {
                    Status s = k % 3 == 0 ? w.recv(Buf.of(d), Comm.ANY_SOURCE, Comm.ANY_TAG) : w.recv(Buf.of(d), 0, 1);
                    int n = k % 2 == 0 ? 3 : big;
                    status(s, 1, ElementType.DOUBLE, 8L * n, "order " + k);
                    check(d[0] == k && d[n - 1] == k + n - 1, "order " + k + " data");
                }
            }
            w.barrier();
            outboxes(w, me);
            w.barrier();
            System.out.println("TAGS OK rank " + me);
        }
    }
}
