package org.multiproc4j.core.spi;

/**
 * Lets a module put the classes its tasks usually need into the class-data archive that every child JVM maps
 * (see {@link org.multiproc4j.core.JvmProcess}: an AppCDS archive, an AOT cache on Java 25, trained once per
 * classpath by a JVM that runs a no-op task). That JVM runs every provider before it exits, so the classes a
 * provider loads are archived, and a child that needs them later maps them instead of parsing and verifying
 * them: the manager's server and its clients load their socket, handshake, pipe, codec and proxy classes
 * this way.
 *
 * <p>A warm spare (a child JVM booted ahead of need, which waits for its task) calls every provider's
 * {@link #prepare()}, one after the other and only while no task has arrived: there a module initializes the
 * classes its tasks' first steps need (static initializers, the JDK caches behind them), so that a task that,
 * say, attaches a pipe does not pay for them after it was handed over. User children that are not spares
 * call neither method.
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

    /**
     * Prepares this module's first use in a warm spare that waits for its task: initializes classes and the
     * JDK caches behind them (the security providers, say), leaving nothing open or running when it
     * returns (no file, socket, shared-memory segment or thread; no output), in a few milliseconds of a warm
     * JVM's time (the spare checks for its task between providers, not during one). The default does nothing.
     *
     * <p><b>Thread safety.</b> Called from the spare's main thread only.
     *
     * @throws Exception anything; it is ignored.
     */
    default void prepare() throws Exception {
    }

    /**
     * Rehearses, in a warm spare that has {@linkplain #prepare() prepared}, the first steps of the task the spare
     * will most likely receive: one of class {@code taskClass}, the class of the task that the previous spare of
     * the same configuration received (a pool's worker, say, whose replacement spare is then likely to become
     * the next pool's worker). A provider that knows the class runs a task of it through the path the real one
     * will take (decoding it, attaching what it captures, its first message), on objects of its own, so that the
     * real task finds that path's classes initialized and its lambdas, method handles and serialization
     * accessors made; any other class it ignores. Called after every provider's {@code prepare()}, one provider
     * at a time, only while no task has arrived and a core is free; never in the JVM that trains the class-data
     * archive, and never in a child that is not a spare. The default does nothing.
     *
     * <p>A rehearsal may create pipes, shared-memory segments, socket files and threads of its own, but must
     * close, unlink or end all of them before it returns, print nothing, and take tens of milliseconds at
     * most. A spare killed while it rehearses can leave a segment behind, which the survivors sweep as any
     * dead process's.
     *
     * <p><b>Thread safety.</b> Called from the spare's preparing thread only.
     *
     * @param taskClass the binary name of the class of the task expected (never a lambda's hidden class).
     * @throws Exception anything; it is ignored.
     */
    default void rehearse(String taskClass) throws Exception {
    }

    /**
     * Loads and initializes the named classes with the given loader (what a provider's steps usually do),
     * skipping those that are missing or fail to initialize: an optional module's classes, say.
     *
     * <p><b>Thread safety.</b> Safe from any thread (class initialization is the JVM's).
     *
     * @param loader the loader to load them with.
     * @param names  binary class names.
     * @return how many were loaded and initialized.
     */
    static int initialize(ClassLoader loader, Iterable<String> names) {
        int n = 0;
        for (String name : names) {
            try {
                Class.forName(name, true, loader);
                n++;
            } catch (ClassNotFoundException | LinkageError e) {
                // not on this classpath: its users will say so
            }
        }
        return n;
    }
}
