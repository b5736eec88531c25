package org.multiproc4j.mpi.openmpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiproc4j.mpi.contract.Mpirun;
import org.multiproc4j.mpi.launch.MpiLauncher;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * The tutorial's four MPI examples (module {@code examples}) under {@code mpirun -n 4} print the same lines as with
 * the project's launcher on the {@code local} backend (sorted: ranks print in any order; the host name of
 * {@code Hello} is cut off, as the two backends may spell it differently).
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenMpiExamplesIT {

    @BeforeAll
    static void needsMpirun() {
        Optional<String> why = Mpirun.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.get());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Hello", "Broadcast", "Scatter", "Scatterv"})
    void shouldPrintWhatTheLocalBackendPrints(String example) throws Exception {
        String main = "org.multiproc4j.examples.mpi." + example;
        Mpirun.Result run = Mpirun.ranks(4).timeout(Timeouts.LONG).run(main);
        assertEquals(0, run.status(), run.describe());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = MpiLauncher.run(4, main, List.of(), new MpiLauncher.Options().output(out));
        out.flush();
        String local = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, local);

        List<String> expected = normalized(local);
        assertEquals(example.equals("Broadcast") ? 8 : 4, expected.size(), local);
        assertEquals(expected, normalized(run.output()), run.describe());
    }

    private static List<String> normalized(String output) {
        List<String> lines = new ArrayList<>();
        for (String l : output.lines().collect(Collectors.toList())) {
            int host = l.indexOf(" (host ");
            lines.add(host >= 0 ? l.substring(0, host) : l);
        }
        lines.sort(null);
        return lines;
    }
}
