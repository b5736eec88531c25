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

/** {@link PoolMap} prints what {@code pool_map.py} prints (OUTPUTS.md). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolMapIT {
    static final List<String> CUBES = List.of("0", "1", "8", "27", "64", "125", "216", "343", "512", "729");
    static final String CUBE_LIST = "[0, 1, 8, 27, 64, 125, 216, 343, 512, 729]";

    @Test
    void shouldRunFourAtOnceAndReturnTheCubesInOrder() throws Exception {
        ExampleRun run = ExampleRun.of(PoolMap.class).assertClean();
        List<String> lines = run.lines();
        String all = String.join("\n", lines);
        assertEquals(22, lines.size(), all);
        assertEquals(CUBE_LIST, lines.get(20));
        assertTrue(lines.get(21).startsWith("Time in concurrent manner: "), all);
        int firstEnd = lines.indexOf(lines.stream().filter(l -> l.startsWith("end")).findFirst().orElseThrow());
        assertTrue(firstEnd >= 2, "several tasks started before the first ended:\n" + all);
        for (int x = 0; x < 10; x++) {
            assertTrue(lines.indexOf("start process " + x) < lines.indexOf("end process " + x), all);
        }
        int running = 0;
        int most = 0;
        for (String l : lines) {
            running += l.startsWith("start") ? 1 : l.startsWith("end") ? -1 : 0;
            most = Math.max(most, running);
        }
        assertTrue(most <= 4, "at most four at once:\n" + all);
    }
}
