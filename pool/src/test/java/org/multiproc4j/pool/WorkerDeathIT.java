package org.multiproc4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.LaunchException;
import org.multiproc4j.core.ProcessException;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** Workers that die, cannot boot or fail to initialize: clear failures, never a hang, never a lost pool. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WorkerDeathIT {

    static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    static long pidAfter(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return ProcessHandle.current().pid();
    }

    private static WorkerDiedException died(AsyncResult<?> r) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(Timeouts.MEDIUM));
        return assertInstanceOf(WorkerDiedException.class, e.getCause());
    }

    @Test
    void shouldFailTheTaskOfAWorkerKilledWithSigkillAndKeepServing() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            pool.apply(x -> x, 0); // the worker is up
            long pid = pool.workerPids().get(0);
            AsyncResult<Long> r = pool.applyAsync(WorkerDeathIT::pidAfter, 60_000L);
            AsyncResult<Integer> behind = pool.applyAsync(x -> x + 1, 1);
            Thread.sleep(300);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            WorkerDiedException d = died(r);
            assertEquals(pid, d.pid());
            assertEquals(9, d.signal().orElse(0));
            assertEquals(137, d.exitCode());
            assertTrue(d.getMessage().contains("pid " + pid) && d.getMessage().contains("signal 9")
                    && d.getMessage().contains("applyAsync task"), d.getMessage());
            assertEquals(2, behind.get(Timeouts.MEDIUM), "the task queued behind it ran on the new worker");
            assertTrue(pool.workerPids().get(0) != pid);
        }
    }

    @Test
    void shouldFailTheTaskThatExitsHaltsOrRunsOutOfMemory() throws Exception {
        ProcessPool.Options o = new ProcessPool.Options().workers(2)
                .workerOptions(new JvmProcess.Options().maxHeap("64m"));
        try (ProcessPool pool = new ProcessPool(o)) {
            WorkerDiedException exit = died(pool.applyAsync(x -> {
                System.exit(x);
                return x;
            }, 42));
            assertEquals(42, exit.exitCode());
            assertTrue(exit.signal().isEmpty());
            WorkerDiedException halt = died(pool.applyAsync(x -> {
                Runtime.getRuntime().halt(x);
                return x;
            }, 7));
            assertEquals(7, halt.exitCode());
            WorkerDiedException oom = died(pool.applyAsync(x -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[x]);
                }
            }, 1 << 20));
            assertEquals(ProcessPool.EXIT_VM_ERROR, oom.exitCode());
            assertTrue(oom.getMessage().contains("OutOfMemoryError"), oom.getMessage());
            int after = pool.apply(x -> x * 2, 21);
            assertEquals(42, after);
        }
    }

    @Test
    void shouldFinishAMapWhoseWorkerDiedAndReportTheFailure() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            AtomicInteger unused = new AtomicInteger();
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.map(x -> {
                if (x == 5) {
                    Runtime.getRuntime().halt(9);
                }
                Thread.sleep(20);
                return x;
            }, range(0, 20), 1));
            WorkerDiedException d = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertTrue(d.task().contains("map chunk 5 (inputs 5 to 5"), d.task());
            assertEquals(0, unused.get());
            assertEquals(range(0, 20), pool.map(x -> x, range(0, 20), 1));
        }
    }

    @RepeatedTest(3)
    void shouldNeverHangWhileWorkersAreKilledAtRandom() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.map(x -> x, range(0, 4), 1);
            AtomicBoolean stop = new AtomicBoolean();
            Random random = new Random();
            AtomicInteger kills = new AtomicInteger();
            Thread killer = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        Thread.sleep(300 + random.nextInt(600));
                    } catch (InterruptedException e) {
                        return;
                    }
                    List<Long> pids = pool.workerPids();
                    if (!pids.isEmpty() && !stop.get()) {
                        ProcessHandle.of(pids.get(random.nextInt(pids.size()))).ifPresent(ProcessHandle::destroyForcibly);
                        kills.incrementAndGet();
                    }
                }
            });
            killer.start();
            int ok = 0;
            int died = 0;
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                while (System.nanoTime() < end) {
                    // map, imap and applyAsync while workers die
                    try {
                        List<Integer> r = pool.map(x -> {
                            Thread.sleep(5);
                            return x * 2;
                        }, range(0, 40), 2);
                        assertEquals(range(0, 40).stream().map(x -> x * 2).collect(Collectors.toList()), r);
                        ok++;
                    } catch (ExecutionException e) {
                        assertInstanceOf(WorkerDiedException.class, e.getCause());
                        died++;
                    }
                    ResultIterator<Integer> it = pool.imap(x -> {
                        Thread.sleep(5);
                        return x;
                    }, range(0, 30), 3);
                    int i = 0;
                    while (it.hasNext()) {
                        try {
                            assertEquals(i, it.next(Timeouts.LONG));
                        } catch (ExecutionException e) {
                            assertInstanceOf(WorkerDiedException.class, e.getCause());
                            died++;
                            i += 2; // the rest of the chunk
                        }
                        i++;
                    }
                    List<AsyncResult<Integer>> rs = new ArrayList<>();
                    for (int k = 0; k < 10; k++) {
                        rs.add(pool.applyAsync(x -> {
                            Thread.sleep(10);
                            return x;
                        }, k));
                    }
                    for (int k = 0; k < 10; k++) {
                        try {
                            assertEquals(k, rs.get(k).get(Timeouts.LONG));
                        } catch (ExecutionException e) {
                            assertInstanceOf(WorkerDiedException.class, e.getCause());
                            died++;
                        }
                    }
                }
            } finally {
                stop.set(true);
                killer.interrupt();
                killer.join();
            }
            assertTrue(kills.get() > 0);
            assertTrue(ok + died > 0);
            int after = pool.apply(x -> x + 1, 1);
            assertEquals(2, after, "the pool still serves after " + kills.get() + " kills");
        }
    }

    @Test
    void shouldReportAWorkerJvmThatCannotBootInsteadOfRetrying() throws Exception {
        ProcessPool.Options o = new ProcessPool.Options().workers(2)
                .workerOptions(new JvmProcess.Options().jvmOptions("-XX:+NoSuchOptionForMultiproc4j"));
        try (ProcessPool pool = new ProcessPool(o)) {
            for (int round = 0; round < 2; round++) {
                AsyncResult<Integer> r = pool.applyAsync(x -> x, 1);
                ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(Timeouts.MEDIUM));
                ProcessException p = assertInstanceOf(ProcessException.class, e.getCause());
                LaunchException launch = assertInstanceOf(LaunchException.class, p.getCause());
                assertTrue(launch.jvmOutput().contains("NoSuchOptionForMultiproc4j"), launch.jvmOutput());
            }
            ExecutionException m = assertThrows(ExecutionException.class,
                    () -> pool.mapAsync(x -> x, range(0, 10), 1).get(Timeouts.MEDIUM));
            assertInstanceOf(LaunchException.class, m.getCause().getCause());
        }
    }

    @Test
    void shouldReportAnInitializerThatThrows() throws Exception {
        ProcessPool.Options o = new ProcessPool.Options().workers(1).initializer(() -> {
            throw new IllegalStateException("no database");
        });
        try (ProcessPool pool = new ProcessPool(o)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.applyAsync(x -> x, 1).get(Timeouts.MEDIUM));
            ProcessException p = assertInstanceOf(ProcessException.class, e.getCause());
            assertTrue(p.getMessage().contains("initializer failed") && p.getMessage().contains("no database"),
                    p.getMessage());
            assertEquals("java.lang.IllegalStateException", ((RemoteException) p.getCause()).remoteClassName());
        }
    }

    @Test
    void shouldCountAWorkerKilledBeforeItAttachedAsDead() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            for (long pid : pool.workerPids()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            List<Integer> r;
            try {
                r = pool.map(x -> x + 1, range(0, 10), 1);
            } catch (ExecutionException e) {
                // a task may have been given to a worker as it died: it fails, clearly
                assertInstanceOf(WorkerDiedException.class, e.getCause());
                r = pool.map(x -> x + 1, range(0, 10), 1);
            }
            assertEquals(range(1, 11), r);
        } catch (RuntimeException e) {
            fail(e);
        }
    }
}
