package org.multiproc4j.examples.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.examples.ExampleRun;
import org.multiproc4j.mpi.launch.MpiLauncher;
import org.multiproc4j.test.LeakCheck;

/**
 * The tutorial's MPI examples, each run with 4 ranks by the launcher, print the deterministic lines of the mpi4py
 * versions ({@code reference/python/mpi/OUTPUTS.md}), with Java's formatting of arrays and maps; lines of
 * different ranks come in any order, so they are sorted.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MpiExamplesIT {

    /** Runs the example as {@code bin/mpi-launch -n 4} does: the launcher's main in a JVM of its own. */
    private static List<String> run(Class<?> main) throws Exception {
        ExampleRun run = ExampleRun.of(MpiLauncher.class, "-n", "4", main.getName()).assertClean();
        List<String> lines = new ArrayList<>(run.lines());
        lines.sort(null);
        return lines;
    }

    @Test
    void helloShouldGreetFromEveryRank() throws Exception {
        List<String> lines = run(Hello.class);
        assertEquals(4, lines.size(), String.join("\n", lines));
        for (int r = 0; r < 4; r++) {
            String line = lines.get(r);
            assertEquals("Hello world from process " + r + " of 4", line.substring(0, line.indexOf(" (host ")), line);
        }
    }

    @Test
    void broadcastShouldDeliverTheArrayAndTheMapToEveryRank() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            expected.add("process " + r + " array after Bcast: [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]");
            expected.add("process " + r + " object after bcast: {key1=[7, 2.72, (2+3j)], key2=[abc, xyz]}");
        }
        expected.sort(null);
        assertEquals(expected, run(Broadcast.class));
    }

    @Test
    void scatterShouldGiveEachRankItsSquare() throws Exception {
        assertEquals(List.of("process 0 received 1", "process 1 received 4", "process 2 received 9",
                "process 3 received 16"), run(Scatter.class));
    }

    @Test
    void scattervShouldSplitFifteenNumbersFourFourFourThree() throws Exception {
        assertEquals(List.of("After Scatterv, process 0 has data: [0.0, 1.0, 2.0, 3.0]",
                "After Scatterv, process 1 has data: [4.0, 5.0, 6.0, 7.0]",
                "After Scatterv, process 2 has data: [8.0, 9.0, 10.0, 11.0]",
                "After Scatterv, process 3 has data: [12.0, 13.0, 14.0]"), run(Scatterv.class));
    }
}
