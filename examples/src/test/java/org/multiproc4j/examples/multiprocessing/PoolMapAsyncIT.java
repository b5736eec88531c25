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

/** {@link PoolMapAsync} prints what {@code pool_map_async.py} prints (OUTPUTS.md). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolMapAsyncIT {
    static final List<String> CUBES = List.of("0", "1", "8", "27", "64", "125", "216", "343", "512", "729");
    static final String CUBE_LIST = "[0, 1, 8, 27, 64, 125, 216, 343, 512, 729]";

    @Test
    void shouldCallBackWithTheWholeListAndNotWaitForTheSecondMap() throws Exception {
        ExampleRun run = ExampleRun.of(PoolMapAsync.class).assertClean();
        List<String> lines = run.lines();
        String all = String.join("\n", lines);
        assertEquals(34, lines.size(), all);
        assertEquals("callback got: " + CUBE_LIST, lines.get(20), all);
        assertEquals(CUBE_LIST, lines.get(21), all);
        assertEquals("HERE!", lines.get(22), all);
        assertEquals("HERE AGAIN!", lines.get(23), all);
        assertEquals(new java.util.HashSet<>(CUBES), new java.util.HashSet<>(lines.subList(24, 34)), all);
    }
}
