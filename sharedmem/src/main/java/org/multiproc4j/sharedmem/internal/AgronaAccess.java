package org.multiproc4j.sharedmem.internal;

import java.util.List;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.SharedMemoryException;

/**
 * Checks, before the first access to shared memory, that this JVM lets Agrona use
 * {@code jdk.internal.misc.Unsafe}. Without the flag the first {@code UnsafeBuffer} would throw an
 * {@link IllegalAccessError} from deep inside Agrona; this check turns that into a message that names the
 * flag to add.
 */
public final class AgronaAccess {
    /** The JVM options every JVM that touches shared memory needs (children get them automatically). */
    public static final List<String> JVM_FLAGS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    /** The message of the exception thrown when the flag is missing. */
    public static final String MISSING_FLAG_MESSAGE = "multiproc4j shared memory needs the JVM option "
            + "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED in this JVM (Agrona 2.x uses "
            + "jdk.internal.misc.Unsafe): add it to the java command line, or 'Add-Exports: java.base/jdk.internal.misc' "
            + "to an executable jar's manifest. Child JVMs started by multiproc4j get it automatically.";

    private static final boolean EXPORTED =
            Object.class.getModule().isExported("jdk.internal.misc", UnsafeApi.class.getModule());

    private AgronaAccess() {
    }

    /**
     * Tells whether Agrona may use {@code jdk.internal.misc.Unsafe} in this JVM.
     *
     * @return {@code true} if the package is exported to Agrona's module.
     */
    public static boolean available() {
        return EXPORTED;
    }

    /**
     * Fails with a clear message if the flag is missing.
     *
     * @throws SharedMemoryException naming the flag to add.
     */
    public static void check() {
        if (!EXPORTED) {
            throw new SharedMemoryException(MISSING_FLAG_MESSAGE);
        }
    }
}
