package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.spi.ChildWarmUp;

/** The modules' warm-ups run from the no-op training task; one that throws does not stop the others. */
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
    }

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

    @Test
    void theTrainingTaskRunsEveryProviderAndIgnoresFailures() throws Exception {
        int before = RUNS.get();
        Object task = TaskWire.decodeTask(TaskWire.trainingTask(), ClassLoader.getSystemClassLoader(),
                new java.util.ArrayList<AutoCloseable>());
        ((java.util.concurrent.Callable<?>) task).call();
        assertEquals(before + 2, RUNS.get(), "the failing provider ran, and the one after it too");
    }
}
