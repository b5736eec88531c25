/**
 * Authenticated connections over sockets: Python's {@code multiprocessing.connection} {@code Listener} and
 * {@code Client}, for TCP and Unix domain sockets. A {@link org.multiproc4j.ipc.net.Listener} accepts
 * {@link org.multiproc4j.ipc.net.SocketConnection}s from clients that hold its authkey (HMAC-SHA256 challenges
 * in both directions, before any message is read); {@link org.multiproc4j.ipc.net.Client} connects. Messages
 * are objects (serialized in the sender's thread) or raw bytes, each delivered whole and in order.
 *
 * <pre>{@code
 * byte[] authkey = "secret password".getBytes(StandardCharsets.UTF_8);
 * try (Listener listener = new Listener(UnixDomainSocketAddress.of(dir.resolve("server.sock")), authkey)) {
 *     new JvmProcess(() -> {
 *         try (SocketConnection conn = Client.connect(listener.address(), authkey)) {
 *             conn.send("hello from " + JvmProcess.current().pid());
 *         }
 *     }).start();
 *     try (SocketConnection conn = listener.accept()) {
 *         System.out.println(conn.recv());
 *     }
 * }
 * }</pre>
 *
 * <p>A connection whose peer closed its end or died reports {@link java.io.EOFException}; a client with a wrong
 * key is refused with {@link org.multiproc4j.ipc.AuthenticationException} on both sides, and the listener goes
 * on serving.
 */
package org.multiproc4j.ipc.net;
