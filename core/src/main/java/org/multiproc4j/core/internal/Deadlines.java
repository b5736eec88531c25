package org.multiproc4j.core.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Timeouts turned into deadlines, the one way every module does it: a deadline is a {@link System#nanoTime()}
 * value, or {@link #NEVER} for a wait without one. Timeouts are saturated rather than overflowing: a zero or
 * negative timeout is a deadline of "now" (look once, do not wait), and one of {@value #FOREVER_NANOS} ns (about
 * 146 years) or more, {@code Duration.ofSeconds(Long.MAX_VALUE)} included, never expires.
 *
 * <pre>{@code
 * long deadline = Deadlines.of(Duration.ofMillis(5));
 * while (!Deadlines.expired(deadline)) {
 *     Thread.onSpinWait();                       // poll for something here
 * }
 * System.out.println(Deadlines.remaining(deadline));   // 0
 * }</pre>
 *
 * <p>Compare deadlines as {@code System.nanoTime()} values are compared ({@code now - deadline >= 0}), never with
 * {@code <}: {@link #expired(long)} does.
 */
public final class Deadlines {
    /** The deadline of a wait that has none. */
    public static final long NEVER = Long.MAX_VALUE;
    /** Timeouts of at least this many nanoseconds (2<sup>62</sup>, about 146 years) never expire. */
    public static final long FOREVER_NANOS = 1L << 62;

    private Deadlines() {
    }

    /**
     * Returns the deadline that is {@code timeout} from now.
     *
     * @param timeout the timeout; zero or negative means "now".
     * @return a {@link System#nanoTime()} deadline, or {@link #NEVER}.
     * @throws NullPointerException if {@code timeout} is {@code null}.
     */
    public static long of(Duration timeout) {
        return ofNanos(nanos(timeout));
    }

    /**
     * Returns the deadline that is {@code timeout} {@code unit}s from now ({@code Lock.tryLock(long, TimeUnit)}'s
     * form).
     *
     * @param timeout the timeout; zero or negative means "now".
     * @param unit    its unit.
     * @return a {@link System#nanoTime()} deadline, or {@link #NEVER}.
     * @throws NullPointerException if {@code unit} is {@code null}.
     */
    public static long of(long timeout, TimeUnit unit) {
        return ofNanos(unit.toNanos(timeout)); // TimeUnit saturates
    }

    /**
     * Returns the deadline that is {@code timeoutNanos} from now.
     *
     * @param timeoutNanos the timeout; zero or negative means "now".
     * @return a {@link System#nanoTime()} deadline, or {@link #NEVER}.
     */
    public static long ofNanos(long timeoutNanos) {
        long now = System.nanoTime();
        if (timeoutNanos <= 0) {
            return now == NEVER ? NEVER - 1 : now;
        }
        if (timeoutNanos >= FOREVER_NANOS) {
            return NEVER;
        }
        long deadline = now + timeoutNanos;
        return deadline == NEVER ? NEVER - 1 : deadline;
    }

    /**
     * Returns a timeout in nanoseconds, saturated instead of overflowing.
     *
     * @param timeout the timeout.
     * @return its nanoseconds, {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE} if it has too many.
     * @throws NullPointerException if {@code timeout} is {@code null}.
     */
    public static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * Tells whether a deadline has passed.
     *
     * @param deadline a deadline from this class.
     * @return {@code true} if it has; never for {@link #NEVER}.
     */
    public static boolean expired(long deadline) {
        return deadline != NEVER && System.nanoTime() - deadline >= 0;
    }

    /**
     * Returns the time left until a deadline.
     *
     * @param deadline a deadline from this class.
     * @return nanoseconds, 0 if it has passed, {@link Long#MAX_VALUE} for {@link #NEVER}.
     */
    public static long remaining(long deadline) {
        return deadline == NEVER ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
    }
}
