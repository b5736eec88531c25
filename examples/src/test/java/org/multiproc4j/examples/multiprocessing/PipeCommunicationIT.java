package org.multiproc4j.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.examples.ExampleRun;
import org.multiproc4j.test.LeakCheck;

/** {@link PipeCommunication} prints what {@code pipe_communication.py} prints (OUTPUTS.md). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeCommunicationIT {

    @Test
    void shouldPrintBothGreetingsThenTheCubeLast() throws Exception {
        ExampleRun run = ExampleRun.of(PipeCommunication.class).assertClean();
        List<String> lines = run.lines();
        assertEquals(3, lines.size(), String.join("\n", lines));
        run.indexOf("Sending value...");
        run.indexOf("Receiving value...");
        assertEquals("125", lines.get(2), "125 is printed last");
    }
}
