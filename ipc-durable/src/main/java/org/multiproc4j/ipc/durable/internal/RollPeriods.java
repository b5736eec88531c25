package org.multiproc4j.ipc.durable.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * The roll periods a durable queue offers, and the Chronicle roll cycle of each: every one of them numbers
 * messages within a cycle with the low 32 bits of the index (at most 2^32 - 1 messages per cycle, 2^30 for
 * five minutes).
 */
public final class RollPeriods {
    private static final Map<Duration, RollCycle> CYCLES = new LinkedHashMap<>();

    static {
        CYCLES.put(Duration.ofSeconds(1), TestRollCycles.TEST_SECONDLY);
        CYCLES.put(Duration.ofMinutes(1), LegacyRollCycles.MINUTELY);
        CYCLES.put(Duration.ofMinutes(5), RollCycles.FIVE_MINUTELY);
        CYCLES.put(Duration.ofMinutes(10), RollCycles.TEN_MINUTELY);
        CYCLES.put(Duration.ofMinutes(20), RollCycles.TWENTY_MINUTELY);
        CYCLES.put(Duration.ofMinutes(30), RollCycles.HALF_HOURLY);
        CYCLES.put(Duration.ofHours(1), RollCycles.FAST_HOURLY);
        CYCLES.put(Duration.ofHours(2), RollCycles.TWO_HOURLY);
        CYCLES.put(Duration.ofHours(4), RollCycles.FOUR_HOURLY);
        CYCLES.put(Duration.ofHours(6), RollCycles.SIX_HOURLY);
        CYCLES.put(Duration.ofDays(1), RollCycles.FAST_DAILY);
    }

    private RollPeriods() {
    }

    /**
     * Tells whether a period is offered.
     *
     * @param period the period.
     * @return {@code true} if {@link #cycle(Duration)} accepts it.
     */
    public static boolean isSupported(Duration period) {
        return CYCLES.containsKey(period);
    }

    /**
     * Returns the Chronicle roll cycle of a period.
     *
     * @param period one of the supported periods.
     * @return its roll cycle.
     * @throws IllegalArgumentException naming the supported periods if it is not one of them.
     */
    public static RollCycle cycle(Duration period) {
        RollCycle c = CYCLES.get(period);
        if (c == null) {
            throw new IllegalArgumentException("unsupported roll period " + period + ": use one of "
                    + CYCLES.keySet());
        }
        return c;
    }

    /**
     * Lists the supported periods, for messages.
     *
     * @return e.g. {@code "[PT1S, PT1M, ...]"}.
     */
    public static String supported() {
        return CYCLES.keySet().toString();
    }
}
