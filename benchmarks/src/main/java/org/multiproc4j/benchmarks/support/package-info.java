/**
 * What the JMH benchmarks and the side-by-side runner share: the bodies of benchmark children, the bare
 * {@code Hello} that is the JVM floor, the class-data archive warm-up, and {@code /dev/shm} files.
 *
 * <pre>{@code
 * ArchiveWarmup.Result r = ArchiveWarmup.run(new JvmProcess.Options(), Duration.ofSeconds(60));
 * System.out.println("archive in use: " + r.inUse() + " " + r.archives());
 * }</pre>
 */
package org.multiproc4j.benchmarks.support;
