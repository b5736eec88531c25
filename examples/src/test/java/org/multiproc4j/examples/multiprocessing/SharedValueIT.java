package org.multiproc4j.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.examples.ExampleRun;
import org.multiproc4j.test.LeakCheck;

/** {@link SharedValue} prints what {@code value_cube.py} prints (OUTPUTS.md), and leaves no shared memory. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedValueIT {

    @Test
    void shouldPrintFourCubedTwice() throws Exception {
        ExampleRun run = ExampleRun.of(SharedValue.class).assertClean();
        assertEquals(List.of("262144"), run.lines());
    }
}
