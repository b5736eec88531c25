package org.multiproc4j.manager.internal;

import java.lang.reflect.Method;
import java.net.SocketAddress;

/** Carries a proxy's calls to its object: over a channel to the server, or directly inside the server's JVM. */
public interface Dispatcher {

    /**
     * Returns the server's address.
     *
     * @return the address.
     */
    SocketAddress address();

    /**
     * Returns the authkey (a copy).
     *
     * @return the key.
     */
    byte[] authkey();

    /**
     * Tells whether clients on this machine talk over shared memory.
     *
     * @return {@code true} unless sockets were asked for.
     */
    boolean sharedMemory();

    /**
     * Makes one call and returns its response tuple.
     *
     * @param id     the object.
     * @param key    the method key.
     * @param args   the arguments.
     * @param method the method called, for error messages and exception types; may be {@code null}.
     * @return the response.
     * @throws InterruptedException if interrupted while waiting for the answer (the channel is then dropped).
     */
    Object[] call(long id, String key, Object[] args, Method method) throws InterruptedException;

    /**
     * Makes one call of a method whose key has a process-wide number (see {@code ClientEndpoint.keyId}), so that
     * a dispatcher may find what it keeps per method in an array instead of a map.
     *
     * @param id     the object.
     * @param key    the method key.
     * @param keyId  the key's number in this process.
     * @param args   the arguments.
     * @param method the method called; may be {@code null}.
     * @return the response.
     * @throws InterruptedException if interrupted while waiting for the answer (the channel is then dropped).
     */
    default Object[] call(long id, String key, int keyId, Object[] args, Method method) throws InterruptedException {
        return call(id, key, args, method);
    }

    /** Drops this thread's channel (after an interrupt left an answer pending on it). */
    void dropChannel();
}
