package org.multiproc4j.sharedmem.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.agrona.UnsafeApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** The users table of a segment header, driven from one process (the IT drives it with child JVMs). */
@ExtendWith(LeakCheck.class)
class SegmentUsersTest {
    private static final String ME = ProcessIdentity.describe(ProcessIdentity.SELF_TOKEN);

    private static Segment create() {
        return Segment.create(null, SegmentDescriptor.KIND_RAW, 1, 64, null);
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void shouldCountOpensTransitsAndPendingUsesOfEachProcess() {
        Segment s = create();
        try {
            assertEquals(ME + ": 1 open, 0 pending, 0 in transit", s.users());
            long sender = s.sending();
            assertEquals(ProcessIdentity.SELF_TOKEN, sender);
            assertEquals(ME + ": 1 open, 0 pending, 1 in transit", s.users());
            s.handedOver(ProcessHandle.current());
            assertEquals(ME + ": 1 open, 1 pending, 0 in transit", s.users(), "the transit became a pending use");
            Segment arrived = Segment.attachingHandle(sender,
                    () -> Segment.attach(s.name(), SegmentDescriptor.KIND_RAW, 1, "a test segment"));
            assertEquals(ME + ": 2 open, 0 pending, 0 in transit", s.users(), "the attach ended the pending use");
            arrived.close();
            Segment byName = Segment.attach(s.name(), SegmentDescriptor.KIND_RAW, 1, "a test segment");
            assertEquals(ME + ": 2 open, 0 pending, 0 in transit", s.users(), "an attach by name ends nothing");
            byName.close();
            s.sending();
            Segment fromMessage = Segment.attach(s.name(), SegmentDescriptor.KIND_RAW, 1, "a test segment", sender);
            assertEquals(ME + ": 2 open, 0 pending, 0 in transit", s.users(), "a receiver ends the sender's transit");
            fromMessage.close();
            s.sending();
            s.handedOver(null);
            assertEquals(ME + ": 1 open, 0 pending, 0 in transit", s.users(), "null undoes the transit");
        } finally {
            s.close();
        }
        assertFalse(Files.exists(s.path()));
    }

    @Test
    void shouldRefuseToJoinARetiredSegment() {
        Segment s = create();
        try {
            SegmentUsers.retire(s.headerAddress(0));
            SharedMemoryException e = assertThrows(SharedMemoryException.class,
                    () -> Segment.attach(s.name(), SegmentDescriptor.KIND_RAW, 1, "a test segment"));
            assertEquals("cannot attach " + s.name() + " as a test segment: it was removed (every process that used"
                    + " it has closed it or died)", e.getMessage());
        } finally {
            s.close();
        }
        assertFalse(Files.exists(s.path()));
    }

    @Test
    void shouldTakeTheTableOverFromAHolderThatDied() throws Exception {
        Segment s = create();
        long lock = s.headerAddress(SegmentDescriptor.USERS_LOCK_OFFSET);
        UnsafeApi.putLongVolatile(null, lock, ProcessIdentity.token(deadPid(), 1)); // died while updating it
        assertTimeoutPreemptively(Timeouts.SHORT, s::close);
        assertFalse(Files.exists(s.path()), "the close went through and removed it");
    }

    @Test
    void shouldCountDeadProcessesForNothing() throws Exception {
        Segment s = create();
        long dead = ProcessIdentity.token(deadPid(), 1);
        long entry = s.headerAddress(SegmentDescriptor.USERS_TABLE_OFFSET + SegmentDescriptor.USER_LENGTH);
        UnsafeApi.putInt(null, entry + SegmentDescriptor.USER_OPEN, 3);
        UnsafeApi.putInt(null, entry + SegmentDescriptor.USER_PENDING, 1);
        UnsafeApi.putLongVolatile(null, entry + SegmentDescriptor.USER_TOKEN, dead); // a user killed with it open
        assertEquals(ME + ": 1 open, 0 pending, 0 in transit", s.users());
        s.close();
        assertFalse(Files.exists(s.path()), "only a dead process still had it open");
    }

    @Test
    void shouldKeepTheNameForALiveRecipientAndSweepItOnceItDies() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        Segment s = create();
        try {
            s.sending();
            s.handedOver(sleeper.toHandle());
            s.close();
            assertTrue(Files.exists(s.path()), "kept for the live recipient");
            sleeper.destroyForcibly();
            sleeper.waitFor();
            assertTrue(Segments.sweep().contains(s.name()), "the recipient died: this JVM's sweep removes it");
            assertFalse(Files.exists(s.path()));
        } finally {
            sleeper.destroyForcibly();
            s.close();
        }
    }
}
