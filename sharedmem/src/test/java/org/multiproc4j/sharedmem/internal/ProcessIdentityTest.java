package org.multiproc4j.sharedmem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessIdentityTest {

    @Test
    void shouldNameThisProcess() {
        assertEquals(ProcessHandle.current().pid(), ProcessIdentity.SELF_PID);
        assertEquals(ProcessIdentity.SELF_PID, ProcessIdentity.pid(ProcessIdentity.SELF_TOKEN));
        assertTrue(ProcessIdentity.isAlive(ProcessIdentity.SELF_TOKEN));
        assertNotEquals(0, ProcessIdentity.SELF_TOKEN);
    }

    @Test
    void shouldTellALiveProcessFromADeadOneAndFromAReusedPid() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            long stamp = ProcessIdentity.stampOf(p.pid(), false);
            assertTrue(stamp >= 0);
            long token = ProcessIdentity.token(p.pid(), stamp);
            assertTrue(ProcessIdentity.isAlive(token));
            assertFalse(ProcessIdentity.isAlive(ProcessIdentity.token(p.pid(), stamp + 1)), "same pid, other start: another process");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        assertFalse(ProcessIdentity.isAlive(ProcessIdentity.token(p.pid(), ProcessIdentity.stampOf(p.pid(), true))));
    }

    @Test
    void shouldLeaveBit63ForACallersFlagAndNeverBeZero() throws Exception {
        assertEquals(0, ProcessIdentity.SELF_TOKEN & ProcessIdentity.FLAG);
        long flagged = ProcessIdentity.SELF_TOKEN | ProcessIdentity.FLAG;
        assertEquals(ProcessIdentity.SELF_PID, ProcessIdentity.pid(flagged));
        assertTrue(ProcessIdentity.isAlive(flagged), "the flag does not change whom a token names");
        assertEquals("pid " + ProcessIdentity.SELF_PID, ProcessIdentity.describe(flagged));
        for (long stamp : new long[] {0, 1, 0xFFFF_FFFEL, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, -1}) {
            long token = ProcessIdentity.token(1, stamp);
            assertNotEquals(0, token & 0xFFFF_FFFFL, "the start tag is never 0, stamp " + stamp);
            assertEquals(0, token & ProcessIdentity.FLAG);
            assertEquals(1, ProcessIdentity.pid(token));
        }
        assertFalse(ProcessIdentity.isAlive(0));
        assertFalse(ProcessIdentity.isAlive(ProcessIdentity.FLAG));
    }

    @Test
    void shouldNameADeadProcessByPidWithAWordThatReadsDead() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long pid = p.pid();
        p.waitFor();
        long word = ProcessIdentity.identityOf(pid);
        assertNotEquals(0, word);
        assertEquals(pid, ProcessIdentity.pid(word));
        assertFalse(ProcessIdentity.isAlive(word));
        assertFalse(ProcessIdentity.isAlive(word | ProcessIdentity.FLAG));
        assertEquals(0, ProcessIdentity.tokenOf(pid));
        assertEquals(ProcessIdentity.SELF_TOKEN, ProcessIdentity.identityOf(ProcessIdentity.SELF_PID));
        Process live = new ProcessBuilder("sleep", "30").start();
        try {
            long token = ProcessIdentity.identityOf(live.pid());
            assertEquals(ProcessIdentity.tokenOf(live.pid()), token);
            assertTrue(ProcessIdentity.isAlive(token | ProcessIdentity.FLAG));
        } finally {
            live.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldTagThreadsApart() throws Exception {
        long[] other = new long[1];
        Thread t = new Thread(() -> other[0] = ProcessIdentity.threadTag());
        t.start();
        t.join();
        assertNotEquals(ProcessIdentity.threadTag(), other[0]);
        assertEquals(ProcessIdentity.SELF_PID, other[0] >>> 32);
    }
}
