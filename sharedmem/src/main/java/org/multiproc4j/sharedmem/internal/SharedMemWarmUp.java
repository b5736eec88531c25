package org.multiproc4j.sharedmem.internal;

import java.util.List;

import org.multiproc4j.core.spi.ChildWarmUp;

/**
 * Readies a warm spare for a task that attaches shared memory (see {@link ChildWarmUp#prepare()}): the classes on
 * the path from a handle to a mapped segment (the segment table, process identities, the users table, Agrona's
 * buffers and its {@code Unsafe} access), initialized, and the segment directory found. Attaching a shared value
 * in a fresh JVM otherwise spends some 20 ms in those static initializers after the task arrived. Opens no file
 * and maps nothing. In the JVM that trains the class-data archive, the same classes are loaded so that it holds
 * them.
 */
public final class SharedMemWarmUp implements ChildWarmUp {
    /** The classes attaching a shared value or array loads (from class-loading logs). */
    static final List<String> CLASSES = List.of(
            "org.multiproc4j.sharedmem.SharedMemoryException",
            "org.multiproc4j.sharedmem.SharedObject",
            "org.multiproc4j.sharedmem.SharedValue",
            "org.multiproc4j.sharedmem.SharedLong",
            "org.multiproc4j.sharedmem.SharedMemory",
            "org.multiproc4j.sharedmem.IdlePolicy",
            "org.multiproc4j.sharedmem.IdlePolicy$Kind",
            "org.multiproc4j.sharedmem.internal.Segment",
            "org.multiproc4j.sharedmem.internal.Segments",
            "org.multiproc4j.sharedmem.internal.AgronaAccess",
            "org.multiproc4j.sharedmem.internal.ProcessIdentity",
            "org.multiproc4j.sharedmem.internal.RetiredMappings",
            "org.multiproc4j.sharedmem.internal.SegmentUsers",
            "org.multiproc4j.sharedmem.internal.LockWord",
            "org.multiproc4j.sharedmem.internal.Bulk",
            "org.multiproc4j.sharedmem.internal.TimedBackoffIdleStrategy",
            "org.multiproc4j.core.internal.ProcStat",
            "org.agrona.concurrent.UnsafeBuffer",
            "org.agrona.UnsafeApi",
            "org.agrona.BufferUtil",
            "org.agrona.SystemUtil",
            "org.agrona.BitUtil",
            "org.agrona.ExpandableArrayBuffer");

    /** Creates the warm-up (found by {@link java.util.ServiceLoader}). */
    public SharedMemWarmUp() {
    }

    @Override
    public void warmUp() {
        prepare();
    }

    @Override
    public void prepare() {
        ChildWarmUp.initialize(SharedMemWarmUp.class.getClassLoader(), CLASSES);
        Segments.directory();
    }
}
