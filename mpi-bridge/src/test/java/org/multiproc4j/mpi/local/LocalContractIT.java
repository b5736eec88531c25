package org.multiproc4j.mpi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiproc4j.mpi.contract.CommContract;
import org.multiproc4j.mpi.contract.ContractMain;
import org.multiproc4j.test.LeakCheck;

/** The communicator contract on the local backend, with 1, 2, 3 and 4 ranks (4 oversubscribe 2 cores here). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LocalContractIT {

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldKeepTheWholeContract(int ranks) throws Exception {
        JobRun run = JobRun.of(ranks, ContractMain.class);
        for (String name : CommContract.CASES.keySet()) {
            assertTrue(run.lines().contains("PASS " + name), "case " + name + " did not pass on " + ranks
                    + " ranks:\n" + run.output());
        }
        assertEquals(0, run.status(), run.output());
    }
}
