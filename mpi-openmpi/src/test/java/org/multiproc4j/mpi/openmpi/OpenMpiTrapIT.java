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
 * The cases where Open MPI's Java bindings return wrong data or crash with Java arrays ({@link TrapMain}), 1,000
 * rounds under {@code mpirun -n 4}: correct data on every rank, no crash, memory flat (the raw bindings leak about
 * 0.5 MiB per scatter, which would be 1 GiB over these rounds).
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class OpenMpiTrapIT {
    private static final long MAX_GROWTH_MIB = 64;

    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @Test
    void shouldGetCorrectDataWithFlatMemoryWhereTheRawBindingsFail() throws Exception {
        int ranks = 4;
        Mpirun.Result run = Mpirun.ranks(ranks).timeout(Timeouts.scaled(Duration.ofMinutes(4)))
                // a heap of fixed size, touched at start: the resident size then grows only by native memory
                .jvmFlags("-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch").run(TrapMain.class, "1000");
        assertEquals(0, run.status(), run.describe());
        for (int r = 0; r < ranks; r++) {
            String prefix = "TRAPS OK rank " + r + " ";
            String line = run.lines().stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
            assertTrue(line != null, "rank " + r + " did not finish:\n" + run.describe());
            String[] f = line.split(" ");
            long rss = Long.parseLong(f[5]);
            long direct = Long.parseLong(f[7]);
            assertTrue(rss < MAX_GROWTH_MIB && direct < MAX_GROWTH_MIB, "memory grew on rank " + r + ": " + line
                    + "\n" + run.describe());
        }
    }
}
