package org.multiproc4j.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.examples.ExampleRun;
import org.multiproc4j.test.LeakCheck;

/** {@link PoolApplyAsync} prints what {@code pool_apply_async.py} prints (OUTPUTS.md). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolApplyAsyncIT {
    static final List<String> CUBES = List.of("0", "1", "8", "27", "64", "125", "216", "343", "512", "729");
    static final String CUBE_LIST = "[0, 1, 8, 27, 64, 125, 216, 343, 512, 729]";

    @Test
    void shouldPrintEachCubeAfterItsLinesAndCollectThemAllByCallback() throws Exception {
        ExampleRun run = ExampleRun.of(PoolApplyAsync.class).assertClean();
        List<String> lines = run.lines();
        String all = String.join("\n", lines);
        assertEquals(32, lines.size(), all);
        for (int x = 0; x < 10; x++) {
            assertEquals("start process " + x, lines.get(3 * x), all);
            assertEquals("end process " + x, lines.get(3 * x + 1), all);
            assertEquals(CUBES.get(x), lines.get(3 * x + 2), all);
        }
        assertEquals("collected by callback: " + CUBE_LIST, lines.get(30));
        assertTrue(lines.get(31).startsWith("Time in parallel & concurrent: "), all);
    }
}
