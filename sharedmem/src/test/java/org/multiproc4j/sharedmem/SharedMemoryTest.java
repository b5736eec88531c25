package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
class SharedMemoryTest {

    private static String uniqueName() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void shouldShareBytesBetweenCreatorAndAttacher() {
        try (SharedMemory created = SharedMemory.create(4096);
             SharedMemory attached = SharedMemory.attach(created.name())) {
            assertTrue(created.isCreator());
            assertFalse(attached.isCreator());
            assertEquals(4096, attached.size());
            created.buffer().putLongVolatile(8, 0x1234_5678_9abcL);
            assertEquals(0x1234_5678_9abcL, attached.buffer().getLongVolatile(8));
            assertTrue(created.name().startsWith("mp4j-"), created.name());
            assertTrue(Files.exists(ResourceTracker.directory().resolve(created.name())));
        }
    }

    @Test
    void shouldStartZeroFilled() {
        try (SharedMemory m = SharedMemory.create(10_000)) {
            byte[] all = new byte[10_000];
            m.read(0, all, 0, all.length);
            assertArrayEquals(new byte[10_000], all);
        }
    }

    @Test
    void shouldUnlinkWhenTheLastUserClosesWhoeverItIs() {
        SharedMemory created = SharedMemory.create(64);
        Path file = ResourceTracker.directory().resolve(created.name());
        SharedMemory attached = SharedMemory.attach(created.name());
        attached.close();
        assertTrue(Files.exists(file), "an attacher's close leaves the segment to its creator");
        created.close();
        assertFalse(Files.exists(file), "the creator, the last user, unlinks it");
        created.close(); // twice is harmless
        attached.close();

        SharedMemory creator = SharedMemory.create(64);
        Path other = ResourceTracker.directory().resolve(creator.name());
        SharedMemory user = SharedMemory.attach(creator.name());
        creator.close();
        assertTrue(Files.exists(other), "the creator's close leaves the segment to the process still using it");
        try (SharedMemory late = SharedMemory.attach(creator.name())) {
            assertEquals(64, late.size());
        }
        user.close();
        assertFalse(Files.exists(other), "the last user, not the creator, unlinks it");
    }

    @Test
    void shouldKeepABlockWhoseHandleIsInFlightUntilItIsAttached() throws Exception {
        SharedMemory created = SharedMemory.create(64);
        Path file = ResourceTracker.directory().resolve(created.name());
        created.buffer().putInt(0, 7);
        org.multiproc4j.core.Handle inFlight = created.handle(); // written for a recipient not known yet
        created.close();
        assertTrue(Files.exists(file), "a handle in flight keeps the block");
        try (SharedMemory arrived = (SharedMemory) inFlight.attach()) {
            assertEquals(7, arrived.buffer().getInt(0));
        }
        assertFalse(Files.exists(file), "its receiver, the last user, unlinks it");
    }

    @Test
    void shouldKeepNothingForAHandleThatWillNeverArriveOrWhoseRecipientIsDead() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        for (ProcessHandle recipient : new ProcessHandle[] {null, gone.toHandle()}) {
            SharedMemory created = SharedMemory.create(64);
            Path file = ResourceTracker.directory().resolve(created.name());
            created.handle();
            created.handedOver(recipient);
            created.close();
            assertFalse(Files.exists(file), "the creator's close unlinks it: nobody will attach the handle ("
                    + recipient + ")");
        }
    }

    @Test
    void shouldKeepABlockForALiveRecipientUntilItAttaches() throws Exception {
        SharedMemory created = SharedMemory.create(64);
        Path file = ResourceTracker.directory().resolve(created.name());
        org.multiproc4j.core.Handle handle = created.handle();
        created.handedOver(ProcessHandle.current()); // this JVM plays the child that was handed it
        created.close();
        assertTrue(Files.exists(file), "kept for the recipient, which has not attached it yet");
        ((SharedMemory) handle.attach()).close();
        assertFalse(Files.exists(file), "the recipient's attach ended its pending use; its close unlinks it");
    }

    @Test
    void shouldKeepMappingsValidAfterUnlink() {
        try (SharedMemory created = SharedMemory.create(64);
             SharedMemory attached = SharedMemory.attach(created.name())) {
            assertTrue(attached.unlink());
            assertFalse(created.unlink(), "second unlink does nothing");
            created.buffer().putInt(0, 77);
            assertEquals(77, attached.buffer().getInt(0));
            SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(created.name()));
            assertTrue(e.getMessage().contains("no shared memory segment of that name"), e.getMessage());
        }
    }

    @Test
    void shouldCreateAndAttachByUserName() {
        String name = uniqueName();
        try (SharedMemory created = SharedMemory.create(name, 128);
             SharedMemory attached = SharedMemory.attach(name);
             SharedMemory attachedWithPrefix = SharedMemory.attach("mp4j-" + name)) {
            assertEquals("mp4j-" + name, created.name());
            created.write(3, new byte[] {1, 2, 3}, 0, 3);
            byte[] back = new byte[3];
            attached.read(3, back, 0, 3);
            assertArrayEquals(new byte[] {1, 2, 3}, back);
            attachedWithPrefix.read(4, back, 0, 1);
            assertEquals(2, back[0]);
        }
    }

    @Test
    void shouldRefuseADuplicateName() {
        String name = uniqueName();
        try (SharedMemory created = SharedMemory.create(name, 128)) {
            SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> SharedMemory.create(name, 128));
            assertEquals("a shared memory segment named mp4j-" + name + " already exists in "
                    + ResourceTracker.directory() + " (created by pid " + ProcessHandle.current().pid() + ")", e.getMessage());
            assertEquals(128, created.size());
        }
    }

    @Test
    void shouldNameBadSizesAndNames() {
        assertEquals("shared memory size must be positive: size=-1",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(-1)).getMessage());
        assertEquals("shared memory size must be positive: size=0",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0)).getMessage());
        assertEquals("bad shared memory name 'a/b': use 1 to 200 letters, digits, '.', '_' or '-'",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("a/b", 8)).getMessage());
        assertEquals("bad shared memory name '': use 1 to 200 letters, digits, '.', '_' or '-'",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach("")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("mp4j-12-ab-3", 8))
                .getMessage().contains("reserved for generated names"));
        assertEquals("shared memory size too large: size=" + Long.MAX_VALUE + ", at most "
                + (Long.MAX_VALUE - SegmentDescriptor.HEADER_LENGTH - (1L << 30)) + " bytes",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(Long.MAX_VALUE)).getMessage());
        SharedMemoryException tooBig = assertThrows(SharedMemoryException.class, () -> SharedMemory.create(Long.MAX_VALUE / 4));
        assertTrue(tooBig.getMessage().startsWith("cannot create a shared memory segment of " + Long.MAX_VALUE / 4 + " bytes: "),
                tooBig.getMessage());
    }

    @Test
    void shouldNameAMissingSegment() {
        SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach("no-such-segment"));
        assertEquals("cannot attach mp4j-no-such-segment as a SharedMemory block: no shared memory segment of that name in "
                + ResourceTracker.directory() + " (it was never created, or it was removed: every process that used it has "
                + "closed it or died, or it was unlinked)", e.getMessage());
    }

    @Test
    void shouldRefuseASegmentTooSmallForItsHeader() throws IOException {
        String name = uniqueName();
        try (SharedMemory m = SharedMemory.create(name, 8192)) {
            try (FileChannel ch = FileChannel.open(ResourceTracker.directory().resolve(m.name()), StandardOpenOption.WRITE)) {
                ch.truncate(SegmentDescriptor.HEADER_LENGTH + 100);
            }
            SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
            assertEquals("cannot attach mp4j-" + name + " as a SharedMemory block: segment too small: its header says 8192 "
                    + "data bytes, the file holds 100", e.getMessage());
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotASegment() throws IOException {
        Path file = ResourceTracker.directory().resolve("mp4j-" + uniqueName());
        try {
            Files.write(file, new byte[10]);
            SharedMemoryException small = assertThrows(SharedMemoryException.class,
                    () -> SharedMemory.attach(file.getFileName().toString()));
            assertTrue(small.getMessage().endsWith("the file is 10 bytes, too small for a multiproc4j segment header of "
                    + SegmentDescriptor.HEADER_LENGTH + " bytes"),
                    small.getMessage());
            byte[] junk = new byte[300];
            junk[0] = 'x';
            Files.write(file, junk);
            SharedMemoryException magic = assertThrows(SharedMemoryException.class,
                    () -> SharedMemory.attach(file.getFileName().toString()));
            assertTrue(magic.getMessage().endsWith("not a multiproc4j segment (magic=0x78, expected 0x314d48534a34504d)"),
                    magic.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldRefuseAnotherLayoutVersion() throws IOException {
        String name = uniqueName();
        try (SharedMemory m = SharedMemory.create(name, 64)) {
            try (FileChannel ch = FileChannel.open(ResourceTracker.directory().resolve(m.name()), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 99), SegmentDescriptor.VERSION_OFFSET);
            }
            SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
            assertEquals("cannot attach mp4j-" + name + " as a SharedMemory block: its layout version is 99, this "
                    + "multiproc4j reads version " + SegmentDescriptor.VERSION, e.getMessage());
        }
    }

    @Test
    void shouldRefuseToAttachATypedObjectAsRawMemory() {
        try (SharedInt v = SharedInt.create(1)) {
            SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(v.name()));
            assertEquals("cannot attach " + v.name() + " as a SharedMemory block: it holds a shared value", e.getMessage());
        }
    }

    @Test
    void shouldCopyWithArraysAndBuffers() {
        try (SharedMemory m = SharedMemory.create(1000)) {
            byte[] src = new byte[100];
            for (int i = 0; i < src.length; i++) {
                src[i] = (byte) i;
            }
            m.write(900, src, 0, 100);
            ByteBuffer direct = ByteBuffer.allocateDirect(50);
            m.read(950, direct);
            assertEquals(50, direct.position());
            assertEquals(50, direct.get(0));
            ByteBuffer heap = ByteBuffer.wrap(new byte[10], 2, 5);
            m.read(901, heap);
            assertEquals(7, heap.position());
            assertEquals(1, heap.array()[2]);
            ByteBuffer readOnly = ByteBuffer.wrap(new byte[] {9, 9}).asReadOnlyBuffer();
            m.write(0, readOnly);
            assertEquals(9, m.buffer().getByte(1));
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> m.read(0, ByteBuffer.allocate(2).asReadOnlyBuffer()));
        }
    }

    @Test
    void shouldNameOutOfBoundsRanges() {
        try (SharedMemory m = SharedMemory.create(100)) {
            assertEquals("read: range [90, 90 + 20) out of bounds for block size 100",
                    assertThrows(IndexOutOfBoundsException.class, () -> m.read(90, new byte[20], 0, 20)).getMessage());
            assertEquals("write: range [5, 5 + 10) out of bounds for array length 10",
                    assertThrows(IndexOutOfBoundsException.class, () -> m.write(0, new byte[10], 5, 10)).getMessage());
            assertEquals("window out of bounds: offset=99, length=2, size=100",
                    assertThrows(IndexOutOfBoundsException.class, () -> m.buffer(99, 2)).getMessage());
            assertEquals("read: range [-1, -1 + 1) out of bounds for block size 100",
                    assertThrows(IndexOutOfBoundsException.class, () -> m.read(-1, ByteBuffer.allocate(1))).getMessage());
        }
    }

    @Test
    void shouldViewWindows() {
        try (SharedMemory m = SharedMemory.create(256)) {
            AtomicBuffer w = m.buffer(128, 64);
            assertEquals(64, w.capacity());
            w.putInt(0, 5);
            assertEquals(5, m.buffer().getInt(128));
        }
    }

    @Test
    void shouldThrowIllegalStateAfterClose() {
        SharedMemory m = SharedMemory.create(64);
        m.close();
        assertEquals("shared memory segment " + m.name() + " is closed",
                assertThrows(IllegalStateException.class, m::buffer).getMessage());
        assertThrows(IllegalStateException.class, () -> m.read(0, new byte[1], 0, 1));
        assertTrue(m.toString().endsWith(", closed]"), m.toString());
    }

    @Test
    void shouldTravelAsItsName() throws Exception {
        try (SharedMemory m = SharedMemory.create(64)) {
            Object attached = m.handle().attach();
            try (SharedMemory other = (SharedMemory) attached) {
                m.buffer().putInt(0, 42);
                assertEquals(42, other.buffer().getInt(0));
                assertFalse(other.isCreator());
            }
        }
    }
}
