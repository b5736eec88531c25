package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** A segment of more than 2 GiB (sparse) shared with a child. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeSegmentIT {

    @Test
    void shouldShareAFiveGibArrayWithAChild() throws Exception {
        long length = 5L << 30;
        try (SharedByteArray a = SharedByteArray.create(length)) {
            a.set(length - 1, (byte) 42);
            a.set(3L << 30, (byte) 7);
            long seen = JvmProcess.call(() -> {
                a.set(length - 2, (byte) 9);
                return a.length() + a.get(length - 1) + a.get(3L << 30);
            }).get(Timeouts.MEDIUM);
            assertEquals(length + 49, seen);
            assertEquals(9, a.get(length - 2));
        }
    }
}
