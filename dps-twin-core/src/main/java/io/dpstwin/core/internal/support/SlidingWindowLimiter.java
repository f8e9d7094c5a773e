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
 *   <li><b>Start at the ceiling.</b> Like the AWS SDKs' adaptive mode, a limiter allows its ceiling until the service
 *       first throttles it, and again once it has grown back to it: a process that is alone on the instance, or idle
 *       for a while, loses no time to a slow start.</li>
 *   <li><b>Paced.</b> Admissions are spaced {@code window / allowance} apart (a caller that was late for its slots
 *       may use up to {@value #PACED_BURST} back to back) instead of leaving in a burst at the start of the window.
 *       A service that counts in fixed windows answers 429 to whatever arrives after its window filled up; with
 *       bursts, the process whose burst comes first takes the whole window and the others take every 429 (and every
 *       cut). Paced processes share each window of the service, and its 429s, in
 *       proportion to their allowances.</li>
 *   <li><b>Cut once per window, to what the service accepted.</b> A throttling answer
 *       ({@link #onThrottled(long)}, a 429 of the service) to a request admitted at least a window after the last cut
 *       drops the allowance to {@value #DECREASE} times the rate the service accepted from this process: what it
 *       admitted in the last window (reservations still ahead not counted), less the share of its requests since the
 *       last cut that were answered 429. It takes {@value #MIN_SAMPLES} requests since the last cut to tell that
 *       share; a 429 before then cuts nothing (a share of one 429 in two requests would cut to nothing). A 429 to a
 *       request admitted sooner belongs to the congestion the last cut answered, whose effect the service has not
 *       seen yet, and cuts nothing: N processes that overran one limit together each cut once and, with the share,
 *       land on the limit in one step.</li>
 *   <li><b>Not for throttling it cannot change.</b> A 429 cuts nothing when the share throttled since the last cut
 *       is at least {@value #UNCHANGED} of the share before that cut, itself at least
 *       {@value #RATE_INDEPENDENT_SHARE}, and at most {@value #OVERRUN_SHARE}: a cut that did not lower the share
 *       throttled says that the service throttles at a share that does not follow this process's rate (at random,
 *       or for another user of the instance), and further cuts would only push the allowance down to its floor.</li>
 *   <li><b>Grow back</b> along a CUBIC curve relative to the accepted rate {@code Wmax},
 *       {@code W(t) = Wmax (1 + C3 (t - K)^3)} with {@code K} = {@value #CUBIC_K} windows and
 *       {@code C3 = (1 - }{@value #DECREASE}{@code ) / K^3}, {@code t} in windows since the cut, and by at least
 *       {@value #STEP} of the ceiling per window: fast at first, flat near {@code Wmax}, then probing beyond it until
 *       the ceiling or the next 429, and at most twice the busiest of the last {@value #RECENT_WINDOWS} windows. The
 *       relative curve keeps the probes of many processes that share one limit to a probe of the whole limit; the
 *       absolute step, the same for every process, moves unequal allowances towards equal ones (as TCP's additive
 *       increase does).</li>
 *   <li><b>Never below {@code C / }{@value #MAX_SHARERS}</b> (at least 1), so that throttling the limiter cannot
 *       explain never starves a process; up to {@value #MAX_SHARERS} processes (Event Hubs' partitions bound a
 *       Functions app's instances) together stay within the limit at that floor.</li>
 * </ul>
 * The service's {@code Retry-After} is left to the retry of the request that got it: pausing every admission for it
 * (ADT rounds it up to whole seconds) cost a process up to a second of its share on every cut.
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
    /** The multiplicative decrease on a throttle, applied to the rate the service accepted. */
    public static final double DECREASE = 0.8;
    /** Windows after a cut until the allowance is back at the rate that was throttled. */
    public static final double CUBIC_K = 4;
    /** CUBIC's scaling constant, relative to that rate, with time counted in windows. */
    public static final double CUBIC_C = (1 - DECREASE) / (CUBIC_K * CUBIC_K * CUBIC_K);
    /** The least growth after a cut, per window, as a share of the ceiling (the same for every process). */
    public static final double STEP = 0.004;
    /**
     * While it regrows after a cut, an adaptive limiter allows at most twice the busiest of this many previous
     * windows, so that an allowance that grew while it was not used cannot burst.
     */
    public static final int RECENT_WINDOWS = 4;
    /**
     * The most admissions an adaptive limiter lets through back to back: a caller that was late for its paced slots
     * keeps up to this many minus one of them, but no process can send its whole window in one burst.
     */
    public static final int PACED_BURST = 3;
    /** Requests since the last cut that it takes to tell the share of them the service throttled. */
    public static final int MIN_SAMPLES = 20;
    /**
     * A throttled share at least this large that a cut left (nearly) {@linkplain #UNCHANGED unchanged} is not this
     * process's rate: a service that throttles at random, or for another user of the instance.
     */
    public static final double RATE_INDEPENDENT_SHARE = 0.15;
    /** A throttled share above this is an overrun whatever the last cut did: the limiter cuts. */
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
    /** The earliest moment of the next admission, for pacing (adaptive). */
    private long nextSlot = NEVER;
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
        long at = now;
        if (adaptive && nextSlot != NEVER) {
            at = Math.max(at, nextSlot);  // the next paced slot
        }
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
        if (adaptive) {
            // one spacing later; slots a caller left unused carry over, up to PACED_BURST - 1 of them
            long spacing = (long) (windowNanos / effective());
            long slack = at - (PACED_BURST - 1) * spacing;
            nextSlot = Math.max(nextSlot == NEVER ? slack : nextSlot, slack) + spacing;
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
     */
    public synchronized void onThrottled(long admittedAt) {
        if (!adaptive) {
            return;
        }
        long now = nanoTime.getAsLong();
        throttles++;
        if (lastCut != NEVER && admittedAt - lastCut < 0) {
            return;  // an answer to the rate before the last cut
        }
        throttledSinceCut++;
        if (lastCut != NEVER && admittedAt - lastCut < windowNanos) {
            return;  // the congestion the last cut answered: the service has not seen its effect yet
        }
        expire(now - windowNanos);
        roll(now);
        grow(now);
        if (admittedSinceCut < MIN_SAMPLES) {
            return;  // too few answers since the last cut to tell what share of them the service throttles
        }
        double share = Math.min(1, (double) throttledSinceCut / admittedSinceCut);
        if (shareAtCut >= RATE_INDEPENDENT_SHARE && share >= UNCHANGED * shareAtCut && share <= OVERRUN_SHARE) {
            return;  // the last cut left the share throttled as it was: the throttling does not follow this rate
        }
        // the rate of the last window, reservations still ahead not counted; a process busy for less than a window
        // counts at the rate it has been sending
        long past = total;
        for (int i = size - 1; i >= 0 && times[index(i)] > now; i--) {
            past -= counts[index(i)];
        }
        long busy = busySince == NEVER ? windowNanos : Math.max(1, now - busySince);
        double rate = busy >= windowNanos ? past : past * ((double) windowNanos / busy);
        // of which the service accepted all but the share throttled since the last cut
        double accepted = rate * (1 - share);
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
        double w = Math.max(wMax * (1 + CUBIC_C * Math.pow(t - CUBIC_K, 3)), cutTo + t * STEP * ceiling);
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
