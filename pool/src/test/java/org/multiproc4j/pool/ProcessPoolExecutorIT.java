package org.multiproc4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** The pool as an ExecutorService. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolExecutorIT {

    private static final long WAIT = Timeouts.MEDIUM.toMillis();

    static <T> Callable<T> remote(SerializableCallable<T> c) {
        return c;
    }

    @Test
    void shouldRunSubmittedCallablesAndRunnablesInWorkers() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(2)) {
            long here = ProcessHandle.current().pid();
            Future<Long> pid = executor.submit(remote(() -> ProcessHandle.current().pid()));
            assertTrue(pid.get(WAIT, TimeUnit.MILLISECONDS) != here);
            Future<?> r = executor.submit((Runnable & Serializable) () -> System.setProperty("x", "y"));
            assertNull(r.get(WAIT, TimeUnit.MILLISECONDS));
            Future<String> v = executor.submit((Runnable & Serializable) () -> { }, "done");
            assertEquals("done", v.get(WAIT, TimeUnit.MILLISECONDS));
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int x = i;
                tasks.add(remote(() -> x * x));
            }
            List<Future<Integer>> all = executor.invokeAll(tasks);
            for (int i = 0; i < 10; i++) {
                assertEquals(i * i, all.get(i).get());
            }
            int any = executor.invokeAny(List.of(remote(() -> {
                throw new IllegalStateException("no");
            }), remote(() -> 7)));
            assertEquals(7, any);
            ExecutionException none = assertThrows(ExecutionException.class,
                    () -> executor.invokeAny(List.of(remote(() -> {
                        throw new IllegalStateException("never");
                    }))));
            assertEquals("java.lang.IllegalStateException", ((RemoteException) none.getCause()).remoteClassName());
        }
    }

    @Test
    void shouldRefuseNonSerializableTasksAtSubmitNamingTheirType() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            Callable<Integer> plain = () -> 1;
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                    () -> executor.submit(plain));
            assertTrue(e.getMessage().contains("Serializable") && e.getMessage().contains("Lambda"), e.getMessage());
            Object notSerializable = new Object();
            RejectedExecutionException captured = assertThrows(RejectedExecutionException.class,
                    () -> executor.submit(remote(() -> notSerializable.hashCode())));
            assertInstanceOf(SerializationException.class, captured.getCause());
            assertTrue(captured.getMessage().contains("java.lang.Object"), captured.getMessage());
            assertEquals(3, executor.submit(remote(() -> 3)).get(WAIT, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void shouldKeepServingAfterAWorkerDies() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            Future<Integer> dies = executor.submit(remote(() -> {
                Runtime.getRuntime().halt(5);
                return 0;
            }));
            ExecutionException e = assertThrows(ExecutionException.class, () -> dies.get(WAIT, TimeUnit.MILLISECONDS));
            assertEquals(5, assertInstanceOf(WorkerDiedException.class, e.getCause()).exitCode());
            assertEquals(4, executor.submit(remote(() -> 4)).get(WAIT, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void shouldShutDownAwaitAndShutDownNow() throws Exception {
        ExecutorService executor = new ProcessPoolExecutor(1);
        Future<Integer> slow = executor.submit(remote(() -> {
            Thread.sleep(300);
            return 1;
        }));
        executor.shutdown();
        assertTrue(executor.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> executor.submit(remote(() -> 2)));
        assertTrue(executor.awaitTermination(WAIT, TimeUnit.MILLISECONDS));
        assertTrue(executor.isTerminated());
        assertEquals(1, slow.get());
        ProcessPoolExecutor now = new ProcessPoolExecutor(1);
        Future<Integer> forever = now.submit(remote(() -> {
            Thread.sleep(60_000);
            return 1;
        }));
        Future<Integer> queued = now.submit(remote(() -> 2));
        assertTrue(now.shutdownNow().isEmpty());
        assertThrows(CancellationException.class, () -> forever.get(WAIT, TimeUnit.MILLISECONDS));
        assertThrows(CancellationException.class, () -> queued.get(WAIT, TimeUnit.MILLISECONDS));
        assertTrue(now.awaitTermination(WAIT, TimeUnit.MILLISECONDS));
        now.close();
        assertFalse(forever.isCancelled() && !forever.isDone());
    }
}
