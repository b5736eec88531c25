import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

import mpi.MPI;
import mpi.MPIException;

/**
 * MpiBench's buffer workloads on Open MPI's raw Java bindings, with 2 ranks under mpirun: {@code direct} passes
 * direct buffers, {@code array} passes {@code double[]}s (whose scatter above 64 KiB returns wrong data and leaks:
 * timed with few iterations). Compiled against mpi.jar at bench time by the side-by-side runner; prints
 * {@code RESULT raw_<form>_<metric> <microseconds>} as MpiBench does (best of reps of the mean; the slowest rank).
 */
public final class RawMpiBench {
    interface Body {
        void run(int iters) throws MPIException;
    }

    static double best(int reps, int iters, Body body) throws MPIException {
        body.run(Math.max(1, iters / 5));
        double best = Double.MAX_VALUE;
        double[] us = new double[1];
        double[] max = new double[1];
        for (int r = 0; r < reps; r++) {
            MPI.COMM_WORLD.barrier();
            long t0 = System.nanoTime();
            body.run(iters);
            us[0] = (System.nanoTime() - t0) / 1e3 / iters;
            MPI.COMM_WORLD.allReduce(us, max, 1, MPI.DOUBLE, MPI.MAX);
            best = Math.min(best, max[0]);
        }
        return best;
    }

    static DoubleBuffer direct(int count) {
        return ByteBuffer.allocateDirect(count * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        boolean array = args.length > 0 && args[0].equals("array");
        boolean quick = args.length > 1 && args[1].equals("quick");
        String form = array ? "raw_array_" : "raw_direct_";
        int reps = quick ? 2 : 10;
        int me = MPI.COMM_WORLD.getRank();
        int peer = 1 - me;
        for (int bytes : new int[] {8, 4096, 1 << 20}) {
            Object b = array ? new double[bytes / 8] : direct(bytes / 8);
            int count = bytes / 8;
            int iters = quick ? 100 : bytes >= (1 << 20) ? 200 : 20_000;
            double rtt = best(reps, iters, n -> {
                for (int i = 0; i < n; i++) {
                    if (me == 0) {
                        MPI.COMM_WORLD.send(b, count, MPI.DOUBLE, peer, 0);
                        MPI.COMM_WORLD.recv(b, count, MPI.DOUBLE, peer, 0);
                    } else {
                        MPI.COMM_WORLD.recv(b, count, MPI.DOUBLE, peer, 0);
                        MPI.COMM_WORLD.send(b, count, MPI.DOUBLE, peer, 0);
                    }
                }
            });
            report(me, form + "pingpong_oneway_" + bytes + "B_us", rtt / 2);
        }
        for (int bytes : new int[] {8, 1 << 20}) {
            Object b = array ? new double[bytes / 8] : direct(bytes / 8);
            int iters = quick ? 100 : bytes >= (1 << 20) ? 200 : 20_000;
            report(me, form + "bcast_" + bytes + "B_us", best(reps, iters, n -> {
                for (int i = 0; i < n; i++) {
                    MPI.COMM_WORLD.bcast(b, bytes / 8, MPI.DOUBLE, 0);
                }
            }));
        }
        {
            int count = (1 << 20) / 8;
            Object send = array ? new double[count] : direct(count);
            Object recv = array ? new double[count / 2] : direct(count / 2);
            // the array form leaks about the receive size per call: few iterations
            report(me, form + "scatter_1048576B_us", best(reps, quick ? 5 : array ? 20 : 200, n -> {
                for (int i = 0; i < n; i++) {
                    MPI.COMM_WORLD.scatter(send, count / 2, MPI.DOUBLE, recv, count / 2, MPI.DOUBLE, 0);
                }
            }));
        }
        for (int count : new int[] {1, 1 << 20}) {
            Object send = array ? new double[count] : direct(count);
            Object recv = array ? new double[count] : direct(count);
            report(me, form + "allreduce_" + count + "d_us", best(reps, quick ? 20 : count > 1 ? 50 : 20_000, n -> {
                for (int i = 0; i < n; i++) {
                    MPI.COMM_WORLD.allReduce(send, recv, count, MPI.DOUBLE, MPI.SUM);
                }
            }));
        }
        MPI.Finalize();
    }

    static void report(int me, String metric, double us) {
        if (me == 0) {
            System.out.printf("RESULT %s %.4f%n", metric, us);
            System.out.flush();
        }
    }
}
