/**
 * The {@code local} backend's implementation, not promised to users: the job's shared segment ({@code JobLayout},
 * {@code LocalJob}), one rank's message engine ({@code Engine}: a ring per ordered pair of ranks, MPI's matching
 * rules, waits that spin, yield and park and watch for dead peers), the world's collectives over the segment's
 * collective area ({@code SharedColl}: written once, read in place), communicators ({@code LocalComm}: the other
 * collectives on point to point, algorithms listed there) and the provider.
 *
 * <pre class="text">{@code
 * launcher: LocalJob.create(n)  ->  ranks: LocalSession.open() attaches it by the name the launcher passed
 * }</pre>
 */
package org.multiproc4j.mpi.internal;
