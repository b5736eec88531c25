package org.multiproc4j.mpi.nativempi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.Op;

/**
 * A rank that calls MPI from several threads at once (the backend asks for {@code MPI_THREAD_MULTIPLE}): four
 * threads exchange messages around the ring, each on its own tag, small and large, arrays and objects, while a fifth
 * runs collectives on a communicator of its own. Rank 0 prints {@code OK threads}.
 */
public final class ThreadsMain {
    private ThreadsMain() {
    }

    /**
     * Runs the threads.
     *
     * @param args ignored.
     * @throws Exception if a thread fails.
     */
    public static void main(String[] args) throws Exception {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            Comm own = w.dup();
            int n = w.size();
            int next = (w.rank() + 1) % n;
            int prev = (w.rank() - 1 + n) % n;
            ExecutorService pool = Executors.newFixedThreadPool(5);
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int tag = t;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        int len = i % 10 == 0 ? 100_000 : 3;
                        long[] out = new long[len];
                        out[0] = w.rank() * 1_000_000L + tag * 1000 + i;
                        out[len - 1] = -out[0];
                        w.send(Buf.of(out), next, tag);
                        w.send("t" + tag + "i" + i + "r" + w.rank(), next, 100 + tag);
                        long[] in = new long[len];
                        w.recv(Buf.of(in), prev, tag);
                        long want = prev * 1_000_000L + tag * 1000 + i;
                        if (in[0] != want || in[len - 1] != -want) {
                            throw new AssertionError("thread " + tag + " message " + i + ": got " + in[0]);
                        }
                        String s = w.recv(prev, 100 + tag);
                        if (!s.equals("t" + tag + "i" + i + "r" + prev)) {
                            throw new AssertionError("thread " + tag + " object " + i + ": got " + s);
                        }
                    }
                    return null;
                }));
            }
            all.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    double[] sum = new double[1];
                    own.allreduce(Buf.of(new double[] {i + w.rank()}), Buf.of(sum), Op.SUM);
                    double want = (double) i * n + (double) n * (n - 1) / 2;
                    if (sum[0] != want) {
                        throw new AssertionError("allreduce " + i + ": " + sum[0] + " != " + want);
                    }
                }
                return null;
            }));
            for (Future<?> f : all) {
                f.get();
            }
            pool.shutdown();
            own.free();
            w.barrier();
            if (w.rank() == 0) {
                System.out.println("OK threads");
            }
        }
    }
}
