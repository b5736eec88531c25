package org.multiproc4j.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.examples.ExampleRun;
import org.multiproc4j.test.LeakCheck;

/** {@link SharedArray} prints what {@code array_add_one.py} prints (OUTPUTS.md), and leaves no shared memory. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedArrayIT {

    @Test
    void shouldPrintZerosThenOnes() throws Exception {
        ExampleRun run = ExampleRun.of(SharedArray.class).assertClean();
        assertEquals(List.of("before: [0, 0, 0]", "[1, 1, 1]"), run.lines());
    }
}
