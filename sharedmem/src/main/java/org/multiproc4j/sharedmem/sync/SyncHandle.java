package org.multiproc4j.sharedmem.sync;

import org.multiproc4j.core.Handle;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * What a synchronisation object travels as to another JVM: its kind, its segment's name, the process that
 * wrote the handle and how its waiters idle.
 *
 * @param kind   which synchronisation object it is.
 * @param name   its segment's name.
 * @param sender the token of the process that wrote the handle.
 * @param idle   how the attached object's waiting threads idle.
 */
record SyncHandle(int kind, String name, long sender, IdlePolicy idle) implements Handle {
    private static final long serialVersionUID = 3L;

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
