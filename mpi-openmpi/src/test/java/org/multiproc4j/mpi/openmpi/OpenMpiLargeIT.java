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
import org.multiproc4j.mpi.local.LargeMain;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Past the size limits under {@code mpirun}: a {@code long[]} of more than 2 GiB from rank 0 to rank 1 (chunked past
 * MPI's int counts), an {@code allreduce} of more than 1 GiB (past the largest staging buffer), and the refusal of
 * an {@code allgatherv} that large.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OpenMpiLargeIT {

    @BeforeAll
    static void needsMpirunAndMemory() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
        long free = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getFreeMemorySize();
        Assumptions.assumeTrue(free > (10L << 30), "skipped: needs 10 GiB of free memory, " + (free >> 20) + " MiB free");
    }

    @Test
    void shouldSendMoreThanTwoGibibytesInOneMessage() throws Exception {
        Mpirun.Result run = Mpirun.ranks(2).timeout(Timeouts.scaled(Duration.ofMinutes(3)))
                .jvmFlags("-Xmx3g", "-XX:MaxDirectMemorySize=3g").run(LargeMain.class);
        assertEquals(0, run.status(), run.describe());
        assertTrue(run.lines().contains("OK " + 8L * ((1 << 28) + 3) + " bytes"), run.describe());
    }

    @Test
    void shouldAllreduceMoreThanOneGibibyteAndRefuseSuchAnAllgatherv() throws Exception {
        Mpirun.Result run = Mpirun.ranks(2).timeout(Timeouts.scaled(Duration.ofMinutes(3)))
                .jvmFlags("-Xmx3g").run(LargeReduceMain.class);
        assertEquals(0, run.status(), run.describe());
        for (int r = 0; r < 2; r++) {
            assertTrue(run.lines().contains("OK rank " + r + " " + 8L * LargeReduceMain.LENGTH + " bytes"),
                    run.describe());
            // an allgatherv into it is refused on every rank alike (none waits for another), naming the size
            assertTrue(run.lines().contains("rank " + r + " refused: allgatherv: the receive buffer spans "
                    + 8L * LargeReduceMain.LENGTH + " bytes, over the openmpi backend's limit of 1073741824 bytes (1 GiB)"
                    + " for allgatherv, which stages each buffer whole through one direct buffer; split it into several"
                    + " calls (send/recv, bcast, scatterv, gatherv and the reductions with built-in operations take any"
                    + " length)"), run.describe());
        }
    }
}
