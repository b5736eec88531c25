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
    void shouldTagThreadsApart() throws Exception {
        long[] other = new long[1];
        Thread t = new Thread(() -> other[0] = ProcessIdentity.threadTag());
        t.start();
        t.join();
        assertNotEquals(ProcessIdentity.threadTag(), other[0]);
        assertEquals(ProcessIdentity.SELF_PID, other[0] >>> 32);
    }
}
