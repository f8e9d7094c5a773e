package io.dpstwin.benchmarks.reconcile;

import java.util.function.LongSupplier;

/**
 * A token bucket on a compressed clock: {@code capacity} tokens, refilled at {@code perSimulatedSecond}, where one
 * real second is {@code speedup} simulated seconds. The bucket starts full. Thread-safe.
 */
final class QuotaBucket {

    private final double capacity;
    private final double perRealNano;
    private final LongSupplier nanoTime;
    private double tokens;
    private long updatedAt;

    QuotaBucket(double capacity, double perSimulatedSecond, double speedup, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.perRealNano = perSimulatedSecond * speedup / 1e9;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.updatedAt = nanoTime.getAsLong();
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - updatedAt) * perRealNano);
        updatedAt = now;
    }

    /**
     * Takes {@code cost} tokens when that many are there.
     *
     * @return 0 when taken, else the real nanoseconds until they will be
     */
    synchronized long tryTake(double cost) {
        refill();
        if (tokens >= cost) {
            tokens -= cost;
            return 0;
        }
        return (long) Math.ceil((cost - tokens) / perRealNano);
    }

    /**
     * Takes {@code cost} tokens now, going into debt if needed.
     *
     * @return the real nanoseconds the caller must wait before the debt is paid (0 when there was no debt)
     */
    synchronized long take(double cost) {
        refill();
        tokens -= cost;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perRealNano);
    }
}
