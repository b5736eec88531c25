/**
 * Internal: the frame transport of {@code ipc.net} ({@link org.multiproc4j.ipc.net.internal.FrameChannel},
 * length-prefixed frames over a non-blocking socket channel) and the authentication handshake
 * ({@link org.multiproc4j.ipc.net.internal.Handshake}). Not part of the API.
 *
 * <pre>{@code
 * FrameChannel fc = FrameChannel.open(socketChannel, "peer", Handshake.MAX_FRAME);
 * Handshake.client(fc, authkey, deadline, timeout);
 * }</pre>
 */
package org.multiproc4j.ipc.net.internal;
