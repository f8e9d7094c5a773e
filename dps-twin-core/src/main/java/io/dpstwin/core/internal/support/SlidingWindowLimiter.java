package io.dpstwin.core.internal.support;

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
 *   <li><b>Start at the ceiling.</b> Like the AWS SDKs' adaptive mode, a limiter limits nothing below its ceiling
 *       until the service first throttles it, nor again once it has grown back to the ceiling: a process that is
 *       alone on the instance, or idle for a while, loses no time to a slow start.</li>
 *   <li><b>Cut once per congestion event.</b> On a throttling answer ({@link #onThrottled(long, Duration)}, a 429 of
 *       the service) the allowance drops to {@value #DECREASE} times the rate the service accepted from this
 *       process: what it admitted in the last window, times the share of its requests since the previous cut that
 *       were not answered 429 when more than {@value #OVERRUN_SHARE} were (so that N processes that overran one
 *       limit together find their shares in one or two cuts). A 429 to a request admitted before the last cut belongs to the same event and cuts
 *       nothing. A 429 cuts nothing either when the share of the requests admitted since the last cut that were
 *       throttled is at least {@value #UNCHANGED} of the share before that cut, itself at least
 *       {@value #RATE_INDEPENDENT_SHARE}: a cut that did not lower the share throttled says that the service
 *       throttles at a share that does not follow this process's rate (at random, or for another user of the
 *       instance), and further cuts would only push the allowance down to its floor. A process that has been busy
 *       for less than a window counts its admissions at the rate it has been sending them.</li>
 *   <li><b>Pause</b> every admission until the service's {@code Retry-After} has passed, at most half the maximum
 *       wait, so that a caller waits for the pause instead of being refused.</li>
 *   <li><b>Grow back</b> along a CUBIC curve relative to the accepted rate {@code Wmax},
 *       {@code W(t) = Wmax (1 + C3 (t - K)^3)} with {@code K} = {@value #CUBIC_K} windows and
 *       {@code C3 = (1 - DECREASE) / K^3}, {@code t} in windows since the cut, and by at least one permit per
 *       {@code K} windows: fast at first, flat near {@code Wmax}, then probing beyond it until the ceiling or the
 *       next 429, and at most twice the busiest of the last {@value #RECENT_WINDOWS} windows. Being relative, the
 *       probes of many processes that share one limit add up to a probe of the whole limit, not N times one.</li>
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
    /**
     * While it regrows after a cut, an adaptive limiter allows at most twice the busiest of this many previous
     * windows, so that an allowance that grew while it was not used cannot burst.
     */
    public static final int RECENT_WINDOWS = 4;
    /**
     * A throttled share at least this large that a cut left (nearly) {@linkplain #UNCHANGED unchanged} is not this
     * process's rate: a service that throttles at random, or for another user of the instance.
     */
    public static final double RATE_INDEPENDENT_SHARE = 0.15;
    /**
     * A throttled share above this says that processes overran a shared limit together: the cut is then relative to
     * the rate the service accepted (the rate admitted less the throttled share), not to the rate admitted.
     */
    public static final double OVERRUN_SHARE = 0.5;
    /** The share throttled since a cut counts as unchanged at this fraction of the share before it, or more. */
    public static final double UNCHANGED = 0.8;
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
    /** Admissions since the last cut, and throttles of those admissions (adaptive, guarded by {@code this}). */
    private long admittedSinceCut;
    private long throttledSinceCut;
    /** The share throttled of what was admitted before the last cut; NaN before the first. */
    private double shareAtCut = Double.NaN;
    /** When the log last went from empty to busy. */
    private long busySince = NEVER;

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
        if (size == 0) {
            busySince = now;
        }
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
        admittedSinceCut++;
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
        throttledSinceCut++;
        expire(now - windowNanos);
        roll(now);
        grow(now);
        double share = (double) throttledSinceCut / Math.max(1, admittedSinceCut);
        if (shareAtCut >= RATE_INDEPENDENT_SHARE && share >= UNCHANGED * shareAtCut) {
            return;  // the last cut left the share throttled as it was: the throttling does not follow this rate
        }
        // the rate of the last window; a process busy for less than a window counts at the rate it has been sending
        long busy = busySince == NEVER ? windowNanos : Math.max(1, now - busySince);
        double rate = busy >= windowNanos ? total : total * ((double) windowNanos / busy);
        // of which the service accepted all but the share throttled since the last cut, when that share says overrun
        double accepted = share > OVERRUN_SHARE ? rate * (1 - Math.min(1, share)) : rate;
        wMax = Math.min(effective(), Math.max(1, accepted));
        allowed = Math.max(floor, DECREASE * wMax);
        cutTo = allowed;
        lastCut = now;
        shareAtCut = share;
        admittedSinceCut = 0;
        throttledSinceCut = 0;
    }

    /**
     * The allowance now: the curve's, but at most twice what the previous window admitted, and at least the start
     * (or, since a cut, the allowance right after it: a window spent paused is not a window without demand).
     */
    private double effective() {
        if (!adaptive) {
            return allowed;
        }
        if (lastCut == NEVER) {
            return allowed;
        }
        double least = Math.max(floor, cutTo);
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
