package io.dpstwin.core.twins;

import io.dpstwin.core.support.Checks;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;

import java.time.Duration;

/**
 * How hard {@link RetryingDigitalTwinsGateway} tries one ADT call: at most {@link #maxAttempts()} attempts and at
 * most {@link #maxTotalTime()} from the first attempt to the start of the last; between attempts the service's
 * {@code Retry-After} (at most {@link #maxRetryAfter()}), else exponential backoff with jitter from
 * {@link #initialBackoff()} up to {@link #maxBackoff()}. Immutable; build with {@link #builder()}.
 *
 * <p>Two presets: {@link #allocation()} for the DPS webhook, which must answer quickly and can leave retrying to
 * DPS (DPS retries a webhook that answers 429 or 5xx), and {@link #lifecycle()} for retirement and batch work,
 * which has time and should absorb throttling itself.
 */
public final class RetryBudget {

    /** A private copy of the builder that made this budget, never changed. */
    private final Builder values;

    private RetryBudget(Builder builder) {
        this.values = builder.copy();
    }

    /**
     * For the allocation webhook: 3 attempts within 5 s, backoff 200 ms → 1 s, {@code Retry-After} up to 2 s.
     * Anything longer is better answered with 429/503 so that DPS retries the registration.
     */
    public static RetryBudget allocation() {
        return builder()
                .maxAttempts(3)
                .maxTotalTime(Duration.ofSeconds(5))
                .initialBackoff(Duration.ofMillis(200))
                .maxBackoff(Duration.ofSeconds(1))
                .maxRetryAfter(Duration.ofSeconds(2))
                .build();
    }

    /** For lifecycle events, retirement and reconciliation: 8 attempts within 60 s, backoff 500 ms → 10 s, {@code Retry-After} up to 30 s. */
    public static RetryBudget lifecycle() {
        return builder().build();
    }

    /** One attempt, no retry. */
    public static RetryBudget none() {
        return builder().maxAttempts(1).build();
    }

    /** A builder starting from the {@link #lifecycle()} values. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this budget's values. */
    public Builder toBuilder() {
        return values.copy();
    }

    /** Attempts per call, including the first; at least 1. */
    public int maxAttempts() {
        return values.maxAttempts;
    }

    /** Time per call after which no further attempt starts. */
    public Duration maxTotalTime() {
        return values.maxTotalTime;
    }

    /** Backoff before the first retry when the service gave no {@code Retry-After}; doubles per retry, with jitter. */
    public Duration initialBackoff() {
        return values.initialBackoff;
    }

    /** Upper bound of the exponential backoff. */
    public Duration maxBackoff() {
        return values.maxBackoff;
    }

    /** Upper bound of a wait the service asks for with {@code Retry-After}. */
    public Duration maxRetryAfter() {
        return values.maxRetryAfter;
    }

    @Override
    public String toString() {
        return "RetryBudget[maxAttempts=" + values.maxAttempts + ", maxTotalTime=" + values.maxTotalTime
                + ", initialBackoff=" + values.initialBackoff + ", maxBackoff=" + values.maxBackoff
                + ", maxRetryAfter=" + values.maxRetryAfter + "]";
    }

    /** Builder of {@link RetryBudget}; starts from the {@link RetryBudget#lifecycle()} values. */
    public static final class Builder implements Cloneable {

        /** The shortest backoff: waits are in whole milliseconds. */
        private static final Duration ONE_MS = Duration.ofMillis(1);

        private int maxAttempts = 8;
        private Duration maxTotalTime = Duration.ofSeconds(60);
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration maxRetryAfter = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Checks.atLeast(maxAttempts, 1, "maxAttempts");
            return this;
        }

        public Builder maxTotalTime(Duration maxTotalTime) {
            this.maxTotalTime = Checks.notNegative(maxTotalTime, "maxTotalTime");
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Checks.atLeast(initialBackoff, ONE_MS, "initialBackoff");
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Checks.atLeast(maxBackoff, ONE_MS, "maxBackoff");
            return this;
        }

        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = Checks.notNegative(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /**
         * @throws IllegalArgumentException when {@code maxBackoff} is below {@code initialBackoff}
         */
        public RetryBudget build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be below initialBackoff ("
                        + initialBackoff + ")");
            }
            return new RetryBudget(this);
        }

        /** A builder with this one's values (all immutable), apart from it: a change to either leaves the other. */
        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
