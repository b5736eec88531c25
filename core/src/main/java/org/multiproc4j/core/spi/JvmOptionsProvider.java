package org.multiproc4j.core.spi;

import java.util.List;

/**
 * Contributes the JVM options that a module's classes need in every child JVM, so that a user never types
 * them for children: Agrona needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, Chronicle
 * Queue a few {@code --add-opens}.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.multiproc4j.core.spi.JvmOptionsProvider} file in the module's jar) the
 * first time a child is started. Options are asked per Java feature version, because some are refused by
 * older JVMs ({@code --sun-misc-unsafe-memory-access} is unknown to Java 17). Duplicates across
 * providers are dropped.
 *
 * <pre>{@code
 * public final class AgronaJvmOptions implements JvmOptionsProvider {
 *     public List<String> jvmOptions(Runtime.Version version) {
 *         return List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
 *     }
 * }
 *
 * System.out.println(new AgronaJvmOptions().jvmOptions(Runtime.version()));
 * }</pre>
 *
 * <p><b>Thread safety.</b> Implementations must be stateless; they may be called from any thread.
 */
public interface JvmOptionsProvider {

    /**
     * Returns the options a child JVM of the given version needs.
     *
     * @param javaVersion the version of the child's Java runtime.
     * @return the options, each as one command-line argument; an option with a separate value (such as
     *         {@code --add-exports} and its value) is two arguments.
     */
    List<String> jvmOptions(Runtime.Version javaVersion);
}
