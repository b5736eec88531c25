package org.multiproc4j.manager.internal;

import java.io.IOException;
import java.net.SocketAddress;

import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.net.ConnectionOptions;

/** What the server JVM started by {@code Manager.start()} runs. */
public final class ServerMain {
    private ServerMain() {
    }

    /**
     * Binds the server, reports its address (or what went wrong) on {@code ready}, then serves until shut down.
     *
     * @param address where to listen.
     * @param authkey the key.
     * @param ready   the sending end of a one-way pipe to the starting process.
     * @throws Exception if the server cannot be bound (after reporting it).
     */
    public static void runChild(SocketAddress address, byte[] authkey, Connection ready) throws Exception {
        Server server;
        try {
            server = new Server(address, authkey, new ConnectionOptions());
        } catch (IOException | RuntimeException e) {
            ready.send(new Object[] {"error", e.toString()});
            throw e;
        }
        ready.send(new Object[] {"ready", server.address()});
        ready.close();
        server.serve();
    }
}
