package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

/**
 * Small messages take a short way into and out of a pipe's ring, written and read in the same form as Agrona's
 * ring buffer, which carries everything else: mixed with values, with messages larger than the ring (fragmented)
 * and with messages of every length up to the largest record, through a small ring that wraps thousands of times,
 * every message arrives whole and in order, with a sender that runs ahead (full ring) or a receiver that waits.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeSmallMessagesTest {
    private static final int CAPACITY = 4096;
    private static final int MESSAGES = 30_000;

    @Test
    void shouldCarrySmallMessagesMixedWithValuesAndLargeOnesThroughAWrappingRing() throws Exception {
        try (Pipe pipe = Pipe.open(new ChannelOptions().capacity(CAPACITY))) {
            PipeConnection a = pipe.first();
            PipeConnection b = pipe.second();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    Random random = new Random(42);
                    for (int i = 0; i < MESSAGES; i++) {
                        send(a, random, i);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Random random = new Random(42);
            for (int i = 0; i < MESSAGES; i++) {
                Object expected = message(random, i);
                Object got = (i & 1) == 0 || !(expected instanceof byte[]) ? b.recv() : b.recvBytes();
                if (expected instanceof byte[]) {
                    assertArrayEquals((byte[]) expected, (byte[]) got, "message " + i);
                } else {
                    assertEquals(expected, got, "message " + i);
                }
                if (i % 7000 == 0) {
                    Thread.sleep(20);                       // the sender fills the ring meanwhile
                }
            }
            sender.get(60, TimeUnit.SECONDS);
            // answers the other way, one at a time: a receiver that waits for each
            for (int i = 0; i < 2000; i++) {
                byte[] q = {(byte) i, (byte) (i >> 8), 7};
                b.sendBytes(q);
                assertArrayEquals(q, a.recvBytes(), "answer " + i);
            }
        }
    }

    private static void send(PipeConnection c, Random random, int i) throws Exception {
        Object m = message(random, i);
        if (m instanceof byte[]) {
            c.sendBytes((byte[]) m);
        } else {
            c.send(m);
        }
    }

    /** Message i: mostly small raw bytes of any length up to the largest record, some values, a few large. */
    private static Object message(Random random, int i) {
        int kind = random.nextInt(100);
        if (kind < 70) {
            byte[] b = new byte[random.nextInt(CAPACITY / 8 + 1)];
            Arrays.fill(b, (byte) i);
            if (b.length > 0) {
                b[0] = (byte) (i >>> 8);
                b[b.length - 1] = (byte) (i >>> 16);
            }
            return b;
        }
        if (kind < 95) {
            return kind % 2 == 0 ? (Object) ("value " + i) : (Object) (long) i;
        }
        byte[] large = new byte[CAPACITY + random.nextInt(3 * CAPACITY)];
        Arrays.fill(large, (byte) (i * 31));
        return large;
    }
}
