package io.dpstwin.core.twins;

import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.internal.support.EarlierMeters;
import io.dpstwin.core.internal.support.SlidingWindowLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The client-side rate limiters of one ADT instance in one process, enforcing {@link AdtRateLimits}: one limiter per
 * instance-wide limit and one per twin for writes. Share one instance between every
 * {@link RateLimitedDigitalTwinsGateway} of a process that talks to the same ADT instance (e.g. the allocation and
 * the lifecycle stacks), or each of them would spend the whole budget on its own.
 *
 * <p>Each limiter admits at most its limit in any window of {@link #WINDOW} (a second plus a small guard for the
 * jitter between admission here and arrival at the service), whatever the phase of the service's own windows: a
 * fixed-cycle limiter at the same rate lets up to twice the limit through across a boundary that is out of phase
 * with the service's, and every excess request comes back as a 429 with a one-second {@code Retry-After}.
 *
 * <p>By default ({@link AdtRateLimits#adaptive()} {@code false}) every limiter is strict: it admits its configured
 * limit, whatever the service answers. Adaptive mode is opt-in ({@link AdtRateLimits.Builder#adaptive(boolean)},
 * setting {@code dps-twin.digital-twins.rate-limits.mode=adaptive}): the five instance-wide limiters are then
 * adaptive {@link SlidingWindowLimiter}s, whose configured limits are ceilings; each paces its admissions, lowers
 * its allowance to the rate the service accepted on its 429s, and grows back when they stop. Per-twin limiters are
 * always strict. With an {@link InstanceRegistry} that counts N instances sharing the ADT instance, each of the five
 * instance-wide limiters keeps this instance's share of its limit, {@code limit / N} split by place (a strict one
 * allows that share, an adaptive one grows back up to it, never beyond); the per-twin limit is never divided.
 * {@link #bindTo(MeterRegistry)} shows each allowance as the gauge {@value DpsTwinMeters#ADT_ALLOWED_RATE}.
 *
 * <p>Per-twin limiters live in a map bounded by {@link AdtRateLimits#maxTrackedTwins()}: a limiter unused for a
 * window plus the longest wait holds nothing a fresh one would not, so it is dropped; when the map is full of busy
 * twins the least recently used one is dropped. Memory therefore stays bounded across millions of twin ids.
 * Thread-safe.
 */
public final class AdtRateLimiters {

    /** The window every limit is counted in: a second, plus 20 ms for the jitter between admission and arrival. */
    public static final Duration WINDOW = Duration.ofMillis(1020);

    private final AdtRateLimits limits;
    private final InstanceRegistry instances;
    private final Supplier<Long> nanoTime;
    private final long idleNanos;
    private final SlidingWindowLimiter createDeletes;
    private final SlidingWindowLimiter patches;
    private final SlidingWindowLimiter reads;
    private final SlidingWindowLimiter queries;
    private final SlidingWindowLimiter models;
    /** The registries the gauges are registered in, so that every stack of a process can bind them once. */
    private final Map<MeterRegistry, Boolean> boundTo = new WeakHashMap<>();
    /** Access-ordered: iteration starts with the least recently used twin. Guarded by itself. */
    private final LinkedHashMap<String, TwinLimiter> perTwin = new LinkedHashMap<>(256, 0.75f, true);

    public AdtRateLimiters(AdtRateLimits limits) {
        this(limits, System::nanoTime);
    }

    /**
     * @param nanoTime the monotonic clock the limiters count windows with, like {@link System#nanoTime()}; tests pass
     *                 a controllable one
     */
    public AdtRateLimiters(AdtRateLimits limits, Supplier<Long> nanoTime) {
        this(limits, InstanceRegistry.single(), nanoTime);
    }

    /**
     * Limiters that keep this instance's share of every instance-wide limit: the limit divided by
     * {@link InstanceRegistry#liveInstances()}, read at most once per {@link #WINDOW}.
     */
    public AdtRateLimiters(AdtRateLimits limits, InstanceRegistry instances) {
        this(limits, instances, System::nanoTime);
    }

    /**
     * @param instances the instances that share ADT's limits
     * @param nanoTime  the monotonic clock the limiters count windows with, like {@link System#nanoTime()}; tests pass
     *                  a controllable one
     */
    public AdtRateLimiters(AdtRateLimits limits, InstanceRegistry instances, Supplier<Long> nanoTime) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.instances = Objects.requireNonNull(instances, "instances");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.idleNanos = WINDOW.plus(limits.maxWait()).toNanos();
        this.createDeletes = limiter(limits.createDeletesPerSecond());
        this.patches = limiter(limits.patchesPerSecond());
        this.reads = limiter(limits.readsPerSecond());
        this.queries = limiter(limits.queriesPerSecond());
        this.models = limiter(limits.modelRequestsPerSecond());
    }

    private SlidingWindowLimiter limiter(int perSecond) {
        SlidingWindowLimiter.Sharing sharing = new SlidingWindowLimiter.Sharing() {
            @Override
            public int count() {
                return instances.liveInstances();
            }

            @Override
            public int position() {
                return instances.position();
            }
        };
        return limits.adaptive()
                ? SlidingWindowLimiter.adaptive(perSecond, WINDOW, limits.maxWait(), nanoTime::get, sharing)
                : SlidingWindowLimiter.strict(perSecond, WINDOW, limits.maxWait(), nanoTime::get, sharing);
    }

    private SlidingWindowLimiter strict(int perSecond) {
        return SlidingWindowLimiter.strict(perSecond, WINDOW, limits.maxWait(), nanoTime::get);
    }

    /**
     * Registers the gauge {@value DpsTwinMeters#ADT_ALLOWED_RATE} (tag {@code limit}: {@code create-delete},
     * {@code patch}, {@code read}, {@code query}, {@code model}): the requests per second each instance-wide limiter
     * allows now; and {@value DpsTwinMeters#ADT_INSTANCES}, the instances it shares the limits with. Binding twice to one registry registers them once; the limiters of another instance bound to the
     * registry before (a process that rebuilt its stack) are replaced, so the gauges show the limiters in use.
     */
    public AdtRateLimiters bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (boundTo) {
            if (boundTo.containsKey(registry)) {
                return this;
            }
            boundTo.put(registry, Boolean.TRUE);
        }
        gauge(registry, "create-delete", createDeletes);
        gauge(registry, "patch", patches);
        gauge(registry, "read", reads);
        gauge(registry, "query", queries);
        gauge(registry, "model", models);
        EarlierMeters.remove(registry, DpsTwinMeters.ADT_INSTANCES);
        Gauge.builder(DpsTwinMeters.ADT_INSTANCES, this, AdtRateLimiters::sharedBy)
                .description("Instances that share the ADT instance's limits, as this process last counted them")
                .register(registry);
        return this;
    }

    private static void gauge(MeterRegistry registry, String limit, SlidingWindowLimiter limiter) {
        EarlierMeters.remove(registry, DpsTwinMeters.ADT_ALLOWED_RATE, "limit", limit);
        ToDoubleFunction<SlidingWindowLimiter> allowed = SlidingWindowLimiter::allowed;
        Gauge.builder(DpsTwinMeters.ADT_ALLOWED_RATE, limiter, allowed)
                .tag("limit", limit)
                .description("Requests per second the client-side limiter of this ADT limit allows now")
                .baseUnit("requests")
                .register(registry);
    }

    /** The requests per second the create/delete limiter allows now (its ceiling unless throttled). */
    public double allowedCreateDeletesPerSecond() {
        return createDeletes.allowed();
    }

    public AdtRateLimits limits() {
        return limits;
    }

    /** The instances this process shares the instance-wide limits with. */
    public InstanceRegistry instances() {
        return instances;
    }

    /** How many instances shared the limits when the create/delete limiter last asked. */
    public int sharedBy() {
        return createDeletes.sharedBy();
    }

    /** How many twins currently have a write limiter (bounded by {@link AdtRateLimits#maxTrackedTwins()}). */
    public int trackedTwins() {
        synchronized (perTwin) {
            return perTwin.size();
        }
    }

    SlidingWindowLimiter createDeletes() {
        return createDeletes;
    }

    SlidingWindowLimiter patches() {
        return patches;
    }

    SlidingWindowLimiter reads() {
        return reads;
    }

    SlidingWindowLimiter queries() {
        return queries;
    }

    SlidingWindowLimiter models() {
        return models;
    }

    /** The write limiter of {@code twinId}, created on first use. */
    SlidingWindowLimiter twinWrites(String twinId) {
        long now = nanoTime.get();
        synchronized (perTwin) {
            TwinLimiter entry = perTwin.get(twinId);
            if (entry == null) {
                entry = new TwinLimiter(strict(limits.perTwinWritesPerSecond()));
                perTwin.put(twinId, entry);
            }
            entry.lastUsedNanos = now;
            evict(now);
            return entry.limiter;
        }
    }

    /**
     * Drops limiters unused for a window plus the longest wait (every admission they hold, reservations included,
     * has left the window), and the least recently used ones beyond the bound.
     */
    private void evict(long now) {
        Iterator<TwinLimiter> eldestFirst = perTwin.values().iterator();
        while (eldestFirst.hasNext()) {
            TwinLimiter eldest = eldestFirst.next();
            boolean idle = now - eldest.lastUsedNanos >= idleNanos;
            if (!idle && perTwin.size() <= limits.maxTrackedTwins()) {
                return;
            }
            eldestFirst.remove();
        }
    }

    private static final class TwinLimiter {
        private final SlidingWindowLimiter limiter;
        private long lastUsedNanos;

        private TwinLimiter(SlidingWindowLimiter limiter) {
            this.limiter = limiter;
        }
    }
}
