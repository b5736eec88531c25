package org.multiproc4j.mpi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiproc4j.test.LeakCheck;

/** Pipelined bcasts through the collective area arrive whole, on 2 and 3 ranks (see {@link BcastPiecesMain}). */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BcastPiecesIT {

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 3})
    void shouldDeliverEveryElementOfPipelinedBcasts(int ranks) throws Exception {
        JobRun run = JobRun.of(ranks, BcastPiecesMain.class);
        assertEquals(0, run.status(), run.output());
        int bcasts = ranks * 10 + 40;
        long oks = run.lines().stream().filter(l -> l.equals("OK " + bcasts)).count();
        assertEquals(ranks, oks, run.output());
    }
}
