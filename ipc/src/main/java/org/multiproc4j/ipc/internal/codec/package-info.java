/**
 * Internal: the one seam through which {@code ipc.net} and {@code ipc.durable} turn objects into bytes and
 * back. Today it is the JDK's serialization with an {@link java.io.ObjectInputFilter}; when core's codec
 * lands, {@link org.multiproc4j.ipc.internal.codec.MessageCodec} is adapted to it here and nothing else
 * changes. Every encoded form starts its life with a one-byte codec id, so bytes written by one codec (in a
 * durable queue's files, say) stay readable after the default changes.
 *
 * <pre>{@code
 * MessageCodec codec = JdkMessageCodec.withFilter(null);
 * byte[] bytes = codec.encode(List.of(1, 2, 3));
 * Object back = codec.decode(bytes, 0, bytes.length);
 * }</pre>
 */
package org.multiproc4j.ipc.internal.codec;
