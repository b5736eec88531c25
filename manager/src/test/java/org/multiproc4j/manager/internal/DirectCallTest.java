package org.multiproc4j.manager.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiproc4j.ipc.net.Client;
import org.multiproc4j.ipc.net.ConnectionOptions;
import org.multiproc4j.ipc.net.SocketConnection;

/**
 * The calls a session makes on a map or a list without reflection ({@code Server.Direct}), spoken by hand over the
 * server's socket: they answer as the reflective way does, errors included; a call that does not fit (wrong
 * arguments) goes the general way and says what is wrong; and a released object is not served from the entry the
 * session kept.
 */
class DirectCallTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path dir;
    private Server server;
    private Thread serving;
    private SocketConnection c;
    private int keys;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("mp4j-direct");
        byte[] key = new byte[32];
        server = new Server(UnixDomainSocketAddress.of(dir.resolve("s")), key, new ConnectionOptions());
        serving = new Thread(server::serve, "direct-call-test-server");
        serving.setDaemon(true);
        serving.start();
        c = Client.connect(server.address(), key);
        c.send(new Object[] {Protocol.HELLO_SOCKET});
        assertEquals("ok", c.recv(WAIT));
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
        serving.join(WAIT.toMillis());
        Files.deleteIfExists(dir.resolve("s"));
        Files.deleteIfExists(dir);
    }

    /** Defines a key on the connection and returns its index. */
    private int define(String key) throws Exception {
        c.send(key);
        return keys++;
    }

    private Object[] call(long id, int index, Object... args) throws Exception {
        c.send(new Object[] {id, index, args});
        return (Object[]) c.recv(WAIT);
    }

    private long create(String typeid, Object... factoryArgs) throws Exception {
        c.send(new Object[] {Protocol.MANAGER, Protocol.CREATE, new Object[] {typeid, factoryArgs}});
        Object[] r = (Object[]) c.recv(WAIT);
        assertEquals(Protocol.PROXY, r[0], () -> java.util.Arrays.toString(r));
        return ((Number) r[1]).longValue();
    }

    private static void assertError(Object[] r, String type, String text) {
        assertEquals(Protocol.ERROR, r[0], () -> java.util.Arrays.toString(r));
        assertEquals(type, r[1]);
        assertTrue(String.valueOf(r[2]).contains(text) || String.valueOf(r[3]).contains(text),
                () -> java.util.Arrays.toString(r));
    }

    @Test
    void shouldServeAMapsCallsAsReflectionWould() throws Exception {
        long map = create("dict");
        int put = define("put(java.lang.Object,java.lang.Object)");
        int get = define("get(java.lang.Object)");
        int has = define("containsKey(java.lang.Object)");
        int size = define("size()");
        assertArrayEquals(new Object[] {Protocol.OK, null}, call(map, put, "a", 1));
        assertArrayEquals(new Object[] {Protocol.OK, 1}, call(map, put, "a", 2));
        assertArrayEquals(new Object[] {Protocol.OK, 2}, call(map, get, "a"));
        assertArrayEquals(new Object[] {Protocol.OK, null}, call(map, get, "b"));
        assertArrayEquals(new Object[] {Protocol.OK, true}, call(map, has, "a"));
        assertArrayEquals(new Object[] {Protocol.OK, false}, call(map, has, "b"));
        assertArrayEquals(new Object[] {Protocol.OK, 1}, call(map, size));
        assertError(call(map, put, null, 1), NullPointerException.class.getName(), "");
        assertError(call(map, get), IllegalArgumentException.class.getName(), "cannot call get(java.lang.Object)");
        assertArrayEquals(new Object[] {Protocol.OK, 2}, call(map, get, "a"), "still in step after errors");
    }

    @Test
    void shouldServeAListsCallsAsReflectionWould() throws Exception {
        long list = create("list");
        int add = define("add(java.lang.Object)");
        int get = define("get(int)");
        int size = define("size()");
        assertArrayEquals(new Object[] {Protocol.OK, true}, call(list, add, "x"));
        assertArrayEquals(new Object[] {Protocol.OK, true}, call(list, add, 7));
        assertArrayEquals(new Object[] {Protocol.OK, 7}, call(list, get, 1));
        assertArrayEquals(new Object[] {Protocol.OK, 2}, call(list, size));
        assertError(call(list, get, 5), IndexOutOfBoundsException.class.getName(), "5");
        assertError(call(list, get, "one"), IllegalArgumentException.class.getName(), "cannot call get(int)");
        long fixed = create("array", java.util.List.of(1, 2));
        assertError(call(fixed, add, "y"), UnsupportedOperationException.class.getName(), "");
        assertArrayEquals(new Object[] {Protocol.OK, 2}, call(list, size), "the session's kept entry follows the id");
    }

    @Test
    void shouldNotServeAReleasedObjectFromTheKeptEntry() throws Exception {
        long map = create("dict");
        int size = define("size()");
        assertArrayEquals(new Object[] {Protocol.OK, 0}, call(map, size));
        c.send(new Object[] {Protocol.MANAGER, Protocol.RELEASE, new Object[] {map}});
        assertArrayEquals(new Object[] {Protocol.OK, null}, (Object[]) c.recv(WAIT));
        assertError(call(map, size), IllegalStateException.class.getName(), "has no shared object #" + map);
    }
}
