/**
 * Codecs: objects to bytes and back, for messages between processes. {@link org.multiproc4j.core.codec.Codec}
 * is the one interface (encode to an array, into a reusable {@link org.multiproc4j.core.codec.CodecBuffer} or
 * into a caller's {@link java.nio.ByteBuffer}; decode from an array or a buffer); {@link
 * org.multiproc4j.core.codec.Codecs} makes the fast one (Kryo, with class registration on) and the JDK one
 * (with an {@link java.io.ObjectInputFilter}). Plain values (boxed primitives, strings, primitive arrays and
 * small {@code Object[]} tuples of them) take one fast path in both, and
 * {@link org.multiproc4j.core.Shareable} objects travel as their handles.
 *
 * <pre>{@code
 * record Order(int id, String item, int quantity) {}
 *
 * Codec codec = Codecs.fast(Order.class);            // same registrations in every process
 * byte[] bytes = codec.encode(new Order(7, "pear", 3));
 * Order order = codec.decode(bytes, Order.class);
 *
 * CodecBuffer out = new CodecBuffer();               // hot path: reuse one buffer per thread
 * out.clear();
 * codec.encode(new double[] {1, 2, 3}, out);         // primitive arrays bypass Kryo
 * double[] back = (double[]) codec.decode(out.array(), 0, out.length());
 * }</pre>
 */
package org.multiproc4j.core.codec;
