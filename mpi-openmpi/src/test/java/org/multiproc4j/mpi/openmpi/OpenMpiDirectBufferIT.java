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

/** {@code bcast} of direct buffers, which go to MPI unstaged ({@link DirectBcastMain}), under {@code mpirun -n 3}. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenMpiDirectBufferIT {
    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @Test
    void shouldBroadcastADirectBufferRunAtAnOffsetLeavingTheRestUntouched() throws Exception {
        int ranks = 3;
        Mpirun.Result run = Mpirun.ranks(ranks).timeout(Timeouts.scaled(Duration.ofMinutes(2))).run(DirectBcastMain.class);
        assertEquals(0, run.status(), run.describe());
        for (int r = 0; r < ranks; r++) {
            String line = "DIRECT BCAST OK rank " + r;
            assertTrue(run.lines().contains(line), "rank " + r + " did not finish:\n" + run.describe());
        }
    }
}
