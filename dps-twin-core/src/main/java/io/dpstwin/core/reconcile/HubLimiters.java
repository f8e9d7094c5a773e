package io.dpstwin.core.reconcile;

import io.dpstwin.core.internal.support.HubNames;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-hub client-side budgets for IoT Hub's per-minute quotas (resilience4j {@link RateLimiter}s, one per hub and
 * kind, kept for the reconciler's lifetime so that consecutive runs share them). A permit is taken before every
 * device query page request and every registry guard read. Device query permits come in small bursts spaced evenly over the minute
 * (each hub has its own quota, so hubs listed in parallel each run at their own hub's pace); registry reads come a
 * minute's worth at a time.
 */
final class HubLimiters {

    /** How long a caller waits for a permit before the request counts as throttled on our side. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private final RateLimiterConfig queries;
    private final RateLimiterConfig registryReads;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    HubLimiters(int queriesPerMinute, int registryReadsPerMinute) {
        this.queries = evenlyPerMinute(queriesPerMinute);
        this.registryReads = perMinute(registryReadsPerMinute);
    }

    private static RateLimiterConfig perMinute(int permits) {
        return RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(MAX_WAIT)
                .build();
    }

    /** The most device query permits handed out at once. */
    static final int MAX_QUERY_BURST = 5;

    /**
     * {@code permits} per minute handed out in small even bursts: {@code min(5, permits / 4)} (at least 1) every
     * {@code burst × minute / permits}, e.g. 5 every 15 s for 20 per minute. A listing of hundreds of pages then runs
     * at the quota's pace from its first page instead of sending a minute's permits at once and idling until the next
     * minute; a listing thread that wakes up late still uses the rest of its burst; and hubs listed side by side never
     * send a minute's quota together.
     */
    private static RateLimiterConfig evenlyPerMinute(int permits) {
        int burst = Math.max(1, Math.min(MAX_QUERY_BURST, permits / 4));
        return RateLimiterConfig.custom()
                .limitForPeriod(burst)
                .limitRefreshPeriod(Duration.ofNanos(Math.max(1, Duration.ofMinutes(1).toNanos() * burst / permits)))
                .timeoutDuration(MAX_WAIT)
                .build();
    }

    /** The limiter of device query pages of {@code hub}. */
    RateLimiter queries(String hub) {
        String name = "dpstwin-iothub-query-" + HubNames.normalize(hub);
        return limiters.computeIfAbsent(name, n -> RateLimiter.of(n, queries));
    }

    /** The limiter of registry guard reads of {@code hub}. */
    RateLimiter registryReads(String hub) {
        String name = "dpstwin-iothub-registry-" + HubNames.normalize(hub);
        return limiters.computeIfAbsent(name, n -> RateLimiter.of(n, registryReads));
    }

    /**
     * Waits for a permit of {@code limiter}.
     *
     * @return whether one came within the maximum wait (false also when interrupted, with the flag set)
     */
    static boolean acquire(RateLimiter limiter) {
        return limiter.acquirePermission();
    }
}
