/**
 * A persistent work queue shared by processes: {@link org.multiproc4j.ipc.durable.DurableQueue}, on Chronicle
 * Queue's files in a directory. Every message appended is consumed exactly once among competing consumers,
 * across {@code kill -9} of any producer or consumer and a restart of all of them; messages can be replayed
 * from the start, and the files of consumed roll cycles deleted. A consumer either takes a message (consumed
 * at once) or receives a {@link org.multiproc4j.ipc.durable.Delivery}, consumed when acknowledged and delivered
 * again if its consumer dies first.
 *
 * <pre>{@code
 * try (DurableQueue<String> orders = DurableQueue.open(Files.createTempDirectory("orders"))) {
 *     orders.append("order 42");                          // a producer, in any process
 *     try (Delivery<String> d = orders.receive()) {
 *         System.out.println("shipping " + d.value());    // a consumer, in any process
 *         d.ack();                                        // consumed; without it, delivered again
 *     }
 * }
 * }</pre>
 *
 * <p>This package is the artifact {@code org.multiproc4j:multiproc4j-ipc-durable}, apart from
 * {@code multiproc4j-ipc}, so that only its users carry Chronicle Queue and its dependencies. Chronicle Queue
 * needs JVM flags ({@code --add-opens java.base/java.lang.reflect=ALL-UNNAMED
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
 * -Dchronicle.analytics.disable=true}): child JVMs started by multiproc4j get them when this artifact is on the
 * classpath; add them to your own. Chronicle logs through SLF4J, to your provider if you have one.
 */
package org.multiproc4j.ipc.durable;
