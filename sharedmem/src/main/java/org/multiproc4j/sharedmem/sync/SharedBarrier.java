package org.multiproc4j.sharedmem.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.IdleStrategy;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.BarrierDescriptor;
import org.multiproc4j.sharedmem.internal.HolderTable;
import org.multiproc4j.sharedmem.internal.HolderTableDescriptor;
import org.multiproc4j.sharedmem.internal.LockWord;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * A barrier shared by processes: Python's {@code multiprocessing.Barrier}, with the semantics of
 * {@link java.util.concurrent.CyclicBarrier}. A fixed number of parties (threads of any processes) call
 * {@link #await()}; each waits until all have arrived, then all proceed, and the barrier is ready for the
 * next round.
 *
 * <pre>{@code
 * try (SharedBarrier start = SharedBarrier.create(3)) {
 *     List<JvmProcess> workers = new ArrayList<>();
 *     for (int i = 0; i < 2; i++) {
 *         workers.add(new JvmProcess(() -> {
 *             start.await(Duration.ofSeconds(30));   // all three start together
 *             System.out.println("working in " + JvmProcess.current().pid());
 *         }).start());
 *     }
 *     start.await(Duration.ofSeconds(30));
 *     for (JvmProcess w : workers) {
 *         w.join();
 *     }
 * }
 * }</pre>
 *
 * <p>As with {@link java.util.concurrent.CyclicBarrier}, the barrier <em>breaks</em> when a waiting party
 * leaves early (interrupted, timed out) or when {@link #abort()} or {@link #reset()} is called: every
 * waiting party and every later arrival gets a {@link BrokenBarrierException} until {@link #reset()}.
 * (Python's {@code Barrier.wait} raises {@code BrokenBarrierError} on a timeout; here the one that timed out
 * gets a {@link TimeoutException} and the others a {@link BrokenBarrierException}.) There is no barrier
 * action.
 *
 * <p>Waiting follows the barrier's {@link IdlePolicy} (by default it spins briefly, then parks with pauses
 * growing to 1 ms): the last arrival releases a parked waiter within its current pause.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the barrier.
 *
 * <p><b>Memory consistency effects.</b> Actions of each party prior to {@code await()} happen-before actions
 * subsequent to the return of {@code await()} in every other party of the same round, in any process: see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> A process that dies while one of its threads waits at the barrier breaks it: the
 * other waiters notice within 10 ms of waiting (they look for dead waiters every 10 ms) and get a
 * {@link BrokenBarrierException}, as they would
 * if that thread had been interrupted. A party that dies before it arrives cannot be told from a slow one:
 * use the timed {@link #await(Duration)}.
 */
public final class SharedBarrier extends SyncObject {
    private final HolderTable waiting;
    private final int parties;

    private SharedBarrier(Segment segment, IdlePolicy idle) {
        super(segment, idle);
        this.parties = UnsafeApi.getInt(null, segment.headerAddress(BarrierDescriptor.PARTIES_OFFSET));
        int slots = UnsafeApi.getInt(null, segment.headerAddress(BarrierDescriptor.SLOTS_OFFSET));
        this.waiting = new HolderTable(segment, BarrierDescriptor.TABLE_OFFSET, slots, "SharedBarrier " + segment.name());
    }

    /**
     * Creates a barrier for the given number of parties, whose waiters idle as {@link IdlePolicy#defaultPolicy()}
     * says.
     *
     * @param parties how many parties must arrive, at least 1.
     * @return the barrier; this process is its creator.
     * @throws IllegalArgumentException if {@code parties} is less than 1.
     * @throws SharedMemoryException    if the segment cannot be created.
     */
    public static SharedBarrier create(int parties) {
        return create(parties, IdlePolicy.defaultPolicy());
    }

    /**
     * Creates a barrier for the given number of parties, whose waiters idle as {@code idle} says (in every process
     * the barrier's handle reaches; one attached by name uses the default): {@link IdlePolicy#busySpin()} gives
     * the quickest release to parties that each have a core of their own.
     *
     * @param parties how many parties must arrive, at least 1.
     * @param idle    how waiting threads idle.
     * @return the barrier; this process is its creator.
     * @throws IllegalArgumentException if {@code parties} is less than 1.
     * @throws NullPointerException     if {@code idle} is {@code null}.
     * @throws SharedMemoryException    if the segment cannot be created.
     */
    public static SharedBarrier create(int parties, IdlePolicy idle) {
        Objects.requireNonNull(idle, "idle");
        if (parties < 1) {
            throw new IllegalArgumentException("barrier parties must be at least 1: parties=" + parties);
        }
        int slots = HolderTableDescriptor.DEFAULT_SLOTS;
        return new SharedBarrier(Segment.create(null, SegmentDescriptor.KIND_BARRIER, BarrierDescriptor.VERSION,
                BarrierDescriptor.length(slots), s -> {
                    UnsafeApi.putInt(null, s.headerAddress(BarrierDescriptor.PARTIES_OFFSET), parties);
                    UnsafeApi.putInt(null, s.headerAddress(BarrierDescriptor.SLOTS_OFFSET), slots);
                }), idle);
    }

    /**
     * Attaches a barrier created by another process (or this one), by name; its waiters idle as
     * {@link IdlePolicy#defaultPolicy()} says.
     *
     * @param name the barrier's name ({@link #name()}).
     * @return the barrier.
     * @throws SharedMemoryException if there is no such segment or it is not a barrier.
     */
    public static SharedBarrier attach(String name) {
        return attach(name, IdlePolicy.defaultPolicy());
    }

    static SharedBarrier attach(String name, IdlePolicy idle) {
        return new SharedBarrier(Segment.attach(name, SegmentDescriptor.KIND_BARRIER, BarrierDescriptor.VERSION,
                "a SharedBarrier"), idle);
    }

    /**
     * Waits until all parties have arrived.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last.
     * @throws InterruptedException   if the thread is interrupted while waiting (the barrier breaks).
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting.
     * @throws IllegalStateException  if the barrier is closed, also by another thread while this one waits (the
     *                                barrier then breaks for the other parties).
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitUntil(Deadlines.NEVER);
        } catch (TimeoutException e) {
            throw new AssertionError("untimed wait timed out", e);
        }
    }

    /**
     * Waits until all parties have arrived, or the timeout elapses.
     *
     * @param timeout the longest wait.
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last.
     * @throws InterruptedException   if the thread is interrupted while waiting (the barrier breaks).
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting.
     * @throws TimeoutException       if the time elapses (the barrier breaks).
     * @throws IllegalStateException  if the barrier is closed, also by another thread while this one waits (the
     *                                barrier then breaks for the other parties).
     */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitUntil(Deadlines.of(timeout));
    }

    private int awaitUntil(long deadline) throws InterruptedException, BrokenBarrierException, TimeoutException {
        long b = base();
        long state = b + BarrierDescriptor.STATE_OFFSET;
        if (Thread.interrupted()) {
            breakGeneration(b, generation(UnsafeApi.getLongVolatile(null, state)));
            throw new InterruptedException();
        }
        int generation;
        int index;
        while (true) {
            long s = UnsafeApi.getLongVolatile(null, state);
            generation = generation(s);
            int arrived = (int) s;
            if (isBroken(b, generation)) {
                if (segment.isClosed()) {
                    throw closedWhileWaiting(); // broken by a waiter of this process that saw the close first
                }
                throw broken();
            }
            if (arrived + 1 >= parties) {
                if (UnsafeApi.compareAndSetLong(null, state, s, (long) (generation + 1) << 32)) {
                    return 0;
                }
                continue;
            }
            if (UnsafeApi.compareAndSetLong(null, state, s, s + 1)) {
                index = parties - 1 - arrived;
                break;
            }
        }
        try {
            waiting.generation(generation & 0xFFFF_FFFFL);
            waiting.add(1);
        } catch (RuntimeException e) {
            breakGeneration(b, generation); // arrived but cannot wait (closed meanwhile): the others must not hang
            if (segment.isClosed()) {
                throw closedWhileWaiting();
            }
            throw e;
        }
        try {
            IdleStrategy strategy = idle.newIdleStrategy();
            long nextCheck = System.nanoTime() + LockWord.LIVENESS_CHECK_NANOS;
            int g = generation;
            while (true) {
                if (generation(UnsafeApi.getLongVolatile(null, state)) != g) {
                    return index;
                }
                if (segment.isClosed()) {
                    // the memory is still mapped (see close()): leave as an interrupted party does, breaking the round
                    breakGeneration(b, g);
                    throw closedWhileWaiting();
                }
                if (isBroken(b, g)) {
                    if (segment.isClosed()) {
                        throw closedWhileWaiting(); // broken by a waiter of this process that saw the close first
                    }
                    throw broken();
                }
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + LockWord.LIVENESS_CHECK_NANOS;
                    try {
                        waiting.recoverDead((token, count, gen) -> {
                            if (count > 0 && (int) gen == g) {
                                breakGeneration(b, g);
                            }
                        });
                    } catch (IllegalStateException e) {
                        if (!segment.isClosed()) {
                            throw e;
                        }
                    }
                    continue; // closed meanwhile: the next round of the loop leaves
                }
                if (deadline != Deadlines.NEVER && now - deadline >= 0) {
                    breakGeneration(b, g);
                    if (generation(UnsafeApi.getLongVolatile(null, state)) != g) {
                        return index; // tripped just now
                    }
                    throw new TimeoutException("SharedBarrier " + segment.name() + ": timed out with "
                            + (int) UnsafeApi.getLongVolatile(null, state) + " of " + parties
                            + " parties waiting; the barrier is now broken");
                }
                strategy.idle();
                if (Thread.interrupted()) {
                    breakGeneration(b, g);
                    if (generation(UnsafeApi.getLongVolatile(null, state)) != g) {
                        Thread.currentThread().interrupt();
                        return index;
                    }
                    throw new InterruptedException();
                }
            }
        } finally {
            waiting.add(-1);
        }
    }

    private static int generation(long state) {
        return (int) (state >>> 32);
    }

    private static boolean isBroken(long b, int generation) {
        return UnsafeApi.getLongVolatile(null, b + BarrierDescriptor.BROKEN_OFFSET) == (generation & 0xFFFF_FFFFL) + 1;
    }

    private static void breakGeneration(long b, int generation) {
        UnsafeApi.putLongVolatile(null, b + BarrierDescriptor.BROKEN_OFFSET, (generation & 0xFFFF_FFFFL) + 1);
    }

    private BrokenBarrierException broken() {
        return new BrokenBarrierException("SharedBarrier " + segment.name() + " is broken (a party timed out, was "
                + "interrupted or died, or the barrier was aborted or reset)");
    }

    /**
     * Returns the number of parties.
     *
     * @return the parties, as created.
     */
    public int parties() {
        return parties;
    }

    /**
     * Returns how many parties are waiting now.
     *
     * @return the number of arrivals in the current round.
     * @throws IllegalStateException if the barrier is closed.
     */
    public int numberWaiting() {
        return (int) UnsafeApi.getLongVolatile(null, base() + BarrierDescriptor.STATE_OFFSET);
    }

    /**
     * Tells whether the current round is broken.
     *
     * @return {@code true} if broken.
     * @throws IllegalStateException if the barrier is closed.
     */
    public boolean isBroken() {
        long b = base();
        return isBroken(b, generation(UnsafeApi.getLongVolatile(null, b + BarrierDescriptor.STATE_OFFSET)));
    }

    /**
     * Breaks the barrier: waiting parties and later arrivals get {@link BrokenBarrierException} until
     * {@link #reset()} (Python's {@code abort()}).
     *
     * @throws IllegalStateException if the barrier is closed.
     */
    public void abort() {
        long b = base();
        breakGeneration(b, generation(UnsafeApi.getLongVolatile(null, b + BarrierDescriptor.STATE_OFFSET)));
    }

    /**
     * Resets the barrier for a new round: parties waiting now get {@link BrokenBarrierException}; later
     * arrivals start the new round.
     *
     * @throws IllegalStateException if the barrier is closed.
     */
    public void reset() {
        long b = base();
        long state = b + BarrierDescriptor.STATE_OFFSET;
        while (true) {
            long s = UnsafeApi.getLongVolatile(null, state);
            int g = generation(s);
            breakGeneration(b, g);
            if (UnsafeApi.compareAndSetLong(null, state, s, (long) (g + 1) << 32)) {
                return;
            }
        }
    }

    /**
     * Closes the barrier in this process; the close that leaves no live process using it also removes its name (see the lifetime
     * rule in the {@linkplain org.multiproc4j.sharedmem package summary}). Closing twice is harmless.
     *
     * <p><b>Closing while in use.</b> Threads of this process waiting in {@code await} when the barrier is
     * closed wake within their current pause (at most the idle policy's longest park, 1 ms by default) and throw
     * {@link IllegalStateException}; having left, like an interrupted party, they break the round, so the parties of other processes get
     * {@link BrokenBarrierException} rather than wait for them. Every later call throws
     * {@link IllegalStateException} at once. A call racing with the close may still complete: the memory stays
     * mapped until this object is unreachable, so no call ever touches unmapped memory.
     */
    @Override
    public void close() {
        super.close();
    }

    @Override
    void closing() {
        waiting.close();
    }

    /**
     * Describes the barrier.
     *
     * @return e.g. {@code SharedBarrier[mp4j-4242-1f3a-6, 1 of 3 waiting]}.
     */
    @Override
    public String toString() {
        if (base == 0) {
            return "SharedBarrier[" + segment.name() + ", closed]";
        }
        return "SharedBarrier[" + segment.name() + ", " + numberWaiting() + " of " + parties + " waiting"
                + (isBroken() ? ", broken" : "") + "]";
    }
}
