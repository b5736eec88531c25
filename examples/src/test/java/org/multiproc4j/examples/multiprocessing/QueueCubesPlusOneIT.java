package org.multiproc4j.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.examples.ExampleRun;
import org.multiproc4j.test.LeakCheck;

/** {@link QueueCubesPlusOne} prints what {@code queue_cube_add.py} prints (OUTPUTS.md). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueCubesPlusOneIT {

    @Test
    void shouldPrintTenCubesThenTenCubesPlusOneAndTheSortedLists() throws Exception {
        ExampleRun run = ExampleRun.of(QueueCubesPlusOne.class).assertClean();
        List<String> lines = run.lines();
        assertEquals(24, lines.size(), String.join("\n", lines));
        assertEquals("INITIAL VALUES:", lines.get(0));
        assertEquals("FINAL VALUES:", lines.get(11));
        List<Integer> initial = new ArrayList<>();
        List<Integer> last = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            initial.add(Integer.parseInt(lines.get(i)));
            last.add(Integer.parseInt(lines.get(11 + i)));
        }
        for (int v : initial) {
            assertTrue(last.contains(v + 1), "each taken cube came back plus one: " + v);
        }
        assertEquals("sorted initial: [1, 8, 27, 64, 125, 216, 343, 512, 729, 1000]", lines.get(22));
        assertEquals("sorted final: [2, 9, 28, 65, 126, 217, 344, 513, 730, 1001]", lines.get(23));
    }
}
