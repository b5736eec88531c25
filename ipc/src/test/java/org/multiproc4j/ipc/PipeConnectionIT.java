package org.multiproc4j.ipc;

import java.util.concurrent.Future;

import org.multiproc4j.core.JvmProcess;

/** The {@link Connection} contract for a pipe whose other end was handed to a child JVM. */
class PipeConnectionIT extends ConnectionContract {
    private Future<?> peer;

    @Override
    protected Connection connect(PeerTask task) {
        Pipe pipe = Pipe.open();
        PipeConnection theirs = pipe.second();
        peer = JvmProcess.call(() -> {
            try {
                return task.run(theirs);
            } finally {
                theirs.close();
            }
        });
        theirs.close(); // Python's idiom: the parent closes its copy of the child's end
        return pipe.first();
    }

    @Override
    protected Future<?> peerFuture() {
        return peer;
    }

    @Override
    protected boolean peerInAnotherProcess() {
        return true;
    }
}
