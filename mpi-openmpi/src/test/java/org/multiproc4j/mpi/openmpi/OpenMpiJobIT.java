package org.multiproc4j.mpi.openmpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.mpi.contract.ExitMidJobMain;
import org.multiproc4j.mpi.contract.Mpirun;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** A job under {@code mpirun}: the openmpi backend is chosen, and an uncaught exception aborts the job promptly. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenMpiJobIT {

    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @Test
    void shouldChooseTheOpenMpiBackendUnderMpirun() throws Exception {
        Mpirun.Result run = Mpirun.ranks(2).timeout(Timeouts.LONG).run(BackendMain.class);
        assertEquals(0, run.status(), run.describe());
        assertTrue(run.lines().contains("backend openmpi rank 0 of 2"), run.describe());
        assertTrue(run.lines().contains("backend openmpi rank 1 of 2"), run.describe());
    }

    @Test
    void shouldAbortTheJobOnAnUncaughtExceptionNamingTheRank() throws Exception {
        Mpirun.Result run = Mpirun.ranks(3).timeout(Timeouts.LONG).run(BackendMain.class, "boom on purpose");
        long ended = System.currentTimeMillis();
        assertFalse(run.timedOut(), run.describe());
        assertNotEquals(0, run.status(), run.describe());
        assertTrue(run.output().contains("rank 1 failed: uncaught java.lang.IllegalStateException: boom on purpose"),
                run.describe());
        // mpirun ended the job within 5 s of the failure (scaled for a loaded machine)
        long failedAt = run.lines().stream().filter(l -> l.startsWith("failing at ")).mapToLong(l -> Long.parseLong(
                l.substring("failing at ".length()))).findFirst().orElseThrow();
        assertTrue(ended - failedAt < Timeouts.scaled(Duration.ofSeconds(5)).toMillis(), "ended " + (ended - failedAt)
                + " ms after the failure\n" + run.describe());
    }

    @Test
    void shouldEndTheJobWhenARankExitsWithItsSessionOpenAndFinalizeWhenItWasClosed() throws Exception {
        Mpirun.Result mid = Mpirun.ranks(2).timeout(Timeouts.LONG).run(ExitMidJobMain.class);
        assertFalse(mid.timedOut(), "the job hung in MPI_Finalize\n" + mid.describe());
        assertEquals(3, mid.status(), mid.describe());
        assertTrue(mid.output().contains("rank 1: the JVM exits while its MPI session is open"), mid.describe());
        Mpirun.Result closed = Mpirun.ranks(2).timeout(Timeouts.LONG).run(ExitMidJobMain.class, "closed");
        assertEquals(0, closed.status(), closed.describe());
        assertTrue(closed.lines().containsAll(List.of("rank 0 closed", "rank 1 closed")), closed.describe());
    }
}
