package org.multiproc4j.ipc.durable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.agrona.concurrent.IdleStrategy;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.ProcessException;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.ipc.MessageQueue;
import org.multiproc4j.ipc.durable.internal.DurableLog;
import org.multiproc4j.ipc.durable.internal.RollPeriods;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * A persistent queue in a directory, shared by any number of producer and consumer processes on one machine:
 * every message appended is consumed exactly once among competing consumers, and nothing is lost when any of
 * them is killed. Built on Chronicle Queue, whose files hold the messages; multiproc4j adds the claiming that
 * turns Chronicle's broadcast log into a work queue. Python's {@code multiprocessing} has no equivalent.
 *
 * <pre>{@code
 * Path jobs = Files.createTempDirectory("jobs");
 * try (DurableQueue<String> queue = DurableQueue.open(jobs)) {
 *     queue.append("job 1");                              // durable once this returns
 *     new JvmProcess(() -> {                              // the queue travels as its directory
 *         String job = queue.take();                      // consumed exactly once
 *         System.out.println("did " + job);
 *     }).start().join();
 * }
 * }</pre>
 *
 * <p>It has the verbs every multiproc4j queue shares ({@link MessageQueue}): {@code put} and {@code offer} are
 * {@link #append(Object)} (the queue is never full, so they never wait and {@code offer} is always
 * {@code true}), {@code take} and {@code poll} consume as below, and a queue takes part in
 * {@link org.multiproc4j.core.Waitable#await(java.util.Collection, Duration) Waitable.await}.
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
 * <p><b>Memory consistency effects.</b> A message is a copy: the {@code take} or {@code receive} that delivers
 * it, in any thread of any process, returns it as the producer's thread encoded it in {@code append}, with the
 * effects of every action of that thread prior to the append. No edge is promised for shared memory (a consumer
 * may start after the producer is gone): see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
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
 * multiproc4j adds them to the child JVMs it starts whenever this module ({@code multiproc4j-ipc-durable}) is
 * on the classpath; the JVM of your {@code main} needs them on its command line.
 *
 * <p><b>Logging.</b> Chronicle Queue logs through SLF4J: its warnings (a write lock broken after a producer
 * died, a cycle file set aside) go to your SLF4J provider, if you have one; multiproc4j brings none. Without
 * one, SLF4J prints its "No SLF4J providers were found" notice once in your JVM (add a provider, or
 * {@code slf4j-nop} to drop the messages quietly); the child JVMs multiproc4j starts from such a JVM do not
 * repeat it.
 *
 * @param <E> the type of the messages.
 */
public final class DurableQueue<E> implements MessageQueue<E>, Shareable {
    /** The largest message, encoded, that a queue accepts: 16 MiB less one byte (Chronicle's block size / 4). */
    public static final int MAX_MESSAGE_SIZE = (16 << 20) - 1;

    /** The first byte of every message in the files: the format of what follows (an object encoded by a codec). */
    private static final byte FORMAT = 1;

    private final Path directory;
    private final Options options;
    private final Codec codec;
    private final DurableLog log;

    private DurableQueue(Path directory, Options options) throws IOException {
        this.directory = directory;
        this.options = options;
        this.codec = options.codec();
        this.log = DurableLog.open(directory, options.rollPeriod(), options.recoveryInterval());
    }

    /**
     * Opens the queue in {@code directory}, creating it (and the directory) if needed, with default options.
     *
     * @param directory the queue's directory.
     * @param <E>       the type of the messages.
     * @return the queue; close it when done.
     * @throws IOException          if the directory or the queue's files cannot be created or opened.
     * @throws NullPointerException if {@code directory} is {@code null}.
     */
    public static <E> DurableQueue<E> open(Path directory) throws IOException {
        return open(directory, new Options());
    }

    /**
     * Opens the queue in {@code directory}, creating it (and the directory) if needed.
     *
     * @param directory the queue's directory.
     * @param options   roll period, waiting, recovery, codec; copied.
     * @param <E>       the type of the messages.
     * @return the queue; close it when done.
     * @throws IOException          if the directory or the queue's files cannot be created or opened.
     * @throws NullPointerException if {@code directory} or {@code options} is {@code null}.
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
        return log.append(FORMAT, bytes);
    }

    /**
     * Appends a message, as {@link #append(Object)}: the queue is never full, so this never waits.
     *
     * @param e the message.
     * @throws NullPointerException     if {@code e} is {@code null}.
     * @throws SerializationException   if it cannot be encoded; nothing is appended.
     * @throws IllegalArgumentException if its encoded form is larger than {@link #MAX_MESSAGE_SIZE}.
     * @throws IllegalStateException    if the queue is closed.
     */
    @Override
    public void put(E e) {
        append(e);
    }

    /**
     * Appends a message, as {@link #append(Object)}.
     *
     * @param e the message.
     * @return {@code true}: the queue is never full.
     * @throws NullPointerException     if {@code e} is {@code null}.
     * @throws SerializationException   if it cannot be encoded; nothing is appended.
     * @throws IllegalArgumentException if its encoded form is larger than {@link #MAX_MESSAGE_SIZE}.
     * @throws IllegalStateException    if the queue is closed.
     */
    @Override
    public boolean offer(E e) {
        append(e);
        return true;
    }

    /**
     * Appends a message, as {@link #append(Object)}; the queue is never full, so this does not wait.
     *
     * @param e       the message.
     * @param timeout ignored (but not {@code null}).
     * @return {@code true}.
     * @throws NullPointerException     if {@code e} or {@code timeout} is {@code null}.
     * @throws SerializationException   if it cannot be encoded; nothing is appended.
     * @throws IllegalArgumentException if its encoded form is larger than {@link #MAX_MESSAGE_SIZE}.
     * @throws IllegalStateException    if the queue is closed.
     */
    @Override
    public boolean offer(E e, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        append(e);
        return true;
    }

    // ------------------------------------------------------------------------------------------- consuming

    /**
     * Takes the next message, waiting as long as it takes: the message is consumed when this method returns.
     *
     * @return the message.
     * @throws SerializationException if the message cannot be decoded; it is consumed nonetheless.
     * @throws InterruptedException   if the thread is interrupted while waiting; nothing is consumed.
     * @throws IllegalStateException  if the queue is closed (also while waiting).
     * @throws ProcessException       on this queue object's first consumption, if all the queue's consumer slots
     *                                (1024) are held by live queue objects.
     * @throws UncheckedIOException   if the queue's claim file cannot be read.
     */
    @Override
    public E take() throws InterruptedException {
        return decode(await(false, Long.MAX_VALUE));
    }

    /**
     * Takes the next message if there is one: the message is consumed when this method returns it.
     *
     * @return the message, or {@code null} if none is waiting.
     * @throws SerializationException as for {@link #take()}.
     * @throws IllegalStateException  if the queue is closed.
     * @throws ProcessException       as for {@link #take()}.
     * @throws UncheckedIOException   as for {@link #take()}.
     */
    @Override
    public E poll() {
        DurableLog.Claimed c = log.claim(false);
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
     * @throws ProcessException       as for {@link #take()}.
     * @throws UncheckedIOException   as for {@link #take()}.
     * @throws NullPointerException   if {@code timeout} is {@code null}.
     */
    @Override
    public E poll(Duration timeout) throws InterruptedException {
        DurableLog.Claimed c = await(false, Deadlines.of(timeout));
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
     * @throws ProcessException       as for {@link #take()}.
     * @throws UncheckedIOException   as for {@link #take()}.
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
     * @throws ProcessException       as for {@link #take()}.
     * @throws UncheckedIOException   as for {@link #take()}.
     * @throws NullPointerException   if {@code timeout} is {@code null}.
     */
    public Delivery<E> receive(Duration timeout) throws InterruptedException {
        DurableLog.Claimed c = await(true, Deadlines.of(timeout));
        return c == null ? null : deliver(c);
    }

    private DurableLog.Claimed await(boolean delivery, long deadline) throws InterruptedException {
        // Chronicle has no wake-up signal: poll, first often, then with pauses doubling from 10 µs to maxPause
        long maxPause = Deadlines.nanos(options.maxPause());
        IdleStrategy idle = IdlePolicy.backoff(Duration.ofNanos(2_000), Duration.ofNanos(20_000),
                Duration.ofNanos(Math.min(10_000, maxPause)), Duration.ofNanos(maxPause)).newIdleStrategy();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            DurableLog.Claimed c = log.claim(delivery);
            if (c != null) {
                return c;
            }
            if (Deadlines.expired(deadline)) {
                return null;
            }
            idle.idle();
        }
    }

    @SuppressWarnings("unchecked")
    private E decode(DurableLog.Claimed c) {
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

    private Delivery<E> deliver(DurableLog.Claimed c) {
        E value;
        try {
            value = decode(c);
        } catch (SerializationException e) {
            log.settle(c.index(), c.marker(), log.consumedMarker());
            throw e;
        }
        return new Delivery<>(log, c.index(), c.marker(), value, c.redelivered());
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
     * @throws NullPointerException   if {@code action} is {@code null}.
     */
    public long replay(Consumer<? super E> action) {
        Objects.requireNonNull(action, "action");
        return replayIndexed((index, value) -> action.accept(value));
    }

    /** {@link #replay(Consumer)}, with each message's index. */
    long replayIndexed(BiConsumer<Long, ? super E> action) {
        return log.replay((index, bytes) -> {
            @SuppressWarnings("unchecked")
            E value = (E) decode(index, bytes);
            action.accept(index, value);
        });
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
        return log.scan().notConsumed();
    }

    /**
     * Tells whether every message appended so far is consumed (see {@link #size()} for the cost).
     *
     * @return {@code true} if no message waits.
     * @throws IllegalStateException if the queue is closed.
     */
    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Tells, without blocking, whether a {@link #take()} would return or throw at once: a message is waiting
     * to be taken (not one delivered to a consumer and not acknowledged), or this object is closed. It reads
     * the messages from the oldest not known to be consumed up to the first that may be taken.
     *
     * @return {@code true} if a take would not block.
     */
    @Override
    public boolean isReady() {
        if (isClosed()) {
            return true;
        }
        try {
            return log.hasClaimable();
        } catch (IllegalStateException e) {
            return true; // closed meanwhile: a take throws at once
        }
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
        return log.deleteConsumedCycles();
    }

    // ------------------------------------------------------------------------------------------- the rest

    /**
     * Tells whether this queue object was closed.
     *
     * @return {@code true} once {@link #close()} was called.
     */
    @Override
    public boolean isClosed() {
        return log.isClosed();
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
        return new QueueHandle(directory.toString(), options.rollPeriod(), options.maxPause(),
                options.recoveryInterval(), options.codec());
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
        log.close();
    }

    @Override
    public String toString() {
        return log.toString();
    }

    // ------------------------------------------------------------------------------------------- options

    /**
     * How a {@link DurableQueue} is opened: its roll period, how its consumers wait and recover messages, and its
     * codec. Every setting has a default a newcomer never needs to change.
     *
     * <pre>{@code
     * DurableQueue.Options options = new DurableQueue.Options()
     *         .rollPeriod(Duration.ofHours(1))
     *         .maxPause(Duration.ofMillis(1))
     *         .codec(Codecs.fast(String.class));
     * }</pre>
     *
     * <p>Each setting has a setter and a getter of the same name; a setter checks its argument and throws, naming
     * the setting and the value, before it changes anything.
     *
     * <p><b>Thread safety.</b> Not thread-safe: configure it in one thread. A queue copies its options when it is
     * opened, so later changes do not affect it; its settings travel with the queue to child processes.
     */
    public static final class Options {
        /** Default {@link #rollPeriod()}: one day. */
        public static final Duration DEFAULT_ROLL_PERIOD = Duration.ofDays(1);
        /** Default {@link #maxPause()}: 1 ms. */
        public static final Duration DEFAULT_MAX_PAUSE = Duration.ofMillis(1);
        /** Default {@link #recoveryInterval()}: 100 ms. */
        public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofMillis(100);

        private Duration rollPeriod = DEFAULT_ROLL_PERIOD;
        private Duration maxPause = DEFAULT_MAX_PAUSE;
        private Duration recoveryInterval = DEFAULT_RECOVERY_INTERVAL;
        private Codec codec = Codecs.jdk();

        /** Creates options with every default. */
        public Options() {
        }

        /**
         * Copies options: the copy and {@code other} can then be changed independently.
         *
         * @param other the options to copy.
         * @throws NullPointerException if {@code other} is {@code null}.
         */
        public Options(Options other) {
            rollPeriod = other.rollPeriod;
            maxPause = other.maxPause;
            recoveryInterval = other.recoveryInterval;
            codec = other.codec;
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
         * @throws NullPointerException     if {@code period} is {@code null}.
         */
        public Options rollPeriod(Duration period) {
            if (!RollPeriods.isSupported(Objects.requireNonNull(period, "rollPeriod"))) {
                throw new IllegalArgumentException("rollPeriod must be one of " + RollPeriods.supported() + ", got "
                        + period);
            }
            this.rollPeriod = period;
            return this;
        }

        /**
         * Returns the roll period set.
         *
         * @return the period; default {@link #DEFAULT_ROLL_PERIOD}.
         */
        public Duration rollPeriod() {
            return rollPeriod;
        }

        /**
         * Sets the longest pause of a waiting consumer between two looks at the queue (it spins, yields, then
         * parks for doubling periods up to this). Shorter means lower latency and more CPU while idle.
         *
         * @param pause a positive duration; default {@link #DEFAULT_MAX_PAUSE}.
         * @return these options.
         * @throws IllegalArgumentException if it is not positive.
         * @throws NullPointerException     if {@code pause} is {@code null}.
         */
        public Options maxPause(Duration pause) {
            this.maxPause = positive(pause, "maxPause");
            return this;
        }

        /**
         * Returns the longest pause of a waiting consumer.
         *
         * @return the pause; default {@link #DEFAULT_MAX_PAUSE}.
         */
        public Duration maxPause() {
            return maxPause;
        }

        /**
         * Sets how often a consumer looks back for messages to deliver again (released ones, and those
         * delivered to consumers that died or closed without acknowledging). Looking back reads the messages
         * from the oldest one not consumed.
         *
         * @param interval a positive duration; default {@link #DEFAULT_RECOVERY_INTERVAL}.
         * @return these options.
         * @throws IllegalArgumentException if it is not positive.
         * @throws NullPointerException     if {@code interval} is {@code null}.
         */
        public Options recoveryInterval(Duration interval) {
            this.recoveryInterval = positive(interval, "recoveryInterval");
            return this;
        }

        /**
         * Returns how often a consumer looks back for messages to deliver again.
         *
         * @return the interval; default {@link #DEFAULT_RECOVERY_INTERVAL}.
         */
        public Duration recoveryInterval() {
            return recoveryInterval;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
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

        /**
         * Returns the codec of messages.
         *
         * @return the codec; default {@link Codecs#jdk()}.
         */
        public Codec codec() {
            return codec;
        }

        /**
         * Describes every setting.
         *
         * @return e.g. {@code DurableQueue.Options[rollPeriod=PT24H, maxPause=PT0.001S, ...]}.
         */
        @Override
        public String toString() {
            return "DurableQueue.Options[rollPeriod=" + rollPeriod + ", maxPause=" + maxPause + ", recoveryInterval="
                    + recoveryInterval + ", codec=" + codec + "]";
        }
    }
}
