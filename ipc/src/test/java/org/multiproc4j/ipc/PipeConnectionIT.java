package org.multiproc4j.ipc;

/** The {@link Connection} contract for a pipe whose other end was handed to a child JVM. */
class PipeConnectionIT extends PipeConnectionTest {
    @Override
    protected boolean peerInAnotherProcess() {
        return true;
    }
}
