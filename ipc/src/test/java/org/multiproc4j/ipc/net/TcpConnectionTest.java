package org.multiproc4j.ipc.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The connection contract over TCP on the loopback interface. */
class TcpConnectionTest extends SocketContract {
    @Override
    SocketAddress newAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
