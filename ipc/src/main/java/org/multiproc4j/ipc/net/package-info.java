/**
 * Authenticated connections over sockets: Python's {@code multiprocessing.connection} {@code Listener} and
 * {@code Client}, for TCP and Unix domain sockets. A {@link org.multiproc4j.ipc.net.Listener} accepts
 * {@link org.multiproc4j.ipc.net.SocketConnection}s from clients that hold its authkey (HMAC-SHA256 challenges
 * in both directions, before any message is read); {@link org.multiproc4j.ipc.net.Client} connects. Messages
 * are objects (serialized in the sender's thread) or raw bytes, each delivered whole and in order.
 *
 * <pre>{@code
 * import java.net.SocketAddress;
 * import java.net.UnixDomainSocketAddress;
 * import java.nio.charset.StandardCharsets;
 *
 * byte[] authkey = "secret password".getBytes(StandardCharsets.UTF_8);
 * Path dir = Files.createTempDirectory("server");          // private: only this user can connect
 * try (Listener listener = new Listener(UnixDomainSocketAddress.of(dir.resolve("server.sock")), authkey)) {
 *     SocketAddress address = listener.address();           // a listener stays here; its address travels
 *     JvmProcess child = new JvmProcess(() -> {
 *         try (SocketConnection conn = Client.connect(address, authkey)) {
 *             conn.send("hello from " + JvmProcess.current().pid());
 *         }
 *     }).start();
 *     try (SocketConnection conn = listener.accept(Duration.ofSeconds(30))) {
 *         System.out.println(conn.recv(Duration.ofSeconds(10)));
 *     }
 *     child.join();
 * } finally {
 *     Files.delete(dir);                                    // the listener deleted its socket file
 * }
 * }</pre>
 *
 * <p>A connection whose peer closed its end or died reports {@link java.io.EOFException}; a client with a wrong
 * key is refused with {@link AuthenticationException} on both sides, and the listener goes
 * on serving.
 */
package org.multiproc4j.ipc.net;
