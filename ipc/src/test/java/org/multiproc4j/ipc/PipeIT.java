package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** Pipes between this JVM and child JVMs: ends handed to children, end of file, dead peers, huge messages. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeIT {

    static Void sendThenLinger(Connection c, int count, long lingerMillis) throws Exception {
        for (int i = 0; i < count; i++) {
            c.send(i);
        }
        Thread.sleep(lingerMillis);
        return null;
    }

    static Void sendForever(Connection c, int size) throws Exception {
        byte[] b = PipeTest.pattern(size, 1);
        for (int i = 0; ; i++) {
            c.sendBytes(b);
        }
    }

    @Test
    void shouldEchoObjectsThroughAChildAndSeeEndOfFileWhenItsTaskEnds() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            TaskFuture<Integer> child = JvmProcess.call(() -> ConnectionContract.echo(childs));
            childs.close(); // Python's idiom: close the parent's copy of the child's end after starting it
            Object[] tuple = {123456789, 3.14159, "hello"};
            for (int i = 0; i < 100; i++) {
                mine.send(i % 2 == 0 ? (Object) i : tuple);
                Object back = mine.recv();
                if (i % 2 == 0) {
                    assertEquals(i, back);
                } else {
                    assertArrayEquals(tuple, (Object[]) back);
                }
            }
            byte[] mib = PipeTest.pattern(1 << 20, 7);
            mine.send(mib);
            assertArrayEquals(mib, (byte[]) mine.recv(), "a fragmented message through a child and back");
            mine.close(); // the child sees end of file and returns
            assertEquals(101, child.get(Timeouts.LONG));
        }
    }

    @Test
    void shouldCarryTheChannelsCodecToTheChild() throws Exception {
        ChannelOptions fast = new ChannelOptions().codec(org.multiproc4j.core.codec.Codecs.fast(PipeTest.Point.class));
        try (Pipe pipe = Pipe.open(fast)) {
            Connection childs = pipe.second();
            TaskFuture<Integer> child = JvmProcess.call(() -> ConnectionContract.echo(childs));
            childs.close();
            pipe.first().send(new PipeTest.Point(3, 4));
            assertEquals(new PipeTest.Point(3, 4), pipe.first().recv(Timeouts.LONG), "the child decoded and re-encoded "
                    + "it with the registered Kryo codec it received with its end");
            pipe.first().close();
            assertEquals(1, child.get(Timeouts.LONG));
        }
    }

    @Test
    void shouldReceiveEverythingThenEndOfFileWhenThePeerIsKilled() throws Exception {
        try (Pipe pipe = Pipe.openOneWay()) {
            Connection reader = pipe.first();
            Connection writer = pipe.second();
            TaskFuture<Void> child = JvmProcess.call(() -> sendThenLinger(writer, 1000, 60_000));
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, reader.recv(Timeouts.LONG));
            }
            child.process().kill();
            long t0 = System.nanoTime();
            EOFException e = assertThrows(EOFException.class, () -> reader.recv(Timeouts.LONG));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains("which died"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + child.process().pid()), e.getMessage());
            System.out.println("end of file " + ms + " ms after kill -9 of the writer");
            child.process().join();
        }
    }

    @Test
    void shouldNeverDeliverHalfAMessageFromAWriterKilledMidMessage() throws Exception {
        try (Pipe pipe = Pipe.openOneWay(new ChannelOptions().capacity(64 * 1024))) {
            Connection reader = pipe.first();
            Connection writer = pipe.second();
            int size = 300_000; // about 40 fragments each
            TaskFuture<Void> child = JvmProcess.call(() -> sendForever(writer, size));
            byte[] expected = PipeTest.pattern(size, 1);
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(expected, reader.recvBytes(Timeouts.LONG));
            }
            // let the writer get ahead, mid-message, then kill it
            Thread.sleep(5);
            child.process().kill();
            child.process().join();
            int more = 0;
            while (true) {
                byte[] got;
                try {
                    got = reader.recvBytes(Timeouts.LONG);
                } catch (EOFException e) {
                    break;
                }
                assertArrayEquals(expected, got, "only whole messages");
                more++;
            }
            System.out.println(more + " whole messages drained after the kill, then end of file");
        }
    }

    @Test
    void shouldFailToSendToAPeerKilledWithSigkillAndStillDrainWhatItSent() throws Exception {
        try (Pipe pipe = Pipe.open(); Pipe signal = Pipe.openOneWay()) {
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            Connection sent = signal.second();
            TaskFuture<Void> child = JvmProcess.call(() -> {
                sendThenLinger(childs, 3, 0);
                sent.send("all three sent"); // so the kill below never comes between two of them
                return sendThenLinger(childs, 0, 60_000);
            });
            assertEquals("all three sent", signal.first().recv(Timeouts.LONG));
            assertEquals(0, mine.recv(Timeouts.LONG)); // the child holds its end
            for (int i = 0; i < 10; i++) {
                mine.send("unread " + i); // the ring has room: these wait for a reader that will die
            }
            child.process().kill();
            assertTrue(child.process().join(Timeouts.MEDIUM));
            // a sender looks at its peer at most once a millisecond: any send from now on must see the death
            Thread.sleep(2);
            long pid = child.process().pid();
            BrokenPipeException first = assertThrows(BrokenPipeException.class, () -> mine.send("after the kill"));
            assertTrue(first.getMessage().contains("(pid " + pid + ") died"), first.getMessage());
            BrokenPipeException again = assertThrows(BrokenPipeException.class, () -> mine.sendBytes(new byte[8]));
            assertTrue(again.getMessage().contains("(pid " + pid + ") died; nothing was sent"), again.getMessage());
            assertEquals(1, mine.recv(Timeouts.LONG), "what the child sent before it died is still received");
            assertEquals(2, mine.recv(Timeouts.LONG));
            EOFException eof = assertThrows(EOFException.class, () -> mine.recv(Timeouts.LONG));
            assertTrue(eof.getMessage().contains("pid " + pid + ", which died"), eof.getMessage());
        }
    }

    @Test
    void shouldFailASendWaitingForRoomWhenThePeerIsKilled() throws Exception {
        try (Pipe pipe = Pipe.open(new ChannelOptions().capacity(4096))) {
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            TaskFuture<Void> child = JvmProcess.call(() -> sendThenLinger(childs, 1, 60_000));
            assertEquals(0, mine.recv(Timeouts.LONG));
            long[] killedAt = {0};
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                killedAt[0] = System.nanoTime();
                child.process().kill();
            });
            killer.start();
            BrokenPipeException e = assertThrows(BrokenPipeException.class, () -> {
                for (int i = 0; ; i++) {
                    mine.send(i); // fills the 4 KiB ring, then waits for room
                }
            });
            long failedAt = System.nanoTime();
            killer.join();
            assertTrue(e.getMessage().contains("(pid " + child.process().pid() + ") died while this end waited for room"),
                    e.getMessage());
            assertTrue(child.process().join(Timeouts.MEDIUM));
            System.out.printf("a send waiting for room failed %.1f ms after kill -9 of the receiver%n",
                    (failedAt - killedAt[0]) / 1e6);
        }
    }

    @Test
    void shouldFailToSendToAPeerThatClosedItsEndAndStillDrainWhatItSent() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            try (JvmProcess child = JvmProcess.call(() -> {
                childs.send("one");
                childs.send("two");
                childs.close(); // the process lives on: only its end is closed
                Thread.sleep(60_000);
                return null;
            }).process()) {
                assertEquals("one", mine.recv(Timeouts.LONG));
                assertEquals("two", mine.recv(Timeouts.LONG));
                EOFException eof = assertThrows(EOFException.class, () -> mine.recv(Timeouts.LONG));
                assertTrue(eof.getMessage().contains("closed by pid " + child.pid()), eof.getMessage());
                assertTrue(child.isAlive());
                BrokenPipeException e = assertThrows(BrokenPipeException.class, () -> mine.send("too late"));
                assertTrue(e.getMessage().contains("the other end was closed by pid " + child.pid()), e.getMessage());
                assertThrows(BrokenPipeException.class, () -> mine.sendBytes(new byte[8]));
                child.kill();
                assertTrue(child.join(Timeouts.MEDIUM));
            }
        }
    }

    @Test
    void shouldFailToSendToAPeerWhoseTaskEnded() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection mine = pipe.first();
            Connection childs = pipe.second();
            TaskFuture<Void> child = JvmProcess.call(() -> sendThenLinger(childs, 1, 0));
            assertEquals(0, mine.recv(Timeouts.LONG));
            child.get(Timeouts.LONG);
            assertTrue(child.process().join(Timeouts.MEDIUM));
            assertThrows(EOFException.class, () -> mine.recv(Timeouts.LONG), "its end closed when its task ended");
            BrokenPipeException e = assertThrows(BrokenPipeException.class, () -> mine.send("too late"));
            assertTrue(e.getMessage().contains("pid " + child.process().pid()), e.getMessage());
        }
    }

    @Test
    void shouldAwaitAConnectionOrAProcessThatExits() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Connection childs = pipe.second();
            JvmProcess quiet = new JvmProcess(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).start();
            List<Object> ready = Connection.await(List.of(pipe.first(), quiet), Timeouts.LONG);
            assertEquals(List.of(quiet), ready, "the process exited; nothing was sent");
            assertTrue(Connection.await(List.of(pipe.first()), Duration.ofMillis(10)).isEmpty());
            childs.send("x");
            assertEquals(List.of(pipe.first(), quiet), Connection.await(List.of(pipe.first(), quiet)));
        }
    }

    static long sendFile(PipeConnection c, String file, long length) throws Exception {
        try (FileChannel in = FileChannel.open(Path.of(file), StandardOpenOption.READ)) {
            c.sendBytes(in, length);
        }
        return length;
    }

    /** A channel that only checksums and counts what it is given. */
    static final class CrcChannel implements WritableByteChannel {
        final CRC32 crc = new CRC32();
        long count;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            crc.update(src);
            count += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldStreamAMessageLargerThanTwoGibibytes(@TempDir Path dir) throws Exception {
        long length = 3L << 30; // 3 GiB: more than a byte[] can hold
        Path file = dir.resolve("sparse.bin");
        CRC32 expected = new CRC32();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length); // sparse: holes read as zeros
            byte[] mark = PipeTest.pattern(4096, 3);
            for (long at = 0; at < length; at += 256L << 20) {
                raf.seek(at + 12345);
                raf.write(mark);
            }
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (in.read(buf.clear()) > 0) {
                expected.update(buf.flip());
            }
        }
        try (Pipe pipe = Pipe.openOneWay(new ChannelOptions().capacity(8 << 20))) {
            PipeConnection writer = pipe.second();
            String path = file.toString();
            TaskFuture<Long> child = JvmProcess.call(() -> sendFile(writer, path, length));
            CrcChannel sink = new CrcChannel();
            long t0 = System.nanoTime();
            assertEquals(length, pipe.first().recvBytesInto(sink));
            double s = (System.nanoTime() - t0) / 1e9;
            assertEquals(length, sink.count);
            assertEquals(expected.getValue(), sink.crc.getValue(), "3 GiB arrived intact");
            assertEquals(length, child.get(Timeouts.LONG));
            System.out.printf("3 GiB streamed between processes in %.1f s (%.0f MB/s)%n", s, length / s / 1e6);
            Files.deleteIfExists(file);
        }
    }

    static Void tryToUse(Connection c) throws IOException, InterruptedException {
        c.send("from child");
        return null;
    }

    @Test
    void shouldStillWorkInTheChildWhenTheParentClosedEverythingAfterStarting() throws Exception {
        Pipe pipe = Pipe.openOneWay();
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        TaskFuture<Void> child = JvmProcess.call(() -> {
            Thread.sleep(200); // attach late
            return tryToUse(writer);
        });
        writer.close();
        assertEquals("from child", reader.recv(Timeouts.LONG));
        child.get(Timeouts.LONG);
        assertThrows(EOFException.class, () -> reader.recv(Timeouts.LONG), "the child's end closed when its task ended");
        pipe.close();
    }
}
