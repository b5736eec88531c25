package org.multiproc4j.pool;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.multiproc4j.pool.internal.PayloadCodec;

/** The byte budget of what one worker holds, against the sizes it is meant for. */
class DispatchBudgetTest {

    @Test
    void shouldLetAWorkerHoldTwoTasksOfAMegabyteOfTextWithTheirHeaders() {
        StringBuilder b = new StringBuilder();
        while (b.length() < (1 << 20) + 16) {
            b.append("w123 ");
        }
        int encoded = new PayloadCodec(null).encode(new Object[] {b.toString()}).length;
        assertTrue(encoded > 1 << 20, "a 1 MB text encodes to more than 1 MB: " + encoded);
        // each task's frame in a batch adds its function id, mode and length (9 bytes)
        assertTrue(2L * (encoded + 9) <= ProcessPool.MAX_PIPELINE_BYTES,
                "two 1 MB texts (" + encoded + " bytes each) must fit in " + ProcessPool.MAX_PIPELINE_BYTES);
        assertTrue(ProcessPool.MAX_PIPELINE_BYTES < ProcessPool.PIPE_CAPACITY,
                "what a worker holds must fit in its pipe's ring, so that a sender never waits for room");
    }
}
