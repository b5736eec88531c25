package org.multiproc4j.mpi.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.mpi.Blocks;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.Request;
import org.multiproc4j.mpi.Status;

/**
 * The contract every backend's communicators keep, as SPMD cases: each case runs on every rank of a job (of any
 * size from 1) and throws if the backend breaks the contract. {@link ContractMain} runs them; the local backend's
 * {@code LocalContractIT} launches it with 1 to 4 ranks, and the Open MPI backend runs the same main under
 * {@code mpirun}.
 */
public final class CommContract {

    /** One case: runs on every rank. */
    @FunctionalInterface
    public interface Case {
        /**
         * Runs the case on this rank.
         *
         * @param world the world communicator.
         * @throws Exception if the contract is broken.
         */
        void run(Comm world) throws Exception;
    }

    /** The cases, by name, in the order they run. */
    public static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("rankAndSize", CommContract::rankAndSize);
        CASES.put("sendRecvRing", CommContract::sendRecvRing);
        CASES.put("orderingBetweenAPair", CommContract::orderingBetweenAPair);
        CASES.put("anySourceAnyTag", CommContract::anySourceAnyTag);
        CASES.put("probe", CommContract::probe);
        CASES.put("nonblocking", CommContract::nonblocking);
        CASES.put("sendrecv", CommContract::sendrecv);
        CASES.put("recvTimeout", CommContract::recvTimeout);
        CASES.put("largeMessages", CommContract::largeMessages);
        CASES.put("directBuffers", CommContract::directBuffers);
        CASES.put("barrier", CommContract::barrier);
        CASES.put("bcastEveryTypeEveryRoot", CommContract::bcastEveryTypeEveryRoot);
        CASES.put("bcastObject", CommContract::bcastObject);
        CASES.put("scatterGather", CommContract::scatterGather);
        CASES.put("scatterGatherObjects", CommContract::scatterGatherObjects);
        CASES.put("scattervGatherv", CommContract::scattervGatherv);
        CASES.put("allgather", CommContract::allgather);
        CASES.put("alltoall", CommContract::alltoall);
        CASES.put("reduceEveryOp", CommContract::reduceEveryOp);
        CASES.put("reduceEveryType", CommContract::reduceEveryType);
        CASES.put("locationOps", CommContract::locationOps);
        CASES.put("userOpsInRankOrder", CommContract::userOpsInRankOrder);
        CASES.put("scanExscan", CommContract::scanExscan);
        CASES.put("reduceScatter", CommContract::reduceScatter);
        CASES.put("largeCollectives", CommContract::largeCollectives);
        CASES.put("largeReductions", CommContract::largeReductions);
        CASES.put("dupAndSplit", CommContract::dupAndSplit);
        CASES.put("badInput", CommContract::badInput);
        CASES.put("truncationAndTypeMismatch", CommContract::truncationAndTypeMismatch);
    }

    private CommContract() {
    }

    static void rankAndSize(Comm w) {
        assertTrue(w.size() >= 1);
        assertTrue(w.rank() >= 0 && w.rank() < w.size());
        List<Integer> ranks = w.allgather(w.rank());
        for (int r = 0; r < w.size(); r++) {
            assertEquals(r, ranks.get(r));
        }
    }

    static void sendRecvRing(Comm w) {
        int n = w.size();
        int next = (w.rank() + 1) % n;
        int prev = (w.rank() - 1 + n) % n;
        double[] out = {w.rank(), w.rank() * 10.0, -1};
        w.send(Buf.of(out), next, 5);
        w.send(Map.of("from", w.rank()), next, 6);
        double[] in = new double[3];
        Status s = w.recv(Buf.of(in), prev, 5);
        assertArrayEquals(new double[] {prev, prev * 10.0, -1}, in);
        assertEquals(prev, s.source());
        assertEquals(5, s.tag());
        assertEquals(3, s.count(ElementType.DOUBLE));
        Map<String, Integer> m = w.recv(prev, 6);
        assertEquals(Map.of("from", prev), m);
    }

    static void orderingBetweenAPair(Comm w) {
        int last = w.size() - 1;
        if (w.rank() == 0) {
            for (int i = 0; i < 200; i++) {
                if (i % 3 == 0) {
                    w.send(i, last, 1);
                } else {
                    w.send(Buf.of(new int[] {i}), last, 1);
                }
            }
        }
        if (w.rank() == last) {
            for (int i = 0; i < 200; i++) {
                if (i % 3 == 0) {
                    assertEquals(Integer.valueOf(i), w.recv(0, Comm.ANY_TAG));
                } else {
                    int[] v = new int[1];
                    w.recv(Buf.of(v), 0, 1);
                    assertEquals(i, v[0]);
                }
            }
        }
    }

    static void anySourceAnyTag(Comm w) {
        if (w.rank() != 0) {
            w.send(Buf.of(new long[] {w.rank() * 100L}), 0, w.rank());
        } else {
            boolean[] seen = new boolean[w.size()];
            for (int i = 1; i < w.size(); i++) {
                long[] v = new long[1];
                Status s = w.recv(Buf.of(v), Comm.ANY_SOURCE, Comm.ANY_TAG);
                assertEquals(s.source(), s.tag());
                assertEquals(s.source() * 100L, v[0]);
                assertFalse(seen[s.source()]);
                seen[s.source()] = true;
            }
        }
        w.barrier();
    }

    static void probe(Comm w) throws TimeoutException {
        assertTrue(w.iprobe(Comm.ANY_SOURCE, 77).isEmpty());
        w.send(Buf.of(new int[5]), w.rank(), 77);
        Status s = w.probe(w.rank(), 77, Duration.ofSeconds(30));
        assertEquals(5, s.count(ElementType.INT));
        assertEquals(ElementType.INT, s.type());
        assertTrue(w.iprobe(Comm.ANY_SOURCE, Comm.ANY_TAG).isPresent());
        int[] got = new int[s.count(ElementType.INT)];
        w.recv(Buf.of(got), s.source(), s.tag());
        w.send("object", w.rank(), 78);
        Status o = w.probe(Comm.ANY_SOURCE, 78);
        assertNull(o.type());
        assertEquals("object", w.recv(o.source(), 78));
        assertTrue(w.iprobe(Comm.ANY_SOURCE, Comm.ANY_TAG).isEmpty());
    }

    static void nonblocking(Comm w) {
        int n = w.size();
        int next = (w.rank() + 1) % n;
        int prev = (w.rank() - 1 + n) % n;
        float[] in = new float[4];
        Request r1 = w.irecv(Buf.of(in), prev, 9);
        Request r2 = w.irecv(prev, 10);
        w.barrier();
        List<Request> sends = List.of(w.isend(Buf.of(new float[] {1, 2, 3, prev + next}), next, 9),
                w.isend(List.of("x", w.rank()), next, 10));
        Request.awaitAll(sends);
        int first = Request.awaitAny(List.of(r1, r2));
        assertTrue(first == 0 || first == 1);
        Request.awaitAll(List.of(r1, r2));
        assertTrue(r1.test());
        int prevOfPrev = (prev - 1 + n) % n;
        assertArrayEquals(new float[] {1, 2, 3, w.rank() + prevOfPrev}, in);
        assertEquals(List.of("x", prev), r2.object());
    }

    static void sendrecv(Comm w) {
        int n = w.size();
        int next = (w.rank() + 1) % n;
        int prev = (w.rank() - 1 + n) % n;
        // large enough to fill the rings: both directions at once must not deadlock
        double[] out = new double[3_000_000];
        Arrays.fill(out, w.rank());
        double[] in = new double[out.length];
        Status s = w.sendrecv(Buf.of(out), next, 3, Buf.of(in), prev, 3);
        assertEquals(prev, s.source());
        assertEquals(prev, in[0]);
        assertEquals(prev, in[in.length - 1]);
        String got = w.sendrecv("hi from " + w.rank(), next, 4, prev, 4);
        assertEquals("hi from " + prev, got);
    }

    static void recvTimeout(Comm w) {
        long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> w.recv(Buf.of(new int[1]), w.rank(), 999, Duration.ofMillis(50)));
        assertThrows(TimeoutException.class, () -> w.recv(w.rank(), 999, null, Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - start >= 100_000_000L);
        // a message sent after the timeout is still received by the next receive
        w.send(Buf.of(new int[] {42}), w.rank(), 999);
        int[] v = new int[1];
        w.recv(Buf.of(v), w.rank(), 999);
        assertEquals(42, v[0]);
    }

    static void largeMessages(Comm w) {
        int n = w.size();
        int next = (w.rank() + 1) % n;
        int prev = (w.rank() - 1 + n) % n;
        long[] big = new long[5_000_001];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 31L + w.rank();
        }
        w.send(Buf.of(big), next, 1);
        long[] in = new long[big.length];
        w.recv(Buf.of(in), prev, 1);
        for (int i = 0; i < in.length; i += 997) {
            assertEquals(i * 31L + prev, in[i]);
        }
        assertEquals((in.length - 1) * 31L + prev, in[in.length - 1]);
        int[] bigObject = new int[2_000_000];
        Arrays.fill(bigObject, w.rank());
        w.send(bigObject, next, 2);
        int[] back = w.recv(prev, 2);
        assertEquals(bigObject.length, back.length);
        assertEquals(prev, back[back.length - 1]);
    }

    static void directBuffers(Comm w) {
        int n = w.size();
        ByteBuffer out = ByteBuffer.allocateDirect(8 * 10).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 10; i++) {
            out.putDouble(8 * i, w.rank() + i);
        }
        ByteBuffer in = ByteBuffer.allocateDirect(8 * 10).order(ByteOrder.nativeOrder());
        w.send(Buf.of(out, ElementType.DOUBLE, 2, 5), (w.rank() + 1) % n, 0);
        w.recv(Buf.of(in, ElementType.DOUBLE, 0, 5), (w.rank() - 1 + n) % n, 0);
        int prev = (w.rank() - 1 + n) % n;
        assertEquals(prev + 2, in.getDouble(0));
        assertEquals(prev + 6, in.getDouble(32));
        ByteBuffer sum = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putDouble(0, 1.5);
        w.allreduce(Buf.of(one, ElementType.DOUBLE, 0, 1), Buf.of(sum, ElementType.DOUBLE, 0, 1), Op.SUM);
        assertEquals(1.5 * n, sum.getDouble(0));
    }

    static void barrier(Comm w) {
        for (int i = 0; i < 50; i++) {
            w.barrier();
        }
    }

    static void bcastEveryTypeEveryRoot(Comm w) {
        for (int root = 0; root < w.size(); root++) {
            for (ElementType t : ElementType.values()) {
                Object a = t.newArray(1000);
                if (w.rank() == root) {
                    fill(a, t, root + 1);
                }
                w.bcast(Buf.ofArray(a), root);
                Object expected = t.newArray(1000);
                fill(expected, t, root + 1);
                assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {a}), t + " from root " + root);
            }
        }
    }

    static void fill(Object a, ElementType t, int seed) {
        int n = java.lang.reflect.Array.getLength(a);
        for (int i = 0; i < n; i++) {
            int v = (i * 7 + seed) % 100;
            switch (t) {
                case BYTE: ((byte[]) a)[i] = (byte) v; break;
                case SHORT: ((short[]) a)[i] = (short) v; break;
                case CHAR: ((char[]) a)[i] = (char) v; break;
                case INT: ((int[]) a)[i] = v; break;
                case LONG: ((long[]) a)[i] = v; break;
                case FLOAT: ((float[]) a)[i] = v; break;
                default: ((double[]) a)[i] = v;
            }
        }
    }

    static void bcastObject(Comm w) {
        Map<String, Object> obj = null;
        if (w.rank() == 0) {
            obj = new LinkedHashMap<>();
            obj.put("key1", List.of(7, 2.72, "2+3j"));
            obj.put("key2", new String[] {"abc", "xyz"}.length);
        }
        Map<String, Object> got = w.bcast(obj, 0);
        assertEquals(List.of(7, 2.72, "2+3j"), got.get("key1"));
        assertEquals(2, got.get("key2"));
        record Point(int x, String label) implements java.io.Serializable {
        }
        Point p = w.bcast(w.rank() == w.size() - 1 ? new Point(3, "p") : null, w.size() - 1);
        assertEquals(new Point(3, "p"), p);
        assertNull(w.bcast((Object) null, 0));
    }

    static void scatterGather(Comm w) {
        int n = w.size();
        for (ElementType t : ElementType.values()) {
            Object all = t.newArray(3 * n);
            fill(all, t, 5);
            Object mine = t.newArray(3);
            w.scatter(w.rank() == 0 ? Buf.ofArray(all) : null, Buf.ofArray(mine), 0);
            for (int i = 0; i < 3; i++) {
                assertEquals(java.lang.reflect.Array.get(all, 3 * w.rank() + i), java.lang.reflect.Array.get(mine, i),
                        t.toString());
            }
            Object back = t.newArray(3 * n);
            w.gather(Buf.ofArray(mine), w.rank() == n - 1 ? Buf.ofArray(back) : null, n - 1);
            if (w.rank() == n - 1) {
                assertTrue(Arrays.deepEquals(new Object[] {all}, new Object[] {back}), t.toString());
            }
        }
    }

    static void scatterGatherObjects(Comm w) {
        int n = w.size();
        List<Integer> squares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            squares.add((i + 1) * (i + 1));
        }
        int mine = w.scatter(w.rank() == 0 ? squares : null, 0);
        assertEquals((w.rank() + 1) * (w.rank() + 1), mine);
        List<String> names = w.gather("rank" + w.rank(), 0);
        if (w.rank() == 0) {
            for (int r = 0; r < n; r++) {
                assertEquals("rank" + r, names.get(r));
            }
        } else {
            assertNull(names);
        }
    }

    static void scattervGatherv(Comm w) {
        int n = w.size();
        Blocks blocks = Blocks.even(4 * n - 1, n);
        double[] all = new double[4 * n - 1];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        double[] mine = new double[blocks.counts()[w.rank()]];
        w.scatterv(w.rank() == 0 ? Buf.of(all) : null, blocks, Buf.of(mine), 0);
        for (int i = 0; i < mine.length; i++) {
            assertEquals(blocks.displs()[w.rank()] + i, mine[i]);
        }
        // a zero count and gaps between the blocks
        int[] counts = new int[n];
        int[] displs = new int[n];
        for (int r = 0; r < n; r++) {
            counts[r] = r == 0 ? 0 : r + 1;
            displs[r] = r * 10;
        }
        int[] send = new int[counts[w.rank()]];
        Arrays.fill(send, w.rank());
        int[] recv = new int[10 * n];
        Arrays.fill(recv, -1);
        w.gatherv(Buf.of(send), w.rank() == 0 ? Buf.of(recv) : null, counts, displs, 0);
        if (w.rank() == 0) {
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < 10; i++) {
                    assertEquals(i < counts[r] ? r : -1, recv[r * 10 + i], "block " + r + " element " + i);
                }
            }
        }
    }

    static void allgather(Comm w) {
        int n = w.size();
        short[] all = new short[2 * n];
        w.allgather(Buf.of(new short[] {(short) w.rank(), (short) -w.rank()}), Buf.of(all));
        for (int r = 0; r < n; r++) {
            assertEquals(r, all[2 * r]);
            assertEquals(-r, all[2 * r + 1]);
        }
        int[] counts = new int[n];
        int[] displs = new int[n];
        int at = 0;
        for (int r = 0; r < n; r++) {
            counts[r] = r + 1;
            displs[r] = at;
            at += r + 1;
        }
        long[] mine = new long[w.rank() + 1];
        Arrays.fill(mine, w.rank());
        long[] out = new long[at];
        w.allgatherv(Buf.of(mine), Buf.of(out), counts, displs);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < counts[r]; i++) {
                assertEquals(r, out[displs[r] + i]);
            }
        }
        assertEquals(w.allgather(List.of(w.rank())).size(), n);
    }

    static void alltoall(Comm w) {
        int n = w.size();
        int[] send = new int[2 * n];
        for (int r = 0; r < n; r++) {
            send[2 * r] = w.rank() * 100 + r;
            send[2 * r + 1] = -1;
        }
        int[] recv = new int[2 * n];
        w.alltoall(Buf.of(send), Buf.of(recv));
        for (int r = 0; r < n; r++) {
            assertEquals(r * 100 + w.rank(), recv[2 * r]);
        }
        List<String> objs = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            objs.add(w.rank() + "->" + r);
        }
        List<String> got = w.alltoall(objs);
        for (int r = 0; r < n; r++) {
            assertEquals(r + "->" + w.rank(), got.get(r));
        }
        // v form: rank r sends r+1 elements to each
        int[] scounts = new int[n];
        int[] sdispls = new int[n];
        int[] rcounts = new int[n];
        int[] rdispls = new int[n];
        for (int r = 0; r < n; r++) {
            scounts[r] = w.rank() + 1;
            sdispls[r] = r * (w.rank() + 1);
            rcounts[r] = r + 1;
            rdispls[r] = r * n;
        }
        double[] s = new double[n * (w.rank() + 1)];
        Arrays.fill(s, w.rank());
        double[] rv = new double[n * n];
        w.alltoallv(Buf.of(s), scounts, sdispls, Buf.of(rv), rcounts, rdispls);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < r + 1; i++) {
                assertEquals(r, rv[r * n + i]);
            }
        }
    }

    static void reduceEveryOp(Comm w) {
        int n = w.size();
        long[] v = {w.rank() + 1, w.rank() % 2, 1L << w.rank(), 6};
        Map<Op, long[]> expected = new LinkedHashMap<>();
        long sum = 0;
        long prod = 1;
        for (int r = 0; r < n; r++) {
            sum += r + 1;
            prod *= r + 1;
        }
        expected.put(Op.SUM, new long[] {sum, n / 2, (1L << n) - 1, 6L * n});
        expected.put(Op.PROD, new long[] {prod, n == 1 ? 0 : 0, 1L << (n * (n - 1) / 2), (long) Math.pow(6, n)});
        expected.put(Op.MIN, new long[] {1, 0, 1, 6});
        expected.put(Op.MAX, new long[] {n, n > 1 ? 1 : 0, 1L << (n - 1), 6});
        expected.put(Op.LAND, new long[] {1, 0, 1, 1});
        expected.put(Op.LOR, new long[] {1, n > 1 ? 1 : 0, 1, 1});
        expected.put(Op.LXOR, new long[] {n % 2, (n / 2) % 2, n % 2, n % 2});
        long band2 = n == 1 ? 1 : 0;
        long band1 = 1;
        long bor1 = 0;
        long bxor1 = 0;
        for (int r = 0; r < n; r++) {
            band1 &= r + 1;
            bor1 |= r + 1;
            bxor1 ^= r + 1;
        }
        long bxor2 = 0;
        for (int r = 0; r < n; r++) {
            bxor2 ^= r % 2;
        }
        expected.put(Op.BAND, new long[] {band1, 0, band2, 6});
        expected.put(Op.BOR, new long[] {bor1, n > 1 ? 1 : 0, (1L << n) - 1, 6});
        expected.put(Op.BXOR, new long[] {bxor1, bxor2, (1L << n) - 1, n % 2 == 0 ? 0 : 6});
        for (Map.Entry<Op, long[]> e : expected.entrySet()) {
            if (n == 1) {
                e.setValue(v.clone()); // one contribution is the result: the operation is never applied
            }
            long[] out = new long[4];
            w.allreduce(Buf.of(v), Buf.of(out), e.getKey());
            assertArrayEquals(e.getValue(), out, e.getKey().toString());
            long[] atRoot = new long[4];
            int root = n - 1;
            w.reduce(Buf.of(v), w.rank() == root ? Buf.of(atRoot) : null, e.getKey(), root);
            if (w.rank() == root) {
                assertArrayEquals(e.getValue(), atRoot, e.getKey().toString());
            }
        }
        double[] d = new double[1];
        w.allreduce(Buf.of(new double[] {0.5 * (w.rank() + 1)}), Buf.of(d), Op.MAX);
        assertEquals(0.5 * n, d[0]);
        assertThrows(IllegalArgumentException.class, () -> w.allreduce(Buf.of(new double[1]), Buf.of(new double[1]),
                Op.BAND));
    }

    static void reduceEveryType(Comm w) {
        int n = w.size();
        for (ElementType t : ElementType.values()) {
            Object in = t.newArray(5);
            fill(in, t, 1);
            Object out = t.newArray(5);
            w.allreduce(Buf.ofArray(in), Buf.ofArray(out), Op.SUM);
            for (int i = 0; i < 5; i++) {
                double expected = ((Number) toNumber(java.lang.reflect.Array.get(in, i))).doubleValue() * n;
                double got = ((Number) toNumber(java.lang.reflect.Array.get(out, i))).doubleValue();
                if (t == ElementType.BYTE) {
                    expected = (byte) expected;
                }
                assertEquals(expected, got, t.toString());
            }
        }
    }

    private static Object toNumber(Object o) {
        return o instanceof Character ? (int) (Character) o : o;
    }

    static void locationOps(Comm w) {
        int n = w.size();
        double[] pair = {(w.rank() - 1.5) * (w.rank() - 1.5), w.rank()};
        double[] min = new double[2];
        double[] max = new double[2];
        w.allreduce(Buf.of(pair), Buf.of(min), Op.MINLOC);
        w.allreduce(Buf.of(pair), Buf.of(max), Op.MAXLOC);
        int argmin = 0;
        int argmax = 0;
        for (int r = 0; r < n; r++) {
            double v = (r - 1.5) * (r - 1.5);
            if (v < (argmin - 1.5) * (argmin - 1.5)) {
                argmin = r;
            }
            if (v > (argmax - 1.5) * (argmax - 1.5)) {
                argmax = r;
            }
        }
        assertEquals(argmin, (int) min[1]);
        assertEquals(argmax, (int) max[1]);
        int[] tie = {7, w.rank()};
        int[] t = new int[2];
        w.allreduce(Buf.of(tie), Buf.of(t), Op.MINLOC);
        assertArrayEquals(new int[] {7, 0}, t);
    }

    static void userOpsInRankOrder(Comm w) {
        int n = w.size();
        String all = w.allreduce(Integer.toString(w.rank()), (a, b) -> a + b);
        StringBuilder expected = new StringBuilder();
        for (int r = 0; r < n; r++) {
            expected.append(r);
        }
        assertEquals(expected.toString(), all);
        String atRoot = w.reduce("" + w.rank(), (a, b) -> a + "," + b, 0);
        if (w.rank() == 0) {
            assertEquals(String.join(",", expected.toString().split("")), atRoot);
        }
        // associative, not commutative: "the right operand"; combined in rank order, the last rank's value wins
        long[] out = new long[1];
        w.allreduce(Buf.of(new long[] {w.rank() + 1}), Buf.of(out), Op.ofLongs((x, y) -> y));
        assertEquals(n, out[0]);
        w.allreduce(Buf.of(new long[] {w.rank() + 1}), Buf.of(out), Op.ofLongs((x, y) -> x));
        assertEquals(1, out[0]);
        double[] hyp = new double[1];
        w.allreduce(Buf.of(new double[] {1}), Buf.of(hyp), Op.ofDoubles((a, b) -> Math.sqrt(a * a + b * b)));
        assertEquals(Math.sqrt(n), hyp[0], 1e-9);
    }

    /**
     * Collectives of a few MiB, every root, blocks that are not multiples of anything: a backend that moves them
     * in pieces (the local backend's collective area holds 16 pieces of 64 KiB a rank) must put every piece in its
     * place and keep later collectives in step.
     */
    static void largeCollectives(Comm w) {
        int n = w.size();
        int count = 300_007;    // 2.4 MB of doubles: more pieces than a 1 MiB area holds at once
        for (int root = 0; root < n; root++) {
            double[] d = new double[count];
            if (w.rank() == root) {
                for (int i = 0; i < count; i++) {
                    d[i] = i * 0.5 + root;
                }
            }
            w.bcast(Buf.of(d), root);
            for (int i = 0; i < count; i += 997) {
                assertEquals(i * 0.5 + root, d[i]);
            }
            assertEquals((count - 1) * 0.5 + root, d[count - 1]);
        }
        long[] mine = new long[count];
        for (int i = 0; i < count; i++) {
            mine[i] = (long) i * (w.rank() + 1);
        }
        long[] sum = new long[count];
        w.allreduce(Buf.of(mine), Buf.of(sum), Op.SUM);
        long ranks = (long) n * (n + 1) / 2;
        for (int i = 0; i < count; i += 991) {
            assertEquals(i * ranks, sum[i]);
        }
        assertEquals((count - 1) * ranks, sum[count - 1]);
        long[] atRoot = new long[count];
        w.reduce(Buf.of(mine), Buf.of(atRoot), Op.MAX, n - 1);
        if (w.rank() == n - 1) {
            assertEquals((long) (count - 1) * n, atRoot[count - 1]);
            assertEquals(7L * n, atRoot[7]);
        }
        // uneven blocks: rank r's block has 70_001 * (r + 1) ints, so blocks end mid-piece
        int[] counts = new int[n];
        int[] displs = new int[n];
        int total = 0;
        for (int r = 0; r < n; r++) {
            counts[r] = 70_001 * (r + 1);
            displs[r] = total;
            total += counts[r];
        }
        int root = n / 2;
        int[] all = new int[total];
        if (w.rank() == root) {
            for (int i = 0; i < total; i++) {
                all[i] = i ^ 0x5a5a;
            }
        }
        int[] block = new int[counts[w.rank()]];
        w.scatterv(Buf.of(all), counts, displs, Buf.of(block), root);
        for (int i = 0; i < block.length; i++) {
            if (block[i] != ((displs[w.rank()] + i) ^ 0x5a5a)) {
                throw new AssertionError("scatterv: element " + i + " of rank " + w.rank() + "'s block is " + block[i]);
            }
        }
        int[] back = new int[total];
        w.gatherv(Buf.of(block), Buf.of(back), counts, displs, root);
        if (w.rank() == root) {
            for (int i = 0; i < total; i++) {
                if (back[i] != (i ^ 0x5a5a)) {
                    throw new AssertionError("gatherv: element " + i + " is " + back[i]);
                }
            }
        }
        int[] everywhere = new int[total];
        w.allgatherv(Buf.of(block), Buf.of(everywhere), counts, displs);
        for (int i = 0; i < total; i += 13) {
            assertEquals(i ^ 0x5a5a, everywhere[i]);
        }
        assertEquals((total - 1) ^ 0x5a5a, everywhere[total - 1]);
    }

    /**
     * Reductions of a few MiB checked element by element: in place (the same array as send and receive buffer),
     * an operation that is not commutative (combined in rank order), location pairs, a direct receive buffer, and
     * a count that is no multiple of the ranks or of a backend's pieces.
     */
    static void largeReductions(Comm w) {
        int n = w.size();
        int me = w.rank();
        int count = 250_001;
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            v[i] = (long) i * 3 + me;
        }
        w.allreduce(Buf.of(v), Buf.of(v), Op.SUM);
        long ranks = (long) n * (n - 1) / 2;
        for (int i = 0; i < count; i++) {
            if (v[i] != (long) i * 3 * n + ranks) {
                throw new AssertionError("in-place allreduce: element " + i + " is " + v[i]);
            }
        }
        // "the right operand" is associative, not commutative: combined in rank order, the last rank wins
        double[] d = new double[count];
        Arrays.fill(d, me);
        double[] last = new double[count];
        w.allreduce(Buf.of(d), Buf.of(last), Op.ofDoubles((a, b) -> b));
        double[] firstAtRoot = new double[count];
        for (int root = 0; root < n; root++) {
            w.reduce(Buf.of(d), w.rank() == root ? Buf.of(firstAtRoot) : null, Op.ofDoubles((a, b) -> a), root);
        }
        for (int i = 0; i < count; i++) {
            if (last[i] != n - 1 || (me == n - 1 && firstAtRoot[i] != 0)) {
                throw new AssertionError("rank order: element " + i + " is " + last[i] + " / " + firstAtRoot[i]);
            }
        }
        // location pairs (value, index): rank r holds the minimum of pair p when p % n == r
        int pairs = 100_003;
        double[] loc = new double[2 * pairs];
        for (int p = 0; p < pairs; p++) {
            loc[2 * p] = p % n == me ? -p : p;
            loc[2 * p + 1] = me;
        }
        double[] min = new double[2 * pairs];
        w.allreduce(Buf.of(loc), Buf.of(min), Op.MINLOC);
        for (int p = 0; p < pairs; p++) {
            if (min[2 * p] != (n == 1 ? -p : Math.min(-p, p)) || min[2 * p + 1] != (p == 0 ? 0 : p % n)) {
                throw new AssertionError("MINLOC: pair " + p + " is (" + min[2 * p] + ", " + min[2 * p + 1] + ")");
            }
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
        int[] ints = new int[count];
        Arrays.fill(ints, me + 1);
        w.allreduce(Buf.of(ints), Buf.of(direct, ElementType.INT, 0, count), Op.SUM);
        for (int i = 0; i < count; i++) {
            if (direct.getInt(4 * i) != n * (n + 1) / 2) {
                throw new AssertionError("allreduce into a direct buffer: element " + i + " is " + direct.getInt(4 * i));
            }
        }
    }

    static void scanExscan(Comm w) {
        int[] in = {w.rank() + 1};
        int[] out = new int[1];
        w.scan(Buf.of(in), Buf.of(out), Op.SUM);
        assertEquals((w.rank() + 1) * (w.rank() + 2) / 2, out[0]);
        int[] ex = {-7};
        w.exscan(Buf.of(in), Buf.of(ex), Op.SUM);
        assertEquals(w.rank() == 0 ? -7 : w.rank() * (w.rank() + 1) / 2, ex[0]);
        assertEquals((w.rank() + 1) * (w.rank() + 2) / 2, (int) w.scan(w.rank() + 1, Integer::sum));
        Integer e = w.exscan(w.rank() + 1, Integer::sum);
        if (w.rank() == 0) {
            assertNull(e);
        } else {
            assertEquals(w.rank() * (w.rank() + 1) / 2, e);
        }
    }

    static void reduceScatter(Comm w) {
        int n = w.size();
        int[] counts = new int[n];
        int total = 0;
        for (int r = 0; r < n; r++) {
            counts[r] = r + 1;
            total += r + 1;
        }
        double[] send = new double[total];
        for (int i = 0; i < total; i++) {
            send[i] = i;
        }
        double[] recv = new double[w.rank() + 1];
        w.reduceScatter(Buf.of(send), Buf.of(recv), counts, Op.SUM);
        int start = w.rank() * (w.rank() + 1) / 2;
        for (int i = 0; i < recv.length; i++) {
            assertEquals((start + i) * (double) n, recv[i]);
        }
    }

    static void dupAndSplit(Comm w) {
        int n = w.size();
        Comm d = w.dup();
        assertEquals(w.rank(), d.rank());
        assertEquals(n, d.size());
        // a message on the dup does not match a receive on the world
        d.send("on dup", w.rank(), 1);
        w.send("on world", w.rank(), 1);
        assertEquals("on world", w.recv(w.rank(), 1));
        assertEquals("on dup", d.recv(w.rank(), 1));
        Comm half = w.split(w.rank() % 2, -w.rank());
        int mates = (n + 1 - w.rank() % 2) / 2;
        assertEquals(mates, half.size());
        // keys are -rank: the highest world rank of the color is rank 0
        List<Integer> worldRanks = half.allgather(w.rank());
        for (int i = 1; i < worldRanks.size(); i++) {
            assertTrue(worldRanks.get(i - 1) > worldRanks.get(i));
        }
        int[] sum = new int[1];
        half.allreduce(Buf.of(new int[] {w.rank()}), Buf.of(sum), Op.SUM);
        int expected = 0;
        for (int r = w.rank() % 2; r < n; r += 2) {
            expected += r;
        }
        assertEquals(expected, sum[0]);
        Comm none = w.split(w.rank() == 0 ? Comm.UNDEFINED : 1, 0);
        if (w.rank() == 0) {
            assertNull(none);
        } else {
            assertEquals(n - 1, none.size());
            none.free();
            assertThrows(MpiException.class, none::barrier);
        }
        d.free();
        half.free();
        w.barrier();
    }

    static void badInput(Comm w) {
        int n = w.size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.bcast(Buf.of(new int[1]), n));
        assertTrue(e.getMessage().contains("root " + n + " is out of range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.send("x", -2, 0));
        assertTrue(e.getMessage().contains("dest -2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.send("x", 0, -5));
        assertTrue(e.getMessage().contains("tag must not be negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> w.scatter(Buf.of(new double[n * 3 + 1]), Buf.of(new double[3]), w.rank()));
        if (n > 1) {
            assertTrue(e.getMessage().contains("use scatterv"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> w.scatterv(Buf.of(new double[4]), new int[n],
                negativeAt(n), Buf.of(new double[1]), w.rank()));
        assertTrue(e.getMessage().contains("displs[0] is negative"), e.getMessage());
        int[] tooMany = new int[n];
        tooMany[n - 1] = 5;
        e = assertThrows(IllegalArgumentException.class, () -> w.gatherv(Buf.of(new int[0]), Buf.of(new int[4]),
                tooMany, new int[n], w.rank()));
        assertTrue(e.getMessage().contains("exceeds the receive buffer of 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.reduceScatter(Buf.of(new int[15]), Buf.of(new int[15]),
                new int[n], Op.SUM));
        assertTrue(e.getMessage().contains("counts sum to 0 but the send buffer has 15"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> w.allreduce(Buf.of(new int[2]), Buf.of(new long[2]),
                Op.SUM));
        assertTrue(e.getMessage().contains("INT") && e.getMessage().contains("LONG"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Buf.of(new int[3], 2, 2));
        // nothing was sent by any of these: the next collective still works
        w.barrier();
    }

    private static int[] negativeAt(int n) {
        int[] d = new int[n];
        d[0] = -1;
        return d;
    }

    static void truncationAndTypeMismatch(Comm w) {
        w.send(Buf.of(new double[10]), w.rank(), 3);
        MpiException e = assertThrows(MpiException.class, () -> w.recv(Buf.of(new double[4]), w.rank(), 3));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("10 DOUBLE"), e.getMessage());
        w.send(Buf.of(new int[2]), w.rank(), 3);
        e = assertThrows(MpiException.class, () -> w.recv(Buf.of(new long[2]), w.rank(), 3));
        assertTrue(e.getMessage().contains("INT") && e.getMessage().contains("LONG"), e.getMessage());
        w.send("an object", w.rank(), 3);
        e = assertThrows(MpiException.class, () -> w.recv(Buf.of(new byte[100]), w.rank(), 3));
        assertTrue(e.getMessage().contains("object"), e.getMessage());
        // the failed receives consumed their messages; the next one is clean
        w.send(Buf.of(new int[] {1}), w.rank(), 3);
        int[] ok = new int[1];
        w.recv(Buf.of(ok), w.rank(), 3);
        assertEquals(1, ok[0]);
        assertNotNull(w.toString());
    }
}
