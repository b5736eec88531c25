package org.multiproc4j.benchmarks.mpi;

import java.time.Duration;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.Op;
import org.multiproc4j.mpi.Status;
import org.multiproc4j.mpi.internal.JobLayout;
import org.multiproc4j.mpi.internal.LocalJob;

/**
 * A job of two ranks on the {@code local} backend for the JMH benchmarks: rank 0 is the benchmark's own JVM
 * (it joins the job as {@code MpiLauncher}'s ranks do), rank 1 a child JVM running a {@link Peer} that mirrors
 * rank 0's calls until rank 0 says stop. Not thread-safe: one benchmark thread.
 */
final class MpiPair implements AutoCloseable {
    /** What the peer does. */
    enum Peer {
        /** Receives buffer messages of any tag into a buffer of the given bytes and sends them back; tag 1 ends. */
        ECHO_BUFFER,
        /** Receives objects and sends them back; {@code null} ends. */
        ECHO_OBJECT,
        /** Joins rank 0's bcast of the given bytes of doubles; a NaN first element ends. */
        BCAST,
        /** Joins rank 0's SUM allreduce of the given bytes of doubles (contributing zeros); a NaN result ends. */
        ALLREDUCE
    }

    private final LocalJob job;
    private final JvmProcess peer;
    private final Mpi mpi;
    private final Comm world;
    private final Peer mode;
    private final int bytes;

    MpiPair(Peer mode, int bytes) {
        this.mode = mode;
        this.bytes = bytes;
        job = LocalJob.create(2, JobLayout.defaultCapacity(2));
        peer = new JvmProcess(new PeerTask(job.name(), mode, bytes),
                new JvmProcess.Options().name("mpi-peer").terminateGrace(Duration.ofSeconds(1)));
        peer.start();
        System.setProperty(LocalJob.SEGMENT_PROP, job.name());
        System.setProperty(LocalJob.RANK_PROP, "0");
        mpi = Mpi.init(new String[0]);
        world = mpi.world();
    }

    Comm world() {
        return world;
    }

    /**
     * Ends the peer's loop, closes the session and the job.
     *
     * @throws IllegalStateException if the peer failed or did not exit within a minute.
     */
    @Override
    public void close() {
        try {
            switch (mode) {
                case ECHO_BUFFER:
                    world.send(Buf.of(new byte[0]), 1, 1);
                    break;
                case ECHO_OBJECT:
                    world.send((Object) null, 1, 0);
                    break;
                case BCAST:
                    world.bcast(Buf.of(stop(bytes)), 0);
                    break;
                default:
                    double[] out = new double[bytes / 8];
                    world.allreduce(Buf.of(stop(bytes)), Buf.of(out), Op.SUM);
                    break;
            }
            mpi.close();
            if (!joined(peer)) {
                throw new IllegalStateException("the MPI peer did not exit");
            }
            if (peer.exitCode() != 0) {
                throw new IllegalStateException("the MPI peer failed: " + peer.failure().map(Throwable::getMessage)
                        .orElse("exit status " + peer.exitCode()));
            }
        } finally {
            peer.close();
            job.close();
        }
    }

    private static boolean joined(JvmProcess p) {
        try {
            return p.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double[] stop(int bytes) {
        double[] d = new double[bytes / 8];
        d[0] = Double.NaN;
        return d;
    }

    /** Rank 1: joins the job and mirrors rank 0. */
    private static final class PeerTask implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final String segment;
        private final Peer mode;
        private final int bytes;

        PeerTask(String segment, Peer mode, int bytes) {
            this.segment = segment;
            this.mode = mode;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            System.setProperty(LocalJob.SEGMENT_PROP, segment);
            System.setProperty(LocalJob.RANK_PROP, "1");
            try (Mpi mpi = Mpi.init(new String[0])) {
                Comm w = mpi.world();
                switch (mode) {
                    case ECHO_BUFFER: {
                        Buf b = Buf.of(new byte[bytes]);
                        while (true) {
                            Status s = w.recv(b, 0, Comm.ANY_TAG);
                            if (s.tag() == 1) {
                                return;
                            }
                            w.send(b, 0, 0);
                        }
                    }
                    case ECHO_OBJECT:
                        while (true) {
                            Object o = w.recv(0, 0);
                            if (o == null) {
                                return;
                            }
                            w.send(o, 0, 0);
                        }
                    case BCAST: {
                        double[] d = new double[bytes / 8];
                        Buf b = Buf.of(d);
                        do {
                            w.bcast(b, 0);
                        } while (!Double.isNaN(d[0]));
                        return;
                    }
                    default: {
                        Buf zeros = Buf.of(new double[bytes / 8]);
                        double[] out = new double[bytes / 8];
                        Buf o = Buf.of(out);
                        do {
                            w.allreduce(zeros, o, Op.SUM);
                        } while (!Double.isNaN(out[0]));
                    }
                }
            }
        }
    }
}
