package org.multiproc4j.ipc.durable;

import static org.multiproc4j.ipc.durable.internal.QueueDescriptor.FREE;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.UnrecoverableTimeoutException;

import org.agrona.concurrent.IdleStrategy;
import org.multiproc4j.core.Handle;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.durable.internal.ClaimFile;
import org.multiproc4j.ipc.durable.internal.Markers;
import org.multiproc4j.ipc.durable.internal.QueueDescriptor;
import org.multiproc4j.ipc.durable.internal.RollPeriods;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * A persistent queue in a directory, shared by any number of producer and consumer processes on one machine:
 * every message appended is consumed exactly once among competing consumers, and nothing is lost when any of
 * them is killed. Built on Chronicle Queue, whose files hold the messages; multiproc4j adds the claiming that
 * turns Chronicle's broadcast log into a work queue. Python's {@code multiprocessing} has no equivalent.
 *
 * <pre>{@code
 * try (DurableQueue<String> queue = DurableQueue.open(Path.of("/var/tmp/jobs"))) {
 *     queue.append("job 1");                              // durable once this returns
 *     new JvmProcess(() -> {                              // the queue travels as its directory
 *         String job = queue.take();                      // consumed exactly once
 *         System.out.println("did " + job);
 *     }).start().join();
 * }
 * }</pre>
 *
 * <h2>Two ways to consume</h2>
 * <ul>
 * <li>{@link #take()} (and {@link #poll()}, {@link #poll(Duration)}): the message is <em>consumed</em> when the
 * call returns it. The commit is made just before returning, so a consumer killed right after a {@code take}
 * returned has consumed that message even if it never used it: a killed consumer loses at most the one message
 * it had just taken, exactly as a {@code Queue.get} that returned.</li>
 * <li>{@link #receive()} (and {@link #receive(Duration)}): the message is <em>delivered</em> to this consumer
 * and consumed only when its {@link Delivery#ack()} is called. If the consumer dies, closes the queue or
 * {@linkplain Delivery#release() releases} it before acknowledging, the message is delivered again to a
 * consumer (within {@link Options#recoveryInterval(Duration)} of one looking for work), flagged
 * {@link Delivery#redelivered()}. Nothing is lost; a message is processed twice only if a consumer died
 * between finishing its work and {@code ack}, so make that work idempotent if it matters.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li><b>Appended</b> means {@link #append(Object)} returned: the message is in the queue's files (the
 * operating system's page cache) and survives the death of any process, including its producer. It is not
 * forced to disk: a power failure or kernel crash may lose the last messages. A producer killed during
 * {@code append} appended the message whole or not at all; a torn message is never delivered. If it died
 * holding Chronicle's write lock, other producers wait about three seconds before the lock is broken (a
 * process that opens the queue breaks it at once). If it died while creating the file of a new roll cycle,
 * before any message was in it, readers and writers wait about two seconds more; then Chronicle sets that file
 * aside ({@code *.discard}, which may be deleted) and starts the cycle anew.</li>
 * <li><b>Consumed exactly once.</b> Each message has a marker in a shared file; a consumer takes a message by
 * a compare-and-set of its marker (free to consumed, or free to delivered), which succeeds for exactly one
 * consumer in one process. So across any number of consumers, kills with {@code SIGKILL} at any instruction,
 * and a restart of every process, no message is consumed twice and none is skipped.</li>
 * <li><b>Order.</b> Messages are offered in the order they were appended (one producer's messages in the
 * order of its calls). Competing consumers take them in parallel, so the order in which they are processed
 * across consumers is not defined, and a redelivered message comes later than its neighbours.</li>
 * <li><b>Replay.</b> {@link #replay(Consumer)} reads every message still in the queue's files from the
 * start, consumed or not, without consuming anything. {@link #deleteConsumedCycles()} deletes the files of
 * old roll cycles whose messages are all consumed.</li>
 * </ul>
 *
 * <p><b>Thread and process safety.</b> All methods are thread-safe. Processes share a queue by opening the
 * same directory (or by passing the queue object to a {@code JvmProcess}, which re-opens it in the child).
 * The directory must be on a local file system: liveness of consumers is detected with {@code fcntl} locks
 * and markers are changed by atomic instructions on memory-mapped files.
 *
 * <p><b>Memory consistency effects.</b> Actions in a producer before {@code append} happen-before the return
 * of the {@code take} or {@code receive} of that message in any thread of any process, as far as the message's
 * content is concerned (it travels as an encoded copy).
 *
 * <p><b>Failure.</b> A value its {@linkplain Options#codec(Codec) codec} cannot encode (not serializable, say)
 * fails {@code append} in the caller's thread, naming its type; nothing is appended. A message larger than
 * {@link #MAX_MESSAGE_SIZE} once encoded is refused the same way. A message that cannot be decoded (a class
 * refused by the codec or missing here) is consumed and reported with a {@link SerializationException} naming
 * its index; it remains in {@code replay}.
 *
 * <p><b>Cost.</b> Opening the first queue in a JVM costs about half a second (Chronicle Queue's start-up);
 * later ones are cheap. Chronicle's cycle files are sparse: a few hundred KiB on disk for small queues, but
 * 80 MiB as {@code ls -l} shows them. Consumers wait by polling (Chronicle has no wake-up signal), with a
 * pause of at most {@link Options#maxPause(Duration)}.
 *
 * <p><b>JVM flags.</b> Chronicle Queue needs {@code --add-opens java.base/java.lang.reflect=ALL-UNNAMED
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED} in
 * every JVM that opens a queue, and {@code -Dchronicle.analytics.disable=true} keeps it from phoning home.
 * multiproc4j adds them to the child JVMs it starts; the JVM of your {@code main} needs them on its command
 * line.
 *
 * @param <E> the type of the messages.
 */
public final class DurableQueue<E> implements Shareable, AutoCloseable {
    /** The largest message, encoded, that a queue accepts: 16 MiB less one byte (Chronicle's block size / 4). */
    public static final int MAX_MESSAGE_SIZE = (16 << 20) - 1;

    private static final long BLOCK_SIZE = 64L << 20;
    /**
     * Chronicle's lock timeout: a process that died holding the queue's write lock (killed inside an append)
     * is found dead and its lock broken after 1.5 times this, by the processes that already have the queue
     * open (one that opens it breaks such a lock at once). A live holder is waited for, however long.
     */
    private static final long LOCK_TIMEOUT_MS = 2_000;
    private static final long RELEASED_BITS = 3L << 62;
    /** The first byte of every message in the files: the format of what follows (an object encoded by a codec). */
    private static final byte FORMAT = 1;

    private final Path directory;
    private final Options options;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final RollingResourcesCache files;
    private final ClaimFile claims;
    private final Markers markers;
    private final Codec codec;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock consumeLock = new ReentrantLock();
    private ExcerptAppender appender;
    private ExcerptTailer tailer;
    private ExcerptTailer sweeper;
    private ClaimFile.Session session;
    private long nextSweep;
    private volatile boolean closed;

    private DurableQueue(Path directory, Options options) throws IOException {
        this.directory = directory;
        this.options = options;
        this.codec = options.codec;
        ClaimFile c = null;
        Markers m = null;
        SingleChronicleQueue q = null;
        try {
            c = ClaimFile.open(directory);
            m = new Markers(directory);
            q = SingleChronicleQueueBuilder.single(directory.toFile())
                    .rollCycle(RollPeriods.cycle(options.rollPeriod))
                    .blockSize(BLOCK_SIZE)
                    .timeoutMS(LOCK_TIMEOUT_MS)
                    .checkInterrupts(false)
                    .build();
        } catch (IOException | RuntimeException | Error e) {
            if (q != null) {
                q.close();
            }
            if (m != null) {
                m.close();
            }
            if (c != null) {
                c.release();
            }
            throw e;
        }
        this.claims = c;
        this.markers = m;
        this.queue = q;
        this.rollCycle = q.rollCycle();
        this.files = new RollingResourcesCache(rollCycle, q.epoch(),
                name -> new File(directory.toFile(), name + SingleChronicleQueue.SUFFIX),
                f -> f.getName().substring(0, f.getName().length() - SingleChronicleQueue.SUFFIX.length()));
    }

    /**
     * Opens the queue in {@code directory}, creating it (and the directory) if needed, with default options.
     *
     * @param directory the queue's directory.
     * @param <E>       the type of the messages.
     * @return the queue; close it when done.
     * @throws IOException if the directory or the queue's files cannot be created or opened.
     */
    public static <E> DurableQueue<E> open(Path directory) throws IOException {
        return open(directory, new Options());
    }

    /**
     * Opens the queue in {@code directory}, creating it (and the directory) if needed.
     *
     * @param directory the queue's directory.
     * @param options   roll period, waiting, recovery, object filter; copied.
     * @param <E>       the type of the messages.
     * @return the queue; close it when done.
     * @throws IOException if the directory or the queue's files cannot be created or opened.
     */
    public static <E> DurableQueue<E> open(Path directory, Options options) throws IOException {
        Path dir = Files.createDirectories(Objects.requireNonNull(directory, "directory")).toAbsolutePath().normalize();
        return new DurableQueue<>(dir, new Options(Objects.requireNonNull(options, "options")));
    }

    /**
     * Returns the queue's directory.
     *
     * @return the absolute directory.
     */
    public Path directory() {
        return directory;
    }

    // ------------------------------------------------------------------------------------------- producing

    /**
     * Appends a message: encodes it in this thread, then writes it to the queue's files. When this method
     * returns the message is durable (see the class's guarantees) and visible to every consumer.
     *
     * @param message the message.
     * @return the message's index in the queue (increasing with every append, not consecutive across roll
     *         cycles).
     * @throws NullPointerException     if {@code message} is {@code null}.
     * @throws SerializationException   if it cannot be encoded (the message names the type); nothing is
     *                                  appended.
     * @throws IllegalArgumentException if its encoded form is larger than {@link #MAX_MESSAGE_SIZE}; nothing
     *                                  is appended.
     * @throws IllegalStateException    if the queue is closed.
     */
    public long append(E message) {
        Objects.requireNonNull(message, "message");
        byte[] bytes = codec.encode(message);
        if (bytes.length > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("cannot append a " + message.getClass().getName() + " of "
                    + bytes.length + " bytes (encoded) to " + this + ": more than the maximum of "
                    + MAX_MESSAGE_SIZE + " bytes; nothing was appended");
        }
        appendLock.lock();
        try {
            ensureOpen();
            if (appender == null) {
                appender = queue.createAppender();
                appender.singleThreadedCheckDisabled(true);
            }
            while (true) {
                DocumentContext dc;
                try {
                    dc = appender.writingDocument();
                } catch (UnrecoverableTimeoutException e) {
                    // the write lock is held by a live process (a long pause): keep waiting for it
                    continue;
                }
                try (dc) {
                    try {
                        Bytes<?> out = dc.wire().bytes();
                        out.writeByte(FORMAT);
                        out.write(bytes);
                    } catch (RuntimeException | Error e) {
                        dc.rollbackOnClose();
                        throw e;
                    }
                }
                return appender.lastIndexAppended();
            }
        } finally {
            appendLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- consuming

    /**
     * Takes the next message, waiting as long as it takes: the message is consumed when this method returns.
     *
     * @return the message.
     * @throws SerializationException if the message cannot be decoded; it is consumed nonetheless.
     * @throws InterruptedException   if the thread is interrupted while waiting; nothing is consumed.
     * @throws IllegalStateException  if the queue is closed (also while waiting).
     */
    public E take() throws InterruptedException {
        return decode(await(false, Long.MAX_VALUE));
    }

    /**
     * Takes the next message if there is one: the message is consumed when this method returns it.
     *
     * @return the message, or {@code null} if none is waiting.
     * @throws SerializationException as for {@link #take()}.
     * @throws IllegalStateException  if the queue is closed.
     */
    public E poll() {
        Claimed c = claimLocked(false);
        return c == null ? null : decode(c);
    }

    /**
     * Takes the next message, waiting at most {@code timeout}: the message is consumed when this method returns
     * it.
     *
     * @param timeout how long to wait; zero or negative means do not wait.
     * @return the message, or {@code null} if none came in time.
     * @throws SerializationException as for {@link #take()}.
     * @throws InterruptedException   if the thread is interrupted while waiting; nothing is consumed.
     * @throws IllegalStateException  if the queue is closed (also while waiting).
     */
    public E poll(Duration timeout) throws InterruptedException {
        Claimed c = await(false, Deadlines.of(timeout));
        return c == null ? null : decode(c);
    }

    /**
     * Receives the next message, waiting as long as it takes; it is consumed only when the delivery is
     * {@linkplain Delivery#ack() acknowledged}, and delivered again if this consumer dies, closes the queue or
     * releases it first.
     *
     * @return the delivery.
     * @throws SerializationException if the message cannot be decoded; it is consumed nonetheless.
     * @throws InterruptedException   if the thread is interrupted while waiting; nothing is delivered.
     * @throws IllegalStateException  if the queue is closed (also while waiting).
     */
    public Delivery<E> receive() throws InterruptedException {
        return deliver(await(true, Long.MAX_VALUE));
    }

    /**
     * Receives the next message, waiting at most {@code timeout} (see {@link #receive()}).
     *
     * @param timeout how long to wait; zero or negative means do not wait.
     * @return the delivery, or {@code null} if none came in time.
     * @throws SerializationException as for {@link #receive()}.
     * @throws InterruptedException   if the thread is interrupted while waiting; nothing is delivered.
     * @throws IllegalStateException  if the queue is closed (also while waiting).
     */
    public Delivery<E> receive(Duration timeout) throws InterruptedException {
        Claimed c = await(true, Deadlines.of(timeout));
        return c == null ? null : deliver(c);
    }

    private Claimed await(boolean delivery, long deadline) throws InterruptedException {
        // Chronicle has no wake-up signal: poll, first often, then with pauses doubling from 10 µs to maxPause
        long maxPause = Deadlines.nanos(options.maxPause);
        IdleStrategy idle = IdlePolicy.backoff(Duration.ofNanos(2_000), Duration.ofNanos(20_000),
                Duration.ofNanos(Math.min(10_000, maxPause)), Duration.ofNanos(maxPause)).newIdleStrategy();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Claimed c = claimLocked(delivery);
            if (c != null) {
                return c;
            }
            if (Deadlines.expired(deadline)) {
                return null;
            }
            idle.idle();
        }
    }

    /** A message this consumer has just claimed. */
    private record Claimed(long index, long marker, byte[] bytes, boolean redelivered) {
    }

    private Claimed claimLocked(boolean delivery) {
        consumeLock.lock();
        try {
            ensureOpen();
            if (session == null) {
                startConsuming();
            }
            long mine = delivery ? QueueDescriptor.claimed(session.slot(), session.epoch())
                    : QueueDescriptor.done(session.slot(), session.epoch());
            long now = System.nanoTime();
            if (now - nextSweep >= 0) {
                nextSweep = now + options.recoveryInterval.toNanos();
                Claimed c = sweep(mine, true);
                if (c != null) {
                    if (!c.redelivered()) {
                        resumeTailerAt(c.index());
                    }
                    return c;
                }
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return null;
                    }
                    long index = dc.index();
                    int cycle = rollCycle.toCycle(index);
                    long seq = rollCycle.toSequenceNumber(index);
                    long m = markers.get(cycle, seq);
                    if ((m == FREE || m == RELEASED_BITS) && markers.compareAndSet(cycle, seq, m, mine)) {
                        return new Claimed(index, mine, readBytes(dc), m != FREE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the queue in " + directory + ": " + e, e);
        } finally {
            consumeLock.unlock();
        }
    }

    private void startConsuming() throws IOException {
        session = claims.acquire();
        tailer = queue.createTailer();
        tailer.singleThreadedCheckDisabled(true);
        position(tailer, claims.lowWater());
        nextSweep = System.nanoTime();
    }

    /**
     * Moves the consuming tailer on to a message the sweep found free, which the tailer should have found itself.
     * Usually the tailer simply had not got there yet, and the move skips nothing free: a marker never becomes
     * free again, and the sweep takes the first takeable message from the low-water mark on. But a Chronicle
     * tailer that looked at a cycle file while its first header was incomplete (a producer killed while creating
     * the file; Chronicle waits for the header, then sets the file aside as {@code *.discard} and starts the cycle
     * anew) reads nothing ever after; repositioning it is what brings it back. Without this, such a consumer got
     * one message per recovery interval, from the sweep alone.
     */
    private void resumeTailerAt(long index) {
        position(tailer, index);
    }

    private static void position(ExcerptTailer t, long index) {
        if (index == 0 || !t.moveToIndex(index)) {
            t.toStart();
        }
    }

    /**
     * Looks at every message from the low-water mark on: raises the mark over the consumed ones and, when
     * {@code claim} is set, takes the first that is free, released, or delivered to a consumer that is gone.
     */
    private Claimed sweep(long mine, boolean claim) throws IOException {
        if (sweeper == null) {
            sweeper = queue.createTailer();
            sweeper.singleThreadedCheckDisabled(true);
        }
        long low = claims.lowWater();
        long newLow = low;
        boolean contiguous = true;
        Map<Long, Boolean> live = new HashMap<>();
        position(sweeper, low);
        try {
            while (true) {
                try (DocumentContext dc = sweeper.readingDocument()) {
                    if (!dc.isPresent()) {
                        return null;
                    }
                    long index = dc.index();
                    int cycle = rollCycle.toCycle(index);
                    long seq = rollCycle.toSequenceNumber(index);
                    long m = markers.get(cycle, seq);
                    if (QueueDescriptor.isDone(m)) {
                        if (contiguous) {
                            newLow = index;
                        }
                        continue;
                    }
                    contiguous = false;
                    if (!claim) {
                        continue;
                    }
                    boolean takeable = m == FREE || m == RELEASED_BITS
                            || (QueueDescriptor.isClaimed(m) && !isLive(m, live));
                    if (takeable && markers.compareAndSet(cycle, seq, m, mine)) {
                        return new Claimed(index, mine, readBytes(dc), m != FREE);
                    }
                }
            }
        } finally {
            if (newLow != low) {
                claims.advanceLowWater(newLow);
            }
        }
    }

    private boolean isLive(long marker, Map<Long, Boolean> cache) throws IOException {
        long key = marker & ~(3L << 62);
        Boolean alive = cache.get(key);
        if (alive == null) {
            alive = claims.isLive(QueueDescriptor.slot(marker), QueueDescriptor.epoch(marker));
            cache.put(key, alive);
        }
        return alive;
    }

    private static byte[] readBytes(DocumentContext dc) {
        Bytes<?> in = dc.wire().bytes();
        byte[] bytes = new byte[(int) in.readRemaining()];
        in.read(bytes);
        return bytes;
    }

    @SuppressWarnings("unchecked")
    private E decode(Claimed c) {
        return (E) decode(c.index(), c.bytes());
    }

    private Object decode(long index, byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new SerializationException("cannot read message " + Long.toHexString(index) + " of " + this
                    + ": its format " + (bytes.length == 0 ? "(empty)" : String.valueOf(bytes[0]))
                    + " is unknown here", null);
        }
        try {
            return codec.decode(bytes, 1, bytes.length - 1);
        } catch (SerializationException e) {
            throw new SerializationException("message " + Long.toHexString(index) + " of " + this
                    + " was consumed but cannot be read (replay() still has it): " + e.getMessage(), e);
        }
    }

    private Delivery<E> deliver(Claimed c) {
        E value;
        try {
            value = decode(c);
        } catch (SerializationException e) {
            settle(c.index(), c.marker(), QueueDescriptor.done(session.slot(), session.epoch()));
            throw e;
        }
        return new Delivery<>(this, c.index(), c.marker(), value, c.redelivered());
    }

    /** Moves a delivered message's marker on, if this consumer still holds it. */
    boolean settle(long index, long expected, long update) {
        consumeLock.lock();
        try {
            if (closed) {
                return false;
            }
            return markers.compareAndSet(rollCycle.toCycle(index), rollCycle.toSequenceNumber(index), expected, update);
        } finally {
            consumeLock.unlock();
        }
    }

    long doneMarker() {
        ClaimFile.Session s = session;
        return QueueDescriptor.done(s.slot(), s.epoch());
    }

    /** For tests: the marker of a message. */
    long markerOf(long index) {
        return markers.get(rollCycle.toCycle(index), rollCycle.toSequenceNumber(index));
    }

    /** For tests: starts consuming (takes a slot) and returns this consumer's slot and epoch. */
    long[] sessionForTests() throws IOException {
        consumeLock.lock();
        try {
            ensureOpen();
            if (session == null) {
                startConsuming();
            }
            return new long[] {session.slot(), session.epoch()};
        } finally {
            consumeLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- inspecting

    /**
     * Reads every message still in the queue's files, from the oldest, consumed or not, in append order,
     * without consuming anything. Messages appended while it runs may or may not be included.
     *
     * @param action called with each message, in this thread.
     * @return how many messages were read.
     * @throws SerializationException if a message cannot be decoded (the message names its index).
     * @throws IllegalStateException  if the queue is closed.
     */
    public long replay(Consumer<? super E> action) {
        Objects.requireNonNull(action, "action");
        return replayIndexed((index, value) -> action.accept(value));
    }

    /** {@link #replay(Consumer)}, with each message's index. */
    long replayIndexed(java.util.function.BiConsumer<Long, ? super E> action) {
        ensureOpen();
        long n = 0;
        try (ExcerptTailer t = queue.createTailer()) {
            t.toStart();
            while (true) {
                long index;
                byte[] bytes;
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return n;
                    }
                    index = dc.index();
                    bytes = readBytes(dc);
                }
                @SuppressWarnings("unchecked")
                E value = (E) decode(index, bytes);
                action.accept(index, value);
                n++;
            }
        }
    }

    /**
     * Counts the messages appended and not yet consumed (delivered but unacknowledged ones included). It reads
     * every message from the oldest not known to be consumed, so it costs time in proportion to that backlog;
     * by the time it returns, other processes may have changed the answer.
     *
     * @return the number of messages not yet consumed.
     * @throws IllegalStateException if the queue is closed.
     */
    public long size() {
        return scan()[0];
    }

    /**
     * Reads every message from the low-water mark on, raising the mark over the consumed ones.
     *
     * @return the number of messages not consumed, the index of the first of them (-1 if none), and the index
     *         of the last message read (-1 if none).
     */
    private long[] scan() {
        ensureOpen();
        long count = 0;
        long firstNotDone = -1;
        long last = -1;
        long low = claims.lowWater();
        long newLow = low;
        try (ExcerptTailer t = queue.createTailer()) {
            position(t, low);
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    long index = dc.index();
                    last = index;
                    if (QueueDescriptor.isDone(markerOf(index))) {
                        if (firstNotDone < 0) {
                            newLow = index;
                        }
                    } else {
                        if (firstNotDone < 0) {
                            firstNotDone = index;
                        }
                        count++;
                    }
                }
            }
        }
        claims.advanceLowWater(newLow);
        return new long[] {count, firstNotDone, last};
    }

    /**
     * Tells whether every message appended so far is consumed (see {@link #size()} for the cost).
     *
     * @return {@code true} if no message waits.
     * @throws IllegalStateException if the queue is closed.
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Deletes the files of the roll cycles that are over and whose messages are all consumed (their
     * Chronicle cycle files and multiproc4j's markers). Their messages disappear from {@link #replay(Consumer)}.
     * Processes that still read those files keep reading them safely until they move on.
     *
     * @return how many cycle files were deleted.
     * @throws IOException           if a file cannot be deleted.
     * @throws IllegalStateException if the queue is closed.
     */
    public int deleteConsumedCycles() throws IOException {
        long[] state = scan();
        long firstNotDone = state[1];
        long last = state[2];
        if (last < 0) {
            return 0;
        }
        // keep the cycle of the first message not consumed, and the last cycle (it may still be written)
        int keepFrom = rollCycle.toCycle(firstNotDone >= 0 ? firstNotDone : last);
        int deleted = 0;
        try (DirectoryStream<Path> cq4 = Files.newDirectoryStream(directory, "*" + SingleChronicleQueue.SUFFIX)) {
            for (Path f : cq4) {
                String name = f.getFileName().toString();
                int cycle;
                try {
                    cycle = files.parseCount(name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length()));
                } catch (RuntimeException e) {
                    continue;
                }
                if (cycle < keepFrom) {
                    Files.deleteIfExists(f);
                    markers.deleteCycle(cycle);
                    deleted++;
                }
            }
        }
        try (DirectoryStream<Path> marks = Files.newDirectoryStream(directory.resolve(QueueDescriptor.MARKS_DIR),
                "*" + QueueDescriptor.MARKS_SUFFIX)) {
            for (Path f : marks) {
                String name = f.getFileName().toString();
                try {
                    int cycle = Integer.parseInt(name.substring(0, name.length() - QueueDescriptor.MARKS_SUFFIX.length()));
                    if (cycle < keepFrom) {
                        markers.deleteCycle(cycle);
                    }
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        }
        queue.refreshDirectoryListing();
        return deleted;
    }

    // ------------------------------------------------------------------------------------------- the rest

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * Tells whether this queue object was closed.
     *
     * @return {@code true} once {@link #close()} was called.
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Returns the handle this queue travels as to another process: the directory and the options, codec
     * included (a codec that cannot be serialized, such as a JDK codec built from a filter object, makes the
     * task that captures the queue fail to start, naming it).
     *
     * @return the handle; attaching it opens the same queue.
     */
    @Override
    public Handle handle() {
        return new QueueHandle(directory.toString(), options.rollPeriod, options.maxPause, options.recoveryInterval,
                options.codec);
    }

    /**
     * What a queue travels as.
     *
     * @param directory        the queue's directory.
     * @param rollPeriod       how often it starts a new file (its roll cycle).
     * @param maxPause         the longest pause of a waiting consumer.
     * @param recoveryInterval how often a consumer looks back for messages to deliver again.
     * @param codec            how messages are encoded.
     */
    private record QueueHandle(String directory, Duration rollPeriod, Duration maxPause, Duration recoveryInterval,
                               Codec codec) implements Handle {
        private static final long serialVersionUID = 1L;

        @Override
        public Object attach() throws IOException {
            return open(Path.of(directory), new Options().rollPeriod(rollPeriod).maxPause(maxPause)
                    .recoveryInterval(recoveryInterval).codec(codec));
        }
    }

    /**
     * Closes this queue object (not the queue: its files stay, and so do other processes' objects). Deliveries
     * not yet acknowledged are given back to the queue. A thread blocked in {@code take} or {@code receive} on
     * this object fails with {@link IllegalStateException}. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumeLock.lock();
        try {
            if (tailer != null) {
                tailer.close();
            }
            if (sweeper != null) {
                sweeper.close();
            }
            if (session != null) {
                claims.release(session);
            }
        } finally {
            consumeLock.unlock();
        }
        appendLock.lock();
        try {
            if (appender != null) {
                appender.close();
            }
        } finally {
            appendLock.unlock();
        }
        queue.close();
        markers.close();
        claims.release();
    }

    @Override
    public String toString() {
        return "DurableQueue[" + directory + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------- deliveries

    /**
     * A message delivered by {@link DurableQueue#receive()}: it is consumed when {@link #ack()} is called, and
     * goes back to the queue on {@link #release()}, on {@link #close()} without an {@code ack}, when the queue
     * object is closed, or when this process dies.
     *
     * <pre>{@code
     * try (DurableQueue.Delivery<Job> d = queue.receive()) {
     *     run(d.value());
     *     d.ack();                 // without it (an exception above), close() gives the job back
     * }
     * }</pre>
     *
     * <p><b>Thread safety.</b> Thread-safe; {@code ack} and {@code release} take effect once.
     *
     * @param <E> the type of the message.
     */
    public static final class Delivery<E> implements AutoCloseable {
        private final DurableQueue<E> queue;
        private final long index;
        private final long marker;
        private final E value;
        private final boolean redelivered;
        private boolean settled;

        Delivery(DurableQueue<E> queue, long index, long marker, E value, boolean redelivered) {
            this.queue = queue;
            this.index = index;
            this.marker = marker;
            this.value = value;
            this.redelivered = redelivered;
        }

        /**
         * Returns the message.
         *
         * @return the message.
         */
        public E value() {
            return value;
        }

        /**
         * Returns the message's index in the queue.
         *
         * @return the index.
         */
        public long index() {
            return index;
        }

        /**
         * Tells whether the message was delivered before, to a consumer that died, closed its queue or released
         * it without acknowledging.
         *
         * @return {@code true} for a redelivery.
         */
        public boolean redelivered() {
            return redelivered;
        }

        /**
         * Consumes the message: nobody will receive it again.
         *
         * @throws IllegalStateException if it was already acknowledged or released, or the queue object was
         *                               closed (then the message was given back, and may be delivered again).
         */
        public synchronized void ack() {
            if (settled) {
                throw new IllegalStateException("delivery of message " + Long.toHexString(index)
                        + " was already acknowledged or released");
            }
            if (!queue.settle(index, marker, queue.doneMarker())) {
                settled = true;
                throw new IllegalStateException("delivery of message " + Long.toHexString(index) + " of " + queue
                        + " is no longer held: the queue object was closed, so it went back to the queue");
            }
            settled = true;
        }

        /**
         * Gives the message back to the queue, to be delivered again (to any consumer).
         *
         * @throws IllegalStateException if it was already acknowledged or released.
         */
        public synchronized void release() {
            if (settled) {
                throw new IllegalStateException("delivery of message " + Long.toHexString(index)
                        + " was already acknowledged or released");
            }
            settled = true;
            queue.settle(index, marker, RELEASED_BITS);
        }

        /** Releases the message unless it was acknowledged or released. Harmless twice. */
        @Override
        public synchronized void close() {
            if (!settled) {
                settled = true;
                queue.settle(index, marker, RELEASED_BITS);
            }
        }

        @Override
        public String toString() {
            return "Delivery[" + Long.toHexString(index) + (redelivered ? ", redelivered" : "") + ", " + value + "]";
        }
    }

    // ------------------------------------------------------------------------------------------- options

    /**
     * How a {@link DurableQueue} is opened. Every setting has a default a newcomer never needs to change.
     *
     * <pre>{@code
     * DurableQueue.Options options = new DurableQueue.Options()
     *         .rollPeriod(Duration.ofHours(1))
     *         .maxPause(Duration.ofMillis(1))
     *         .codec(Codecs.fast(Order.class));
     * }</pre>
     *
     * <p><b>Thread safety.</b> Not thread-safe: build it in one thread. A queue copies its options.
     */
    public static final class Options {
        private Duration rollPeriod = Duration.ofDays(1);
        private Duration maxPause = Duration.ofMillis(1);
        private Duration recoveryInterval = Duration.ofMillis(100);
        private Codec codec = Codecs.jdk();

        /** Creates options with every default. */
        public Options() {
        }

        Options(Options o) {
            rollPeriod = o.rollPeriod;
            maxPause = o.maxPause;
            recoveryInterval = o.recoveryInterval;
            codec = o.codec;
        }

        /**
         * Sets how often the queue starts a new file (a roll cycle): old cycles can be deleted once consumed
         * ({@link DurableQueue#deleteConsumedCycles()}). It is fixed when the queue is created; opening an
         * existing queue keeps its period, whatever this says.
         *
         * @param period one of 1 second (for tests), 1, 5, 10, 20 or 30 minutes, 1, 2, 4 or 6 hours, or 1 day
         *               (the default).
         * @return these options.
         * @throws IllegalArgumentException if the period is not one of those (the message lists them).
         */
        public Options rollPeriod(Duration period) {
            if (!RollPeriods.isSupported(Objects.requireNonNull(period, "period"))) {
                throw new IllegalArgumentException("unsupported roll period " + period + ": use one of "
                        + RollPeriods.supported());
            }
            this.rollPeriod = period;
            return this;
        }

        /**
         * Sets the longest pause of a waiting consumer between two looks at the queue (it spins, yields, then
         * parks for doubling periods up to this). Shorter means lower latency and more CPU while idle.
         *
         * @param pause a positive duration; default 1 ms.
         * @return these options.
         * @throws IllegalArgumentException if it is not positive.
         */
        public Options maxPause(Duration pause) {
            if (pause.isNegative() || pause.isZero()) {
                throw new IllegalArgumentException("maxPause must be positive: " + pause);
            }
            this.maxPause = pause;
            return this;
        }

        /**
         * Sets how often a consumer looks back for messages to deliver again (released ones, and those
         * delivered to consumers that died or closed without acknowledging). Looking back reads the messages
         * from the oldest one not consumed.
         *
         * @param interval a positive duration; default 100 ms.
         * @return these options.
         * @throws IllegalArgumentException if it is not positive.
         */
        public Options recoveryInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("recoveryInterval must be positive: " + interval);
            }
            this.recoveryInterval = interval;
            return this;
        }

        /**
         * Sets the codec that turns messages into bytes and back. Every process that opens the queue must use
         * the same kind of codec, registered alike, for as long as its files hold messages (a mismatch is
         * reported by {@code take} as a {@link SerializationException}).
         *
         * @param codec the codec; default {@link Codecs#jdk()} (any {@link java.io.Serializable}).
         *              {@code Codecs.jdk("com.example.*;java.base/*;!*")} allow-lists classes;
         *              {@code Codecs.fast(Order.class)} is many times faster for registered classes.
         * @return these options.
         * @throws NullPointerException if {@code codec} is {@code null}.
         */
        public Options codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        @Override
        public String toString() {
            return "DurableQueue.Options[rollPeriod=" + rollPeriod + ", maxPause=" + maxPause + ", recoveryInterval="
                    + recoveryInterval + ", codec=" + codec + "]";
        }
    }
}
