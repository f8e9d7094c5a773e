package io.dpstwin.testkit.adt;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Enforces {@link AdtLimits} with resilience4j rate limiters (one per instance, one per twin). */
final class RateLimiting {

    private final AdtLimits limits;
    private final RateLimiter instance;
    private final RateLimiterConfig twinConfig;
    private final Map<String, RateLimiter> twins = new ConcurrentHashMap<>();

    RateLimiting(AdtLimits limits) {
        this.limits = limits;
        this.instance = limits.instanceLimit().map(l -> RateLimiter.of("adt-instance", config(l))).orElse(null);
        this.twinConfig = limits.twinLimit().map(RateLimiting::config).orElse(null);
    }

    AdtLimits limits() {
        return limits;
    }

    private static RateLimiterConfig config(RateLimit limit) {
        return RateLimiterConfig.custom()
                .limitForPeriod(limit.permits())
                .limitRefreshPeriod(limit.period())
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    /** Takes a permit for a create or delete, or throws 429. */
    void createOrDelete() {
        if (instance != null) {
            acquire(instance, "creates and deletes of twins and relationships on this instance");
        }
    }

    /** Takes a permit on each twin written, or throws 429. */
    void writeOn(String... twinIds) {
        if (twinConfig == null) {
            return;
        }
        for (String twinId : twinIds) {
            RateLimiter limiter = twins.computeIfAbsent(twinId, id -> RateLimiter.of("adt-twin", twinConfig));
            acquire(limiter, "writes on twin " + twinId + " and its relationships");
        }
    }

    void forget(String twinId) {
        twins.remove(twinId);
    }

    private static void acquire(RateLimiter limiter, String what) {
        if (!limiter.acquirePermission()) {
            long nanos = limiter instanceof AtomicRateLimiter
                    ? ((AtomicRateLimiter) limiter).getDetailedMetrics().getNanosToWait()
                    : limiter.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
            Duration retryAfter = Duration.ofNanos(Math.max(nanos, 1));
            AdtServiceException throttled = FaultInjector.throttled(retryAfter);
            throw new AdtServiceException(429, throttled.errorCode(), "Rate limit exceeded for " + what
                    + "; retry after " + throttled.retryAfter().orElseThrow().getSeconds() + " s.",
                    throttled.details(), throttled.retryAfter().orElseThrow());
        }
    }
}
