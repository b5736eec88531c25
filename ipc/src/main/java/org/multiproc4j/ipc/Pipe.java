package org.multiproc4j.ipc;

import java.util.Objects;

import org.multiproc4j.ipc.internal.PipeEnd;

/**
 * A pair of connected {@link Connection}s ({@link PipeConnection}s): Java's counterpart of Python's {@code multiprocessing.Pipe()}. What
 * one end sends, the other receives, in order, through Agrona {@code OneToOneRingBuffer}s in a segment of
 * shared memory (one ring per direction).
 * <pre>{@code
 * try (Pipe pipe = Pipe.open()) {
 *     Connection receiver = pipe.second();
 *     JvmProcess child = new JvmProcess(() -> System.out.println(receiver.recv())).start();
 *     pipe.first().send(5 * 5 * 5);
 *     child.join();
 * }
 * }</pre>
 *
 * <p>{@link #open()} makes a duplex pipe: both ends send and receive. {@link #openOneWay()} makes a one-way
 * pipe, like {@code Pipe(duplex=False)}: {@link #first()} only receives and {@link #second()} only sends.
 * Either end may be handed to a child process by capturing it in the child's task (see {@link PipeConnection}).
 *
 * <p><b>Resources.</b> The segment lives in {@code /dev/shm} (the temp directory elsewhere) and is removed when
 * no live process uses the pipe any more: none has an end open, none was handed an end by
 * {@code JvmProcess.start()} and has not attached it yet (see the lifetime rule in the
 * {@linkplain org.multiproc4j.sharedmem sharedmem package summary}). Its rings take {@code 2 x capacity}
 * bytes of address space (1 MiB per direction by default, see {@link ChannelOptions#capacity(int)}); pages
 * take memory only once touched.
 *
 * <p><b>Thread safety.</b> The factory methods and {@link #close()} may be called from any thread.
 *
 * <p><b>Memory consistency effects.</b> Those of its {@link Connection}s: actions prior to sending a message
 * happen-before actions subsequent to its receipt at the other end (see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>).
 */
public final class Pipe implements AutoCloseable {
    private final PipeConnection first;
    private final PipeConnection second;

    private Pipe(PipeConnection first, PipeConnection second) {
        this.first = first;
        this.second = second;
    }

    /**
     * Opens a duplex pipe with the default options.
     *
     * @return the pipe.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static Pipe open() {
        return open(new ChannelOptions());
    }

    /**
     * Opens a duplex pipe.
     *
     * @param options the ring capacity per direction and the idle policy.
     * @return the pipe.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static Pipe open(ChannelOptions options) {
        return make(true, options);
    }

    /**
     * Opens a one-way pipe with the default options: {@link #first()} receives, {@link #second()} sends.
     *
     * @return the pipe.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static Pipe openOneWay() {
        return openOneWay(new ChannelOptions());
    }

    /**
     * Opens a one-way pipe: {@link #first()} receives, {@link #second()} sends.
     *
     * @param options the ring capacity and the idle policy.
     * @return the pipe.
     * @throws java.io.UncheckedIOException if the shared memory cannot be created.
     */
    public static Pipe openOneWay(ChannelOptions options) {
        return make(false, options);
    }

    private static Pipe make(boolean duplex, ChannelOptions options) {
        Objects.requireNonNull(options, "options");
        PipeEnd[] ends = PipeEnd.open(duplex, options.capacityOr(PipeEnd.DEFAULT_CAPACITY), new ChannelOptions(options));
        return new Pipe(new PipeConnection(ends[0]), new PipeConnection(ends[1]));
    }

    /**
     * Returns the first end (the receiving end of a one-way pipe).
     *
     * @return the first end.
     */
    public PipeConnection first() {
        return first;
    }

    /**
     * Returns the second end (the sending end of a one-way pipe).
     *
     * @return the second end.
     */
    public PipeConnection second() {
        return second;
    }

    /**
     * Closes both ends in this process (see {@link PipeConnection#close()}); ends handed to other processes stay
     * open there. Closing twice is harmless.
     */
    @Override
    public void close() {
        try {
            first.close();
        } finally {
            second.close();
        }
    }

    @Override
    public String toString() {
        return "Pipe[" + first + ", " + second + "]";
    }
}
