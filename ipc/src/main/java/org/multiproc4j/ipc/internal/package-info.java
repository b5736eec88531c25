/**
 * The machinery behind {@code org.multiproc4j.ipc}'s pipes and queues: segment layouts (the
 * {@code *Descriptor} classes), the crash-repairable queue ring, fragmentation of large messages, the
 * Agrona side of the one wire format ({@code AgronaWire}), process identities and the idle strategy. Not an API: anything here may change.
 *
 * <pre>{@code
 * import org.agrona.concurrent.UnsafeBuffer;
 * import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
 *
 * // a queue ring over any AtomicBuffer of capacity + TRAILER_LENGTH bytes
 * QueueRing ring = new QueueRing(new UnsafeBuffer(ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
 * System.out.println(ring.capacity() + " bytes, messages of up to " + ring.maxPayload());
 * }</pre>
 */
package org.multiproc4j.ipc.internal;
