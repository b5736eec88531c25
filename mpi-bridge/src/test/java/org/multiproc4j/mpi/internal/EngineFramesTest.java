package org.multiproc4j.mpi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.test.LeakCheck;

/**
 * The rings' frames, between two engines of one job in this process: a message of every length around the
 * boundaries of a whole frame (short header) and of a first frame (long header) arrives intact, with its tag and
 * kind, whether its receive was posted before it came or after.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class EngineFramesTest {
    private static final int[] WORLD = {0, 1};

    @Test
    void shouldCarryEveryLengthAroundTheFrameBoundaries() throws TimeoutException {
        try (LocalJob job = LocalJob.create(2, 4096)) {
            job.join(0);
            job.join(1);
            Engine sender = new Engine(job, 0);
            Engine receiver = new Engine(job, 1);
            int max = job.ring(0, 1).maxMsgLength() & ~7;
            int tag = 0;
            for (int len = 0; len <= 3 * max + 40; len++) {
                boolean near = len < 64 || Math.abs(len - max) <= 40 || Math.abs(len - 2 * max) <= 40
                        || Math.abs(len - 3 * max) <= 40;
                if (!near) {
                    continue;
                }
                byte[] data = new byte[len];
                for (int i = 0; i < len; i++) {
                    data[i] = (byte) (i * 7 + len);
                }
                tag++;
                // posted first, then sent: the frame goes straight into the receive
                Engine.Recv posted = receiver.post(new Engine.Recv("recv", 4, 0, tag, Buf.of(new byte[len + 3]),
                        WORLD));
                sender.send(4, tag, 1, Buf.of(data).type().ordinal(), data, Mem.arrayBase(Buf.of(data).type()), len);
                receiver.await(posted, Long.MAX_VALUE);
                assertEquals(len, posted.status.byteCount(), "length " + len);
                assertEquals(tag, posted.status.tag());
                byte[] got = new byte[len];
                System.arraycopy(posted.buf.array(), 0, got, 0, len);
                assertArrayEquals(data, got, "bytes of a " + len + "-byte message received into a posted buffer");
                // sent first (unexpected), then received as an object message's bytes
                tag++;
                sender.send(4, tag, 1, Engine.KIND_OBJECT, data, Mem.arrayBase(Buf.of(data).type()), len);
                receiver.progress();
                Engine.Recv late = receiver.post(new Engine.Recv("recv", 4, 0, tag, null, WORLD));
                receiver.await(late, Long.MAX_VALUE);
                assertEquals(tag, late.status.tag());
                assertArrayEquals(data, late.bytes, "bytes of a " + len + "-byte message that came before its receive");
            }
            job.finish(0);
            job.finish(1);
        }
    }
}
