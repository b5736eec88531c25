package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;

import mpi.MPI;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.MpiException;

/**
 * The thread level ({@link OpenMpiSession#THREADS_PROP}) and the short-message sends, 2 ranks: rank 0 sends a burst
 * of small messages (staged arrays and direct buffers sent in place) before rank 1 receives any, and each rank sends
 * a burst to the other before receiving (both must return without the receiver); then a call from a second thread:
 * at {@code single} it fails with an {@link MpiException} naming the property and both threads, and the main thread
 * goes on; at {@code multiple} it is served. Each rank prints {@code LEVEL OK <single|multiple> rank r}.
 */
public final class ThreadLevelMain {
    private static final int BURST = 5_000;

    private ThreadLevelMain() {
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /**
     * Runs.
     *
     * @param args nothing.
     * @throws Exception on failure (the job aborts).
     */
    public static void main(String[] args) throws Exception {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int me = w.rank();
            int peer = 1 - me;
            boolean single = OpenMpiSession.singleThreaded(System.getProperty(OpenMpiSession.THREADS_PROP));
            check(OpenMpiSession.threadLevel() == (single ? MPI.THREAD_SINGLE : MPI.THREAD_MULTIPLE),
                    "granted level " + OpenMpiSession.threadLevel());
            ByteBuffer direct = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
            // a one-way burst: every send returns before the receiver receives anything
            if (me == 0) {
                for (int i = 0; i < BURST; i++) {
                    w.send(Buf.of(new double[] {i}), 1, 3);
                    direct.putLong(8, i);
                    w.send(Buf.of(direct, ElementType.LONG, 1, 1), 1, 4);
                    w.send(Buf.of(new int[256]), 1, 5); // 1 KiB: the largest staged message sent at once
                }
            }
            w.barrier();
            if (me == 1) {
                double[] d = new double[1];
                long[] l = new long[1];
                int[] big = new int[256];
                for (int i = 0; i < BURST; i++) {
                    w.recv(Buf.of(d), 0, 3);
                    w.recv(Buf.of(l), 0, 4);
                    w.recv(Buf.of(big), 0, 5);
                    check(d[0] == i && l[0] == i, "burst message " + i + ": " + d[0] + " " + l[0]);
                }
            }
            // both ranks send a burst to each other before receiving: blocking sends that do not wait for the peer
            for (int i = 0; i < BURST; i++) {
                w.send(Buf.of(new long[] {me * 1_000_000L + i}), peer, 6);
            }
            long[] got = new long[1];
            for (int i = 0; i < BURST; i++) {
                w.recv(Buf.of(got), peer, 6);
                check(got[0] == peer * 1_000_000L + i, "exchange message " + i + ": " + got[0]);
            }
            // a call from another thread
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    w.send(Buf.of(new double[] {42}), peer, 7);
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "second-thread");
            other.start();
            other.join();
            if (single) {
                Throwable t = failed.get();
                check(t instanceof MpiException, "a call from a second thread at single: " + t);
                String m = t.getMessage();
                check(m.contains(OpenMpiSession.THREADS_PROP + "=single") && m.contains("\"second-thread\"")
                        && m.contains("\"" + Thread.currentThread().getName() + "\""), "the message: " + m);
                w.send(Buf.of(new double[] {42}), peer, 7); // the main thread sends it instead
            } else {
                check(failed.get() == null, "a call from a second thread at multiple: " + failed.get());
            }
            double[] d = new double[1];
            w.recv(Buf.of(d), peer, 7);
            check(d[0] == 42, "after the second thread: " + d[0]);
            w.barrier();
            System.out.println("LEVEL OK " + (single ? "single" : "multiple") + " rank " + me);
            System.out.flush();
        }
    }
}
