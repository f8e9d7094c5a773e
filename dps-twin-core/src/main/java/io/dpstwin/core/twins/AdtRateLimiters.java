package io.dpstwin.core.twins;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The resilience4j {@link RateLimiter}s of one ADT instance in one process, enforcing {@link AdtRateLimits}: one
 * limiter per instance-wide limit and one per twin for writes. Share one instance between every
 * {@link RateLimitedDigitalTwinsGateway} of a process that talks to the same ADT instance (e.g. the allocation and
 * the lifecycle stacks), or each of them would spend the whole budget on its own.
 *
 * <p>Per-twin limiters live in a map bounded by {@link AdtRateLimits#maxTrackedTwins()}: a limiter unused for a
 * full period (plus the longest wait) holds nothing a fresh one would not, so it is dropped; when the map is full
 * of busy twins the least recently used one is dropped. Memory therefore stays bounded across millions of twin ids.
 * Thread-safe.
 */
public final class AdtRateLimiters {

    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final int MAX_SLICES = 10;
    private static final int MIN_PERMITS_TO_SLICE = 20;

    private final AdtRateLimits limits;
    private final Supplier<Long> nanoTime;
    private final long idleNanos;
    private final RateLimiterConfig perTwinConfig;
    private final RateLimiter createDeletes;
    private final RateLimiter patches;
    private final RateLimiter reads;
    private final RateLimiter queries;
    private final RateLimiter models;
    /** Access-ordered: iteration starts with the least recently used twin. Guarded by itself. */
    private final LinkedHashMap<String, TwinLimiter> perTwin = new LinkedHashMap<>(256, 0.75f, true);

    public AdtRateLimiters(AdtRateLimits limits) {
        this(limits, System::nanoTime);
    }

    /**
     * @param nanoTime the monotonic clock the limiters count periods with, like {@link System#nanoTime()}; tests pass
     *                 a controllable one
     */
    public AdtRateLimiters(AdtRateLimits limits, Supplier<Long> nanoTime) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.idleNanos = PERIOD.plus(limits.maxWait()).toNanos();
        this.perTwinConfig = config(limits.perTwinWritesPerSecond());
        this.createDeletes = RateLimiter.of("adt-create-delete", instanceWide(limits.createDeletesPerSecond()), nanoTime);
        this.patches = RateLimiter.of("adt-patch", instanceWide(limits.patchesPerSecond()), nanoTime);
        this.reads = RateLimiter.of("adt-read", instanceWide(limits.readsPerSecond()), nanoTime);
        this.queries = RateLimiter.of("adt-query", instanceWide(limits.queriesPerSecond()), nanoTime);
        this.models = RateLimiter.of("adt-model", instanceWide(limits.modelRequestsPerSecond()), nanoTime);
    }

    /**
     * An instance-wide limiter refills in up to {@value #MAX_SLICES} equal slices per second instead of once: a
     * client's windows never line up with the service's, and a whole second's permits spent at once right after the
     * client's refill can land in a service window that is already spent (429 with {@code Retry-After}). Slices keep
     * the excess within any one-second window of the service to one slice. The rate is unchanged; per-twin limits
     * (10 per second) stay whole-second windows so that one twin's few writes are never spread out.
     */
    private RateLimiterConfig instanceWide(int perSecond) {
        if (perSecond < MIN_PERMITS_TO_SLICE) {
            return config(perSecond);
        }
        int slices = 1;
        for (int candidate = MAX_SLICES; candidate > 1; candidate--) {
            if (perSecond % candidate == 0) {
                slices = candidate;
                break;
            }
        }
        return RateLimiterConfig.custom()
                .limitForPeriod(perSecond / slices)
                .limitRefreshPeriod(PERIOD.dividedBy(slices))
                .timeoutDuration(limits.maxWait())
                .build();
    }

    private RateLimiterConfig config(int perSecond) {
        return RateLimiterConfig.custom()
                .limitForPeriod(perSecond)
                .limitRefreshPeriod(PERIOD)
                .timeoutDuration(limits.maxWait())
                .build();
    }

    public AdtRateLimits limits() {
        return limits;
    }

    /** How many twins currently have a write limiter (bounded by {@link AdtRateLimits#maxTrackedTwins()}). */
    public int trackedTwins() {
        synchronized (perTwin) {
            return perTwin.size();
        }
    }

    RateLimiter createDeletes() {
        return createDeletes;
    }

    RateLimiter patches() {
        return patches;
    }

    RateLimiter reads() {
        return reads;
    }

    RateLimiter queries() {
        return queries;
    }

    RateLimiter models() {
        return models;
    }

    /** The write limiter of {@code twinId}, created on first use. */
    RateLimiter twinWrites(String twinId) {
        long now = nanoTime.get();
        synchronized (perTwin) {
            TwinLimiter entry = perTwin.get(twinId);
            if (entry == null) {
                entry = new TwinLimiter(RateLimiter.of("adt-twin-writes", perTwinConfig, nanoTime));
                perTwin.put(twinId, entry);
            }
            entry.lastUsedNanos = now;
            evict(now);
            return entry.limiter;
        }
    }

    private void evict(long now) {
        Iterator<Map.Entry<String, TwinLimiter>> eldestFirst = perTwin.entrySet().iterator();
        while (eldestFirst.hasNext()) {
            TwinLimiter eldest = eldestFirst.next().getValue();
            boolean idle = now - eldest.lastUsedNanos >= idleNanos;
            if (!idle && perTwin.size() <= limits.maxTrackedTwins()) {
                return;
            }
            eldestFirst.remove();
        }
    }

    private static final class TwinLimiter {
        private final RateLimiter limiter;
        private long lastUsedNanos;

        private TwinLimiter(RateLimiter limiter) {
            this.limiter = limiter;
        }
    }
}
