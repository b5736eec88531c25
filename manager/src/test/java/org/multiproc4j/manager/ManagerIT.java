package org.multiproc4j.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** A manager's server in a child JVM, used through proxies from this JVM and from other children. */
@ExtendWith(LeakCheck.class)
@Timeout(600)
class ManagerIT {

    /** A user type shared through the manager. */
    public interface Account {
        long deposit(long amount);

        long balance();

        /** Returns another shared object: registered interfaces come back as proxies. */
        Account child(String name);
    }

    /** The server-side implementation. */
    public static final class SimpleAccount implements Account {
        private long balance;

        @Override
        public synchronized long deposit(long amount) {
            if (amount < 0) {
                throw new IllegalArgumentException("cannot deposit " + amount);
            }
            balance += amount;
            return balance;
        }

        @Override
        public synchronized long balance() {
            return balance;
        }

        @Override
        public Account child(String name) {
            SimpleAccount a = new SimpleAccount();
            a.balance = name.length();
            return a;
        }
    }

    @Test
    void shouldRunTheTutorialServerProcessExample() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedMap<String, String> d = manager.map();
            List<Integer> l = manager.list(List.of(9, 3));
            JvmProcess child = new JvmProcess(() -> {
                d.put("car", "ford");
                l.sort(null);
            }).start();
            Children.joinAll(List.of(child));
            assertEquals("{car=ford}", d.toString());
            assertEquals("[3, 9]", l.toString());
            assertEquals(Map.of("car", "ford"), d);
            assertEquals(List.of(3, 9), l);
        }
    }

    @Test
    void shouldShareEveryProxyTypeWithSeveralChildrenAtOnce() throws Exception {
        try (Manager manager = Manager.start()) {
            List<Integer> list = manager.list();
            Set<String> set = manager.set();
            ManagedMap<Integer, Integer> map = manager.map();
            Namespace ns = manager.namespace();
            ManagedValue<Integer> value = manager.value(0);
            List<Integer> array = manager.array(List.of(0, 0, 0));
            List<JvmProcess> children = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int me = c;
                children.add(new JvmProcess(() -> {
                    for (int i = 0; i < 50; i++) {
                        list.add(me * 100 + i);
                        set.add("s" + (i % 10));
                        map.put(me * 100 + i, i);
                        value.updateAndGet(x -> x + 1);
                    }
                    ns.set("child" + me, "here");
                    array.set(me, me + 1);
                }).start());
            }
            Children.joinAll(children);
            assertEquals(150, list.size());
            assertEquals(150, new LinkedHashSet<>(list).size());
            assertEquals(10, set.size());
            assertEquals(150, map.size());
            assertEquals(49, map.get(249));
            assertEquals(150, value.get());
            assertEquals(Set.of("child0", "child1", "child2"), ns.names());
            assertEquals("here", ns.<String>get("child1"));
            assertEquals(List.of(1, 2, 3), array);
            assertThrows(UnsupportedOperationException.class, () -> array.add(4));
        }
    }

    @Test
    void shouldLoseNoUpdateWhenFourProcessesMergeTenThousandTimesEach() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedMap<String, Integer> counts = manager.map();
            List<JvmProcess> children = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                children.add(new JvmProcess(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        counts.merge("hits", 1, Integer::sum);
                    }
                }).start());
            }
            Children.joinAll(children);
            assertEquals(40_000, counts.get("hits"));
        }
    }

    @Test
    void shouldRethrowServerExceptionsWithTheServersStackTraceAndKeepServing() throws Exception {
        try (Manager manager = Manager.start()) {
            List<Integer> list = manager.list(List.of(1, 2));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> list.get(5));
            assertTrue(e.getMessage().contains("5"), e.getMessage());
            RemoteException remote = assertInstanceOf(RemoteException.class, e.getCause());
            assertTrue(remote.remoteStackTrace().contains("java.util"), remote.remoteStackTrace());
            ManagedMap<String, Integer> map = manager.map();
            map.put("k", 1);
            ArithmeticException boom = assertThrows(ArithmeticException.class,
                    () -> map.compute("k", (k, v) -> v / (v - 1)));
            assertTrue(boom.getCause() instanceof RemoteException);
            assertEquals(1, map.get("k"), "the failed compute changed nothing");
            BiFunction<Integer, Integer, Integer> notSerializable = Integer::sum;
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> map.merge("k", 1, notSerializable));
            assertTrue(refused.getMessage().contains("serializable"), refused.getMessage());
            assertEquals(3, list.stream().mapToInt(Integer::intValue).sum(), "the server still serves");
            Namespace ns = manager.namespace();
            assertThrows(NoSuchElementException.class, () -> ns.get("missing"));
        }
    }

    @Test
    void shouldGiveSnapshotsForIterationAndViews() throws Exception {
        try (Manager manager = Manager.start()) {
            List<String> list = manager.list(List.of("a", "b"));
            Iterator<String> it = list.iterator();
            list.add("c");
            List<String> seen = new ArrayList<>();
            it.forEachRemaining(seen::add);
            assertEquals(List.of("a", "b"), seen, "the iterator walks the snapshot taken when it was made");
            assertThrows(UnsupportedOperationException.class, () -> list.iterator().remove());
            ManagedMap<String, Integer> map = manager.map(Map.of("x", 1, "y", 2));
            Set<String> keys = map.keySet();
            keys.remove("x");
            assertTrue(map.containsKey("x"), "a key set is a copy");
            assertEquals(Map.of("x", 1, "y", 2), map.snapshot());
            assertEquals(Map.of("y", 2), map.getAll(List.of("y", "z")));
            assertEquals(map, Map.of("x", 1, "y", 2));
            assertEquals(Map.of("x", 1, "y", 2).hashCode(), map.hashCode());
            assertEquals(list, manager.list(List.of("a", "b", "c")));
        }
    }

    @Test
    void shouldRegisterUserTypesWhoseMethodsReturnProxies() throws Exception {
        try (Manager manager = Manager.start()) {
            manager.register("account", Account.class, SimpleAccount::new);
            Account account = manager.create("account", Account.class);
            JvmProcess child = new JvmProcess(() -> account.deposit(40)).start();
            Children.joinAll(List.of(child));
            assertEquals(42, account.deposit(2));
            Account sub = account.child("abc");
            assertEquals(3, sub.balance());
            sub.deposit(1);
            assertEquals(4, sub.balance(), "the returned object stays in the server");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> account.deposit(-1));
            assertEquals("cannot deposit -1", e.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> manager.create("nothing", Account.class));
            assertTrue(unknown.getMessage().contains("no type 'nothing'"), unknown.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> manager.register("list", Account.class, SimpleAccount::new));
        }
    }

    @Test
    void shouldWorkOverTcpSocketsAsOverSharedMemory() throws Exception {
        Manager.Options options = new Manager.Options()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sharedMemory(false);
        try (Manager manager = Manager.start(options)) {
            assertInstanceOf(InetSocketAddress.class, manager.address());
            ManagedMap<String, Integer> map = manager.map();
            JvmProcess child = new JvmProcess(() -> {
                for (int i = 0; i < 100; i++) {
                    map.merge("n", 1, Integer::sum);
                }
            }).start();
            for (int i = 0; i < 100; i++) {
                map.merge("n", 1, Integer::sum);
            }
            Children.joinAll(List.of(child));
            assertEquals(200, map.get("n"));
        }
    }

    @Test
    void shouldBeReachedFromAnIndependentlyStartedServerByAddressAndAuthkey(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("key");
        byte[] key = "a key for the stand-alone server".getBytes(StandardCharsets.US_ASCII);
        Files.write(keyFile, key);
        Path socket = dir.resolve("manager.sock");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Manager.class.getName(),
                "--address", "unix:" + socket, "--authkey-file", keyFile.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("manager serving at unix:" + socket, line);
            SocketAddress address = Manager.parseAddress(line.substring("manager serving at ".length()));
            try (Manager manager = Manager.connect(address, key)) {
                assertTrue(manager.pid().isEmpty());
                List<String> list = manager.list();
                list.add("from the first client");
                JvmProcess child = new JvmProcess(() -> {
                    try (Manager again = Manager.connect(address, key)) {
                        List<String> mine = again.list(List.of("own"));
                        list.add("from a second client, " + mine.get(0));
                    }
                }).start();
                Children.joinAll(List.of(child));
                assertEquals(List.of("from the first client", "from a second client, own"), list);
                assertThrows(ManagerException.class, () -> Manager.connect(address,
                        "a wrong key".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(2, list.size(), "the server still serves after refusing a client");
                manager.shutdown();
            }
            assertTrue(server.waitFor(Timeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS),
                    "the stand-alone server ended on shutdown");
            assertFalse(Files.exists(socket), "its socket file is gone");
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }
}
