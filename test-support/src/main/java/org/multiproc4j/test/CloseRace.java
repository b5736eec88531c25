package org.multiproc4j.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A stress harness for "closed while in use": round after round it opens an object, starts threads that use it
 * (waiting in a blocking call, or calling quick methods in a loop), closes it from another thread at a random
 * moment (before the users got going, while they spin, or while they are parked deep in a wait), and checks
 * that every user ends within {@link #wakeBound(Duration) a bound} by throwing one of the expected exceptions,
 * and that every use after the close throws one at once. An object that touches unmapped memory crashes the
 * JVM (the test fork dies, which fails the build); one that misses the close leaves its user running, which
 * fails the round.
 *
 * <pre>{@code
 * CloseRace.of("pipe source", () -> java.nio.channels.Pipe.open().source())
 *         .user("read", source -> source.read(java.nio.ByteBuffer.allocate(1)))   // blocks: nothing is written
 *         .expect(java.nio.channels.ClosedChannelException.class)  // AsynchronousCloseException is one
 *         .rounds(100)
 *         .run();
 * }</pre>
 *
 * <p>A use is called again and again until it throws, so a blocking call that returns (a timed wait that timed
 * out) simply waits again. Each round ends with the object closed (by the harness or, if a round fails, by its
 * clean-up), so a test that uses it leaves nothing behind.
 *
 * @param <T> the type of the object.
 */
public final class CloseRace<T> {
    /** System property: the number of rounds of every race, overriding {@link #rounds(int)} (for a soak run). */
    public static final String ROUNDS_PROPERTY = "multiproc4j.test.closeRaceRounds";

    private final String what;
    private final Callable<T> open;
    private final List<String> names = new ArrayList<>();
    private final List<Use<T>> uses = new ArrayList<>();
    private Use<T> close = CloseRace::closeIt;
    private Use<T> prepare = t -> { };
    private Use<T> cleanup;
    private List<Class<?>> expected = List.of(IllegalStateException.class);
    private String messagePart;
    private int rounds = 64;
    private long maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(3);
    private Duration wakeBound = Timeouts.scaled(Duration.ofSeconds(5));

    /**
     * What a user thread does with the object: one call, which may block.
     *
     * @param <T> the type of the object.
     */
    @FunctionalInterface
    public interface Use<T> {
        /**
         * Uses the object once.
         *
         * @param object the object.
         * @throws Exception whatever the use throws; the harness checks it against the expected types.
         */
        void use(T object) throws Exception;
    }

    private CloseRace(String what, Callable<T> open) {
        this.what = what;
        this.open = open;
    }

    /**
     * Starts describing a race.
     *
     * @param what what is raced, for messages.
     * @param open opens a fresh object for each round.
     * @param <T>  the type of the object.
     * @return the race, with no users yet.
     */
    public static <T> CloseRace<T> of(String what, Callable<T> open) {
        return new CloseRace<>(what, open);
    }

    /**
     * Adds a user thread.
     *
     * @param name the use, for messages.
     * @param use  one call on the object; called until it throws.
     * @return this race.
     */
    public CloseRace<T> user(String name, Use<T> use) {
        names.add(name);
        uses.add(use);
        return this;
    }

    /**
     * Sets what is done to each fresh object before its users start (holding a lock they will wait for,
     * filling a bounded queue).
     *
     * @param prepare the preparation.
     * @return this race.
     */
    public CloseRace<T> prepare(Use<T> prepare) {
        this.prepare = prepare;
        return this;
    }

    /**
     * Sets how the object is closed (by default {@link AutoCloseable#close()}).
     *
     * @param close the close.
     * @return this race.
     */
    public CloseRace<T> closeWith(Use<T> close) {
        this.close = close;
        return this;
    }

    /**
     * Sets what releases everything a round opened, after the round (by default the close): for an object
     * whose close leaves something open on purpose (a condition closed without its lock).
     *
     * @param cleanup the clean-up.
     * @return this race.
     */
    public CloseRace<T> cleanup(Use<T> cleanup) {
        this.cleanup = cleanup;
        return this;
    }

    /**
     * Sets the exceptions a user may end with (by default {@link IllegalStateException}); subclasses count.
     *
     * @param types the accepted types.
     * @return this race.
     */
    public CloseRace<T> expect(Class<?>... types) {
        this.expected = Arrays.asList(types);
        return this;
    }

    /**
     * Requires the message of an expected exception to contain a text (say {@code "closed"}, so that an
     * {@link IllegalStateException} thrown for another reason does not count).
     *
     * @param part the text.
     * @return this race.
     */
    public CloseRace<T> expectMessageContaining(String part) {
        this.messagePart = part;
        return this;
    }

    /**
     * Sets the number of rounds (64 by default). The system property {@value #ROUNDS_PROPERTY}, when set, overrides
     * every race's number: a soak run ({@code -Dmultiproc4j.test.closeRaceRounds=2000}) without editing the tests.
     *
     * @param n the rounds.
     * @return this race.
     */
    public CloseRace<T> rounds(int n) {
        this.rounds = n;
        return this;
    }

    /**
     * Sets the longest random pause between the users' start and the close (3 ms by default: long enough
     * for a waiter to go from spinning to parking in its longest pauses).
     *
     * @param maxDelay the longest pause.
     * @return this race.
     */
    public CloseRace<T> maxDelay(Duration maxDelay) {
        this.maxDelayNanos = maxDelay.toNanos();
        return this;
    }

    /**
     * Sets how soon after the close every user must have ended, and how long the close itself may take (5
     * seconds, {@linkplain Timeouts#scaled(Duration) scaled}, by default: users normally end within a
     * millisecond or two, but a loaded machine may not run them for a while).
     *
     * @param bound the bound.
     * @return this race.
     */
    public CloseRace<T> wakeBound(Duration bound) {
        this.wakeBound = bound;
        return this;
    }

    /**
     * Runs the rounds.
     *
     * @throws AssertionError if a user did not end within the bound after the close, ended with an exception
     *                        of another type, or a use after the close did not throw an expected one.
     * @throws Exception      if opening or closing an object failed.
     */
    public void run() throws Exception {
        int rounds = Integer.getInteger(ROUNDS_PROPERTY, this.rounds);
        for (int round = 0; round < rounds; round++) {
            T object = open.call();
            try {
                runRound(round, rounds, object);
            } finally {
                (cleanup != null ? cleanup : close).use(object);
            }
        }
    }

    private void runRound(int round, int rounds, T object) throws Exception {
        prepare.use(object);
        int n = uses.size();
        CountDownLatch started = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>(n);
        List<AtomicReference<Throwable>> endings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Use<T> use = uses.get(i);
            AtomicReference<Throwable> ending = new AtomicReference<>();
            endings.add(ending);
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    while (true) {
                        use.use(object);
                    }
                } catch (Throwable e) {
                    ending.set(e);
                }
            }, what + "-" + names.get(i) + "-" + round);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        if (!started.await(Timeouts.MEDIUM.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(what + ": round " + round + ": user threads did not start");
        }
        long delay = ThreadLocalRandom.current().nextLong(maxDelayNanos + 1);
        if (round % 4 != 0 && delay > 0) {
            LockSupport.parkNanos(delay);  // every fourth round closes at once, the others later
        }
        long closing = System.nanoTime();
        close.use(object);
        long closed = System.nanoTime();
        List<String> problems = new ArrayList<>();
        if (closed - closing > wakeBound.toNanos()) {
            problems.add("close() took " + TimeUnit.NANOSECONDS.toMillis(closed - closing) + " ms");
        }
        long deadline = closed + wakeBound.toNanos();
        for (int i = 0; i < n; i++) {
            Thread t = threads.get(i);
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                problems.add(names.get(i) + " still running " + wakeBound.toMillis() + " ms after close(), at\n      "
                        + stack(t));
                t.interrupt();
                continue;
            }
            Throwable e = endings.get(i).get();
            if (!isExpected(e)) {
                problems.add(names.get(i) + " ended with " + e + ", expected one of " + expectedNames());
            }
        }
        for (int i = 0; i < n; i++) {
            Throwable after = useOnce(uses.get(i), object);
            if (!isExpected(after)) {
                problems.add(names.get(i) + " after close() gave " + (after == null ? "no exception" : after)
                        + ", expected one of " + expectedNames());
            }
        }
        if (!problems.isEmpty()) {
            AssertionError failure = new AssertionError(what + ": round " + round + " of " + rounds + ":\n  "
                    + String.join("\n  ", problems));
            for (AtomicReference<Throwable> ending : endings) {
                if (ending.get() != null && !isExpected(ending.get())) {
                    failure.addSuppressed(ending.get());
                }
            }
            throw failure;
        }
    }

    /** One use of a closed object, in its own thread so that a use that blocks cannot hang the test. */
    private Throwable useOnce(Use<T> use, T object) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                use.use(object);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, what + "-after-close");
        t.setDaemon(true);
        t.start();
        t.join(wakeBound.toMillis());
        if (t.isAlive()) {
            t.interrupt();
            return new AssertionError("blocked after close(), at " + stack(t));
        }
        return thrown.get();
    }

    private boolean isExpected(Throwable e) {
        if (e == null) {
            return false;
        }
        for (Class<?> c : expected) {
            if (c.isInstance(e)) {
                return messagePart == null || String.valueOf(e.getMessage()).contains(messagePart);
            }
        }
        return false;
    }

    private String expectedNames() {
        List<String> s = new ArrayList<>();
        for (Class<?> c : expected) {
            s.add(c.getSimpleName());
        }
        return s + (messagePart == null ? "" : " with \"" + messagePart + "\" in its message");
    }

    private static String stack(Thread t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            b.append(e).append("\n      ");
        }
        return b.toString();
    }

    private static void closeIt(Object o) throws Exception {
        ((AutoCloseable) o).close();
    }
}
