package org.multiproc4j.mpi.contract;

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
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** {@link Mpirun} under the real {@code mpirun}, with plain Java mains (no MPI calls): skipped where there is none. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MpirunIT {

    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @Test
    void shouldRunEveryRankAndReturnItsOutputAndStatus() throws Exception {
        Mpirun.Result r = Mpirun.ranks(3).env("MPIRUN_IT_GREETING", "hi").timeout(Timeouts.LONG).run(PrintMain.class,
                "0");
        assertEquals(0, r.status(), r.describe());
        for (int rank = 0; rank < 3; rank++) {
            assertTrue(r.lines().contains("hi from rank " + rank + " of 3"), r.describe());
        }
        Mpirun.Result failed = Mpirun.ranks(1).timeout(Timeouts.LONG).run(PrintMain.class, "7");
        assertEquals(7, failed.status(), failed.describe());
    }

    @Test
    void shouldKillTheWholeJobOnTimeout() throws Exception {
        Mpirun.Result r = Mpirun.ranks(2).timeout(Duration.ofSeconds(5)).run(SleepMain.class);
        assertTrue(r.timedOut(), r.describe());
        assertEquals(-1, r.status(), r.describe());
        // before the kill, a thread dump of each rank's JVM, showing where it hung
        assertEquals(2, r.output().split("\\[Mpirun: thread dump of java process \\d+\\]", -1).length - 1,
                r.describe());
        assertEquals(2, r.output().split("MpirunIT\\$SleepMain\\.main", -1).length - 1, r.describe());
        // LeakCheck fails the test if a rank or mpirun survived
    }

    /** Prints a greeting naming Open MPI's rank variables, then exits with the status given. */
    public static final class PrintMain {
        private PrintMain() {
        }

        /**
         * Prints and exits.
         *
         * @param args the exit status.
         */
        public static void main(String[] args) {
            System.out.println(System.getenv("MPIRUN_IT_GREETING") + " from rank " + System.getenv("OMPI_COMM_WORLD_RANK")
                    + " of " + System.getenv("OMPI_COMM_WORLD_SIZE"));
            System.out.flush();
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /** Sleeps for ever. */
    public static final class SleepMain {
        private SleepMain() {
        }

        /**
         * Sleeps.
         *
         * @param args ignored.
         * @throws InterruptedException never in practice.
         */
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
