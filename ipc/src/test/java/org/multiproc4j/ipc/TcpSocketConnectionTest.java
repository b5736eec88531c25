package org.multiproc4j.ipc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The {@link Connection} contract over TCP on the loopback interface, the peer in a thread of this JVM. */
class TcpSocketConnectionTest extends SocketConnectionContract {
    @Override
    SocketAddress newAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Override
    protected boolean peerInAnotherProcess() {
        return false;
    }
}
