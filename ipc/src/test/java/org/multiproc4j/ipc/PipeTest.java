package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.test.LeakCheck;

/** A pipe with both ends in this JVM: the message protocol, end of file, sizes, errors. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeTest {

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void shouldCarryObjectsBothWaysInOrder() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection a = pipe.first();
            Connection b = pipe.second();
            a.send(125);
            a.send("hello");
            a.send(null);
            a.send(new Object[] {123456789, 3.14159, "hello"});
            b.send(List.of(1, 2));
            assertEquals(125, b.recv());
            assertEquals("hello", b.recv());
            assertNull(b.recv());
            assertArrayEquals(new Object[] {123456789, 3.14159, "hello"}, (Object[]) b.recv());
            assertEquals(List.of(1, 2), a.recv());
            assertTrue(a.isReadable() && a.isWritable());
        }
    }

    @Test
    void shouldMakeAOneWayPipeWhoseFirstEndReceives() throws Exception {
        try (Pipe pipe = Pipe.openOneWay()) {
            Connection r = pipe.first();
            Connection w = pipe.second();
            assertTrue(r.isReadable());
            assertFalse(r.isWritable());
            assertFalse(w.isReadable());
            w.send(1);
            assertEquals(1, r.recv());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.send(2));
            assertTrue(e.getMessage().contains("receiving end of a one-way pipe"), e.getMessage());
            e = assertThrows(IllegalStateException.class, w::recv);
            assertTrue(e.getMessage().contains("sending end of a one-way pipe"), e.getMessage());
        }
    }

    @Test
    void shouldCarryBytesFromArraysBuffersAndIntoBuffers() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection a = pipe.first();
            Connection b = pipe.second();
            byte[] data = pattern(100, 1);
            a.sendBytes(data, 10, 50);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, 60), b.recvBytes());
            a.sendBytes(ByteBuffer.wrap(data));
            ByteBuffer direct = ByteBuffer.allocateDirect(200);
            direct.position(7);
            assertEquals(100, b.recvBytesInto(direct));
            assertEquals(107, direct.position());
            direct.flip().position(7);
            byte[] got = new byte[100];
            direct.get(got);
            assertArrayEquals(data, got);
            a.sendBytes(new byte[0]);
            assertEquals(0, b.recvBytes().length, "an empty message is a message");
            a.sendBytes(data);
            assertArrayEquals(data, (byte[]) b.recv(), "recv returns raw bytes as a byte[]");
        }
    }

    @Test
    void shouldSendARegionOfABufferWithoutMovingIt() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            ByteBuffer src = ByteBuffer.allocateDirect(100);
            for (int i = 0; i < 100; i++) {
                src.put(i, (byte) i);
            }
            pipe.first().sendBytes(src, 10, 5);
            assertArrayEquals(new byte[] {10, 11, 12, 13, 14}, pipe.second().recvBytes());
            assertEquals(0, src.position());
            assertEquals(100, src.limit());
            assertThrows(IndexOutOfBoundsException.class, () -> pipe.first().sendBytes(src, 98, 5));
        }
    }

    @Test
    void shouldCarryAPipeEndInsideAMessage() throws Exception {
        try (Pipe carrier = Pipe.open(); Pipe inner = Pipe.open()) {
            carrier.first().send(inner.second()); // travels as its handle
            try (Connection received = (Connection) carrier.second().recv()) {
                inner.first().send("through the received end");
                assertEquals("through the received end", received.recv());
            }
        }
    }

    /** A message class registered with the fast codec. */
    record Point(int x, int y) implements java.io.Serializable {
    }

    @Test
    void shouldUseTheChannelsCodecForValuesOffTheFastPath() throws Exception {
        ChannelOptions fast = new ChannelOptions().codec(org.multiproc4j.core.codec.Codecs.fast(Point.class));
        try (Pipe pipe = Pipe.open(fast)) {
            pipe.first().send(new Point(1, 2));
            pipe.first().send(42); // plain values keep their own fast path
            assertEquals(new Point(1, 2), pipe.second().recv());
            assertEquals(42, pipe.second().recv());
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pipe.first().send(java.util.Optional.of(new StringBuilder("x"))));
            assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
            assertFalse(pipe.second().poll(), "nothing was sent");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChannelOptions().codec(new org.multiproc4j.core.codec.Codec() {
                    @Override
                    public byte[] encode(Object value) {
                        return new byte[0];
                    }

                    @Override
                    public int encode(Object value, org.multiproc4j.core.codec.CodecBuffer out) {
                        return 0;
                    }

                    @Override
                    public int encode(Object value, ByteBuffer target) {
                        return 0;
                    }

                    @Override
                    public Object decode(byte[] bytes, int offset, int length) {
                        return null;
                    }

                    @Override
                    public Object decode(ByteBuffer source) {
                        return null;
                    }
                }));
        assertTrue(e.getMessage().startsWith("codec must be Serializable, got "), e.getMessage());
    }

    @Test
    void shouldRefuseATooSmallBufferAndKeepTheMessage() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection a = pipe.first();
            Connection b = pipe.second();
            byte[] big = pattern(100, 2);
            a.sendBytes(big);
            byte[] small = new byte[64];
            BufferTooShortException e = assertThrows(BufferTooShortException.class, () -> b.recvBytesInto(small, 4));
            assertEquals(100, e.messageLength());
            assertTrue(e.getMessage().contains("100 bytes long and does not fit in the 60 bytes from offset 4 of a 64-byte array"),
                    e.getMessage());
            byte[] enough = new byte[120];
            assertEquals(100, b.recvBytesInto(enough, 20), "the message was kept");
            assertArrayEquals(big, java.util.Arrays.copyOfRange(enough, 20, 120));

            byte[] huge = pattern(1 << 20, 3); // fragmented, and larger than the ring can hold at once
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    a.sendBytes(huge);
                } catch (Exception x) {
                    throw new RuntimeException(x);
                }
            });
            BufferTooShortException f = assertThrows(BufferTooShortException.class,
                    () -> b.recvBytesInto(ByteBuffer.allocate(1000)));
            assertEquals(1 << 20, f.messageLength());
            assertArrayEquals(huge, b.recvBytes(), "the fragmented message was kept too");
            sender.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldCarryMessagesLargerThanTheRingInFragments() throws Exception {
        try (Pipe pipe = Pipe.open(new ChannelOptions().capacity(64 * 1024))) {
            Connection a = pipe.first();
            Connection b = pipe.second();
            byte[] mib = pattern(1 << 20, 4);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    a.sendBytes(mib);
                    a.send(mib);
                    a.send(new int[300_000]);
                    a.send("after");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertArrayEquals(mib, b.recvBytes());
            assertArrayEquals(mib, (byte[]) b.recv());
            assertEquals(300_000, ((int[]) b.recv()).length);
            assertEquals("after", b.recv());
            sender.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldCarryAHundredMebibytes() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection a = pipe.first();
            Connection b = pipe.second();
            byte[] data = pattern(100 << 20, 5);
            CRC32 crc = new CRC32();
            crc.update(data);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    a.sendBytes(data);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] got = b.recvBytes();
            sender.get(30, TimeUnit.SECONDS);
            CRC32 crc2 = new CRC32();
            crc2.update(got);
            assertEquals(crc.getValue(), crc2.getValue());
        }
    }

    @Test
    void shouldReportEndOfFileAfterDrainingWhenThePeerCloses() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection a = pipe.first();
            Connection b = pipe.second();
            a.send(1);
            a.send(2);
            a.close();
            assertTrue(b.poll(), "poll is true: messages wait");
            assertEquals(1, b.recv());
            assertEquals(2, b.recv());
            assertTrue(b.poll(), "poll is true at end of file: recv would not block");
            EOFException e = assertThrows(EOFException.class, b::recv);
            assertTrue(e.getMessage().contains("the other end was closed by pid " + ProcessHandle.current().pid()),
                    e.getMessage());
            BrokenPipeException bp = assertThrows(BrokenPipeException.class, () -> b.send(3));
            assertTrue(bp.getMessage().contains("the other end was closed"), bp.getMessage());
            assertThrows(ClosedChannelException.class, () -> a.send(4));
            assertThrows(ClosedChannelException.class, a::recv);
            a.close(); // harmless
        }
    }

    @Test
    void shouldTimeOutAndPollWithoutMessages() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection b = pipe.second();
            assertFalse(b.poll());
            long t0 = System.nanoTime();
            assertFalse(b.poll(Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - t0 >= 45_000_000L);
            TimeoutException e = assertThrows(TimeoutException.class, () -> b.recv(Duration.ofMillis(20)));
            assertTrue(e.getMessage().contains("no message on end 1 of pipe"), e.getMessage());
            pipe.first().send("x");
            assertEquals("x", b.recv(Duration.ofSeconds(1)));
        }
    }

    @Test
    void shouldFailSendInTheCallerWhenTheValueCannotBeSerialized() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pipe.first().send(List.of(Thread.currentThread())));
            assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
            assertFalse(pipe.second().poll(), "nothing was sent");
        }
    }

    @Test
    void shouldWakeABlockedReceiverWhenItsEndIsClosed() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            Connection b = pipe.second();
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    b.recv();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(50);
            b.close();
            assertTrue(blocked.get(5, TimeUnit.SECONDS) instanceof AsynchronousCloseException);
        } finally {
            pipe.close();
        }
    }

    @Test
    void shouldInterruptABlockedReceiver() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Thread t = Thread.currentThread();
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                t.interrupt();
            });
            assertThrows(InterruptedException.class, () -> pipe.second().recv());
        }
    }

    @Test
    void shouldAwaitTheFirstReadyConnection() throws Exception {
        try (Pipe p1 = Pipe.open(); Pipe p2 = Pipe.open()) {
            List<Connection> both = List.of(p1.second(), p2.second());
            assertTrue(Connection.await(both, Duration.ofMillis(20)).isEmpty());
            p2.first().send("x");
            assertEquals(List.of(p2.second()), Connection.await(both));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Connection.await(List.of("nope"), Duration.ZERO));
            assertTrue(e.getMessage().contains("cannot wait for a java.lang.String"), e.getMessage());
        }
    }
}
