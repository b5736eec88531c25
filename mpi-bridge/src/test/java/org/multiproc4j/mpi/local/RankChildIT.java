package org.multiproc4j.mpi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

/**
 * A JVM that a rank starts does not inherit the rank's place in the job; the ranks run the launcher's default
 * garbage collector.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RankChildIT {

    @Test
    void shouldMakeARanksChildAJobOfItsOwn() throws Exception {
        JobRun run = JobRun.of(2, RankChildMain.class);
        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().contains("rank 0 of 2: child's world has 1"), run.output());
        assertTrue(run.output().contains("rank 1 of 2: child's world has 1"), run.output());
        // MpiLauncher.DEFAULT_GC: the parallel collector's young collector is "PS Scavenge"
        assertTrue(run.output().contains("rank 0 collector: PS Scavenge"), run.output());
        assertTrue(run.output().contains("rank 1 collector: PS Scavenge"), run.output());
    }
}
