package org.multiproc4j.ipc.durable.internal;

import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.core.spi.JvmOptionsProvider;

/**
 * The JVM options Chronicle Queue needs in every child JVM, registered in this module's
 * {@code META-INF/services/org.multiproc4j.core.spi.JvmOptionsProvider}: children get them exactly when
 * {@code multiproc4j-ipc-durable} is on the classpath. This class names no Chronicle class: listing the options
 * costs a child nothing.
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
 * standard error. Java 17 refuses the latter, hence the version test.</li>
 * </ul>
 */
public final class ChronicleJvmOptions implements JvmOptionsProvider {

    /**
     * Returns the options for a JVM of the given version.
     *
     * @param version the JVM's version.
     * @return the options, each argument on its own.
     */
    public static List<String> forVersion(Runtime.Version version) {
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
        return options;
    }

    @Override
    public List<String> jvmOptions(Runtime.Version javaVersion) {
        return forVersion(javaVersion);
    }
}
