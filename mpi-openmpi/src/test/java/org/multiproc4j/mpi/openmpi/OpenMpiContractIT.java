package org.multiproc4j.mpi.openmpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Collections;
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

/**
 * The bridge's communicator contract, unchanged, on the openmpi backend under the real {@code mpirun} with 1 to 4
 * ranks (4 oversubscribe 2 cores here): one {@code mpirun} per rank count runs every case.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class OpenMpiContractIT {

    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldKeepTheWholeContract(int ranks) throws Exception {
        check(ranks, Mpirun.ranks(ranks));
    }

    /** The same on the newest other JDK of 22 or later on this machine (Temurin 25 here): 2 and 4 ranks. */
    @ParameterizedTest(name = "{0} ranks, newer JDK")
    @ValueSource(ints = {2, 4})
    void shouldKeepTheWholeContractOnANewerJdk(int ranks) throws Exception {
        Optional<Path> home = OtherJdk.newest(22);
        Assumptions.assumeTrue(home.isPresent(), "skipped: no JDK 22 or later besides the running one (set "
                + OtherJdk.ENV + ")");
        check(ranks, Mpirun.ranks(ranks).javaHome(home.get()));
    }

    private static void check(int ranks, Mpirun mpirun) throws Exception {
        Mpirun.Result run = mpirun.timeout(Timeouts.scaled(java.time.Duration.ofMinutes(3))).run(ContractMain.class);
        for (String name : CommContract.CASES.keySet()) {
            // exactly once: one job whose rank 0 reports (a rank that fell back to the local backend would be a
            // job of its own and report too)
            assertEquals(1, Collections.frequency(run.lines(), "PASS " + name), "case " + name + " did not pass on "
                    + ranks + " ranks:\n" + run.describe());
        }
        assertEquals(0, run.status(), run.describe());
    }
}
