package org.multiproc4j.examples.multiprocessing;

import java.util.List;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.manager.ManagedMap;
import org.multiproc4j.manager.Manager;

/**
 * The tutorial's "server process" example: a manager's server owns a map and the list {@code [9, 3]}; a child
 * process sets {@code car → ford} in the map and sorts the list through their proxies; the parent prints
 * {@code {car=ford}} and {@code [3, 9]}.
 *
 * <p>Python's version ({@code server_process.py}) makes {@code Manager()}, {@code manager.dict()} and
 * {@code manager.list([9, 3])}, and prints {@code {'car': 'ford'}}. Here {@link Manager#start()} starts the
 * server in a child JVM, {@link Manager#map()} and {@link Manager#list(java.util.Collection)} return proxies
 * implementing {@link java.util.concurrent.ConcurrentMap} and {@link List}, and the lambda that captures them
 * is the child's task: each proxy travels as a handle, and the child opens its own connection to the server.
 * The parent prints the proxies, whose {@code toString} is the server's object's, in Java's form
 * ({@code {car=ford}}, not Python's {@code {'car': 'ford'}}). Closing the manager stops the server.
 *
 * <p>How to run: {@code bin/tour server}, or after a build
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "examples/target/*:examples/target/lib/*"
 * org.multiproc4j.examples.multiprocessing.ServerProcess}.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    static void work(ManagedMap<String, String> d, List<Integer> list) {
        d.put("car", "ford");
        list.sort(null);
    }

    /**
     * Changes a shared map and list in a child, then prints them.
     *
     * @param args ignored.
     * @throws InterruptedException if interrupted while joining.
     */
    public static void main(String[] args) throws InterruptedException {
        try (Manager manager = Manager.start()) {
            ManagedMap<String, String> d = manager.map();
            List<Integer> list = manager.list(List.of(9, 3));
            JvmProcess p = new JvmProcess(() -> work(d, list));
            p.start();
            p.join();
            System.out.println(d);
            System.out.println(list);
        }
    }
}
