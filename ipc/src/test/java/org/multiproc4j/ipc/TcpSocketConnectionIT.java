package org.multiproc4j.ipc;

/** The {@link Connection} contract over TCP on the loopback interface, the peer in a child JVM. */
class TcpSocketConnectionIT extends TcpSocketConnectionTest {
    @Override
    protected boolean peerInAnotherProcess() {
        return true;
    }
}
