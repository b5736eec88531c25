package org.multiproc4j.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.internal.ProcStat;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.test.LeakCheck;

/**
 * {@link PeerWatch} gives {@link ProcessIdentity#isAlive}'s answers from a {@code /proc} file it keeps open: a live
 * process reads alive look after look, a killed and reaped one dead, a zombie dead, a token whose start stamp is
 * not the process's dead, and this process alive.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class PeerWatchTest {

    @Test
    void shouldSeeAProcessAliveUntilItIsKilled() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try (PeerWatch watch = new PeerWatch()) {
            long token = ProcessIdentity.tokenOf(p.pid());
            assertTrue(token != 0);
            for (int i = 0; i < 3; i++) {
                assertTrue(watch.isAlive(token), "look " + i);
                assertTrue(watch.isAlive(token | ProcessIdentity.FLAG), "look " + i + " with the flag set");
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));   // reaped: its open stat file no longer reads
            assertFalse(watch.isAlive(token));
            assertFalse(watch.isAlive(token));
            assertEquals(ProcessIdentity.isAlive(token), watch.isAlive(token));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldSeeAZombieDead() throws Exception {
        assumeTrue(ProcStat.AVAILABLE, "no /proc here");
        // the shell starts a short sleep, prints its pid, then becomes a long sleep that never reaps it
        Process p = new ProcessBuilder("sh", "-c", "sleep 1 & echo $!; exec sleep 60").start();
        try (PeerWatch watch = new PeerWatch();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                     StandardCharsets.US_ASCII))) {
            long pid = Long.parseLong(out.readLine().trim());
            long token = ProcessIdentity.tokenOf(pid);
            assumeTrue(token != 0, "the short sleep ended before it was looked at");
            assertTrue(watch.isAlive(token));               // opens its stat file
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (watch.isAlive(token) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(watch.isAlive(token), "a zombie counts as dead");
            assertFalse(ProcessIdentity.isAlive(token));
        } finally {
            p.destroyForcibly().waitFor();                  // the zombie goes to init, which reaps it
        }
    }

    @Test
    void shouldSeeAnotherStartStampAndThisProcessAsTheyAre() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        PeerWatch watch = new PeerWatch();
        try {
            long token = ProcessIdentity.tokenOf(p.pid());
            long stamp = ProcessIdentity.stampOf(p.pid(), false);
            assertFalse(watch.isAlive(ProcessIdentity.token(p.pid(), stamp + 1)), "a pid reused by another process");
            assertTrue(watch.isAlive(token));
            assertTrue(watch.isAlive(ProcessIdentity.SELF_TOKEN));
            assertFalse(watch.isAlive(0L));
            watch.close();
            assertTrue(watch.isAlive(token), "after close it asks ProcessIdentity");
        } finally {
            watch.close();
            p.destroyForcibly().waitFor();
        }
    }
}
