package org.multiproc4j.ipc.net.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FrameChannel#fillSoon(long)}, the short non-blocking wait a socket receive tries before its selector: it
 * takes a frame that is there or comes whole, leaves a partial one buffered for the blocking wait, honours a
 * deadline that is already past and reports a closed peer as end of file.
 */
@Timeout(30)
class FrameChannelSoonTest {
    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private SocketChannel peer;
    private FrameChannel frames;

    @BeforeEach
    void connect() throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(address);
        SocketChannel client = SocketChannel.open(address);
        peer = server.accept();
        frames = FrameChannel.open(client, "the test's peer", 1 << 20);
    }

    @AfterEach
    void close() throws IOException {
        frames.close();
        peer.close();
        server.close();
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            peer.write(b);
        }
    }

    private static byte[] frame(byte kind, byte[] payload) {
        return ByteBuffer.allocate(FrameChannel.HEADER + payload.length).putInt(payload.length).put(kind)
                .put(payload).array();
    }

    @Test
    void shouldTakeAFrameThatIsWaiting() throws Exception {
        write(frame(FrameChannel.KIND_BYTES, new byte[] {1, 2, 3}));
        assertTrue(frames.fillSoon(FrameChannel.NO_DEADLINE));
        FrameChannel.Frame f = frames.take();
        assertEquals(FrameChannel.KIND_BYTES, f.kind());
        assertArrayEquals(new byte[] {1, 2, 3}, f.data());
    }

    @Test
    void shouldKeepAPartialFrameForTheBlockingWait() throws Exception {
        byte[] whole = frame(FrameChannel.KIND_OBJECT, new byte[] {9, 8, 7, 6});
        write(java.util.Arrays.copyOf(whole, 6));
        assertFalse(frames.fillSoon(FrameChannel.NO_DEADLINE), "only a header and one byte were sent");
        assertNull(frames.peek());
        write(java.util.Arrays.copyOfRange(whole, 6, whole.length));
        FrameChannel.Frame f = frames.readFrame(FrameChannel.NO_DEADLINE);
        assertEquals(FrameChannel.KIND_OBJECT, f.kind());
        assertArrayEquals(new byte[] {9, 8, 7, 6}, f.data());
    }

    @Test
    void shouldGiveUpWhenNothingComesOrTheDeadlineHasPassed() throws Exception {
        assertFalse(frames.fillSoon(FrameChannel.NO_DEADLINE));
        assertFalse(frames.fillSoon(System.nanoTime() - 1));
        write(frame(FrameChannel.KIND_BYTES, new byte[0]));
        assertTrue(frames.fillSoon(System.nanoTime() + 10_000_000_000L), "a frame waits: a deadline changes nothing");
        assertEquals(0, frames.take().data().length);
    }

    @Test
    void shouldReportAClosedPeerAsEndOfFile() throws Exception {
        write(frame(FrameChannel.KIND_BYTES, new byte[] {5}));
        peer.close();
        assertTrue(frames.fillSoon(FrameChannel.NO_DEADLINE), "what was sent before the close is received");
        assertArrayEquals(new byte[] {5}, frames.take().data());
        assertThrows(EOFException.class, () -> frames.fillSoon(FrameChannel.NO_DEADLINE));
    }
}
