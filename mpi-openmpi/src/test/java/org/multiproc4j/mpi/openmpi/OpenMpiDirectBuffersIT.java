package org.multiproc4j.mpi.openmpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.mpi.contract.Mpirun;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * The collectives that hand direct buffers to MPI unstaged ({@link DirectBuffersMain}: {@code bcast} and the
 * reductions with built-in operations, ranks mixing direct buffers and arrays), under {@code mpirun -n 3}.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenMpiDirectBuffersIT {
    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @Test
    void shouldBroadcastAndReduceDirectBufferRunsAtOffsetsLeavingTheRestUntouched() throws Exception {
        int ranks = 3;
        Mpirun.Result run = Mpirun.ranks(ranks).timeout(Timeouts.scaled(Duration.ofMinutes(2))).run(DirectBuffersMain.class);
        assertEquals(0, run.status(), run.describe());
        for (int r = 0; r < ranks; r++) {
            String line = "DIRECT OK rank " + r;
            assertTrue(run.lines().contains(line), "rank " + r + " did not finish:\n" + run.describe());
        }
    }
}
