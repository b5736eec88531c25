/**
 * Internal: how {@link org.multiproc4j.ipc.durable.DurableQueue} claims Chronicle Queue's messages.
 * {@link org.multiproc4j.ipc.durable.internal.DurableLog} is one queue object's view of the files and the
 * claim/sweep protocol over them. The layout of multiproc4j's own files is in
 * {@link org.multiproc4j.ipc.durable.internal.QueueDescriptor}: a claim file with the low-water mark and consumer
 * slots (each held by an {@code fcntl} lock while its owner lives), and one marker per message, changed by
 * compare-and-set, in sparse per-cycle files. {@link org.multiproc4j.ipc.durable.internal.ChronicleJvmOptions}
 * gives child JVMs Chronicle's flags. Not part of the API.
 *
 * <pre>{@code
 * Path queueDir = Files.createTempDirectory("queue");
 * ClaimFile claims = ClaimFile.open(queueDir);
 * ClaimFile.Session me = claims.acquire();
 * try (Markers markers = new Markers(queueDir)) {
 *     long consumed = QueueDescriptor.done(me.slot(), me.epoch());
 *     boolean mine = markers.compareAndSet(0, 0, QueueDescriptor.FREE, consumed);   // cycle 0, message 0
 *     System.out.println(mine + ": " + QueueDescriptor.describe(markers.get(0, 0)));
 * } finally {
 *     claims.release(me);
 *     claims.release();
 * }
 * }</pre>
 */
package org.multiproc4j.ipc.durable.internal;
