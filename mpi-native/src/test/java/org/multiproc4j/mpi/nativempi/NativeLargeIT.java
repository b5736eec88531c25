package org.multiproc4j.mpi.nativempi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.mpi.contract.Mpirun;
import org.multiproc4j.mpi.local.LargeMain;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * A buffer message of more than 2 GiB on the native backend: sent in 1 GiB pieces (MPI's counts are {@code int}s),
 * received whole ({@link LargeMain}: (2^28 + 3) longs), about 2 GiB per rank; and v-collectives with a block above
 * 2 GiB ({@link VLargeMain}), about 4 GiB per rank.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class NativeLargeIT {

    @Test
    void shouldSendALongArrayOfMoreThanTwoGibibytes() throws Exception {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> why.get());
        Mpirun.Result r = NativeJobs.mpirun(2).jvmFlags("-Xmx3g").timeout(Timeouts.scaled(Duration.ofMinutes(4)))
                .run(LargeMain.class);
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.output().contains("OK " + 8L * ((1 << 28) + 3) + " bytes"), r.describe());
    }

    @Test
    void shouldRunVCollectivesOfMoreThanTwoGibibytesWithABlockAboveTwoGibibytes() throws Exception {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> why.get());
        Mpirun.Result r = NativeJobs.mpirun(2).jvmFlags("-Xmx5g").timeout(Timeouts.scaled(Duration.ofMinutes(4)))
                .run(VLargeMain.class);
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.lines().contains("OK vlarge"), r.describe());
    }
}
