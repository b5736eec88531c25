/**
 * A persistent work queue shared by processes: {@link org.multiproc4j.ipc.durable.DurableQueue}, on Chronicle
 * Queue's files in a directory. Every message appended is consumed exactly once among competing consumers,
 * across {@code kill -9} of any producer or consumer and a restart of all of them; messages can be replayed
 * from the start, and the files of consumed roll cycles deleted.
 *
 * <pre>{@code
 * try (DurableQueue<Order> orders = DurableQueue.open(Path.of("/var/tmp/orders"))) {
 *     orders.append(new Order(42));                       // a producer, in any process
 *     try (DurableQueue.Delivery<Order> d = orders.receive()) {
 *         ship(d.value());                                // a consumer, in any process
 *         d.ack();                                        // consumed; without it, delivered again
 *     }
 * }
 * }</pre>
 *
 * <p>Chronicle Queue needs JVM flags ({@code --add-opens java.base/java.lang.reflect=ALL-UNNAMED
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
 * -Dchronicle.analytics.disable=true}): child JVMs started by multiproc4j get them; add them to your own.
 * Nothing else in {@code ipc} loads Chronicle's classes.
 */
package org.multiproc4j.ipc.durable;
