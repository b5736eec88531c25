package org.multiproc4j.ipc.durable.internal;

import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.core.spi.JvmOptionsProvider;

/**
 * The JVM options Chronicle Queue needs in every child JVM, registered in this module's
 * {@code META-INF/services/org.multiproc4j.core.spi.JvmOptionsProvider}: children get them exactly when
 * {@code multiproc4j-ipc-durable} is on the classpath. This class names no Chronicle or SLF4J class: listing the
 * options costs a child nothing.
 *
 * <ul>
 * <li>{@code --add-opens java.base/java.lang.reflect} and {@code --add-exports java.base/sun.nio.ch}: Chronicle
 * maps its files through {@code FileChannelImpl} internals (without them, opening a queue fails with
 * {@code IllegalAccessException: member is private: sun.nio.ch.FileChannelImpl.map0});</li>
 * <li>{@code --add-exports java.base/jdk.internal.ref}: its cleaner, else a warning;</li>
 * <li>{@code -Dchronicle.analytics.disable=true}: otherwise it may send usage analytics and write a file in
 * the user's home directory;</li>
 * <li>on Java 22+ {@code --enable-native-access=ALL-UNNAMED} (its JNR/jffi native loader) and on Java 23+
 * {@code --sun-misc-unsafe-memory-access=allow}: without them Java 25 prints warnings on the child's
 * standard error. Java 17 refuses the latter, hence the version test;</li>
 * <li>only when this JVM has no SLF4J provider (no logging backend on its classpath, so neither has the child):
 * {@code -Dslf4j.internal.verbosity=ERROR}. Chronicle logs through SLF4J, which without a provider prints a
 * three-line "No SLF4J providers were found" notice in every JVM that first logs; the user's own JVM shows
 * it, and each child would repeat it on the same console. The property quiets only SLF4J's reports about
 * itself (errors still show); which provider a child uses is never changed, so a child that does have one
 * (through {@code JvmProcess.Options.extraClasspath}) logs to it as usual.</li>
 * </ul>
 */
public final class ChronicleJvmOptions implements JvmOptionsProvider {
    /** The service file through which SLF4J 2 finds its providers (logging backends). */
    public static final String SLF4J_PROVIDERS = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
    /** What keeps a child without an SLF4J provider from printing SLF4J's notice. */
    public static final String QUIET_SLF4J = "-Dslf4j.internal.verbosity=ERROR";

    /**
     * Returns the options for a JVM of the given version.
     *
     * @param version        the JVM's version.
     * @param slf4jProvider  whether the child has an SLF4J provider on its classpath.
     * @return the options, each argument on its own.
     */
    public static List<String> forVersion(Runtime.Version version, boolean slf4jProvider) {
        List<String> options = new ArrayList<>(List.of(
                "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "-Dchronicle.analytics.disable=true"));
        if (version.feature() >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        if (version.feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (!slf4jProvider) {
            options.add(QUIET_SLF4J);
        }
        return options;
    }

    /**
     * Tells whether an SLF4J provider is visible to the class loaders a child's classpath is made from (the
     * context loader and this class's), by looking for SLF4J's service file: no class is loaded.
     *
     * @return {@code true} if there is one.
     */
    public static boolean hasSlf4jProvider() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return (context != null && context.getResource(SLF4J_PROVIDERS) != null)
                || ChronicleJvmOptions.class.getClassLoader().getResource(SLF4J_PROVIDERS) != null;
    }

    @Override
    public List<String> jvmOptions(Runtime.Version javaVersion) {
        return forVersion(javaVersion, hasSlf4jProvider());
    }
}
