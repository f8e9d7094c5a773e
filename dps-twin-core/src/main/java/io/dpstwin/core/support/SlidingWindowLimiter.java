package io.dpstwin.core.support;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The one model of every client-side rate limiter in dps-twin: at most {@link #allowed()} admissions in ANY window of
 * the given length, a sliding log of admission times, so that a service counting in windows of its own (whose phase
 * the client cannot know) never sees more than the limit in one of them. Fixed-cycle limiters (resilience4j's,
 * Guava's token bucket) let up to twice the limit through across a boundary that is out of phase with the service's,
 * which is exactly the burst that earns a 429 with {@code Retry-After}; several processes whose sliding windows each
 * keep to their allowance never together exceed the sum in any window of the service.
 *
 * <p><b>Strict</b> limiters keep the configured limit as it is. <b>Adaptive</b> limiters (the AWS SDKs' "adaptive"
 * retry mode applied to a sliding window) treat it as a ceiling: they start at it, and on a throttling answer
 * ({@link #onThrottled(long, Duration)}, a 429 from the service) they
 * <ul>
 *   <li>cut the allowance to {@value #DECREASE} times what it admitted in the last window (multiplicative decrease),
 *       once per congestion event: a 429 of a request admitted before the last cut says nothing new;</li>
 *   <li>pause every admission until the service's {@code Retry-After} has passed;</li>
 *   <li>then grow again along a CUBIC curve relative to the rate that was accepted,
 *       {@code W(t) = Wmax (1 + C (t - K)^3)} with {@code K} = {@value #CUBIC_K} windows and
 *       {@code C = (1 - DECREASE) / K^3}, {@code t} in windows since the cut: fast at first, flat near
 *       {@code Wmax}, then probing beyond it until the ceiling or the next 429. Being relative, the probes of many
 *       processes that share one limit add up to a probe of the whole limit, not N times one.</li>
 * </ul>
 * Against a service that admits {@code S} per window, an adaptive limiter alone therefore stays, once it has
 * converged, in the band {@code [DECREASE * S, 1.1 * S]} (the cut, and the probe beyond {@code S} before the 429
 * that answers it comes back), and spends most of each cycle near {@code S}: the CUBIC curve's mean over a cycle is
 * {@code 0.925 * Wmax}. {@code AdaptiveLimiterTest} checks that band with a simulated clock.
 *
 * <p>A caller that finds the window full reserves the first free moment and waits for it, up to {@code maxWait};
 * otherwise it is refused at once. The log holds at most {@value #MAX_ENTRIES} entries: up to half that many permits
 * each admission has its own entry (exact); above it, an entry stands for {@code ceiling / (MAX_ENTRIES / 2)}
 * admissions and
 * carries the time of its latest one, which only ever delays an admission, never lets one too many through.
 * Thread-safe.
 */
public final class SlidingWindowLimiter {

    /**
     * The most entries one limiter keeps, whatever its limit: half of them for the admissions of one window, half
     * for those that left it before a reservation in the future but still count as the last window's admissions.
     */
    public static final int MAX_ENTRIES = 1024;
    /** The multiplicative decrease on a throttle. */
    public static final double DECREASE = 0.7;
    /** Windows after a cut until the allowance is back at the rate that was throttled. */
    public static final double CUBIC_K = 4;
    /** CUBIC's scaling constant, relative to that rate, with time counted in windows. */
    public static final double CUBIC_C = (1 - DECREASE) / (CUBIC_K * CUBIC_K * CUBIC_K);
    private static final int INITIAL_ENTRIES = 8;
    private static final long NEVER = Long.MIN_VALUE;

    private final int ceiling;
    private final boolean adaptive;
    private final int maxEntries;
    /** Admissions one entry stands for; {@code maxEntries * unit <= ceiling}. */
    private final int unit;
    private final long windowNanos;
    private final long maxWaitNanos;
    private final LongSupplier nanoTime;
    /** A ring of entries in non-decreasing time order, starting at {@code oldest}. Guarded by {@code this}. */
    private long[] times;
    private int[] counts;
    private int oldest;
    private int size;
    private long total;
    /** Adaptive state, guarded by {@code this}. */
    private double allowed;
    private double wMax;
    private long lastCut = NEVER;
    private long pausedUntil = NEVER;
    private long throttles;
    private long admitted;

    private SlidingWindowLimiter(int ceiling, Duration window, Duration maxWait, LongSupplier nanoTime,
                                 boolean adaptive) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + ceiling);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.ceiling = ceiling;
        this.adaptive = adaptive;
        this.maxEntries = Math.min(ceiling, MAX_ENTRIES / 2);
        this.unit = ceiling / maxEntries;
        this.windowNanos = window.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.allowed = ceiling;
        int initial = Math.min(maxEntries, INITIAL_ENTRIES);
        this.times = new long[initial];
        this.counts = new int[initial];
    }

    /** A limiter that keeps {@code permits} per {@code window}, whatever the service answers. */
    public static SlidingWindowLimiter strict(int permits, Duration window, Duration maxWait, LongSupplier nanoTime) {
        return new SlidingWindowLimiter(permits, window, maxWait, nanoTime, false);
    }

    /** A limiter that starts at {@code ceiling} per {@code window} and follows the service's throttling below it. */
    public static SlidingWindowLimiter adaptive(int ceiling, Duration window, Duration maxWait,
                                                LongSupplier nanoTime) {
        return new SlidingWindowLimiter(ceiling, window, maxWait, nanoTime, true);
    }

    /** The configured limit: the allowance of a strict limiter, the ceiling of an adaptive one. */
    public int ceiling() {
        return ceiling;
    }

    public boolean isAdaptive() {
        return adaptive;
    }

    /** The monotonic clock of this limiter, in nanoseconds; pass its readings to {@link #onThrottled}. */
    public long now() {
        return nanoTime.getAsLong();
    }

    /** Admissions allowed per window now (the ceiling, unless an adaptive limiter has been throttled). */
    public synchronized double allowed() {
        grow(nanoTime.getAsLong());
        return allowed;
    }

    /** How many permits this limiter has given (reservations included) since it was made. */
    public synchronized long admitted() {
        return admitted;
    }

    /** How many throttles this limiter has been told of. */
    public synchronized long throttles() {
        return throttles;
    }

    /**
     * Takes a permit, waiting up to the configured maximum for one.
     *
     * @return {@code false} when no permit is free within the maximum wait (or the wait was interrupted; the
     *         interrupt flag is then set again)
     */
    public boolean acquirePermission() {
        long wait = reserve();
        return wait >= 0 && waitFor(wait);
    }

    /**
     * Takes the first free permit if it is free within the maximum wait, without waiting for it.
     *
     * @return the nanoseconds until the permit is valid (0: now), or -1 when refused (nothing was taken)
     */
    public synchronized long reserve() {
        long now = nanoTime.getAsLong();
        expire(now - windowNanos);
        grow(now);
        int cap = Math.max(1, (int) Math.floor(allowed + 1e-9));
        long at = Math.max(now, pausedUntil);
        if (size > 0) {
            at = Math.max(at, times[index(size - 1)]);
        }
        boolean merge = size > 0 && counts[index(size - 1)] < unit;
        int dropped = 0;
        long droppedCount = 0;
        while (dropped < size && times[index(dropped)] <= at - windowNanos) {
            droppedCount += counts[index(dropped)];
            dropped++;
        }
        while (total - droppedCount >= cap || (!(merge && dropped < size) && size - dropped >= maxEntries)) {
            at = Math.max(at, times[index(dropped)] + windowNanos);
            while (dropped < size && times[index(dropped)] <= at - windowNanos) {
                droppedCount += counts[index(dropped)];
                dropped++;
            }
        }
        if (at - now > maxWaitNanos) {
            return -1;
        }
        boolean mergeable = size > dropped && counts[index(size - 1)] < unit;
        if (!mergeable && size == 2 * maxEntries) {
            // entries that leave the window before the admission make room; otherwise they stay until they expire,
            // so that the log still tells how many were admitted in the last window
            oldest = index(dropped);
            size -= dropped;
            total -= droppedCount;
        }
        if (mergeable) {
            times[index(size - 1)] = at;
            counts[index(size - 1)]++;
        } else {
            append(at);
        }
        total++;
        admitted++;
        return at - now;
    }

    /**
     * Tells an adaptive limiter that the service throttled a request (a strict one ignores it).
     *
     * @param admittedAt when the throttled request was admitted ({@link #now()} before sending it)
     * @param retryAfter the service's {@code Retry-After}, or {@code null}/zero for none: no admission before it
     */
    public synchronized void onThrottled(long admittedAt, Duration retryAfter) {
        if (!adaptive) {
            return;
        }
        long now = nanoTime.getAsLong();
        throttles++;
        if (retryAfter != null && retryAfter.toNanos() > 0) {
            long until = now + Math.min(retryAfter.toNanos(), maxWaitNanos + windowNanos);
            pausedUntil = pausedUntil == NEVER ? until : Math.max(pausedUntil, until);
        }
        if (lastCut != NEVER && admittedAt - lastCut < 0) {
            return;
        }
        expire(now - windowNanos);
        grow(now);
        wMax = Math.min(allowed, Math.max(1, total));
        allowed = Math.max(1, DECREASE * wMax);
        lastCut = now;
    }

    private void grow(long now) {
        if (!adaptive || lastCut == NEVER) {
            return;
        }
        double t = (now - lastCut) / (double) windowNanos;
        double w = wMax * (1 + CUBIC_C * Math.pow(t - CUBIC_K, 3));
        if (w >= ceiling) {
            allowed = ceiling;
            lastCut = NEVER;
        } else {
            allowed = Math.max(1, w);
        }
    }

    private void expire(long before) {
        while (size > 0 && times[oldest] <= before) {
            total -= counts[oldest];
            oldest = (oldest + 1) % times.length;
            size--;
        }
    }

    private int index(int i) {
        return (oldest + i) % times.length;
    }

    private void append(long at) {
        if (size == times.length) {
            int capacity = Math.min(2 * maxEntries, times.length * 2);
            long[] grownTimes = new long[capacity];
            int[] grownCounts = new int[capacity];
            for (int i = 0; i < size; i++) {
                grownTimes[i] = times[index(i)];
                grownCounts[i] = counts[index(i)];
            }
            times = grownTimes;
            counts = grownCounts;
            oldest = 0;
        }
        int slot = index(size);
        times[slot] = at;
        counts[slot] = 1;
        size++;
    }

    private static boolean waitFor(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long remaining = nanos;
        while (remaining > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
            remaining = deadline - System.nanoTime();
        }
        return true;
    }
}
