package org.multiproc4j.sharedmem.sync;

import org.multiproc4j.core.Handle;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * What a synchronisation object travels as to another JVM: its kind, its segment's name, the process that
 * wrote the handle and how its waiters idle.
 * A class, not a record: a record's first deserialization in a JVM spins method-handle classes that no class-data
 * archive keeps, tens of milliseconds of a child's start (pool workers, manager clients, MPI ranks).
 */
final class SyncHandle implements Handle {
    private static final long serialVersionUID = 4L;
    /** Which synchronisation object it is. */
    private final int kind;
    /** Its segment's name. */
    private final String name;
    /** The token of the process that wrote the handle. */
    private final long sender;
    /** How the attached object's waiting threads idle. */
    private final IdlePolicy idle;

    SyncHandle(int kind, String name, long sender, IdlePolicy idle) {
        this.kind = kind;
        this.name = name;
        this.sender = sender;
        this.idle = idle;
    }

    @Override
    public Object attach() {
        return Segment.attachingHandle(sender, this::attachByName);
    }

    private Object attachByName() {
        switch (kind) {
            case SegmentDescriptor.KIND_LOCK:
                return SharedLock.attach(name, idle);
            case SegmentDescriptor.KIND_REENTRANT_LOCK:
                return SharedReentrantLock.attach(name, idle);
            case SegmentDescriptor.KIND_SEMAPHORE:
                return SharedSemaphore.attach(name, idle);
            case SegmentDescriptor.KIND_EVENT:
                return SharedEvent.attach(name, idle);
            case SegmentDescriptor.KIND_CONDITION:
                return SharedCondition.attach(name, idle);
            case SegmentDescriptor.KIND_BARRIER:
                return SharedBarrier.attach(name, idle);
            default:
                throw new IllegalStateException("cannot attach " + name + ": unknown kind " + kind);
        }
    }
}
