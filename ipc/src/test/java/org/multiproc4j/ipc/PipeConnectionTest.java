package org.multiproc4j.ipc;

import java.util.concurrent.Future;

/** The {@link Connection} contract for a pipe whose other end is used by a thread of this JVM. */
class PipeConnectionTest extends ConnectionContract {
    private Future<?> peer;

    @Override
    protected Connection connect(PeerTask task) {
        Pipe pipe = Pipe.open();
        PipeConnection theirs = pipe.second();
        peer = pool.submit(() -> {
            try {
                return task.run(theirs);
            } finally {
                theirs.close();
            }
        });
        return pipe.first();
    }

    @Override
    protected Future<?> peerFuture() {
        return peer;
    }

    @Override
    protected boolean peerInAnotherProcess() {
        return false;
    }
}
