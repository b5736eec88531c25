package org.multiproc4j.manager.internal;

import java.net.SocketAddress;

import org.multiproc4j.core.Handle;

/**
 * What a proxy travels as: the server's address and authkey, the object's id and interface. Attaching it
 * opens (or reuses) this process's own connection to the server; in the server's JVM it calls the object
 * directly.
 *
 * @param address       the server.
 * @param authkey       the key.
 * @param sharedMemory  whether a client on the server's machine uses shared memory.
 * @param id            the object.
 * @param interfaceName the interface the proxy implements.
 */
public record ProxyHandle(SocketAddress address, byte[] authkey, boolean sharedMemory, long id,
                          String interfaceName) implements Handle {
    private static final long serialVersionUID = 1L;

    @Override
    public Object attach() throws ClassNotFoundException {
        Server local = Server.local(address);
        Dispatcher d = local;
        if (d == null) {
            ClientEndpoint e = ClientEndpoint.pinned(address, authkey, sharedMemory);
            try {
                e.ping();                   // connect now, as Python's proxies do when unpickled
            } catch (RuntimeException gone) {
                // the first call says what is wrong
            }
            d = e;
        }
        return ProxyHandler.proxy(d, id, ProxyHandler.loadInterface(interfaceName));
    }

    @Override
    public String toString() {
        return "ProxyHandle[" + interfaceName + " #" + id + " at " + address + "]";
    }
}
