package org.multiproc4j.ipc;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.ipc.net.Client;
import org.multiproc4j.ipc.net.Listener;
import org.multiproc4j.ipc.net.SocketConnection;
import org.multiproc4j.test.Timeouts;

/**
 * The {@link Connection} contract for sockets: this side accepts on a {@link Listener}, the peer connects with
 * {@link Client} from a thread of this JVM or from a child JVM.
 */
abstract class SocketConnectionContract extends ConnectionContract {
    static final byte[] KEY = "the right key, 32 bytes long....".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private Listener listener;

    /**
     * Returns a fresh address to listen on.
     *
     * @return the address.
     * @throws IOException if none can be made.
     */
    abstract SocketAddress newAddress() throws IOException;

    @Override
    protected Connection connect(PeerTask task) throws Exception {
        listener = new Listener(newAddress(), KEY);
        SocketAddress address = listener.address();
        SerializableCallable<Object> client = () -> {
            try (SocketConnection c = Client.connect(address, KEY)) {
                return task.run(c);
            }
        };
        runPeer(client);
        return listener.accept(Timeouts.LONG);
    }

    @AfterEach
    void closeListener() {
        if (listener != null) {
            listener.close();
        }
    }
}
