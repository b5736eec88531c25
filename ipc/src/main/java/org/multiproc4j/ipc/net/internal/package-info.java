/**
 * Internal: the frame transport of {@code ipc.net} ({@link org.multiproc4j.ipc.net.internal.FrameChannel},
 * length-prefixed frames over a non-blocking socket channel) and the authentication handshake
 * ({@link org.multiproc4j.ipc.net.internal.Handshake}). Not part of the API.
 *
 * <pre>{@code
 * import java.net.InetAddress;
 * import java.net.InetSocketAddress;
 * import java.nio.channels.SocketChannel;
 * import java.nio.charset.StandardCharsets;
 *
 * byte[] authkey = "secret password".getBytes(StandardCharsets.UTF_8);
 * Duration timeout = Duration.ofSeconds(10);
 * ExecutorService server = Executors.newSingleThreadExecutor();
 * try (Listener listener = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), authkey);
 *      SocketChannel socketChannel = SocketChannel.open(listener.address())) {
 *     Future<SocketConnection> accepted = server.submit(() -> listener.accept(timeout));
 *     FrameChannel fc = FrameChannel.open(socketChannel, "peer", Handshake.MAX_FRAME);
 *     Handshake.client(fc, authkey, System.nanoTime() + timeout.toNanos(), timeout);   // authenticated
 *     accepted.get(10, TimeUnit.SECONDS).close();
 * } finally {
 *     server.shutdown();
 * }
 * }</pre>
 */
package org.multiproc4j.ipc.net.internal;
