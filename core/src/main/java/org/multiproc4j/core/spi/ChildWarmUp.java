package org.multiproc4j.core.spi;

/**
 * Lets a module put the classes its tasks usually need into the class-data archive that every child JVM maps
 * (see {@link org.multiproc4j.core.JvmProcess}: an AppCDS archive, an AOT cache on Java 25, trained once per
 * classpath by a JVM that runs a no-op task). That JVM runs every provider before it exits, so the classes a
 * provider loads are archived, and a child that needs them later maps them instead of parsing and verifying
 * them: the manager's server and its clients load their socket, handshake, pipe, codec and proxy classes
 * this way. User children and spares do not run providers (a spare doing so would compete for the CPU with
 * the work that launched it).
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.multiproc4j.core.spi.ChildWarmUp} file in the module's jar). A warm-up should
 * take tens of milliseconds at most, leave nothing behind (no threads, files, sockets or shared-memory
 * segments, no output) and must not fail the training: whatever it throws is ignored.
 *
 * <pre>{@code
 * public final class CodecWarmUp implements ChildWarmUp {
 *     public void warmUp() throws Exception {
 *         Class.forName("java.util.concurrent.ConcurrentHashMap", true, CodecWarmUp.class.getClassLoader());
 *     }
 * }
 *
 * new CodecWarmUp().warmUp();
 * }</pre>
 *
 * <p><b>Thread safety.</b> Called from the training JVM's main thread only.
 */
public interface ChildWarmUp {

    /**
     * Loads and exercises what this module's tasks are likely to need.
     *
     * @throws Exception anything; it is ignored.
     */
    void warmUp() throws Exception;
}
