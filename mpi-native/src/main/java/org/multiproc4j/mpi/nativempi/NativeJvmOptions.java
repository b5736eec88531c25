package org.multiproc4j.mpi.nativempi;

import java.util.List;

import org.multiproc4j.core.spi.JvmOptionsProvider;

/**
 * Contributes {@code --enable-native-access=ALL-UNNAMED} to the child JVMs that {@code core} starts on Java 22 and
 * newer, so that a child can call the MPI C library without the JVM's restricted-method warning (an error in
 * future JDKs).
 *
 * <pre class="java22">{@code
 * System.out.println(new NativeJvmOptions().jvmOptions(Runtime.version()));
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Stateless.
 */
public final class NativeJvmOptions implements JvmOptionsProvider {
    /** The flag. */
    static final String FLAG = "--enable-native-access=ALL-UNNAMED";

    /** Makes the provider (for {@link java.util.ServiceLoader}). */
    public NativeJvmOptions() {
    }

    @Override
    public List<String> jvmOptions(Runtime.Version javaVersion) {
        return javaVersion.feature() >= 22 ? List.of(FLAG) : List.of();
    }
}
