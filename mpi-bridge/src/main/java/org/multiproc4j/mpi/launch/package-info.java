/**
 * The launcher of the {@code local} backend: {@link org.multiproc4j.mpi.launch.MpiLauncher} runs an SPMD
 * program's {@code main} as a job of {@code n} ranks, each a child JVM of the launcher, and ends the whole job when
 * one rank fails. The script {@code bin/mpi-launch} is its command line.
 *
 * <pre class="shell">{@code
 * bin/mpi-launch -n 4 --prefix -cp target/app.jar com.example.Main arg1 arg2
 * }</pre>
 */
package org.multiproc4j.mpi.launch;
