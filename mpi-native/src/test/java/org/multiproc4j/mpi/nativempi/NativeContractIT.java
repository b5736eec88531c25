package org.multiproc4j.mpi.nativempi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiproc4j.mpi.contract.CommContract;
import org.multiproc4j.mpi.contract.ContractMain;
import org.multiproc4j.mpi.contract.Mpirun;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** The bridge's communicator contract, unchanged, on the native backend under the real mpirun with 1 to 4 ranks. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class NativeContractIT {

    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> why.get());
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldKeepTheWholeContract(int ranks) throws Exception {
        Mpirun.Result r = NativeJobs.mpirun(ranks).timeout(Timeouts.scaled(java.time.Duration.ofMinutes(3)))
                .run(ContractMain.class);
        for (String name : CommContract.CASES.keySet()) {
            assertTrue(r.lines().contains("PASS " + name), "case " + name + " did not pass on " + ranks + " ranks:\n"
                    + r.describe());
        }
        assertEquals(0, r.status(), r.describe());
    }
}
