package com.example.consumer;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.ipc.SharedQueue;
import org.multiproc4j.ipc.durable.Delivery;
import org.multiproc4j.ipc.durable.DurableQueue;
import org.multiproc4j.manager.ManagedMap;
import org.multiproc4j.manager.Manager;
import org.multiproc4j.pool.ProcessPool;
import org.multiproc4j.pool.ResultIterator;
import org.multiproc4j.sharedmem.SharedLong;
import org.multiproc4j.sharedmem.sync.SharedLock;

/**
 * A user's program: runs examples of the README and the Javadoc, each as its reader would paste it, against the
 * published jars, then checks what every multiproc4j jar on the classpath tells the module system. Exits with a
 * non-zero status (an exception) when anything is wrong.
 */
public final class ConsumerCheck {

    /** The published library jars and the module name each declares (Automatic-Module-Name). */
    private static final Map<String, String> MODULE_NAMES = Map.of(
            "multiproc4j-core", "org.multiproc4j.core",
            "multiproc4j-sharedmem", "org.multiproc4j.sharedmem",
            "multiproc4j-ipc", "org.multiproc4j.ipc",
            "multiproc4j-ipc-durable", "org.multiproc4j.ipc.durable",
            "multiproc4j-pool", "org.multiproc4j.pool",
            "multiproc4j-manager", "org.multiproc4j.manager",
            "multiproc4j-mpi-bridge", "org.multiproc4j.mpi",
            "multiproc4j-mpi-openmpi", "org.multiproc4j.mpi.openmpi");
    // multiproc4j-mpi-native (org.multiproc4j.mpi.nativempi) is built by a JDK 22+ only, and the artifacts this
    // check uses are installed by the default JDK: it is not among them

    private ConsumerCheck() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("consumer check: README, core");
        readmeProcesses();
        System.out.println("consumer check: README, sharedmem");
        readmeLock();
        System.out.println("consumer check: ipc package summary");
        ipcPipeAndQueue();
        System.out.println("consumer check: ipc.durable package summary");
        durableQueue();
        System.out.println("consumer check: pool package summary");
        poolMap();
        System.out.println("consumer check: manager package summary");
        managerServerProcess();
        int jars = checkModuleNames();
        System.out.println("consumer check: 6 examples ran; " + jars + " multiproc4j jars declare their module names");
    }

    // README.md, the first example (core)
    static void readmeProcesses() throws Exception {
        int x = 4;
        JvmProcess child = new JvmProcess(() -> System.out.println("cube of " + x + " is " + x * x * x));
        child.start();                                   // a new JVM, same classpath, running the lambda
        child.join();
        System.out.println("exit code " + child.exitCode());

        TaskFuture<Integer> cube = JvmProcess.call(() -> x * x * x);
        System.out.println(cube.get());                  // 64, computed in another JVM
        check(child.exitCode() == 0, "the child's exit code is " + child.exitCode());
    }

    // README.md, "Locks, and how everything waits" (sharedmem)
    static void readmeLock() throws Exception {
        try (SharedLock lock = SharedLock.create(); SharedLong balance = SharedLong.create(100)) {
            lock.lock();
            try {
                if (lock.ownerDied()) {
                    balance.set(100);                  // the previous holder died mid-update: repair first
                }
                balance.set(balance.get() - 10);
            } finally {
                lock.unlock();
            }
            System.out.println(balance.get());         // 90
            check(balance.get() == 90, "the balance is " + balance.get());
        }
    }

    // org.multiproc4j.ipc's package summary (ipc)
    static void ipcPipeAndQueue() throws Exception {
        try (Pipe pipe = Pipe.open(); SharedQueue<Integer> results = SharedQueue.create()) {
            Connection toChild = pipe.first();
            Connection inChild = pipe.second();
            JvmProcess child = new JvmProcess(() -> {
                int x = (Integer) inChild.recv();
                results.put(x * x * x);
            }).start();
            toChild.send(5);
            int cube = results.take();
            System.out.println(cube);   // 125
            child.join();
            check(cube == 125, "the child sent " + cube);
        }
    }

    // org.multiproc4j.ipc.durable's package summary (ipc-durable, Chronicle Queue under it)
    static void durableQueue() throws Exception {
        Path dir = Files.createTempDirectory("orders");
        try (DurableQueue<String> orders = DurableQueue.open(dir)) {
            orders.append("order 42");                          // a producer, in any process
            try (Delivery<String> d = orders.receive()) {
                System.out.println("shipping " + d.value());    // a consumer, in any process
                d.ack();                                        // consumed; without it, delivered again
                check(d.value().equals("order 42"), "received " + d.value());
            }
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Every published jar on the classpath names its module in its manifest, and the module system reads that
     * name (not one guessed from the file name).
     */
    static int checkModuleNames() throws IOException {
        Map<String, String> found = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            String file = jar.getFileName().toString();
            String artifact = MODULE_NAMES.keySet().stream()
                    .filter(a -> file.startsWith(a + "-") && Character.isDigit(file.charAt(a.length() + 1)))
                    .findFirst().orElse(null);
            if (artifact == null) {
                if (file.startsWith("multiproc4j-")) {
                    problems.add(file + ": a multiproc4j jar this check does not know: add it to MODULE_NAMES");
                }
                continue;
            }
            String expected = MODULE_NAMES.get(artifact);
            try (JarFile jf = new JarFile(jar.toFile())) {
                String declared = jf.getManifest() == null ? null
                        : jf.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
                if (!expected.equals(declared)) {
                    problems.add(file + ": Automatic-Module-Name is " + declared + ", expected " + expected);
                }
            }
            Set<ModuleReference> modules = ModuleFinder.of(jar).findAll();
            String seen = modules.isEmpty() ? null : modules.iterator().next().descriptor().name();
            if (!expected.equals(seen)) {
                problems.add(file + ": the module system reads it as " + seen + ", expected " + expected);
            }
            found.put(artifact, expected);
        }
        for (String artifact : MODULE_NAMES.keySet()) {
            if (!found.containsKey(artifact)) {
                problems.add(artifact + ": not on the classpath");
            }
        }
        check(problems.isEmpty(), "module names:\n  " + String.join("\n  ", problems));
        return found.size();
    }

    // org.multiproc4j.pool's package summary
    static void poolMap() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            List<Integer> cubes = pool.map(x -> x * x * x, List.of(1, 2, 3));
            System.out.println(cubes);                                    // [1, 8, 27]
            ResultIterator<Integer> lazy = pool.imap(x -> x + 1, Stream.iterate(0, x -> x + 1));
            Integer first = lazy.next(Duration.ofSeconds(30));
            System.out.println(first);                                    // 1, from an endless input
            pool.terminate();                                            // stop the endless imap's work now
            check(cubes.equals(List.of(1, 8, 27)) && first == 1, "the pool's results are " + cubes + ", " + first);
        }
    }

    // org.multiproc4j.manager's package summary (the tutorial's server process)
    static void managerServerProcess() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedMap<String, String> d = manager.map();
            List<Integer> l = manager.list(List.of(9, 3));
            JvmProcess child = new JvmProcess(() -> {
                d.put("car", "ford");
                l.sort(null);
            }).start();
            child.join();
            System.out.println(d);          // {car=ford}
            System.out.println(l);          // [3, 9]
            check(d.toString().equals("{car=ford}") && l.equals(List.of(3, 9)), "the manager's objects are " + d + ", " + l);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("consumer check failed: " + what);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
