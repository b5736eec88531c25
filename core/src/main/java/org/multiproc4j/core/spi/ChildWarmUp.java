package org.multiproc4j.core.spi;

/**
 * Prepares an idle child JVM for the work a module's tasks usually do, so that a task handed to a warm spare
 * (see {@link org.multiproc4j.core.StartMethod#WARM_SPARE}) finds that module's classes loaded, linked and
 * initialized instead of paying for them on its first call. The manager's server, for example, loads its
 * socket, handshake, codec and proxy classes this way before its task arrives.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.multiproc4j.core.spi.ChildWarmUp} file in the module's jar). A spare runs them
 * one after the other while it waits for its task, and stops between two of them as soon as a task arrives;
 * a JVM that trains a class-data archive runs them all, so that their classes are archived. A child that is
 * handed its task at launch runs none.
 *
 * <p>A warm-up must be quick (tens of milliseconds at most), side-effect free for the rest of the system (no
 * threads left running, no files, sockets or shared-memory segments left behind, no output) and must not
 * fail the child: whatever it throws is ignored.
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
 * <p><b>Thread safety.</b> Called from the child's main thread only, before its task runs.
 */
public interface ChildWarmUp {

    /**
     * Loads and exercises what this module's tasks are likely to need.
     *
     * @throws Exception anything; it is ignored.
     */
    void warmUp() throws Exception;
}
