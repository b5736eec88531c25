package org.multiproc4j.ipc.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The connection contract over Unix domain sockets in a temporary directory. */
class UnixConnectionTest extends SocketContract {
    @Override
    SocketAddress newAddress() throws IOException {
        return UnixDomainSocketAddress.of(socketPath(dir));
    }

    @Test
    void shouldDeleteTheSocketFileWhenClosed() throws IOException {
        Path file = ((UnixDomainSocketAddress) listener.address()).getPath();
        assertTrue(Files.exists(file));
        listener.close();
        assertFalse(Files.exists(file), file + " left behind");
    }

    @Test
    void shouldFailToConnectWhereNothingListens() {
        SocketAddress nowhere = UnixDomainSocketAddress.of(dir.resolve("nobody.sock"));
        assertThrows(IOException.class, () -> Client.connect(nowhere, KEY));
    }
}
