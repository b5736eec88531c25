/**
 * A server process that owns objects which other processes use through proxies: Python's
 * {@code multiprocessing.Manager}. {@link org.multiproc4j.manager.Manager#start()} starts the server in a child
 * JVM; its factory methods create objects there and return proxies implementing the usual Java interfaces
 * ({@link java.util.List}, {@link java.util.concurrent.ConcurrentMap} as {@link org.multiproc4j.manager.ManagedMap},
 * {@link java.util.concurrent.BlockingQueue}, {@link java.util.concurrent.locks.Lock} as
 * {@link org.multiproc4j.manager.ManagedLock}, ...), or registered interfaces of your own. Proxies captured by a
 * task travel to the child, which opens its own connection; a client on the server's machine talks to it through
 * shared memory, one elsewhere over an authenticated socket
 * ({@link org.multiproc4j.manager.Manager#connect(java.net.SocketAddress, byte[])}).
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedMap<String, String> d = manager.map();
 *     List<Integer> l = manager.list(List.of(9, 3));
 *     JvmProcess child = new JvmProcess(() -> {
 *         d.put("car", "ford");
 *         l.sort(null);
 *     }).start();
 *     child.join();
 *     System.out.println(d);          // {car=ford}
 *     System.out.println(l);          // [3, 9]
 * }
 * }</pre>
 *
 * <p>Each proxy method is one round trip, atomic in the server; an exception thrown there comes back with the
 * server's stack trace; a dead server makes every call fail with
 * {@link org.multiproc4j.manager.ManagerException} rather than hang. See
 * {@link org.multiproc4j.manager.Manager} for the rules on security, processes and failure.
 */
package org.multiproc4j.manager;
