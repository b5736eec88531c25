package org.multiproc4j.sharedmem.internal;

import java.util.List;

import org.multiproc4j.core.spi.JvmOptionsProvider;

/**
 * Gives every child JVM that multiproc4j starts the flag Agrona needs, so a child can attach the shared
 * objects its task captured. Registered in {@code META-INF/services}.
 */
public final class SharedMemJvmOptions implements JvmOptionsProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public SharedMemJvmOptions() {
    }

    @Override
    public List<String> jvmOptions(Runtime.Version javaVersion) {
        return AgronaAccess.JVM_FLAGS;
    }
}
