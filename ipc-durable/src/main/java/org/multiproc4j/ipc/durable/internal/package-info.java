/**
 * Internal: how {@link org.multiproc4j.ipc.durable.DurableQueue} claims Chronicle Queue's messages. The
 * layout of its files is in {@link org.multiproc4j.ipc.durable.internal.QueueDescriptor}: a claim file with the
 * low-water mark and consumer slots (each held by an {@code fcntl} lock while its owner lives), and one marker
 * per message, changed by compare-and-set, in sparse per-cycle files.
 * {@link org.multiproc4j.ipc.durable.internal.ChronicleJvmOptions} gives child JVMs Chronicle's flags. Not
 * part of the API.
 *
 * <pre>{@code
 * ClaimFile claims = ClaimFile.open(queueDir);
 * ClaimFile.Session me = claims.acquire();
 * boolean mine = markers.compareAndSet(cycle, seq, QueueDescriptor.FREE, QueueDescriptor.done(me.slot(), me.epoch()));
 * }</pre>
 */
package org.multiproc4j.ipc.durable.internal;
