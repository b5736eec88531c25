package org.multiproc4j.benchmarks.ipc;

import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.ipc.net.AuthenticationException;
import org.multiproc4j.ipc.net.ConnectionOptions;
import org.multiproc4j.ipc.net.Listener;
import org.multiproc4j.ipc.net.SocketConnection;

/**
 * The server side of {@link SocketConnectionBenchmark}, run in a child JVM: a {@link Listener} whose every
 * connection names its mode in its first message ({@code "objects"}, {@code "bytes"}, or {@code "quit"} to stop
 * the server) and is then echoed, one thread per connection, until the client closes it.
 */
public final class SocketEcho {
    private SocketEcho() {
    }

    /**
     * Serves until a connection says {@code "quit"}.
     *
     * @param address     where to listen (TCP port 0 is fine).
     * @param addressFile where to write the bound address (Java-serialized), for the parent.
     * @param authkey     the key.
     * @param codec       {@code "jdk"} or {@code "fast"}.
     * @throws Exception if listening fails.
     */
    public static void serve(SocketAddress address, String addressFile, byte[] authkey, String codec)
            throws Exception {
        try (Listener listener = new Listener(address, authkey, new ConnectionOptions().codec(codec(codec)))) {
            Path file = Path.of(addressFile);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(tmp))) {
                out.writeObject(listener.address());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            while (true) {
                SocketConnection conn;
                try {
                    conn = listener.accept();
                } catch (AuthenticationException e) {
                    continue;
                }
                Object mode;
                try {
                    mode = conn.recv();
                } catch (EOFException e) {
                    conn.close();
                    continue;
                }
                if ("quit".equals(mode)) {
                    conn.close();
                    return;
                }
                boolean bytes = "bytes".equals(mode);
                Thread t = new Thread(() -> echo(conn, bytes), "echo");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    /**
     * Returns a codec by name.
     *
     * @param name {@code "jdk"} or {@code "fast"}.
     * @return {@link Codecs#jdk()} or {@link Codecs#fast()}.
     */
    public static Codec codec(String name) {
        return "fast".equals(name) ? Codecs.fast() : Codecs.jdk();
    }

    private static void echo(SocketConnection conn, boolean bytes) {
        try (conn) {
            while (true) {
                if (bytes) {
                    conn.sendBytes(conn.recvBytes());
                } else {
                    conn.send(conn.recv());
                }
            }
        } catch (EOFException e) {
            // the client is done
        } catch (IOException | InterruptedException | RuntimeException e) {
            e.printStackTrace();
        }
    }

    /**
     * Waits for the server's address file and reads it.
     *
     * @param addressFile the file.
     * @param timeout     how long to wait.
     * @return the bound address.
     * @throws Exception if it does not appear in time.
     */
    public static SocketAddress awaitAddress(Path addressFile, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(addressFile)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the echo server wrote no address to " + addressFile + " within "
                        + timeout);
            }
            Thread.sleep(5);
        }
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(addressFile))) {
            return (SocketAddress) in.readObject();
        }
    }
}
