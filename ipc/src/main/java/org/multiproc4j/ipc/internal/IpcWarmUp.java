package org.multiproc4j.ipc.internal;

import java.util.List;

import org.multiproc4j.core.spi.ChildWarmUp;

/**
 * Readies a warm spare for a task that attaches a pipe end or a queue (see {@link ChildWarmUp#prepare()}): the
 * classes on the path from a handle to a working channel (the ring buffers, senders and receivers, the frames, the
 * default codec they encode with), initialized. A task that captures a pipe end otherwise spends some 30 ms in
 * those static initializers after it arrived. Opens nothing. In the JVM that trains the class-data archive, the
 * same classes are loaded so that it holds them.
 */
public final class IpcWarmUp implements ChildWarmUp {
    /** The classes attaching and using a pipe end or a queue loads (from class-loading logs). */
    static final List<String> CLASSES = List.of(
            "org.multiproc4j.ipc.Pipe",
            "org.multiproc4j.ipc.PipeConnection",
            "org.multiproc4j.ipc.PipeConnection$ConnectionHandle",
            "org.multiproc4j.ipc.ChannelOptions",
            "org.multiproc4j.ipc.BrokenPipeException",
            "org.multiproc4j.ipc.BufferTooShortException",
            "org.multiproc4j.ipc.SharedQueue",
            "org.multiproc4j.ipc.SimpleSharedQueue",
            "org.multiproc4j.ipc.JoinableSharedQueue",
            "org.multiproc4j.ipc.internal.PipeEnd",
            "org.multiproc4j.ipc.internal.ChannelSegment",
            "org.multiproc4j.ipc.internal.AgronaWire",
            "org.multiproc4j.ipc.internal.PipeSender",
            "org.multiproc4j.ipc.internal.PipeReceiver",
            "org.multiproc4j.ipc.internal.PipeReceiver$RecordHandler",
            "org.multiproc4j.ipc.internal.PipeDescriptor",
            "org.multiproc4j.ipc.internal.Frames",
            "org.multiproc4j.ipc.internal.Sink",
            "org.multiproc4j.ipc.internal.QueueCore",
            "org.multiproc4j.ipc.internal.QueueRing",
            "org.multiproc4j.ipc.internal.QueueDescriptor",
            "org.multiproc4j.ipc.internal.QueueProducer",
            "org.multiproc4j.ipc.internal.QueueConsumer",
            "org.multiproc4j.core.codec.Codecs",
            "org.multiproc4j.core.codec.JdkCodec",
            "org.multiproc4j.core.codec.PerThread",
            "org.agrona.concurrent.ringbuffer.RingBufferDescriptor",
            "org.agrona.concurrent.ringbuffer.OneToOneRingBuffer",
            "org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer");

    /** Creates the warm-up (found by {@link java.util.ServiceLoader}). */
    public IpcWarmUp() {
    }

    @Override
    public void warmUp() {
        prepare();
    }

    @Override
    public void prepare() {
        ChildWarmUp.initialize(IpcWarmUp.class.getClassLoader(), CLASSES);
    }
}
