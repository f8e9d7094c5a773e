package io.dpstwin.core.twins;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * At most {@code permits} admissions in ANY window of the given length — a sliding log of admission times, so that a
 * service counting in windows of its own (whose phase the client cannot know) never sees more than the limit in one
 * of them. Fixed-cycle limiters (resilience4j's, Guava's token bucket) let up to twice the limit through across a
 * boundary that is out of phase with the service's, which is exactly the burst that earns a 429 with
 * {@code Retry-After}.
 *
 * <p>A caller that finds the window full reserves the first free moment and waits for it, up to {@code maxWait};
 * otherwise it is refused at once. The log holds at most {@value #MAX_ENTRIES} entries, allocated as admissions
 * arrive: up to that many permits each admission has its own entry (exact); above it, an entry stands for
 * {@code permits / MAX_ENTRIES} admissions and carries the time of its latest one, which only ever delays an
 * admission, never lets one too many through. Thread-safe.
 */
final class SlidingWindowLimiter {

    /** The most entries one limiter keeps, whatever its limit. */
    static final int MAX_ENTRIES = 1024;
    private static final int INITIAL_ENTRIES = 8;

    private final int maxEntries;
    /** Admissions one entry stands for; {@code maxEntries * unit <= permits}. */
    private final int unit;
    private final long windowNanos;
    private final long maxWaitNanos;
    private final Supplier<Long> nanoTime;
    /** A ring of entries in non-decreasing time order, starting at {@code oldest}. Guarded by {@code this}. */
    private long[] times;
    private int[] counts;
    private int oldest;
    private int size;

    SlidingWindowLimiter(int permits, Duration window, Duration maxWait, Supplier<Long> nanoTime) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + permits);
        }
        this.maxEntries = Math.min(permits, MAX_ENTRIES);
        this.unit = permits / maxEntries;
        this.windowNanos = window.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
        this.nanoTime = nanoTime;
        int initial = Math.min(maxEntries, INITIAL_ENTRIES);
        this.times = new long[initial];
        this.counts = new int[initial];
    }

    /**
     * Takes a permit, waiting up to the configured maximum for one.
     *
     * @return {@code false} when no permit is free within the maximum wait (or the wait was interrupted; the
     *         interrupt flag is then set again)
     */
    boolean acquirePermission() {
        long now;
        long at;
        synchronized (this) {
            now = nanoTime.get();
            while (size > 0 && times[oldest] <= now - windowNanos) {
                oldest = (oldest + 1) % times.length;
                size--;
            }
            int newest = (oldest + size - 1) % times.length;
            if (size > 0 && counts[newest] < unit) {
                at = Math.max(now, times[newest]);
                times[newest] = at;
                counts[newest]++;
            } else if (size < maxEntries) {
                at = size == 0 ? now : Math.max(now, times[newest]);
                append(at);
            } else {
                at = Math.max(now, times[oldest] + windowNanos);
                if (at - now > maxWaitNanos) {
                    return false;
                }
                times[oldest] = at;
                counts[oldest] = 1;
                oldest = (oldest + 1) % times.length;
            }
        }
        return waitUntil(now, at);
    }

    private void append(long at) {
        if (size == times.length) {
            int capacity = Math.min(maxEntries, times.length * 2);
            long[] grownTimes = new long[capacity];
            int[] grownCounts = new int[capacity];
            for (int i = 0; i < size; i++) {
                grownTimes[i] = times[(oldest + i) % times.length];
                grownCounts[i] = counts[(oldest + i) % times.length];
            }
            times = grownTimes;
            counts = grownCounts;
            oldest = 0;
        }
        int slot = (oldest + size) % times.length;
        times[slot] = at;
        counts[slot] = 1;
        size++;
    }

    private static boolean waitUntil(long now, long at) {
        long remaining = at - now;
        long deadline = System.nanoTime() + remaining;
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
