package org.multiproc4j.mpi.openmpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.mpi.contract.CommContract;
import org.multiproc4j.mpi.contract.ContractMain;
import org.multiproc4j.mpi.contract.Mpirun;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * The thread levels ({@link OpenMpiSession#THREADS_PROP}) under {@code mpirun -n 2}: {@link ThreadLevelMain} at
 * both, and the bridge's whole contract at {@code single}.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OpenMpiThreadLevelIT {
    private static final String SINGLE = "-D" + OpenMpiSession.THREADS_PROP + "=single";

    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @Test
    void shouldRefuseASecondThreadAtSingleWithAClearError() throws Exception {
        level(Mpirun.ranks(2).jvmFlags(SINGLE), "single");
    }

    @Test
    void shouldServeASecondThreadAtMultiple() throws Exception {
        level(Mpirun.ranks(2), "multiple");
    }

    @Test
    void shouldKeepTheWholeContractAtSingle() throws Exception {
        Mpirun.Result run = Mpirun.ranks(2).jvmFlags(SINGLE).timeout(Timeouts.scaled(Duration.ofMinutes(3)))
                .run(ContractMain.class);
        for (String name : CommContract.CASES.keySet()) {
            assertEquals(1, Collections.frequency(run.lines(), "PASS " + name), "case " + name
                    + " did not pass at single:\n" + run.describe());
        }
        assertEquals(0, run.status(), run.describe());
    }

    @Test
    void shouldRefuseAnUnknownLevelNamingIt() {
        org.multiproc4j.mpi.MpiException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.multiproc4j.mpi.MpiException.class, () -> OpenMpiSession.singleThreaded("funneled"));
        assertTrue(e.getMessage().contains(OpenMpiSession.THREADS_PROP) && e.getMessage().contains("\"funneled\""),
                e.getMessage());
        assertTrue(OpenMpiSession.singleThreaded(" Single "));
        assertTrue(!OpenMpiSession.singleThreaded(null) && !OpenMpiSession.singleThreaded("multiple"));
    }

    private static void level(Mpirun mpirun, String level) throws Exception {
        Mpirun.Result run = mpirun.timeout(Timeouts.scaled(Duration.ofMinutes(2))).run(ThreadLevelMain.class);
        assertEquals(0, run.status(), run.describe());
        for (int r = 0; r < 2; r++) {
            assertTrue(run.lines().contains("LEVEL OK " + level + " rank " + r), "rank " + r + ":\n" + run.describe());
        }
    }
}
