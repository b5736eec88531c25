package org.multiproc4j.sharedmem.sync;

import org.multiproc4j.core.Handle;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * What a synchronisation object travels as to another JVM: its kind and its segment's name.
 *
 * @param kind which synchronisation object it is.
 * @param name its segment's name.
 */
record SyncHandle(int kind, String name) implements Handle {
    private static final long serialVersionUID = 1L;

    @Override
    public Object attach() {
        switch (kind) {
            case SegmentDescriptor.KIND_LOCK:
                return SharedLock.attach(name);
            case SegmentDescriptor.KIND_REENTRANT_LOCK:
                return SharedReentrantLock.attach(name);
            case SegmentDescriptor.KIND_SEMAPHORE:
                return SharedSemaphore.attach(name);
            case SegmentDescriptor.KIND_EVENT:
                return SharedEvent.attach(name);
            case SegmentDescriptor.KIND_CONDITION:
                return SharedCondition.attach(name);
            case SegmentDescriptor.KIND_BARRIER:
                return SharedBarrier.attach(name);
            default:
                throw new IllegalStateException("cannot attach " + name + ": unknown kind " + kind);
        }
    }
}
