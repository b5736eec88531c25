/**
 * JMH benchmarks of {@code multiproc4j-core}: child JVM start-up (and, from the codec work, task codecs).
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar ProcessStartBenchmark
 * }</pre>
 */
package org.multiproc4j.benchmarks.core;
