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
 * retry mode applied to a sliding window) treat it as a ceiling {@code C}:
 * <ul>
 *   <li><b>Start and restart slowly.</b> A limiter allows at most twice what it admitted in the busiest of its last
 *       {@value #RECENT_WINDOWS} windows, and at least {@code C / }{@value #INITIAL_SHARE}: a new process, or one
 *       that has been idle for that long, starts at {@code C / 16} and doubles every window it uses in full. N processes that start together therefore send
 *       N/16 of the limit in their first window, not N times it, and an allowance that grew while it was not used
 *       cannot burst (RFC 7661's idea for TCP).</li>
 *   <li><b>Cut once per congestion event.</b> On a throttling answer ({@link #onThrottled(long, Duration)}, a 429 of
 *       the service) the allowance drops to {@value #DECREASE} times the rate the service accepted from this
 *       process: what it admitted in the last window, times the share of its requests since the previous cut that
 *       were not answered 429. A 429 within a window of the last cut, or of a request admitted before it, belongs to
 *       the same event and cuts nothing.</li>
 *   <li><b>Pause</b> every admission until the service's {@code Retry-After} has passed, at most half the maximum
 *       wait, so that a caller waits for the pause instead of being refused.</li>
 *   <li><b>Grow back</b> along a CUBIC curve relative to the accepted rate {@code Wmax},
 *       {@code W(t) = Wmax (1 + C3 (t - K)^3)} with {@code K} = {@value #CUBIC_K} windows and
 *       {@code C3 = (1 - DECREASE) / K^3}, {@code t} in windows since the cut, and by at least one permit per
 *       {@code K} windows: fast at first, flat near {@code Wmax}, then probing beyond it until the ceiling or the
 *       next 429. Being relative, the probes of many processes that share one limit add up to a probe of the whole
 *       limit, not N times one.</li>
 *   <li><b>Never below {@code C / }{@value #MAX_SHARERS}</b> (at least 1), so that throttling the limiter cannot
 *       explain (a service throttling at random, another user of the instance) never starves a process; up to
 *       {@value #MAX_SHARERS} processes (Event Hubs' partitions bound a Functions app's instances) together stay
 *       within the limit at that floor.</li>
 * </ul>
 * {@code AdaptiveLimiterTest} checks on a simulated clock how this converges after a 429 burst, recovers, shares
 * one limit between processes and stays within a stated band around the service's limit.
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
    public static final double CUBIC_K = 8;
    /** CUBIC's scaling constant, relative to that rate, with time counted in windows. */
    public static final double CUBIC_C = (1 - DECREASE) / (CUBIC_K * CUBIC_K * CUBIC_K);
    /** An adaptive limiter starts (and restarts after {@value #RECENT_WINDOWS} idle windows) at its ceiling divided by this. */
    public static final int INITIAL_SHARE = 16;
    /**
     * An adaptive limiter allows at most twice the busiest of this many previous windows: a batch's tail does not
     * slow the next batch down, an idle spell this long does start it slowly again.
     */
    public static final int RECENT_WINDOWS = 4;
    /** An adaptive limiter never allows less than its ceiling divided by this (nor less than 1). */
    public static final int MAX_SHARERS = 64;
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
    private double cutTo;
    private final double floor;
    private final double initial;
    private long lastCut = NEVER;
    private long pausedUntil = NEVER;
    /**
     * Admissions of the current tumbling window and of the {@value #RECENT_WINDOWS} before it, a ring (adaptive: the
     * allowance may be at most twice the busiest of those).
     */
    private long windowStart = NEVER;
    private long inWindow;
    private final long[] recent = new long[RECENT_WINDOWS];
    private int recentNext;
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
        this.floor = Math.max(1, (double) ceiling / MAX_SHARERS);
        this.initial = Math.max(floor, (double) ceiling / INITIAL_SHARE);
        int initialEntries = Math.min(maxEntries, INITIAL_ENTRIES);
        this.times = new long[initialEntries];
        this.counts = new int[initialEntries];
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
        long now = nanoTime.getAsLong();
        roll(now);
        grow(now);
        return effective();
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
        roll(now);
        grow(now);
        int cap = Math.max(1, (int) Math.floor(effective() + 1e-9));
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
        inWindow++;
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
            long until = now + Math.min(retryAfter.toNanos(), maxWaitNanos / 2);
            pausedUntil = pausedUntil == NEVER ? until : Math.max(pausedUntil, until);
        }
        if (lastCut != NEVER && admittedAt - lastCut < 0) {
            return;  // an answer to the rate before the last cut
        }
        expire(now - windowNanos);
        roll(now);
        grow(now);
        wMax = Math.min(effective(), Math.max(1, total));
        allowed = Math.max(floor, DECREASE * wMax);
        cutTo = allowed;
        lastCut = now;
    }

    /**
     * The allowance now: the curve's, but at most twice what the previous window admitted, and at least the start
     * (or, since a cut, the allowance right after it: a window spent paused is not a window without demand).
     */
    private double effective() {
        if (!adaptive) {
            return allowed;
        }
        double least = lastCut == NEVER ? initial : Math.max(initial, cutTo);
        long busiest = 0;
        for (long count : recent) {
            busiest = Math.max(busiest, count);
        }
        return Math.min(allowed, Math.max(least, 2.0 * busiest));
    }

    /** Moves the tumbling windows that count admissions on to {@code now}. */
    private void roll(long now) {
        if (!adaptive) {
            return;
        }
        if (windowStart == NEVER) {
            windowStart = now;
            return;
        }
        long elapsed = now - windowStart;
        if (elapsed < windowNanos) {
            return;
        }
        long passed = elapsed / windowNanos;
        for (long w = 0; w < Math.min(passed, RECENT_WINDOWS + 1); w++) {
            recent[recentNext] = w == 0 ? inWindow : 0;
            recentNext = (recentNext + 1) % RECENT_WINDOWS;
        }
        inWindow = 0;
        windowStart = now - elapsed % windowNanos;
    }

    private void grow(long now) {
        if (!adaptive || lastCut == NEVER) {
            return;
        }
        double t = (now - lastCut) / (double) windowNanos;
        double w = Math.max(wMax * (1 + CUBIC_C * Math.pow(t - CUBIC_K, 3)), cutTo + t / CUBIC_K);
        if (w >= ceiling) {
            allowed = ceiling;
            lastCut = NEVER;
        } else {
            allowed = Math.max(floor, w);
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
