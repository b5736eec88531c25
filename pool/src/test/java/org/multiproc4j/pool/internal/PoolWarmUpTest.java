package org.multiproc4j.pool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.spi.ChildWarmUp;
import org.multiproc4j.test.LeakCheck;

/** The pool's warm-up for the class-data archive: its class list is current, its loop really runs, nothing stays. */
@ExtendWith(LeakCheck.class)
class PoolWarmUpTest {

    @Test
    void everyListedClassExists() throws Exception {
        ClassLoader loader = PoolWarmUp.class.getClassLoader();
        for (String name : PoolWarmUp.CLASSES) {
            assertEquals(name, Class.forName(name, false, loader).getName()); // throws if renamed or removed
        }
    }

    @Test
    void theLoopAnswersATaskAndAChunkAndLeavesNoThread() throws Exception {
        List<Object> results = PoolWarmUp.Loop.exercise();
        assertEquals(2, results.size());
        assertEquals(27, results.get(0));
        assertArrayEquals(new Object[] {1, 8, 27, 64}, (Object[]) results.get(1));
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith("multiproc4j-pool-"), "a warm-up thread is left: " + t.getName());
        }
    }

    @Test
    void theRehearsalDecodesAWorkerAttachesItsPipeAndCounterAndLeavesNothing() throws Exception {
        List<Object> results = PoolWarmUp.Loop.rehearse();
        assertEquals(2, results.size());
        assertEquals(27, results.get(0));
        assertArrayEquals(new Object[] {1, 8, 27, 64}, (Object[]) results.get(1));
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith("multiproc4j-pool-"), "a rehearsal thread is left: " + t.getName());
        }
        // LeakCheck: no segment of the pipe or the counter stays in /dev/shm
    }

    @Test
    void onlyAWorkersClassIsRehearsed() throws Exception {
        new PoolWarmUp.Loop().rehearse("org.example.SomethingElse"); // returns at once, nothing opened
        new PoolWarmUp.Loop().rehearse(WorkerMain.class.getName());
    }

    @Test
    void theServiceLoaderFindsEveryStepAndEachRuns() throws Exception {
        List<String> found = new ArrayList<>();
        for (ChildWarmUp w : ServiceLoader.load(ChildWarmUp.class, PoolWarmUp.class.getClassLoader())) {
            if (w.getClass().getName().startsWith(PoolWarmUp.class.getName())) {
                found.add(w.getClass().getSimpleName());
                w.warmUp(); // a step that throws fails here; in the training JVM it would be ignored
            }
        }
        assertEquals(List.of("PoolWarmUp", "Loop"), found);
    }
}
