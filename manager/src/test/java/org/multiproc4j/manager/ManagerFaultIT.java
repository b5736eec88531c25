package org.multiproc4j.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** A manager when keys are wrong and processes die: the server's, a client's, the parent that started it. */
@ExtendWith(LeakCheck.class)
@Timeout(600)
class ManagerFaultIT {

    @Test
    void shouldRefuseAWrongAuthkeyAndKeepServingTheOthers() throws Exception {
        try (Manager manager = Manager.start()) {
            List<String> list = manager.list();
            list.add("before");
            ManagerException e = assertThrows(ManagerException.class, () -> Manager.connect(manager.address(),
                    "not the key".getBytes(StandardCharsets.US_ASCII)));
            assertTrue(e.getMessage().contains("refused this process"), e.getMessage());
            SocketAddress address = manager.address();
            byte[] key = manager.authkey();
            JvmProcess child = new JvmProcess(() -> {
                try (Manager again = Manager.connect(address, key)) {
                    again.list(List.of("own list")).add("works");
                }
                list.add("after");
            }).start();
            assertTrue(child.join(Timeouts.scaled(Duration.ofSeconds(60))));
            assertEquals(0, child.exitCode(), String.valueOf(child.failure()));
            assertEquals(List.of("before", "after"), list);
        }
    }

    @Test
    void shouldListenByDefaultOnAUnixSocketOnlyItsOwnerCanUse() throws Exception {
        try (Manager manager = Manager.start()) {
            Path socket = assertInstanceOf(UnixDomainSocketAddress.class, manager.address()).getPath();
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
            assertEquals(PosixFilePermissions.fromString("rwx------"),
                    Files.getPosixFilePermissions(socket.getParent()));
            assertEquals(32, manager.authkey().length);
            assertTrue(manager.pid().isPresent());
        }
    }

    @ParameterizedTest(name = "shared memory: {0}")
    @ValueSource(booleans = {true, false})
    void shouldFailEveryProxyCallClearlySoonAfterTheServerDies(boolean sharedMemory) throws Exception {
        Manager.Options options = new Manager.Options().sharedMemory(sharedMemory);
        if (!sharedMemory) {
            options.address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
        try (Manager manager = Manager.start(options)) {
            List<Integer> list = manager.list(List.of(1, 2, 3));
            BlockingQueue<String> queue = manager.queue();
            assertEquals(3, list.size());
            CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return queue.take();
                } catch (Exception e) {
                    return e;
                }
            });
            Thread.sleep(200);                                  // let it block in the server
            ProcessHandle server = ProcessHandle.of(manager.pid().getAsLong()).orElseThrow();
            server.destroyForcibly();
            server.onExit().get(30, TimeUnit.SECONDS);
            long dead = System.nanoTime();
            ManagerException e = assertThrows(ManagerException.class, list::size);
            assertTrue(e.getMessage().contains("is gone") || e.getMessage().contains("cannot reach"), e.getMessage());
            Object takeResult = blocked.get(Timeouts.scaled(Duration.ofSeconds(2)).toMillis(), TimeUnit.MILLISECONDS);
            assertInstanceOf(ManagerException.class, takeResult, "a call waiting in the dead server fails");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dead);
            assertTrue(tookMillis < Timeouts.scaled(Duration.ofSeconds(2)).toMillis(),
                    "failed only after " + tookMillis + " ms");
            assertThrows(ManagerException.class, () -> manager.map());
        }
    }

    @Test
    void shouldSurviveAClientKilledMidCallAndReleaseItsLockWithAnOwnerDiedSignal() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedLock lock = manager.lock();
            ManagedEvent holding = manager.event();
            ManagedMap<String, Integer> map = manager.map();
            BlockingQueue<Integer> queue = manager.queue();
            JvmProcess holder = new JvmProcess(() -> {
                lock.lock();
                holding.set();
                while (true) {
                    map.merge("calls", 1, Integer::sum);       // killed somewhere in here
                }
            }).start();
            JvmProcess waiter = new JvmProcess(() -> {
                queue.take();                                  // killed while waiting in the server
            }).start();
            assertTrue(holding.await(Timeouts.scaled(Duration.ofSeconds(60))), "the holder took the lock");
            Thread.sleep(300);
            holder.kill();
            waiter.kill();
            assertTrue(holder.join(Timeouts.MEDIUM) && waiter.join(Timeouts.MEDIUM));
            assertTrue(lock.tryLock(Timeouts.MEDIUM), "the dead holder's lock was released");
            try {
                assertTrue(lock.ownerDied(), "the next holder is told its previous holder died");
            } finally {
                lock.unlock();
            }
            assertTrue(lock.tryLock(Duration.ZERO));
            assertFalse(lock.ownerDied(), "the signal ends with the first unlock");
            lock.unlock();
            assertTrue(map.get("calls") > 0);
            queue.put(7);
            assertEquals(7, queue.poll(10, TimeUnit.SECONDS), "the killed waiter took nothing");
            assertEquals(0, queue.size());
        }
    }

    @Test
    void shouldNotOutliveAKilledParentThatStartedIt() throws Exception {
        try (Pipe pipe = Pipe.openOneWay()) {
            Connection report = pipe.second();
            JvmProcess parent = new JvmProcess(() -> {
                Manager manager = Manager.start();
                report.send(manager.pid().getAsLong());
                Thread.sleep(600_000);
            }).start();
            try {
                long serverPid = (Long) pipe.first().recv(Timeouts.scaled(Duration.ofSeconds(60)));
                ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
                assertTrue(server.isAlive());
                parent.kill();
                try {
                    server.onExit().get(Timeouts.LONG.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    server.destroyForcibly();
                    throw new AssertionError("the manager's server outlived its killed parent", e);
                } catch (ExecutionException e) {
                    throw new AssertionError(e);
                }
                assertFalse(server.isAlive());
            } finally {
                parent.kill();
                parent.close();
            }
        }
    }
}
