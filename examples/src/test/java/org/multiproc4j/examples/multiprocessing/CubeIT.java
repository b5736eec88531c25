package org.multiproc4j.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.examples.ExampleRun;
import org.multiproc4j.test.LeakCheck;

/** {@link Cube} prints what {@code multiprocessing_cube.py} prints (OUTPUTS.md). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CubeIT {

    @Test
    void shouldPrintEachChildsThreeLinesInOrderAndTheExitCodes() throws Exception {
        ExampleRun run = ExampleRun.of(Cube.class).assertClean();
        assertEquals(16, run.lines().size(), String.join("\n", run.lines()));
        int firstEnd = Integer.MAX_VALUE;
        int lastStart = -1;
        for (int i = 0; i < 5; i++) {
            int start = run.indexOf("starting process " + i);
            int calc = run.indexOf("calculating cube of " + i + "... result: " + i * i * i);
            int end = run.indexOf("end process " + i);
            assertTrue(start < calc && calc < end, "child " + i + "'s lines in order");
            firstEnd = Math.min(firstEnd, end);
            lastStart = Math.max(lastStart, start);
        }
        assertTrue(lastStart < firstEnd, "the five children ran at once: every child started before any ended\n"
                + String.join("\n", run.lines()));
        assertEquals("exit codes: [0, 0, 0, 0, 0]", run.lines().get(15));
    }
}
