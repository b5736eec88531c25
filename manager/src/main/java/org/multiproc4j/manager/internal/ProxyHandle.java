package org.multiproc4j.manager.internal;

import java.net.SocketAddress;

import org.multiproc4j.core.Handle;

/**
 * What a proxy travels as: the server's address and authkey, the object's id and interface. Attaching it
 * opens (or reuses) this process's own connection to the server; in the server's JVM it calls the object
 * directly.
 *
 * <p>A class, not a record: JDK serialization rebuilds a record through a chain of method handles, and the
 * first record a JVM deserializes spins some twenty method-handle classes that no class-data archive keeps,
 * tens of milliseconds of a child's first use of a proxy.
 */
public final class ProxyHandle implements Handle {
    private static final long serialVersionUID = 2L;

    private final SocketAddress address;
    private final byte[] authkey;
    private final boolean sharedMemory;
    private final long id;
    private final String interfaceName;

    /**
     * Makes a handle.
     *
     * @param address       the server.
     * @param authkey       the key.
     * @param sharedMemory  whether a client on the server's machine uses shared memory.
     * @param id            the object.
     * @param interfaceName the interface the proxy implements.
     */
    public ProxyHandle(SocketAddress address, byte[] authkey, boolean sharedMemory, long id, String interfaceName) {
        this.address = address;
        this.authkey = authkey;
        this.sharedMemory = sharedMemory;
        this.id = id;
        this.interfaceName = interfaceName;
    }

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
