package org.multiproc4j.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.examples.ExampleRun;
import org.multiproc4j.test.LeakCheck;

/**
 * {@link ServerProcess} prints what {@code server_process.py} prints (OUTPUTS.md), in Java's notation for the
 * map, and leaves no process or shared memory behind.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServerProcessIT {

    @Test
    void shouldPrintTheMapAndTheSortedList() throws Exception {
        ExampleRun run = ExampleRun.of(ServerProcess.class).assertClean();
        assertEquals(List.of("{car=ford}", "[3, 9]"), run.lines());
    }
}
