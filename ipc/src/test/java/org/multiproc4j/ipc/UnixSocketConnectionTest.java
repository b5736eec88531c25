package org.multiproc4j.ipc;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;

/** The {@link Connection} contract over a Unix domain socket, the peer in a thread of this JVM. */
class UnixSocketConnectionTest extends SocketConnectionContract {
    @Override
    SocketAddress newAddress() throws IOException {
        return UnixDomainSocketAddress.of(Files.createTempDirectory(dir, "s").resolve("l.sock"));
    }

    @Override
    protected boolean peerInAnotherProcess() {
        return false;
    }
}
