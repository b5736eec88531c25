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
 * Point to point with the element type in the MPI tag ({@link TagsMain}) under {@code mpirun -n 2}: receives by tag
 * past other tags' messages, wildcards reporting the user's tag, probes, nonblocking receives, tags at and past the
 * end of the MPI tag space, mismatch and truncation errors, direct buffers sent in place, and MPI's order.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenMpiTagsIT {
    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @Test
    void shouldMatchTagsAndTypesCarriedInTheMpiTag() throws Exception {
        int ranks = 2;
        Mpirun.Result run = Mpirun.ranks(ranks).timeout(Timeouts.scaled(Duration.ofMinutes(2))).run(TagsMain.class);
        assertEquals(0, run.status(), run.describe());
        for (int r = 0; r < ranks; r++) {
            assertTrue(run.lines().contains("TAGS OK rank " + r), "rank " + r + " did not finish:\n" + run.describe());
        }
    }
}
