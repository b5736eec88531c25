package org.multiproc4j.manager.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.multiproc4j.ipc.net.Client;
import org.multiproc4j.ipc.net.ConnectionOptions;
import org.multiproc4j.ipc.net.SocketConnection;

/** The compact frames of simple calls: their round trip, what they refuse, and a server that answers them. */
class CompactFramesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final Object[] SIMPLE = {null, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 7L, Long.MIN_VALUE,
        Long.MAX_VALUE, true, false, 0.5, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, "", "car", "é\u00ff",
        "snow \u2603 and \ud83d\ude00", "x".repeat(CompactFrames.MAX_STRING)};

    private static byte[] bytes(CompactFrames.Out out) {
        return Arrays.copyOf(out.bytes, out.length);
    }

    @Test
    void shouldRoundTripEverySimpleValueWithItsType() throws IOException {
        CompactFrames.Out out = new CompactFrames.Out();
        for (Object v : SIMPLE) {
            assertTrue(CompactFrames.response(out, v), String.valueOf(v));
            Object back = CompactFrames.readResponse(bytes(out));
            assertEquals(v, back);
            assertEquals(v == null ? null : v.getClass(), back == null ? null : back.getClass());
        }
    }

    @Test
    void shouldRoundTripARequestWithManyArguments() throws IOException {
        CompactFrames.Out out = new CompactFrames.Out();
        assertTrue(CompactFrames.request(out, 1234567890123L, 42, SIMPLE));
        CompactFrames.Request r = CompactFrames.readRequest(bytes(out));
        assertEquals(1234567890123L, r.id);
        assertEquals(42, r.index);
        assertArrayEquals(SIMPLE, r.args);

        assertTrue(CompactFrames.request(out, 3, 0, null));
        r = CompactFrames.readRequest(bytes(out));
        assertEquals(3, r.id);
        assertNull(r.args);
    }

    @Test
    void shouldLeaveOtherValuesToTuples() {
        CompactFrames.Out out = new CompactFrames.Out();
        for (Object v : new Object[] {List.of(1), new int[] {1}, 'c', (short) 1, 1.5f, (byte) 1,
            "x".repeat(CompactFrames.MAX_STRING + 1), new Object[] {1}}) {
            assertFalse(CompactFrames.response(out, v), v.getClass().getName());
            assertFalse(CompactFrames.request(out, 1, 0, new Object[] {1, v}), v.getClass().getName());
        }
        assertFalse(CompactFrames.request(out, 1, 0, new Object[256]));
    }

    @Test
    void shouldRefuseTruncatedOrForeignFramesWithTheReason() throws IOException {
        CompactFrames.Out out = new CompactFrames.Out();
        CompactFrames.request(out, 1, 2, new Object[] {"a string", 5L});
        byte[] whole = bytes(out);
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            StreamCorruptedException e = assertThrows(StreamCorruptedException.class,
                    () -> CompactFrames.readRequest(cut));
            assertTrue(e.getMessage().contains("compact manager"), e.getMessage());
        }
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertTrue(assertThrows(StreamCorruptedException.class, () -> CompactFrames.readRequest(longer))
                .getMessage().contains("1 bytes after its end"));
        byte[] foreign = whole.clone();
        foreign[CompactFrames.REQUEST_HEADER] = 'X';
        assertTrue(assertThrows(StreamCorruptedException.class, () -> CompactFrames.readRequest(foreign))
                .getMessage().contains("unknown tag 88"));
        assertThrows(StreamCorruptedException.class, () -> CompactFrames.readResponse(whole));
        byte[] huge = {CompactFrames.RESPONSE, 'U', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
        assertThrows(StreamCorruptedException.class, () -> CompactFrames.readResponse(huge));
    }

    @Test
    void shouldAnswerCompactRequestsCompactlyAndOthersAsTuples() throws Exception {
        Path dir = Files.createTempDirectory("mp4j-compact");
        byte[] key = new byte[32];
        Server server = new Server(UnixDomainSocketAddress.of(dir.resolve("s")), key, new ConnectionOptions());
        Thread serving = new Thread(server::serve, "compact-frames-test-server");
        serving.setDaemon(true);
        serving.start();
        try (SocketConnection c = Client.connect(server.address(), key)) {
            c.send(new Object[] {Protocol.HELLO_SOCKET});
            assertEquals("ok", c.recv(WAIT));
            c.send(new Object[] {Protocol.MANAGER, Protocol.CREATE, new Object[] {"dict", new Object[0]}});
            Object[] created = (Object[]) c.recv(WAIT);
            assertEquals(Protocol.PROXY, created[0]);
            long id = (Long) created[1];
            c.send("put(java.lang.Object,java.lang.Object)");           // index 0
            c.send("get(java.lang.Object)");                            // index 1
            c.send("keySet()");                                         // index 2
            CompactFrames.Out out = new CompactFrames.Out();

            CompactFrames.request(out, id, 0, new Object[] {"car", "ford"});
            c.sendBytes(bytes(out));
            assertNull(CompactFrames.readResponse(c.recvBytes()));      // no previous value
            CompactFrames.request(out, id, 1, new Object[] {"car"});
            c.sendBytes(bytes(out));
            assertEquals("ford", CompactFrames.readResponse(c.recvBytes()));

            CompactFrames.request(out, id, 2, null);                    // a set is not simple: a tuple answers
            c.sendBytes(bytes(out));
            Object[] keys = (Object[]) c.recv(WAIT);
            assertEquals(Protocol.OK, keys[0]);
            assertEquals(java.util.Set.of("car"), keys[1]);

            CompactFrames.request(out, id, 0, new Object[] {null, 1});  // the map's NullPointerException
            c.sendBytes(bytes(out));
            Object[] error = (Object[]) c.recv(WAIT);
            assertEquals(Protocol.ERROR, error[0]);
            assertEquals(NullPointerException.class.getName(), error[1]);

            CompactFrames.request(out, id, 7, null);                    // never defined: refused, in step
            c.sendBytes(bytes(out));
            Object[] refused = (Object[]) c.recv(WAIT);
            assertEquals(Protocol.ERROR, refused[0]);
            assertTrue(((String) refused[2]).contains("method index 7 was never defined"), (String) refused[2]);

            CompactFrames.request(out, id, 1, new Object[] {"car"});
            c.sendBytes(bytes(out));
            assertInstanceOf(byte[].class, c.recv(WAIT));
        } finally {
            server.close();
            serving.join(WAIT.toMillis());
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        }
    }
}
