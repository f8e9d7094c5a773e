package io.dpstwin.testkit.adt;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Enforces {@link AdtLimits} the way a service counts them: fixed windows of each limit's period (one counter for
 * the instance, one per twin), whose phase the client cannot know. A request over the count of the current window is
 * answered 429 with a {@code Retry-After} of the time left in that window (rounded up to whole seconds, as ADT's
 * header carries them).
 */
final class RateLimiting {

    private final AdtLimits limits;
    private final LongSupplier nanoTime;
    private final FixedWindow instance;
    private final Map<String, FixedWindow> twins = new ConcurrentHashMap<>();

    RateLimiting(AdtLimits limits) {
        this(limits, System::nanoTime);
    }

    RateLimiting(AdtLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.instance = limits.instanceLimit().map(FixedWindow::new).orElse(null);
    }

    AdtLimits limits() {
        return limits;
    }

    /** Takes a permit for a create or delete, or throws 429. */
    void createOrDelete() {
        if (instance != null) {
            acquire(instance, "creates and deletes of twins and relationships on this instance");
        }
    }

    /** Takes a permit on each twin written, or throws 429. */
    void writeOn(String... twinIds) {
        if (limits.twinLimit().isEmpty()) {
            return;
        }
        RateLimit limit = limits.twinLimit().get();
        for (String twinId : twinIds) {
            FixedWindow window = twins.computeIfAbsent(twinId, id -> new FixedWindow(limit));
            acquire(window, "writes on twin " + twinId + " and its relationships");
        }
    }

    void forget(String twinId) {
        twins.remove(twinId);
    }

    private void acquire(FixedWindow window, String what) {
        long nanos = window.tryAcquire(nanoTime.getAsLong());
        if (nanos > 0) {
            AdtServiceException throttled = FaultInjector.throttled(Duration.ofNanos(nanos));
            throw new AdtServiceException(429, throttled.errorCode(), "Rate limit exceeded for " + what
                    + "; retry after " + throttled.retryAfter().orElseThrow().getSeconds() + " s.",
                    throttled.details(), throttled.retryAfter().orElseThrow());
        }
    }

    /** A counter of one fixed window of {@code limit.period()}; windows start at multiples of the period. */
    private static final class FixedWindow {
        private final int permits;
        private final long periodNanos;
        private long windowStart = Long.MIN_VALUE;
        private int used;

        private FixedWindow(RateLimit limit) {
            this.permits = limit.permits();
            this.periodNanos = limit.period().toNanos();
        }

        /** @return 0 when admitted, else the nanoseconds until the current window ends */
        synchronized long tryAcquire(long now) {
            long start = Math.floorDiv(now, periodNanos) * periodNanos;
            if (start != windowStart) {
                windowStart = start;
                used = 0;
            }
            if (used < permits) {
                used++;
                return 0;
            }
            return Math.max(1, start + periodNanos - now);
        }
    }
}
