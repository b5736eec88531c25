package org.multiproc4j.manager.internal;

import java.io.IOException;
import java.net.SocketAddress;

import org.multiproc4j.core.internal.StartTrace;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.net.ConnectionOptions;

/** What the server JVM started by {@code Manager.start()} runs. */
public final class ServerMain {
    private ServerMain() {
    }

    /**
     * Binds the server, reports its address (or what went wrong) on {@code control}, then serves until shut
     * down: the starting process over {@code control} (it proved who it is by starting this JVM), every other
     * client through the listening socket.
     *
     * @param address where to listen.
     * @param authkey the key.
     * @param ready   an end of a duplex pipe to the starting process.
     * @throws Exception if the server cannot be bound (after reporting it).
     */
    public static void runChild(SocketAddress address, byte[] authkey, Connection ready) throws Exception {
        StartTrace.mark("server: starts");
        Server server;
        try {
            server = new Server(address, authkey, new ConnectionOptions());
        } catch (IOException | RuntimeException e) {
            ready.send(new Object[] {"error", e.toString()});
            throw e;
        }
        StartTrace.mark("server: listening");
        ready.send(new Object[] {"ready", server.address()});
        server.serve(Channel.of(ready));
        server.serve();
    }
}
