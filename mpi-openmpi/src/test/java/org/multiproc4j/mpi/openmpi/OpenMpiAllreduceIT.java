package org.multiproc4j.mpi.openmpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiproc4j.mpi.contract.Mpirun;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Large {@code allreduce}s through the communicator's shared-memory area ({@link AllreduceMain}) under
 * {@code mpirun -n 2} and {@code -n 3} (oversubscribed on two cores): every element type with every built-in
 * operation, five buffer forms, the same bits as the rank-order fold on every rank, bcasts and scatters through the
 * same area in between, and nothing left in {@code /dev/shm} (the extension checks).
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenMpiAllreduceIT {
    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void shouldReduceEveryTypeAndBuiltinOperationThroughTheNodeArea(int ranks) throws Exception {
        Mpirun.Result run = Mpirun.ranks(ranks).timeout(Timeouts.scaled(Duration.ofMinutes(3)))
                .run(AllreduceMain.class);
        assertEquals(0, run.status(), run.describe());
        for (int r = 0; r < ranks; r++) {
            int rank = r;
            assertTrue(run.lines().stream().anyMatch(l -> l.startsWith("ALLREDUCE OK rank " + rank + " ")),
                    "rank " + r + " did not finish:\n" + run.describe());
        }
    }
}
