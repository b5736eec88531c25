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

/** {@link PoolImap} prints what {@code pool_imap.py} prints (OUTPUTS.md). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolImapIT {
    static final List<String> CUBES = List.of("0", "1", "8", "27", "64", "125", "216", "343", "512", "729");
    static final String CUBE_LIST = "[0, 1, 8, 27, 64, 125, 216, 343, 512, 729]";

    @Test
    void shouldYieldTheCubesInInputOrder() throws Exception {
        ExampleRun run = ExampleRun.of(PoolImap.class).assertClean();
        List<String> lines = run.lines();
        String all = String.join("\n", lines);
        assertEquals(31, lines.size(), all);
        List<String> yielded = lines.stream().filter(l -> !l.startsWith("start") && !l.startsWith("end")
                && !l.startsWith("Time")).toList();
        assertEquals(CUBES, yielded, all);
        assertTrue(lines.get(30).startsWith("Time in concurrent manner: "), all);
    }
}
