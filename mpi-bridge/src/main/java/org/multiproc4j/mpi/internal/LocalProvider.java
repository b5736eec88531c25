package org.multiproc4j.mpi.internal;

import org.multiproc4j.mpi.spi.BackendSession;
import org.multiproc4j.mpi.spi.MpiBackendProvider;

/**
 * The {@code local} backend: ranks are child JVMs of the launcher ({@code MpiLauncher}) on this machine, talking
 * over rings in one shared-memory segment. A program started without the launcher is a job of one rank.
 */
public final class LocalProvider implements MpiBackendProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public LocalProvider() {
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public boolean applies() {
        return true;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public BackendSession open(String[] args) {
        return LocalSession.open();
    }
}
