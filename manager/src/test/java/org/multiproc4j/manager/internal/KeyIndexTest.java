package org.multiproc4j.manager.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.multiproc4j.ipc.net.Client;
import org.multiproc4j.ipc.net.ConnectionOptions;
import org.multiproc4j.ipc.net.SocketConnection;

/** The protocol's method indexes, spoken by hand to a server in this JVM over its socket. */
class KeyIndexTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldServeDefinedIndexesAndRefuseAnUndefinedOneInStep() throws Exception {
        Path dir = Files.createTempDirectory("mp4j-keyindex");
        byte[] key = new byte[32];
        Server server = new Server(UnixDomainSocketAddress.of(dir.resolve("s")), key, new ConnectionOptions());
        Thread serving = new Thread(server::serve, "key-index-test-server");
        serving.setDaemon(true);
        serving.start();
        try (SocketConnection c = Client.connect(server.address(), key)) {
            c.send(new Object[] {Protocol.HELLO_SOCKET});
            assertEquals("ok", c.recv(WAIT));

            c.send(new Object[] {Protocol.MANAGER, 0, null});          // nothing defined yet
            Object[] refused = (Object[]) c.recv(WAIT);
            assertEquals(Protocol.ERROR, refused[0]);
            assertTrue(((String) refused[2]).contains("method index 0 was never defined"), (String) refused[2]);

            c.send(Protocol.PING);                                      // defines index 0; no answer
            c.send(new Object[] {Protocol.MANAGER, 0, null});
            assertArrayEquals(new Object[] {Protocol.OK, "pong"}, (Object[]) c.recv(WAIT));

            c.send(new Object[] {Protocol.MANAGER, Protocol.PING, null}); // a whole key still works
            assertArrayEquals(new Object[] {Protocol.OK, "pong"}, (Object[]) c.recv(WAIT));
        } finally {
            server.close();
            serving.join(WAIT.toMillis());
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        }
    }
}
