package org.multiproc4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.RemoteException;
import org.multiproc4j.core.SerializableFunction;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.sharedmem.SharedLong;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** The pool's methods and options, with real worker JVMs. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolIT {

    static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    static int cube(int x) {
        return x * x * x;
    }

    static long pid(Object unused) {
        return ProcessHandle.current().pid();
    }

    @Test
    void shouldApplyInAWorkerAndReturnItsResult() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            assertEquals(27, pool.apply(ProcessPoolIT::cube, 3));
            long here = ProcessHandle.current().pid();
            long there = pool.apply(ProcessPoolIT::pid, null);
            assertTrue(there != here, "ran in a child");
            assertTrue(pool.workerPids().contains(there));
            AsyncResult<String> r = pool.applyAsync(s -> s + "!", "hi");
            assertEquals("hi!", r.get(Timeouts.MEDIUM));
            assertTrue(r.isReady());
            assertTrue(r.isSuccessful());
            assertEquals("hi!", r.toCompletableFuture().get());
        }
    }

    @Test
    void shouldGiveTheFirstTaskToTheFirstWorkerUp() throws Exception {
        try (SharedLong sleeper = SharedLong.create(0)) {
            // the first worker to run the initializer stays in it: the task must go to the other one
            ProcessPool pool = new ProcessPool(new ProcessPool.Options().workers(2).initializer(() -> {
                if (sleeper.compareAndSet(0, ProcessHandle.current().pid())) {
                    Thread.sleep(600_000);
                }
            }));
            try {
                long ranIn = pool.<Object, Long>applyAsync(ProcessPoolIT::pid, null).get(Timeouts.LONG);
                assertTrue(sleeper.get() != 0 && ranIn != sleeper.get(), "ran in " + ranIn + ", the sleeper is "
                        + sleeper.get());
                // the chunks wait in the queue for a worker that is up, never in the one still in its initializer
                assertEquals(List.of(1, 8, 27), pool.map(ProcessPoolIT::cube, List.of(1, 2, 3)));
            } finally {
                pool.terminate();
                assertTrue(pool.join(Timeouts.MEDIUM));
            }
        }
    }

    @Test
    void shouldMapInInputOrderWithEveryChunkSize() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            List<Integer> in = range(0, 1000);
            List<Integer> expected = in.stream().map(ProcessPoolIT::cube).collect(Collectors.toList());
            assertEquals(expected, pool.map(ProcessPoolIT::cube, in));
            for (int chunk : new int[] {1, 7, 1000, 5000}) {
                assertEquals(expected, pool.map(ProcessPoolIT::cube, in, chunk), "chunk " + chunk);
            }
            assertEquals(List.of(), pool.map(ProcessPoolIT::cube, List.of()));
            Iterable<Integer> unsized = () -> range(0, 10).iterator();
            assertEquals(expected.subList(0, 10), pool.map(ProcessPoolIT::cube, unsized));
            assertEquals(List.of(8.0, 9.0), pool.starmap(Math::pow, List.of(Map.entry(2.0, 3.0), Map.entry(3.0, 2.0))));
            assertThrows(IllegalArgumentException.class, () -> pool.map(ProcessPoolIT::cube, in, 0));
        }
    }

    @Test
    void shouldRunCallbacksInOneThreadBeforeGetReturns() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            List<Integer> seen = new CopyOnWriteArrayList<>();
            Set<String> threads = java.util.Collections.synchronizedSet(new HashSet<>());
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.applyAsync(ProcessPoolIT::cube, i, v -> {
                    threads.add(Thread.currentThread().getName());
                    seen.add(v);
                }, null));
            }
            for (int i = 0; i < 20; i++) {
                int v = results.get(i).get(Timeouts.MEDIUM);
                assertTrue(seen.contains(v), "callback ran before get returned");
            }
            assertEquals(1, threads.size(), threads.toString());
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            AsyncResult<Integer> bad = pool.applyAsync(x -> {
                throw new IllegalStateException("bad " + x);
            }, 5, null, errors::add);
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(Timeouts.MEDIUM));
            assertEquals(1, errors.size());
            assertEquals(e.getCause(), errors.get(0));
            assertFalse(bad.isSuccessful());
            List<List<Integer>> lists = new CopyOnWriteArrayList<>();
            AsyncResult<List<Integer>> m = pool.mapAsync(ProcessPoolIT::cube, range(0, 5), 0, lists::add, null);
            assertEquals(List.of(0, 1, 8, 27, 64), m.get(Timeouts.MEDIUM));
            assertEquals(List.of(List.of(0, 1, 8, 27, 64)), lists);
        }
    }

    @Test
    void shouldReportTheWorkersExceptionWithItsStackTrace() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.apply(x -> Integer.parseInt(x), "nope"));
            RemoteException remote = assertInstanceOf(RemoteException.class, e.getCause());
            assertEquals("java.lang.NumberFormatException", remote.remoteClassName());
            assertTrue(remote.remoteStackTrace().contains("parseInt"), remote.remoteStackTrace());
            ExecutionException m = assertThrows(ExecutionException.class,
                    () -> pool.map(x -> 10 / x, List.of(1, 2, 0, 4), 1));
            assertEquals("java.lang.ArithmeticException", ((RemoteException) m.getCause()).remoteClassName());
            // the pool still serves
            assertEquals(8, pool.apply(ProcessPoolIT::cube, 2));
        }
    }

    static final class OnlyInWorker extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OnlyInWorker(String m) {
            super(m);
        }
    }

    static final class NotSerializable {
        @Override
        public String toString() {
            return "not serializable";
        }
    }

    @Test
    void shouldGiveClearErrorsForWhatCannotTravel() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            NotSerializable ns = new NotSerializable();
            SerializationException arg = assertThrows(SerializationException.class,
                    () -> pool.applyAsync(x -> x, ns));
            assertTrue(arg.getMessage().contains(NotSerializable.class.getName()), arg.getMessage());
            SerializationException fn = assertThrows(SerializationException.class,
                    () -> pool.applyAsync(x -> ns.toString(), 1));
            assertTrue(fn.getMessage().contains(NotSerializable.class.getName()), fn.getMessage());
            ExecutionException result = assertThrows(ExecutionException.class,
                    () -> pool.apply(x -> new NotSerializable(), 1));
            assertTrue(result.getCause().getMessage().contains(NotSerializable.class.getName()),
                    result.getCause().getMessage());
            ExecutionException ex = assertThrows(ExecutionException.class, () -> pool.apply(x -> {
                throw new OnlyInWorker("custom");
            }, 1));
            assertEquals(OnlyInWorker.class.getName(), ((RemoteException) ex.getCause()).remoteClassName());
            int two = pool.apply(x -> x + 1, 1);
            assertEquals(2, two);
        }
    }

    @Test
    void shouldCarryCollectionsAndSerializableValues() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            Map<String, Long> counts = pool.apply(s -> {
                Map<String, Long> m = new HashMap<>();
                for (String w : s.split(" ")) {
                    m.merge(w, 1L, Long::sum);
                }
                return m;
            }, "a b a");
            assertEquals(Map.of("a", 2L, "b", 1L), counts);
            record Point(int x, int y) implements Serializable {
            }
            assertEquals(new Point(2, 4), pool.apply(p -> new Point(p.x() * 2, p.y() * 2), new Point(1, 2)));
            double[] back = pool.apply(a -> a, new double[] {1, 4});
            assertEquals(4.0, back[1]);
        }
    }

    @Test
    void shouldCarryResultsOfEverySizeOneAfterAnother() throws Exception {
        // a reader receives into one array that grows for a big message and is given up after a huge one
        try (ProcessPool pool = new ProcessPool(1)) {
            for (int size : new int[] {10, 200_000, 100, 6_000_000, 300_000, 1}) {
                byte[] back = pool.apply(n -> {
                    byte[] b = new byte[n];
                    for (int i = 0; i < n; i++) {
                        b[i] = (byte) (i * 31 + n);
                    }
                    return b;
                }, size);
                assertEquals(size, back.length);
                for (int i = 0; i < size; i++) {
                    if (back[i] != (byte) (i * 31 + size)) {
                        throw new AssertionError("size " + size + ": byte " + i + " is " + back[i]);
                    }
                }
            }
            List<Integer> in = range(0, 300_000);
            List<Integer> cubes = pool.map(ProcessPoolIT::cube, in);
            assertEquals(in.size(), cubes.size());
            assertEquals(cube(299_999), cubes.get(299_999));
            assertEquals(cube(12_345), cubes.get(12_345));
            // inputs read in place (a RandomAccess list) or copied (any other), chunks that pack and that do not
            assertEquals(List.of(1, 8, 27), pool.map(ProcessPoolIT::cube, new java.util.LinkedList<>(List.of(1, 2, 3))));
            List<Object> mixed = java.util.Arrays.asList(1, 2L, 3, null, "x", 4L);
            assertEquals(mixed, pool.map(x -> x, mixed, 2));
            assertEquals(mixed, pool.map(x -> x, mixed, 1));
        }
    }

    @Test
    void shouldCarryArgumentsOfEverySizeOneAfterAnother() throws Exception {
        // a worker receives into one array that grows for a big message and is given up after a huge one
        try (ProcessPool pool = new ProcessPool(1)) {
            for (int size : new int[] {10, 200_000, 100, 6_000_000, 1_100_000, 300_000, 1}) {
                byte[] arg = new byte[size];
                for (int i = 0; i < size; i++) {
                    arg[i] = (byte) (i * 17 + size);
                }
                long there = pool.apply(ProcessPoolIT::checksum, arg);
                assertEquals(checksum(arg), there, "size " + size);
            }
            // two texts of a little over 1 MB held by one worker at once, then short ones after them
            List<String> texts = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                StringBuilder b = new StringBuilder();
                while (b.length() < (t < 3 ? 1_100_000 : 50)) {
                    b.append('w').append(b.length() % 977 + t).append(' ');
                }
                texts.add(b.toString());
            }
            List<Integer> expected = texts.stream().map(String::hashCode).collect(Collectors.toList());
            assertEquals(expected, pool.map(String::hashCode, texts, 1));
        }
    }

    static long checksum(byte[] b) {
        long h = b.length;
        for (byte x : b) {
            h = h * 31 + x;
        }
        return h;
    }

    @Test
    void shouldPackAMapsChunksIntoTheArraysOfAnsweredOnes() throws Exception {
        // a map of numbers packs its chunks into the argument arrays of the chunks answered before (same length):
        // every byte is written again, so the second map's results are its own
        try (ProcessPool pool = new ProcessPool(2)) {
            List<Integer> first = range(0, 4000);
            List<Long> second = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                second.add(-7L * i); // Longs: the same packed length as twice as many Integers
            }
            List<Integer> third = range(100_000, 104_000);
            assertEquals(first.stream().map(ProcessPoolIT::cube).collect(Collectors.toList()),
                    pool.map(ProcessPoolIT::cube, first, 500));
            assertEquals(second.stream().map(x -> x + 1).collect(Collectors.toList()),
                    pool.map(x -> x + 1, second, 250));
            assertEquals(third.stream().map(ProcessPoolIT::cube).collect(Collectors.toList()),
                    pool.map(ProcessPoolIT::cube, third, 500));
            assertTrue(pool.sparesReused() >= 8, "spare arrays reused: " + pool.sparesReused());
        }
    }

    @Test
    void shouldReturnALargeMapInSmallSegmentsInInputOrder() throws Exception {
        // more results than one segment: no array of them all (G1 would allocate it in the old generation, where
        // a dropped one keeps its results alive for young collections); chunks span segment boundaries
        int n = 3 * MapResults.SEGMENT + 17;
        try (ProcessPool pool = new ProcessPool(2)) {
            List<Integer> in = range(0, n);
            List<Integer> packed = pool.map(ProcessPoolIT::cube, in); // default chunking: packed numbers
            List<Integer> odd = pool.map(ProcessPoolIT::cube, in, 1000);
            List<String> general = pool.map(x -> "s" + x, in, 5000); // the general codec's path
            assertTrue(packed instanceof MapResults && odd instanceof MapResults && general instanceof MapResults,
                    packed.getClass() + ", " + odd.getClass() + ", " + general.getClass());
            List<Integer> expected = in.stream().map(ProcessPoolIT::cube).collect(Collectors.toList());
            assertEquals(expected, packed);
            assertTrue(((MapResults<Integer>) packed).segments()[0] instanceof int[], "packed results held unboxed");
            assertEquals(expected, odd);
            assertEquals(in.stream().map(x -> "s" + x).collect(Collectors.toList()), general);
            // a small map keeps its one array
            assertEquals(java.util.Arrays.asList(0, 1, 8).getClass(), pool.map(ProcessPoolIT::cube, range(0, 3))
                    .getClass());
        }
    }

    @Test
    void shouldSendALongTasksResultWithoutWaitingForTheNextTask() throws Exception {
        // a result may be held back briefly to travel with the next ones, but never while a long task runs
        try (SharedLong gate = SharedLong.create(0); ProcessPool pool = new ProcessPool(1)) {
            AsyncResult<Integer> first = pool.applyAsync(x -> {
                Thread.sleep(300);
                return x;
            }, 1);
            AsyncResult<Integer> second = pool.applyAsync(x -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (gate.get() == 0 && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                return x;
            }, 2);
            try {
                assertEquals(1, first.get(Timeouts.MEDIUM)); // while the second task is still running
                assertFalse(second.isReady());
            } finally {
                gate.set(1); // so that a failure does not keep the worker (and the pool's close) for long
            }
            assertEquals(2, second.get(Timeouts.MEDIUM));
        }
    }

    @Test
    void shouldSendAShortTasksResultBeforeATaskThatMayRunLong() throws Exception {
        // a short task's result is held for company while the worker has more tasks, but not behind a task of
        // another function (or one whose last run was long): it is sent before that task starts
        shortResultWhileTheNextTaskRuns(false);
    }

    @Test
    void shouldSendAShortTasksResultWhileATaskExpectedShortRunsLong() throws Exception {
        // the next task is of the same function, whose last run was short: the result is held, and the worker's
        // timer sends it while that task runs long
        shortResultWhileTheNextTaskRuns(true);
    }

    private static void shortResultWhileTheNextTaskRuns(boolean sameFunction) throws Exception {
        try (SharedLong gates = SharedLong.create(0); ProcessPool pool = new ProcessPool(1)) {
            SerializableFunction<Integer, Integer> gated = x -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (gates.get() < x && System.nanoTime() < end) {
                    Thread.sleep(1);
                }
                return x;
            };
            SerializableFunction<Integer, Integer> inc = x -> x + 1;
            SerializableFunction<Integer, Integer> quick = sameFunction ? gated : inc;
            int arg = sameFunction ? 0 : 41;
            int expected = sameFunction ? 0 : 42;
            // booted, both functions defined and warm (a first, interpreted run of gated takes tens of microseconds)
            List<Integer> zeros = java.util.Collections.nCopies(2000, 0);
            assertEquals(zeros, pool.map(gated, zeros, 1));
            assertEquals(range(1, 101), pool.map(inc, range(0, 100), 1));
            AsyncResult<Integer> blocker = pool.applyAsync(gated, 1);
            AsyncResult<Integer> shortOne = pool.applyAsync(quick, arg);
            AsyncResult<Integer> longOne = pool.applyAsync(gated, 2);
            try {
                Thread.sleep(200); // both are in the worker's pipe behind the blocker
                gates.set(1);      // the blocker ends; the short task runs, then the long one
                assertEquals(1, blocker.get(Timeouts.MEDIUM));
                assertEquals(expected, shortOne.get(Timeouts.MEDIUM)); // while the long one still runs
                assertFalse(longOne.isReady());
            } finally {
                gates.set(2);
            }
            assertEquals(2, longOne.get(Timeouts.MEDIUM));
        }
    }

    @Test
    void shouldYieldImapResultsInOrderAndUnorderedOnesAll() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            List<Integer> in = range(0, 300);
            List<Integer> expected = in.stream().map(ProcessPoolIT::cube).collect(Collectors.toList());
            for (int chunk : new int[] {1, 10, 1000}) {
                List<Integer> got = new ArrayList<>();
                pool.<Integer, Integer>imap(ProcessPoolIT::cube, in, chunk).forEachRemaining(got::add);
                assertEquals(expected, got);
                List<Integer> un = new ArrayList<>();
                pool.<Integer, Integer>imapUnordered(ProcessPoolIT::cube, in, chunk).forEachRemaining(un::add);
                assertEquals(new HashSet<>(expected), new HashSet<>(un));
                assertEquals(expected.size(), un.size());
            }
            List<Integer> got = new ArrayList<>();
            pool.<Integer, Integer>imap(ProcessPoolIT::cube, in.stream()).forEachRemaining(got::add);
            assertEquals(expected, got);
            ResultIterator<Integer> it = pool.imap(ProcessPoolIT::cube, List.of(2));
            assertEquals(8, it.next(Timeouts.MEDIUM));
            assertFalse(it.hasNext());
            assertThrows(java.util.NoSuchElementException.class, it::next);
        }
    }

    @Test
    void shouldThrowAnUnserializableInputFromTheIteratorAndKeepTheResultsBeforeIt() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            List<Object> in = new ArrayList<>(List.of(1, 2, 3));
            in.add(new NotSerializable());
            ResultIterator<Object> it = pool.imap(x -> x, in.iterator());
            List<Object> got = new ArrayList<>();
            SerializationException e = assertThrows(SerializationException.class, () -> {
                while (it.hasNext()) {
                    got.add(it.next(Timeouts.MEDIUM));
                }
            });
            assertTrue(e.getMessage().contains(NotSerializable.class.getName()), e.getMessage());
            assertEquals(List.of(1, 2, 3), got.subList(0, Math.min(3, got.size())));
        }
    }

    @Test
    void shouldReadAnEndlessInputLazily() throws Exception {
        AtomicLong pulled = new AtomicLong();
        Iterator<Integer> endless = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                pulled.incrementAndGet();
                return i++;
            }
        };
        try (ProcessPool pool = new ProcessPool(new ProcessPool.Options().workers(2).maxInFlight(8))) {
            ResultIterator<Integer> it = pool.imap(x -> x + 1, endless);
            for (int i = 0; i < 5000; i++) {
                assertEquals(i + 1, it.next(Timeouts.MEDIUM));
            }
            long bound = 5000 + 9L * ProcessPool.MAX_ADAPTIVE_CHUNK; // 8 chunks in flight and the one being read
            assertTrue(pulled.get() <= bound, "pulled " + pulled.get() + " inputs, more than " + bound);
            ResultIterator<Integer> un = pool.imapUnordered(x -> x, Stream.iterate(0, x -> x + 1));
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                seen.add(un.next(Timeouts.MEDIUM));
            }
            assertEquals(1000, seen.size());
            pool.terminate(); // the endless iterators hold work: stop now
            assertThrows(CancellationException.class, () -> {
                while (true) {
                    it.next();
                }
            });
            assertTrue(pool.join(Timeouts.MEDIUM));
        }
    }

    @Test
    void shouldTimeOutNextAndGetWithoutLosingTheResult() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            AsyncResult<Integer> slow = pool.applyAsync(x -> {
                Thread.sleep(1500);
                return x;
            }, 7);
            assertThrows(TimeoutException.class, () -> slow.get(Duration.ofMillis(50)));
            assertFalse(slow.await(Duration.ofMillis(10)));
            assertThrows(IllegalStateException.class, slow::isSuccessful);
            assertEquals(7, slow.get(Timeouts.MEDIUM));
            ResultIterator<Integer> it = pool.imap(x -> {
                Thread.sleep(1000);
                return x;
            }, List.of(1, 2), 1);
            assertThrows(TimeoutException.class, () -> it.next(Duration.ofMillis(50)));
            assertEquals(1, it.next(Timeouts.MEDIUM));
            assertEquals(2, it.next(Timeouts.MEDIUM));
        }
    }

    @Test
    void shouldRunTheInitializerOnceInEachWorker() throws Exception {
        ProcessPool.Options o = new ProcessPool.Options().workers(2)
                .initializer(() -> System.setProperty("pool.init", "done-" + ProcessHandle.current().pid()));
        try (ProcessPool pool = new ProcessPool(o)) {
            List<String> marks = pool.map(x -> System.getProperty("pool.init"), range(0, 50), 1);
            for (String m : marks) {
                assertTrue(m != null && m.startsWith("done-"), m);
            }
        }
    }

    @Test
    void shouldReplaceAWorkerAfterItsTasks() throws Exception {
        try (ProcessPool pool = new ProcessPool(new ProcessPool.Options().workers(1).tasksPerWorker(2))) {
            List<Long> pids = pool.map(ProcessPoolIT::pid, range(0, 6), 1);
            assertEquals(pids.get(0), pids.get(1));
            assertEquals(pids.get(2), pids.get(3));
            assertEquals(pids.get(4), pids.get(5));
            assertEquals(3, new HashSet<>(pids).size(), pids.toString());
        }
    }

    @Test
    void shouldRefuseWorkOnceShutDownOrTerminated() throws Exception {
        ProcessPool pool = new ProcessPool(1);
        AsyncResult<Integer> r = pool.applyAsync(x -> {
            Thread.sleep(300);
            return x;
        }, 3);
        pool.shutdown();
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(x -> x, 1));
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
        assertTrue(pool.join(Timeouts.MEDIUM));
        assertEquals(3, r.get(Duration.ZERO), "shutdown finishes the submitted work");
        pool.terminate();
        pool.close();
        ProcessPool running = new ProcessPool(1);
        try {
            assertThrows(IllegalStateException.class, () -> running.join(Duration.ZERO));
        } finally {
            running.close();
        }
    }

    @Test
    void shouldCancelEverythingPendingOnTerminate() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            AsyncResult<List<Integer>> m = pool.mapAsync(x -> {
                Thread.sleep(10_000);
                return x;
            }, range(0, 10), 1);
            AsyncResult<Integer> a = pool.applyAsync(x -> x, 1);
            Thread.sleep(300);
            List<Long> pids = pool.workerPids();
            pool.terminate();
            assertThrows(CancellationException.class, () -> m.get(Timeouts.MEDIUM));
            assertTrue(pool.join(Timeouts.MEDIUM));
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid);
            }
            assertTrue(a.isReady());
            assertThrows(IllegalStateException.class, () -> pool.applyAsync(x -> x, 1));
        }
    }

    @Test
    void shouldStartManyPoolsOneAfterAnother() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (ProcessPool pool = new ProcessPool(2)) {
                assertEquals(i * i * i, pool.apply(ProcessPoolIT::cube, i));
            }
        }
        CompletionException unused = null;
        assertTrue(unused == null);
    }
}
