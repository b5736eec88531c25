package org.multiproc4j.mpi.nativempi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.mpi.contract.ContractMain;
import org.multiproc4j.mpi.contract.ExitMidJobMain;
import org.multiproc4j.mpi.contract.Mpirun;
import org.multiproc4j.mpi.local.FaultMain;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** The native backend under the real mpirun: the Java-array traps, threads, an uncaught exception, a missing library. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class NativeJobsIT {
    private static final Duration LIMIT = Timeouts.scaled(Duration.ofMinutes(2));

    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> why.get());
    }

    @Test
    void shouldBeChosenUnderMpirunWithoutBeingNamed() throws Exception {
        Mpirun.Result r = Mpirun.ranks(2).timeout(LIMIT).run(BackendMain.class);
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.lines().contains("backend native rank 0 of 2"), r.describe());
        assertTrue(r.lines().contains("backend native rank 1 of 2"), r.describe());
    }

    @Test
    void shouldStepAsideOnJava17() throws Exception {
        java.nio.file.Path java17 = java.nio.file.Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java17.resolve("bin/java")), "no Java 17 at " + java17);
        // the provider classes are Java 17 class files: loaded, found not to apply, and another backend is chosen
        // (this module's own test classes are Java 22 ones: the main is the bridge's)
        Mpirun.Result r = Mpirun.ranks(1).javaHome(java17).timeout(LIMIT).run(ContractMain.class, "rankAndSize");
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.lines().contains("PASS rankAndSize"), r.describe());
    }

    @Test
    void shouldPassJavaArraysWhereTheBindingsCorruptThem() throws Exception {
        // a fixed, pre-touched heap: the resident memory TrapsMain measures then grows only with native memory
        Mpirun.Result r = NativeJobs.mpirun(4).timeout(LIMIT).jvmFlags("-Xms160m", "-Xmx160m", "-XX:+AlwaysPreTouch")
                .run(TrapsMain.class);
        assertEquals(0, r.status(), r.describe());
        for (int rank = 0; rank < 4; rank++) {
            String prefix = "OK traps rank " + rank + " ";
            assertTrue(r.lines().stream().anyMatch(l -> l.startsWith(prefix)), r.describe());
        }
    }

    @Test
    void shouldMoveMessagesOfEverySizeAroundTheEngineLimits() throws Exception {
        Mpirun.Result r = NativeJobs.mpirun(3).timeout(LIMIT).run(SizesMain.class);
        assertEquals(0, r.status(), r.describe());
        for (int rank = 0; rank < 3; rank++) {
            assertTrue(r.lines().contains("OK sizes rank " + rank), r.describe());
            // the ranks share this node: their large messages went through the outboxes
            assertTrue(r.lines().contains("outbox on rank " + rank), r.describe());
        }
    }

    @Test
    void shouldMoveMessagesOfEverySizeThroughMpiWithoutTheOutboxes() throws Exception {
        // as on several nodes: every message of more than 4,000 bytes goes MPI's way (one MPI_Isend, or RTS and data)
        Mpirun.Result r = NativeJobs.mpirun(3).timeout(LIMIT).jvmFlags("-D" + NativeSession.OUTBOX_PROP + "=false")
                .run(SizesMain.class);
        assertEquals(0, r.status(), r.describe());
        for (int rank = 0; rank < 3; rank++) {
            assertTrue(r.lines().contains("OK sizes rank " + rank), r.describe());
            assertFalse(r.lines().contains("outbox on rank " + rank), r.describe());
        }
    }

    @Test
    void shouldKeepTheContractAtTheSingleThreadLevel() throws Exception {
        // the lowest level the property offers (serialized takes Open MPI's locks as multiple does)
        Mpirun.Result r = NativeJobs.mpirun(2).timeout(LIMIT)
                .jvmFlags("-D" + NativeSession.THREADS_PROP + "=single").run(ContractMain.class);
        assertEquals(0, r.status(), r.describe());
        for (String name : org.multiproc4j.mpi.contract.CommContract.CASES.keySet()) {
            assertTrue(r.lines().contains("PASS " + name), name + ":\n" + r.describe());
        }
    }

    @Test
    void shouldServeSeveralThreadsOfARank() throws Exception {
        Mpirun.Result r = NativeJobs.mpirun(3).timeout(LIMIT).run(ThreadsMain.class);
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.lines().contains("OK threads"), r.describe());
    }

    @Test
    void shouldAbortTheJobNamingTheRankOnAnUncaughtException() throws Exception {
        Mpirun.Result r = NativeJobs.mpirun(2).timeout(LIMIT).run(FaultMain.class, "throw");
        assertFalse(r.timedOut(), r.describe());
        assertNotEquals(0, r.status(), r.describe());
        assertTrue(r.output().contains("multiproc4j-mpi: rank 1 failed: uncaught java.lang.IllegalStateException: "
                + "boom on purpose"), r.describe());
    }

    @Test
    void shouldSayWhichLibraryItLookedForWhenItIsMissing() throws Exception {
        Mpirun.Result r = NativeJobs.mpirun(2).timeout(LIMIT)
                .jvmFlags("-D" + Lib.LIBRARY_PROP + "=/nonexistent/openmpi/libmpi.so").run(FaultMain.class, "throw");
        assertFalse(r.timedOut(), r.describe());
        assertNotEquals(0, r.status(), r.describe());
        assertTrue(r.output().contains("cannot load the MPI C library: tried /nonexistent/openmpi/libmpi.so (no such "
                + "file), named by " + Lib.LIBRARY_PROP), r.describe());
    }

    @Test
    void shouldEndTheJobWhenARankExitsWithItsSessionOpenAndFinalizeWhenItWasClosed() throws Exception {
        Mpirun.Result mid = NativeJobs.mpirun(2).timeout(LIMIT).run(ExitMidJobMain.class);
        assertFalse(mid.timedOut(), "the job hung in MPI_Finalize\n" + mid.describe());
        assertEquals(3, mid.status(), mid.describe());
        assertTrue(mid.output().contains("rank 1: the JVM exits while its MPI session is open"), mid.describe());
        Mpirun.Result closed = NativeJobs.mpirun(2).timeout(LIMIT).run(ExitMidJobMain.class, "closed");
        assertEquals(0, closed.status(), closed.describe());
        assertTrue(closed.lines().containsAll(java.util.List.of("rank 0 closed", "rank 1 closed")), closed.describe());
    }
}
