package org.multiproc4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** A pool's parent killed with {@code kill -9} takes its workers with it (LeakCheck: and leaves no segment). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParentKillIT {

    static void poolOwner(Connection report) throws Exception {
        ProcessPool pool = new ProcessPool(2);
        pool.map(x -> x, List.of(1, 2, 3, 4), 1); // both workers up and attached
        report.send(pool.workerPids().stream().mapToLong(Long::longValue).toArray());
        Thread.sleep(600_000);
    }

    @Test
    void shouldTakeTheWorkersWithAParentKilledWithSigkill() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection theirs = pipe.second();
            JvmProcess owner = new JvmProcess(() -> poolOwner(theirs)).start();
            theirs.close();
            long[] workers = (long[]) pipe.first().recv(Timeouts.LONG);
            assertEquals(2, workers.length);
            ProcessHandle.of(owner.pid()).orElseThrow().destroyForcibly();
            owner.join(Timeouts.MEDIUM);
            long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
            for (long w : workers) {
                while (ProcessHandle.of(w).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertFalse(ProcessHandle.of(w).map(ProcessHandle::isAlive).orElse(false), "worker " + w + " outlived");
            }
            owner.close();
            Thread.sleep(Duration.ofMillis(100).toMillis());
        }
    }
}
