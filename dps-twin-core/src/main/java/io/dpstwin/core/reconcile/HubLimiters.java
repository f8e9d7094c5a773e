package io.dpstwin.core.reconcile;

import io.dpstwin.core.internal.support.HubNames;
import io.dpstwin.core.internal.support.SlidingWindowLimiter;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-hub client-side budgets for IoT Hub's per-minute quotas, one per hub and kind, kept for the reconciler's
 * lifetime so that consecutive runs share them. A permit is taken before every device query page request and every
 * registry guard read. They are the same model as the ADT limiters: strict {@link SlidingWindowLimiter}s, so that no
 * minute of the hub's own counting sees more than the quota (a fixed-cycle limiter lets up to twice the quota through
 * across a minute boundary out of phase with the hub's). Device query permits come in small bursts spaced evenly over
 * the minute (each hub has its own quota, so hubs listed in parallel each run at their own hub's pace); registry reads
 * come a minute's worth at a time.
 */
final class HubLimiters {

    /** How long a caller waits for a permit before the request counts as throttled on our side. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);
    /** The window the quotas are counted in: a minute, plus a second for the jitter between admission and arrival. */
    static final Duration WINDOW = Duration.ofSeconds(61);
    /** The most device query permits handed out at once. */
    static final int MAX_QUERY_BURST = 5;

    private final int queriesPerMinute;
    private final int registryReadsPerMinute;
    private final LongSupplier nanoTime;
    private final Map<String, SlidingWindowLimiter> limiters = new ConcurrentHashMap<>();

    HubLimiters(int queriesPerMinute, int registryReadsPerMinute) {
        this(queriesPerMinute, registryReadsPerMinute, System::nanoTime);
    }

    HubLimiters(int queriesPerMinute, int registryReadsPerMinute, LongSupplier nanoTime) {
        if (queriesPerMinute < 1 || registryReadsPerMinute < 1) {
            throw new IllegalArgumentException("per-minute quotas must be at least 1, were " + queriesPerMinute
                    + " and " + registryReadsPerMinute);
        }
        this.queriesPerMinute = queriesPerMinute;
        this.registryReadsPerMinute = registryReadsPerMinute;
        this.nanoTime = nanoTime;
    }

    /** The limiter of device query pages of {@code hub}. */
    SlidingWindowLimiter queries(String hub) {
        String name = "query-" + HubNames.normalize(hub);
        return limiters.computeIfAbsent(name, n -> evenlyPerMinute(queriesPerMinute));
    }

    /** The limiter of registry guard reads of {@code hub}. */
    SlidingWindowLimiter registryReads(String hub) {
        String name = "registry-" + HubNames.normalize(hub);
        return limiters.computeIfAbsent(name, n -> SlidingWindowLimiter.strict(registryReadsPerMinute, WINDOW,
                MAX_WAIT, nanoTime));
    }

    /** The device query permits handed out at once for {@code permits} per minute: {@code min(5, permits / 4)}, at least 1. */
    static int queryBurst(int permits) {
        return Math.max(1, Math.min(MAX_QUERY_BURST, permits / 4));
    }

    /**
     * {@code permits} per minute handed out in small even bursts: a strict sliding window of {@link #queryBurst} permits
     * over {@code WINDOW / (permits / burst)}, e.g. 5 every 15.25 s for 20 per minute. A listing of hundreds of pages
     * then runs at the quota's pace from its first page instead of sending a minute's permits at once and idling until
     * the next minute; a listing thread that wakes up late still uses the rest of its burst; and hubs listed side by
     * side never send a minute's quota together. The window holds a whole number of bursts, so that any
     * {@code WINDOW} sees at most {@code permits} (when {@code burst} does not divide {@code permits}, up to
     * {@code burst - 1} permits a minute are left unused rather than risk one too many).
     */
    private SlidingWindowLimiter evenlyPerMinute(int permits) {
        int burst = queryBurst(permits);
        Duration window = Duration.ofNanos(Math.max(1, WINDOW.toNanos() / (permits / burst)));
        return SlidingWindowLimiter.strict(burst, window, MAX_WAIT, nanoTime);
    }

    /**
     * Waits for a permit of {@code limiter}.
     *
     * @return whether one came within the maximum wait (false also when interrupted, with the flag set)
     */
    static boolean acquire(SlidingWindowLimiter limiter) {
        return limiter.acquirePermission();
    }
}
