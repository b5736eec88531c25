package org.multiproc4j.mpi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.mpi.launch.MpiLauncher;
import org.multiproc4j.test.LeakCheck;

/** A buffer message of more than 2 GiB crosses the rings whole (it needs about 5 GiB of memory per rank). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LargeMessageIT {

    @Test
    void shouldSendALongArrayOfMoreThanTwoGibibytes() throws Exception {
        JobRun run = JobRun.of(2, LargeMain.class, new MpiLauncher.Options().jvmOptions("-Xmx5g"));
        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().contains("OK " + 8L * LargeMain.LENGTH + " bytes"), run.output());
    }
}
