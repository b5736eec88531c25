package org.multiproc4j.sharedmem;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.multiproc4j.sharedmem.internal.TimedBackoffIdleStrategy;

/**
 * How a thread waits for something another process does in shared memory: a lock or a permit to be released,
 * an event to be set, a message to arrive in a pipe or a queue, room to free up in a full ring. Shared memory
 * has no kernel object to block on, so a waiting thread polls; the policy says how hard. It is the one waiting
 * policy of multiproc4j: pipes and queues take one in their options ({@code ChannelOptions.idle(...)}), the
 * locks, semaphores, events, conditions and barriers of {@link org.multiproc4j.sharedmem.sync} in their
 * {@code create} methods, and every other waiter uses {@link #defaultPolicy()}.
 *
 * <pre>{@code
 * IdlePolicy fastest = IdlePolicy.busySpin();                 // lowest latency, one core per waiting thread
 * IdlePolicy standard = IdlePolicy.defaultPolicy();           // spin 2 µs, yield 100 µs, park 1 µs .. 1 ms
 * IdleStrategy idle = standard.newIdleStrategy();             // one per waiting thread
 * try (SharedInt flag = SharedInt.create(0)) {
 *     JvmProcess child = new JvmProcess(() -> flag.set(1)).start();
 *     while (flag.get() == 0) {
 *         idle.idle();                                        // spin, then yield, then park
 *     }
 *     idle.reset();                                           // the wait is over: the next one starts spinning
 *     child.join();
 *     System.out.println(fastest + " / " + standard);
 * }
 * }</pre>
 *
 * <p>The {@linkplain #defaultPolicy() default} answers a change that comes while the waiter is still spinning
 * (a ping-pong between processes on two cores, a busy queue, a lock handed over at once) in well under a
 * microsecond, and costs almost no CPU when idle: a waiter idle for more than about 0.1 ms parks and then
 * notices a change within about a millisecond. Its spin is short, and adapts: when the waiter and the process
 * it waits for share one core (a busy machine puts them there), every microsecond spun is a microsecond the
 * other cannot run, so a waiter whose waits end only after it yielded stops spinning (and probes now and then
 * whether spinning pays again). For the same reason, on a machine with fewer cores than busy processes,
 * {@link #busySpin()} starves the very process it waits for: keep it for dedicated cores.
 *
 * <p><b>Thread and process safety.</b> A policy is an immutable, serializable description: share it freely;
 * it travels with a pipe end, a queue or a synchronizer to a child process. The strategy that does the waiting
 * is an Agrona {@link IdleStrategy} ({@code idle(int workCount)}, {@code idle()}, {@code reset()}), made by
 * {@link #newIdleStrategy()} for one thread at a time: it keeps the state of the current wait (and, for the
 * default, what past waits taught its spin), so it is not thread-safe.
 *
 * <p><b>Memory consistency effects.</b> None of its own: idling only decides when a waiter looks again. What a
 * waiter sees when it finds the change it waited for is what the object it polls promises (the lock's release,
 * the ring's commit).
 *
 * <p><b>Timing and failure.</b> A timed wait checks its deadline between idle periods, so it may end up to one
 * park period (at most the policy's longest park, 1 ms by default) after its deadline. Waiters that watch for a
 * dead process (a lock holder, the other end of a pipe) look at it on a clock of their own, whatever the policy:
 * a policy that never parks still notices a death.
 */
public final class IdlePolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final IdlePolicy DEFAULT = new IdlePolicy(Kind.BACKOFF, 2_000, 100_000, 1_000, 1_000_000);

    private enum Kind { BACKOFF, SPIN, YIELD, SLEEP }

    /** Which family of strategy. */
    private final Kind kind;
    /** How long to busy-spin, in nanoseconds. */
    private final long spinNanos;
    /** How long to yield after spinning, in nanoseconds. */
    private final long yieldNanos;
    /** The first park, in nanoseconds. */
    private final long minParkNanos;
    /** The longest park, in nanoseconds. */
    private final long maxParkNanos;

    private IdlePolicy(Kind kind, long spinNanos, long yieldNanos, long minParkNanos, long maxParkNanos) {
        this.kind = kind;
        this.spinNanos = spinNanos;
        this.yieldNanos = yieldNanos;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    /**
     * Returns the default policy: busy-spin for 2 µs, yield for 100 µs, then park for 1 µs, doubling up to
     * 1 ms.
     *
     * @return the default policy.
     */
    public static IdlePolicy defaultPolicy() {
        return DEFAULT;
    }

    /**
     * Returns a spin-then-yield-then-park policy with the given phases.
     *
     * @param spin    how long to busy-spin before yielding (zero to skip).
     * @param yield   how long to yield before parking (zero to skip).
     * @param minPark the first park.
     * @param maxPark the longest park; parks double from {@code minPark} up to it.
     * @return the policy.
     * @throws IllegalArgumentException if a duration is negative, {@code minPark} is not positive or
     *                                  {@code maxPark < minPark}.
     * @throws NullPointerException     if an argument is {@code null}.
     */
    public static IdlePolicy backoff(Duration spin, Duration yield, Duration minPark, Duration maxPark) {
        long s = Objects.requireNonNull(spin, "spin").toNanos();
        long y = Objects.requireNonNull(yield, "yield").toNanos();
        long lo = Objects.requireNonNull(minPark, "minPark").toNanos();
        long hi = Objects.requireNonNull(maxPark, "maxPark").toNanos();
        if (s < 0 || y < 0 || lo <= 0 || hi < lo) {
            throw new IllegalArgumentException("backoff needs spin >= 0, yield >= 0, 0 < minPark <= maxPark; got spin="
                    + spin + " yield=" + yield + " minPark=" + minPark + " maxPark=" + maxPark);
        }
        return new IdlePolicy(Kind.BACKOFF, s, y, lo, hi);
    }

    /**
     * Returns a policy that never gives up the CPU: the lowest latency, one busy core per waiting thread.
     *
     * @return the busy-spin policy.
     */
    public static IdlePolicy busySpin() {
        return new IdlePolicy(Kind.SPIN, 0, 0, 0, 0);
    }

    /**
     * Returns a policy that calls {@link Thread#yield()} between polls.
     *
     * @return the yielding policy.
     */
    public static IdlePolicy yielding() {
        return new IdlePolicy(Kind.YIELD, 0, 0, 0, 0);
    }

    /**
     * Returns a policy that parks for a fixed time between polls: little CPU, latency about {@code period}.
     *
     * @param period how long to park.
     * @return the sleeping policy.
     * @throws IllegalArgumentException if {@code period} is not positive.
     */
    public static IdlePolicy sleeping(Duration period) {
        long p = Objects.requireNonNull(period, "period").toNanos();
        if (p <= 0) {
            throw new IllegalArgumentException("sleeping period must be positive, got " + period);
        }
        return new IdlePolicy(Kind.SLEEP, 0, 0, p, p);
    }

    /**
     * Creates the idle strategy this policy describes, for one waiting thread: call {@code idle()} (or
     * {@code idle(0)}) after each poll that found nothing, and {@code reset()} (or {@code idle(n)} with
     * {@code n > 0}) when the wait is over.
     *
     * @return a new strategy; not thread-safe.
     */
    public IdleStrategy newIdleStrategy() {
        switch (kind) {
            case SPIN:
                return new BusySpinIdleStrategy();
            case YIELD:
                return new YieldingIdleStrategy();
            case SLEEP:
                return new SleepingIdleStrategy(minParkNanos);
            default:
                return new TimedBackoffIdleStrategy(spinNanos, yieldNanos, minParkNanos, maxParkNanos);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IdlePolicy)) {
            return false;
        }
        IdlePolicy p = (IdlePolicy) o;
        return kind == p.kind && spinNanos == p.spinNanos && yieldNanos == p.yieldNanos
                && minParkNanos == p.minParkNanos && maxParkNanos == p.maxParkNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, spinNanos, yieldNanos, minParkNanos, maxParkNanos);
    }

    /**
     * Describes the policy, as benchmark reports quote it: {@code backoff(spin 2us, yield 100us, park
     * 1us..1000us)}, {@code busy-spin}, {@code yielding}, {@code sleeping(1000us)}.
     *
     * @return the description.
     */
    @Override
    public String toString() {
        switch (kind) {
            case SPIN:
                return "busy-spin";
            case YIELD:
                return "yielding";
            case SLEEP:
                return "sleeping(" + minParkNanos / 1000 + "us)";
            default:
                return "backoff(spin " + spinNanos / 1000 + "us, yield " + yieldNanos / 1000 + "us, park "
                        + minParkNanos / 1000 + "us.." + maxParkNanos / 1000 + "us)";
        }
    }
}
