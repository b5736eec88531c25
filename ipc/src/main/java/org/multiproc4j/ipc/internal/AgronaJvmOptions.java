package org.multiproc4j.ipc.internal;

import java.util.List;

import org.multiproc4j.core.spi.JvmOptionsProvider;

/**
 * Gives every child JVM the flag Agrona's {@code UnsafeBuffer} needs (measured-here.md, fact 1), so a pipe end
 * or a queue captured by a task works in the child. The sharedmem module contributes the same pair; core drops
 * the duplicate.
 */
public final class AgronaJvmOptions implements JvmOptionsProvider {
    private static final List<String> OPTIONS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    @Override
    public List<String> jvmOptions(Runtime.Version javaVersion) {
        return OPTIONS;
    }
}
