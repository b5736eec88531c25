package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void shouldReadTheSameStartTimeAsTheWatchdogAndNoneForAnExitedProcess() throws Exception {
        assumeTrue(ProcStat.AVAILABLE, "no /proc here");
        long self = ProcStat.startTicks(ProcessHandle.current().pid(), false);
        assertTrue(self >= 0);
        assertEquals(Long.toString(self), ParentWatchdog.startTicks(ProcessHandle.current().pid(), false));
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            long child = ProcStat.startTicks(p.pid(), false);
            assertTrue(child >= self, "a child starts after its parent");
            assertEquals(child, ProcStat.startTicks(p.pid(), true));
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertEquals(-1, ProcStat.startTicks(p.pid(), false), "exited and reaped: no process");
        assertEquals(-1, ProcStat.startTicks(p.pid(), true));
        assertEquals(-1, ProcStat.startTicks(-5, true));
    }
}
