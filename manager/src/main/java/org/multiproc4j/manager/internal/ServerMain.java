package org.multiproc4j.manager.internal;

import java.io.IOException;
import java.net.SocketAddress;

import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.core.internal.StartTrace;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.net.ConnectionOptions;

/** What the server JVM started by {@code Manager.start()} runs. */
public final class ServerMain {
    private ServerMain() {
    }

    /**
     * The task of a manager's server JVM: {@link #runChild} with its address, key and pipe. A class of its own
     * rather than a lambda, so that the server's warm spare is told which role it will take and rehearses it
     * (see {@link ManagerWarmUp#rehearse(String)}), and so that no lambda needs deserializing in the child.
     */
    public static final class Task implements SerializableRunnable {
        private static final long serialVersionUID = 1L;

        private final SocketAddress address;
        private final byte[] authkey;
        @SuppressWarnings("serial") // a shared object: it travels as its handle (Shareable), not by serialization
        private final Connection ready;

        /**
         * Creates the task.
         *
         * @param address where the server listens.
         * @param authkey the key.
         * @param ready   the server's end of a duplex pipe to the starting process.
         */
        public Task(SocketAddress address, byte[] authkey, Connection ready) {
            this.address = address;
            this.authkey = authkey;
            this.ready = ready;
        }

        @Override
        public void run() throws Exception {
            runChild(address, authkey, ready);
        }
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
