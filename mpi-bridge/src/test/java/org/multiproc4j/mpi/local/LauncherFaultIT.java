package org.multiproc4j.mpi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

/**
 * A failing rank ends the whole job, non-zero, with one line naming it, while the other ranks wait for it in a
 * receive that would otherwise never end. (The 5 s promise is measured by the timings these tests print, not
 * asserted: the machine may be loaded.)
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherFaultIT {

    @Test
    void shouldEndTheJobWhenARankThrows() throws Exception {
        JobRun run = JobRun.of(3, FaultMain.class, "throw");
        System.out.println("throw: job ended in " + run.millis() + " ms");
        assertEquals(1, run.status(), run.output());
        assertTrue(run.output().contains("multiproc4j-mpi: rank 2 failed: java.lang.IllegalStateException: boom on "
                + "purpose; ending the job"), run.output());
    }

    @Test
    void shouldEndTheJobWhenARankIsKilled() throws Exception {
        JobRun run = JobRun.of(2, FaultMain.class, "kill");
        System.out.println("kill: job ended in " + run.millis() + " ms");
        assertEquals(137, run.status(), run.output());
        assertTrue(run.output().contains("multiproc4j-mpi: rank 1 was killed by signal 9"), run.output());
    }

    @Test
    void shouldEndTheJobWithTheStatusOfAnAbort() throws Exception {
        JobRun run = JobRun.of(4, FaultMain.class, "abort");
        System.out.println("abort: job ended in " + run.millis() + " ms");
        assertEquals(3, run.status(), run.output());
        assertTrue(run.output().contains("rank 3 called abort(3)"), run.output());
        assertTrue(run.output().contains("multiproc4j-mpi: rank 3 exited with status 3"), run.output());
    }

    @Test
    void shouldFailTheWaitingRanksWhenAPeerVanishesWithoutFinishing() throws Exception {
        // the vanished rank exits 0, so only its peers can tell: they must fail, not hang
        JobRun run = JobRun.of(2, FaultMain.class, "vanish");
        System.out.println("vanish: job ended in " + run.millis() + " ms");
        assertNotEquals(0, run.status(), run.output());
        assertTrue(run.output().contains("rank 0 saw: rank 1 (pid "), run.output());
        assertTrue(run.output().contains("died without finishing"), run.output());
    }
}
