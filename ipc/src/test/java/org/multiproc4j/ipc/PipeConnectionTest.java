package org.multiproc4j.ipc;

/** The {@link Connection} contract for a pipe whose other end is used by a thread of this JVM. */
class PipeConnectionTest extends ConnectionContract {

    @Override
    protected Connection connect(PeerTask task) {
        Pipe pipe = Pipe.open();
        PipeConnection theirs = pipe.second();
        runPeer(() -> {
            try {
                return task.run(theirs);
            } finally {
                theirs.close();
            }
        });
        if (peerInAnotherProcess()) {
            theirs.close(); // Python's idiom: the parent closes its copy of the child's end
        }
        return pipe.first();
    }

    @Override
    protected boolean peerInAnotherProcess() {
        return false;
    }
}
