package io.dpstwin.core.reconcile;

import io.dpstwin.core.retirement.HubNames;
import io.dpstwin.core.support.SlidingWindowLimiter;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-hub client-side budgets for IoT Hub's per-minute quotas, one per hub and kind, kept for the reconciler's
 * lifetime so that consecutive runs share them. A permit is taken before every device query page request and every
 * registry guard read. They are the same model as the ADT limiters: {@link SlidingWindowLimiter}s, here strict ones
 * over a one-minute window, so that no minute of the hub's own counting sees more than the quota (a fixed-cycle
 * limiter lets up to twice the quota through across a minute boundary out of phase with the hub's).
 */
final class HubLimiters {

    /** How long a caller waits for a permit before the request counts as throttled on our side. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);
    /** The window the quotas are counted in: a minute, plus a second for the jitter between admission and arrival. */
    static final Duration WINDOW = Duration.ofSeconds(61);

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
        return limiters.computeIfAbsent(name, n -> limiter(queriesPerMinute));
    }

    /** The limiter of registry guard reads of {@code hub}. */
    SlidingWindowLimiter registryReads(String hub) {
        String name = "registry-" + HubNames.normalize(hub);
        return limiters.computeIfAbsent(name, n -> limiter(registryReadsPerMinute));
    }

    private SlidingWindowLimiter limiter(int perMinute) {
        return SlidingWindowLimiter.strict(perMinute, WINDOW, MAX_WAIT, nanoTime);
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
