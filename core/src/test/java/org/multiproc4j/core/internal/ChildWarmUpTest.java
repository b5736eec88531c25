package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.spi.ChildWarmUp;

/**
 * The modules' warm-ups run from the no-op task in a training JVM only (not in spares, where they would compete
 * for the CPU with the work that launched the spare: spares call the lighter {@link ChildWarmUp#prepare()}, see
 * {@code WarmSpareIT}); one that throws does not stop the others.
 */
class ChildWarmUpTest {
    static final AtomicInteger RUNS = new AtomicInteger();

    /** A warm-up that counts its runs. */
    public static final class Counting implements ChildWarmUp {
        /** Found by the ServiceLoader. */
        public Counting() {
        }

        @Override
        public void warmUp() {
            RUNS.incrementAndGet();
        }

        /** Counts in a system property, which a task run in the same JVM reads. */
        @Override
        public void prepare() {
            System.setProperty(PREPARED_PROP, Integer.toString(Integer.getInteger(PREPARED_PROP, 0) + 1));
        }

        /** Notes the class it was asked to rehearse in a system property, which a task run in the same JVM reads. */
        @Override
        public void rehearse(String taskClass) {
            System.setProperty("multiproc4j.test.rehearsed", taskClass);
        }
    }

    /** The system property {@link Counting#prepare()} counts in. */
    public static final String PREPARED_PROP = "multiproc4j.test.prepared";

    /** A warm-up that fails. */
    public static final class Failing implements ChildWarmUp {
        /** Found by the ServiceLoader. */
        public Failing() {
        }

        @Override
        public void warmUp() throws Exception {
            RUNS.incrementAndGet();
            throw new Exception("a failing warm-up");
        }
    }

    private static void runTrainingTask() throws Exception {
        Object task = TaskWire.decodeTask(TaskWire.trainingTask(), ClassLoader.getSystemClassLoader(),
                new java.util.ArrayList<AutoCloseable>());
        ((java.util.concurrent.Callable<?>) task).call();
    }

    @Test
    void theTrainingTaskRunsEveryProviderInATrainingJvmAndIgnoresFailures() throws Exception {
        int before = RUNS.get();
        ChildMain.training(true);
        try {
            runTrainingTask();
        } finally {
            ChildMain.training(false);
        }
        assertEquals(before + 2, RUNS.get(), "the failing provider ran, and the one after it too");
    }

    @Test
    void initializeLoadsAndInitializesTheNamedClassesAndSkipsMissingOnes() {
        int n = ChildWarmUp.initialize(getClass().getClassLoader(), java.util.List.of(
                Initialized.class.getName(), "org.multiproc4j.no.such.Class", "java.util.concurrent.ConcurrentHashMap"));
        assertEquals(2, n, "two of the three exist");
        assertEquals("yes", System.getProperty("multiproc4j.test.initialized"), "the static initializer ran");
    }

    /** A class whose initialization shows. */
    static final class Initialized {
        static {
            System.setProperty("multiproc4j.test.initialized", "yes");
        }

        private Initialized() {
        }
    }

    @Test
    void aSpareCountsTheMachinesRunnableThreadsItselfIncluded() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/loadavg")));
        org.junit.jupiter.api.Assertions.assertTrue(ChildMain.runnableThreads() >= 1, "this thread runs");
    }

    @Test
    void elsewhereTheNoOpTaskRunsNone() throws Exception {
        int before = RUNS.get();
        runTrainingTask();
        assertEquals(before, RUNS.get(), "a spare's warm-up (the same no-op task) runs no provider");
    }
}
