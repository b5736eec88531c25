package org.multiproc4j.mpi.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.spi.BackendSession;
import org.multiproc4j.mpi.spi.CommBackend;

/** A rank's membership of a local job. */
public final class LocalSession implements BackendSession {
    private static String launchedSegment;
    private static String launchedRank;

    private final LocalJob job;
    private final boolean ownsJob;
    private final int me;
    private final LocalComm world;
    private final LocalComm self;
    private int nextId = 2;
    private boolean finished;

    LocalSession(LocalJob job, boolean ownsJob, int me) {
        this.job = job;
        this.ownsJob = ownsJob;
        this.me = me;
        Engine engine = new Engine(job, me);
        int[] all = new int[job.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        world = new LocalComm(this, engine, 0, all, all.length > 1 ? new SharedColl(engine) : null);
        self = new LocalComm(this, engine, 1, new int[] {me});
        job.join(me);
    }

    /**
     * Joins the job this JVM was started for by the launcher, or makes a job of one rank.
     *
     * @return the session.
     */
    static LocalSession open() {
        String segment;
        String rank;
        synchronized (LocalSession.class) {
            if (launchedSegment == null && System.getProperty(LocalJob.SEGMENT_PROP) != null) {
                // read once and removed, so that a JVM this rank starts (which inherits multiproc4j.* properties)
                // is not taken for this rank
                launchedSegment = System.getProperty(LocalJob.SEGMENT_PROP);
                launchedRank = System.getProperty(LocalJob.RANK_PROP);
                System.clearProperty(LocalJob.SEGMENT_PROP);
                System.clearProperty(LocalJob.RANK_PROP);
            }
            segment = launchedSegment;
            rank = launchedRank;
        }
        if (segment == null) {
            return new LocalSession(LocalJob.create(1, 64 << 10), true, 0);
        }
        int me;
        try {
            me = Integer.parseInt(rank);
        } catch (NumberFormatException e) {
            throw new MpiException("system property " + LocalJob.RANK_PROP + " must be a rank, got '" + rank + "'");
        }
        LocalJob job = LocalJob.attach(segment);
        if (me < 0 || me >= job.size()) {
            job.close();
            throw new MpiException("rank " + me + " is outside the job's " + job.size() + " ranks");
        }
        return new LocalSession(job, false, me);
    }

    int nextId() {
        return nextId;
    }

    void usedId(int id) {
        nextId = Math.max(nextId, id + 1);
    }

    @Override
    public String backend() {
        return "local";
    }

    @Override
    public CommBackend world() {
        return world;
    }

    @Override
    public CommBackend self() {
        return self;
    }

    @Override
    public String processorName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void abort(int code) {
        job.abort(me, code);
        System.err.println("multiproc4j-mpi: rank " + me + " called abort(" + code + "): ending the job");
        System.err.flush();
        Runtime.getRuntime().halt(code == 0 ? 1 : code);
    }

    @Override
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        job.finish(me);
        if (ownsJob) {
            job.close();
        }
    }
}
