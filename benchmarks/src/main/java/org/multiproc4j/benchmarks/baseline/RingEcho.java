package org.multiproc4j.benchmarks.baseline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.multiproc4j.benchmarks.support.ShmFile;

/**
 * The peer of {@link RingBufferPingPongBenchmark}: in its own JVM, echoes every message of the ping ring into
 * the pong ring, busy-spinning, until a {@link #QUIT} message.
 */
public final class RingEcho {
    /** Message type of a ping. */
    public static final int PING = 1;
    /** Message type that ends the echo. */
    public static final int QUIT = 2;

    private RingEcho() {
    }

    /**
     * The byte length of one ring of the given capacity, trailer included.
     *
     * @param capacity the ring's capacity, a power of two.
     * @return the bytes the ring occupies in the file.
     */
    public static int ringBytes(int capacity) {
        return capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Maps the file and echoes until told to quit.
     *
     * @param path     the shared file: the ping ring, then the pong ring.
     * @param capacity each ring's capacity.
     * @throws UncheckedIOException if the file cannot be mapped.
     */
    public static void echo(String path, int capacity) {
        try (ShmFile file = ShmFile.open(Paths.get(path))) {
            int ring = ringBytes(capacity);
            OneToOneRingBuffer ping = new OneToOneRingBuffer(new UnsafeBuffer(file.buffer(), 0, ring));
            OneToOneRingBuffer pong = new OneToOneRingBuffer(new UnsafeBuffer(file.buffer(), ring, ring));
            Echo echo = new Echo(pong);
            while (!echo.quit) {
                if (ping.read(echo) == 0) {
                    Thread.onSpinWait();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the echo peer cannot map " + path + ": " + e.getMessage(), e);
        }
    }

    private static final class Echo implements MessageHandler {
        private final OneToOneRingBuffer out;
        boolean quit;

        Echo(OneToOneRingBuffer out) {
            this.out = out;
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            if (msgTypeId == QUIT) {
                quit = true;
                return;
            }
            while (!out.write(msgTypeId, buffer, index, length)) {
                Thread.onSpinWait();
            }
        }
    }
}
