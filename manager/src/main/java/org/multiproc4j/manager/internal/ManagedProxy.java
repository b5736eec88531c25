package org.multiproc4j.manager.internal;

import org.multiproc4j.core.Shareable;

/**
 * Implemented by every proxy (besides the interface it stands for): it travels to other processes as a
 * handle that reconnects there.
 */
public interface ManagedProxy extends Shareable {

    /**
     * Returns the handler behind this proxy.
     *
     * @return the handler.
     */
    ProxyHandler proxyHandler();
}
