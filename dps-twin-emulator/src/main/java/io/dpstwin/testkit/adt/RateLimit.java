package io.dpstwin.testkit.adt;

import io.dpstwin.core.support.Checks;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code permits} operations per {@code period}.
 */
public record RateLimit(int permits, Duration period) {

    public RateLimit {
        Objects.requireNonNull(period, "period");
        Checks.atLeast(permits, 1, "permits");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
    }

    /** {@code permits} operations per second. */
    public static RateLimit perSecond(int permits) {
        return new RateLimit(permits, Duration.ofSeconds(1));
    }
}
