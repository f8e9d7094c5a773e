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
 *       first throttles it, and again once it has grown back to it: a process that is alone on the instance loses no
 *       time to a slow start. A process that goes idle after a cut resumes at the rate of that cut, and grows
 *       {@value #BOOST} times per window once no 429 answers it (returning to the ceiling after an idle spell, even
 *       one of ten windows, brought processes whose workers waited on retries back in a burst: 8 processes then
 *       reached 0.72-0.77 of the limit instead of 0.79-0.85).</li>
 *   <li><b>Paced.</b> Admissions are spaced {@code window / allowance} apart (a caller that was late for its slots
 *       may use up to {@value #PACED_BURST} back to back) instead of leaving in a burst at the start of the window.
 *       A service that counts in fixed windows answers 429 to whatever arrives after its window filled up; with
 *       bursts, the process whose burst comes first takes the whole window and the others take every 429 (and every
 *       cut). Paced processes share each window of the service, and its 429s, in proportion to their
 *       allowances.</li>
 *   <li><b>The share the service throttles</b> is counted over the answers ({@link #onThrottled(long)} for a 429 of
 *       the service, {@link #onAnswered(long)} for any other outcome) to requests admitted at least a window after
 *       the last cut, halved every window so that it tells the last few windows. Answers, not admissions: a request
 *       still in flight has no answer yet, and counting it as accepted made the share look smaller than it was.</li>
 *   <li><b>Cut once per window, to what the service accepted.</b> A 429 to a request admitted at least a window after
 *       the last cut drops the allowance to {@value #DECREASE} times the rate the service accepted from this
 *       process: what it admitted in the last window (reservations still ahead not counted), less the share
 *       throttled. It takes {@value #MIN_SAMPLES} answers since the last cut to tell that share, or
 *       {@value #FEW_SAMPLES} once {@value #FEW_THROTTLES} of them were 429s. A 429 to a request admitted sooner
 *       belongs to the congestion the last cut answered, whose effect the service has not seen yet, and cuts
 *       nothing. A cut less than {@value #FOLLOW_UP_WINDOWS} windows after the previous one (the congestion outlasted
 *       it, because other processes had not cut yet) goes to {@value #FOLLOW_UP_DECREASE} times the accepted rate:
 *       that rate is already the process's share, and a second 0.8 left N processes together at 0.64 of the
 *       limit.</li>
 *   <li><b>Not for throttling it cannot change.</b> When {@value #STREAK} cuts in a row each left the share
 *       throttled between {@value #RATE_INDEPENDENT_SHARE} and {@value #OVERRUN_SHARE}, the service throttles that
 *       share whatever this process sends (at random, or a fault): the limiter goes back to the rate before those
 *       cuts, and from then on a 429 cuts only when the share rises {@value #BACKGROUND_MARGIN} above it (or beyond
 *       {@value #OVERRUN_SHARE}). That share is forgotten after two windows without a 429. Several processes that
 *       overran one limit together never get there: their cuts end the congestion, and the share drops.</li>
 *   <li><b>Grow back</b> to the accepted rate {@code Wmax} along CUBIC's concave curve,
 *       {@code W(t) = Wmax - (Wmax - W0) (1 - t / K)^3} with {@code K} = {@value #CUBIC_K} windows ({@code W0} the
 *       allowance right after the cut, {@code t} in windows since it), then probe beyond it by
 *       {@value #STEP} of the ceiling per window, the same step for every process, which moves unequal allowances
 *       towards equal ones (TCP's additive increase); an allowance never grows by less than that step per window.
 *       A probe relative to {@code Wmax} keeps unequal shares unequal, and a process that had a small share kept it
 *       until the end of a burst.</li>
 *   <li><b>Faster when the limit is free.</b> When no 429 came for {@value #CALM_WINDOWS} windows after the
 *       allowance was back at {@code Wmax}, and at least {@value #CALM_REQUESTS} admissions since the last one, other
 *       processes left capacity unused (they finished, or scaled in): the allowance grows by {@value #BOOST} times
 *       per further quiet window from {@code Wmax}, up to the ceiling or the next 429. At most twice the busiest of the
 *       last {@value #RECENT_WINDOWS} windows, so that an allowance that grew while it was not used cannot
 *       burst.</li>
 *   <li><b>Never below {@code C / }{@value #MAX_SHARERS}</b> (at least 1), so that throttling the limiter cannot
 *       explain never starves a process; up to {@value #MAX_SHARERS} processes (Event Hubs' partitions bound a
 *       Functions app's instances) together stay within the limit at that floor.</li>
 * </ul>
 * <b>Shared.</b> Given how many processes share the limit ({@link Sharing}, read at most once per window), a limiter
 * keeps its share of the ceiling instead of the ceiling: a strict one allows it, an adaptive one starts at it and
 * never grows beyond it (the boost included); a count that changes moves every allowance within the new share.
 * Independent processes that see only their own answers keep unequal shares within a short burst (the first cut
 * decides them); a count from outside evens them out from the start.
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

    /** How many processes share a limit, and this one's place among them. */
    @FunctionalInterface
    public interface Sharing {

        /** The processes that share the limit, this one included. */
        int count();

        /** This process's place among them, {@code 0} to {@code count() - 1}; {@code -1} when unknown. */
        default int position() {
            return -1;
        }
    }
    /** The multiplicative decrease on a throttle, applied to the rate the service accepted. */
    public static final double DECREASE = 0.8;
    /** The decrease of a cut soon after the previous one, applied to the rate the service accepted. */
    public static final double FOLLOW_UP_DECREASE = 0.95;
    /** A cut less than this many windows after the previous one is a follow-up cut. */
    public static final int FOLLOW_UP_WINDOWS = 3;
    /** Windows after a cut until the allowance is back at the rate the service accepted. */
    public static final double CUBIC_K = 4;
    /** The growth per window beyond that rate, as a share of the ceiling (the same for every process). */
    public static final double STEP = 0.004;
    /** Windows without a 429, once back at the accepted rate, after which the allowance grows by {@link #BOOST}. */
    public static final int CALM_WINDOWS = 2;
    /** Admissions since the last 429 it also takes to call the limit free. */
    public static final int CALM_REQUESTS = 10;
    /** The growth per quiet window once the limit is free. */
    public static final double BOOST = 1.5;
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
    /** Answers since the last cut that it takes to tell the share of them the service throttled. */
    public static final int MIN_SAMPLES = 20;
    /** Fewer answers that tell the share once {@link #FEW_THROTTLES} of them were 429s. */
    public static final int FEW_SAMPLES = 6;
    /** 429s among the answers since the last cut that let {@link #FEW_SAMPLES} answers tell the share. */
    public static final int FEW_THROTTLES = 3;
    /**
     * Cuts in a row that left a share between {@link #RATE_INDEPENDENT_SHARE} and {@link #OVERRUN_SHARE} throttled:
     * the service throttles that share whatever this process sends.
     */
    public static final int STREAK = 3;
    /** The least share throttled after a cut that counts towards {@link #STREAK}. */
    public static final double RATE_INDEPENDENT_SHARE = 0.15;
    /** A throttled share above this is an overrun whatever came before: the limiter cuts. */
    public static final double OVERRUN_SHARE = 0.5;
    /** How far above a rate-independent share the share must rise before a 429 cuts again. */
    public static final double BACKGROUND_MARGIN = 0.1;
    /** An adaptive limiter never allows less than its ceiling divided by this (nor less than 1). */
    public static final int MAX_SHARERS = 64;
    private static final int INITIAL_ENTRIES = 8;
    private static final long NEVER = Long.MIN_VALUE;

    private final int ceiling;
    private final boolean adaptive;
    /** How many processes share the limit (at least 1), read at most once per window. */
    private final Sharing sharers;
    /** The last count and place read from {@link #sharers}, guarded by {@code this}. */
    private int sharedBy = 1;
    private int position = -1;
    private long sharersReadAt = NEVER;
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
    private long answers;
    private long admitted;
    /** Answers since the last cut, and the 429s among them (adaptive, guarded by {@code this}; the lag not counted). */
    private long answeredSinceCut;
    private long throttledSinceCut;
    /** The same, halved every window. */
    private double recentAnswered;
    private double recentThrottled;
    /** Cuts in a row that left a rate-independent share, and the rate this process sent before the first of them. */
    private int streak;
    private double streakRate;
    /** A share the service throttles whatever this process sends (0: none known). */
    private double background;
    /** Answers other than 429 in the current tumbling window and in the one before it. */
    private long acceptedInWindow;
    private long acceptedPrevious;
    /** The last 429, and {@link #admitted} then. */
    private long lastThrottleAt = NEVER;
    private long admittedAtLastThrottle;
    /** When the log last went from empty to busy. */
    private long busySince = NEVER;

    private SlidingWindowLimiter(int ceiling, Duration window, Duration maxWait, LongSupplier nanoTime,
                                 boolean adaptive, Sharing sharers) {
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
        this.sharers = Objects.requireNonNull(sharers, "sharers");
        this.allowed = ceiling;
        this.floor = Math.max(1, (double) ceiling / MAX_SHARERS);
        int initialEntries = Math.min(maxEntries, INITIAL_ENTRIES);
        this.times = new long[initialEntries];
        this.counts = new int[initialEntries];
    }

    /** A limiter that keeps {@code permits} per {@code window}, whatever the service answers. */
    public static SlidingWindowLimiter strict(int permits, Duration window, Duration maxWait, LongSupplier nanoTime) {
        return strict(permits, window, maxWait, nanoTime, () -> 1);
    }

    /**
     * A limiter that keeps {@code permits / sharers} per {@code window} (at least 1), whatever the service answers:
     * its share of a limit that {@code sharers} processes split (by place when it knows its place, see
     * {@link Sharing#position()}). The count is read at most once per window.
     */
    public static SlidingWindowLimiter strict(int permits, Duration window, Duration maxWait, LongSupplier nanoTime,
                                              Sharing sharers) {
        return new SlidingWindowLimiter(permits, window, maxWait, nanoTime, false, sharers);
    }

    /** A limiter that starts at {@code ceiling} per {@code window} and follows the service's throttling below it. */
    public static SlidingWindowLimiter adaptive(int ceiling, Duration window, Duration maxWait,
                                                LongSupplier nanoTime) {
        return adaptive(ceiling, window, maxWait, nanoTime, () -> 1);
    }

    /**
     * A limiter that starts at its share of {@code ceiling}, {@code ceiling / sharers} per {@code window}, and follows
     * the service's throttling below it; it never allows more than that share. The count is read at most once per
     * window.
     */
    public static SlidingWindowLimiter adaptive(int ceiling, Duration window, Duration maxWait, LongSupplier nanoTime,
                                                Sharing sharers) {
        return new SlidingWindowLimiter(ceiling, window, maxWait, nanoTime, true, sharers);
    }

    /** The configured limit: the allowance of a strict limiter alone, the ceiling of an adaptive one. */
    public int ceiling() {
        return ceiling;
    }

    /** How many processes shared the limit when this limiter last asked (1 unless a count was given). */
    public synchronized int sharedBy() {
        share(nanoTime.getAsLong());
        return sharedBy;
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
        share(now);
        roll(now);
        grow(now);
        return effective();
    }

    /** How many permits this limiter has given (reservations included) since it was made. */
    public synchronized long admitted() {
        return admitted;
    }

    /** How many answers (429s included) an adaptive limiter has been told of; 0 for a strict one. */
    public synchronized long answered() {
        return answers;
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
        share(now);
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
        answers++;
        lastThrottleAt = now;
        admittedAtLastThrottle = admitted;
        expire(now - windowNanos);
        roll(now);
        grow(now);
        if (lastCut != NEVER && admittedAt - lastCut < windowNanos) {
            return;  // the congestion the last cut answered: the service has not seen its effect yet
        }
        throttledSinceCut++;
        answeredSinceCut++;
        recentThrottled++;
        recentAnswered++;
        if (answeredSinceCut < (throttledSinceCut >= FEW_THROTTLES ? FEW_SAMPLES : MIN_SAMPLES)) {
            return;  // too few answers since the last cut to tell what share of them the service throttles
        }
        double share = Math.min(1, recentThrottled / recentAnswered);
        if (background > 0 && share < OVERRUN_SHARE && share < background + BACKGROUND_MARGIN) {
            return;  // the share the service throttles whatever this process sends
        }
        cut(now, (double) throttledSinceCut / answeredSinceCut);
    }

    /**
     * Tells an adaptive limiter that the service answered a request it admitted, with anything but a 429 (a strict
     * one ignores it).
     *
     * @param admittedAt when the request was admitted ({@link #now()} before sending it)
     */
    public void onAnswered(long admittedAt) {
        if (!adaptive) {
            return;
        }
        synchronized (this) {
            answers++;
            roll(nanoTime.getAsLong());
            acceptedInWindow++;
            if (lastCut != NEVER && admittedAt - lastCut < windowNanos) {
                return;
            }
            answeredSinceCut++;
            recentAnswered++;
        }
    }

    private void cut(long now, double shareSinceCut) {
        // the rate of the last window, reservations still ahead not counted, and what the service accepted of it
        // (its answers other than 429 in the last window: a service that counts in fixed windows throttles the end of
        // each, so the share of a few answers says little); a process busy for less than a window counts at the
        // rate it has been sending
        long past = total;
        for (int i = size - 1; i >= 0 && times[index(i)] > now; i--) {
            past -= counts[index(i)];
        }
        double elapsed = Math.min(1, (now - windowStart) / (double) windowNanos);
        double acceptedInLastWindow = acceptedPrevious * (1 - elapsed) + acceptedInWindow;
        long busy = busySince == NEVER ? windowNanos : Math.max(1, now - busySince);
        double scale = busy >= windowNanos ? 1 : (double) windowNanos / busy;
        double rate = past * scale;
        double accepted = Math.max(1, Math.min(rate, acceptedInLastWindow * scale));
        if (shareSinceCut >= RATE_INDEPENDENT_SHARE && shareSinceCut <= OVERRUN_SHARE) {
            if (streak == 0) {
                streakRate = Math.min(effective(), rate);
            }
            streak++;
        } else {
            streak = 0;
        }
        if (streak >= STREAK) {
            // cut after cut left the share as it was: back to the rate before those cuts, and only a larger share
            // cuts from now on
            background = shareSinceCut;
            wMax = Math.max(wMax, streakRate);
            cutTo = Math.max(floor, effective());
            streak = 0;
        } else {
            boolean followUp = lastCut != NEVER && now - lastCut < FOLLOW_UP_WINDOWS * windowNanos;
            wMax = Math.min(effective(), accepted);
            allowed = Math.max(floor, (followUp ? FOLLOW_UP_DECREASE : DECREASE) * wMax);
            cutTo = allowed;
        }
        lastCut = now;
        answeredSinceCut = 0;
        throttledSinceCut = 0;
        recentAnswered = 0;
        recentThrottled = 0;
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
        double halved = Math.pow(0.5, Math.min(passed, 64));
        recentAnswered *= halved;
        recentThrottled *= halved;
        if (background > 0 && now - lastThrottleAt > 2 * windowNanos) {
            background = 0;  // the service stopped throttling at random
        }
        acceptedPrevious = passed == 1 ? acceptedInWindow : 0;
        acceptedInWindow = 0;
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
        double curve = t <= CUBIC_K ? wMax - Math.max(0, wMax - cutTo) * Math.pow(1 - t / CUBIC_K, 3)
                : wMax + (t - CUBIC_K) * STEP * ceiling;
        double w = Math.max(curve, cutTo + t * STEP * ceiling);
        if (admitted - admittedAtLastThrottle >= CALM_REQUESTS) {
            // back at Wmax and no 429 since: capacity others left unused
            long quietFrom = Math.max(lastThrottleAt, lastCut + (long) (CUBIC_K * windowNanos));
            double quiet = (now - quietFrom) / (double) windowNanos - CALM_WINDOWS;
            if (quiet > 0) {
                w = Math.max(w, wMax * Math.pow(BOOST, quiet));
            }
        }
        if (w >= share()) {
            allowed = share();
            lastCut = NEVER;
        } else {
            allowed = Math.max(floor, w);
        }
    }

    /**
     * This process's share of the ceiling (at least 1): the ceiling divided by the processes that share it, split by
     * place when this process knows its place (the first {@code ceiling mod sharers} places keep one more), else
     * rounded down by the window's whole admissions.
     */
    private double share() {
        if (position >= 0 && position < sharedBy) {
            return Math.max(1, ceiling / sharedBy + (position < ceiling % sharedBy ? 1 : 0));
        }
        return Math.max(1, (double) ceiling / sharedBy);
    }

    /**
     * Reads how many processes share the limit, at most once per window, and keeps every allowance within the share.
     * A count that cannot be read, or is below 1, counts as 1; above {@value #MAX_SHARERS} as that.
     */
    private void share(long now) {
        if (sharersReadAt != NEVER && now - sharersReadAt < windowNanos) {
            return;
        }
        sharersReadAt = now;
        int count;
        int place;
        try {
            count = sharers.count();
            place = sharers.position();
        } catch (RuntimeException e) {
            return;  // the registry's failure is its own to report; keep the last count
        }
        count = Math.max(1, Math.min(MAX_SHARERS, count));
        place = place < count ? place : -1;
        if (count == sharedBy && place == position) {
            return;
        }
        sharedBy = count;
        position = place;
        double share = share();
        if (!adaptive || lastCut == NEVER) {
            allowed = share;  // at the (new) share, as a limiter that was never throttled is
        } else {
            allowed = Math.min(allowed, share);
            wMax = Math.min(wMax, share);
            cutTo = Math.min(cutTo, share);
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
