package io.dpstwin.core.twins;

import io.dpstwin.core.support.Checks;

import java.time.Duration;

/**
 * The request rates {@link RateLimitedDigitalTwinsGateway} keeps to, so that a process stays under Azure Digital
 * Twins' limits instead of bouncing off them with 429s. The defaults are ADT's published limits for one instance:
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>counts</th></tr>
 *   <tr><td>{@link #perTwinWritesPerSecond()}</td><td>10</td><td>creates, updates and deletes of a twin and of the
 *       relationships it is the source or (when known) the target of; not adjustable at ADT</td></tr>
 *   <tr><td>{@link #createDeletesPerSecond()}</td><td>500</td><td>creates and deletes of twins and relationships
 *       across the instance</td></tr>
 *   <tr><td>{@link #patchesPerSecond()}</td><td>1000</td><td>twin updates (JSON Patch)</td></tr>
 *   <tr><td>{@link #readsPerSecond()}</td><td>1000</td><td>twin and relationship reads and lists</td></tr>
 *   <tr><td>{@link #queriesPerSecond()}</td><td>500</td><td>query pages</td></tr>
 *   <tr><td>{@link #modelRequestsPerSecond()}</td><td>100</td><td>model uploads and reads</td></tr>
 * </table>
 *
 * <p>The limits hold per process. By default they are static: each process keeps to them as they are, whatever the
 * service answers. When several processes share an instance (Functions scale-out, replicas), use
 * {@linkplain Builder#adaptive(boolean) adaptive} mode (opt-in) rather than dividing the limits: the instance-wide
 * limits are then ceilings, and each process starts at them, paces its requests and follows the service's 429s below
 * them, so that processes sharing an instance find their shares without anyone dividing the limits by hand. Measured
 * with 1 to 32 processes on one emulated instance, it keeps the share of 429s under 5 % in most runs (static
 * processes at the whole limit: 6-29 %) at 0.77-0.98 of the rate the limit allows in a short burst of deletions
 * (medians 0.83-0.97), under the project's target of 0.85 at every N in some runs (see the project's performance
 * documentation).
 * The per-twin limit is always strict and usually safe as it is, because the events of one device reach one process
 * at a time.
 * A call waits at most {@link #maxWait()} for a permit, then fails with a transient
 * {@link AdtException} 429 {@link AdtErrorCodes#TOO_MANY_REQUESTS}. Per-twin limiters are kept for at most
 * {@link #maxTrackedTwins()} twins; idle ones are dropped. Immutable; build with {@link #builder()}.
 */
public final class AdtRateLimits {

    private final int perTwinWritesPerSecond;
    private final int createDeletesPerSecond;
    private final int patchesPerSecond;
    private final int readsPerSecond;
    private final int queriesPerSecond;
    private final int modelRequestsPerSecond;
    private final Duration maxWait;
    private final int maxTrackedTwins;
    private final boolean adaptive;

    private AdtRateLimits(Builder builder) {
        this.perTwinWritesPerSecond = builder.perTwinWritesPerSecond;
        this.createDeletesPerSecond = builder.createDeletesPerSecond;
        this.patchesPerSecond = builder.patchesPerSecond;
        this.readsPerSecond = builder.readsPerSecond;
        this.queriesPerSecond = builder.queriesPerSecond;
        this.modelRequestsPerSecond = builder.modelRequestsPerSecond;
        this.maxWait = builder.maxWait;
        this.maxTrackedTwins = builder.maxTrackedTwins;
        this.adaptive = builder.adaptive;
    }

    /** ADT's default limits, a 2 s wait at most, 100,000 tracked twins. */
    public static AdtRateLimits defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder()
                .perTwinWritesPerSecond(perTwinWritesPerSecond)
                .createDeletesPerSecond(createDeletesPerSecond)
                .patchesPerSecond(patchesPerSecond)
                .readsPerSecond(readsPerSecond)
                .queriesPerSecond(queriesPerSecond)
                .modelRequestsPerSecond(modelRequestsPerSecond)
                .maxWait(maxWait)
                .maxTrackedTwins(maxTrackedTwins)
                .adaptive(adaptive);
    }

    public int perTwinWritesPerSecond() {
        return perTwinWritesPerSecond;
    }

    public int createDeletesPerSecond() {
        return createDeletesPerSecond;
    }

    public int patchesPerSecond() {
        return patchesPerSecond;
    }

    public int readsPerSecond() {
        return readsPerSecond;
    }

    public int queriesPerSecond() {
        return queriesPerSecond;
    }

    public int modelRequestsPerSecond() {
        return modelRequestsPerSecond;
    }

    /** How long a call waits for a permit before failing with 429 {@code TooManyRequests}. */
    public Duration maxWait() {
        return maxWait;
    }

    /** How many twins' write limiters are kept at most; least recently used ones go first. */
    public int maxTrackedTwins() {
        return maxTrackedTwins;
    }

    /**
     * Whether the instance-wide limits are ceilings that each process lowers on the service's 429s and raises again
     * when they stop (opt-in), rather than fixed rates (the default, {@code false}).
     */
    public boolean adaptive() {
        return adaptive;
    }

    @Override
    public String toString() {
        return "AdtRateLimits[perTwinWritesPerSecond=" + perTwinWritesPerSecond + ", createDeletesPerSecond="
                + createDeletesPerSecond + ", patchesPerSecond=" + patchesPerSecond + ", readsPerSecond="
                + readsPerSecond + ", queriesPerSecond=" + queriesPerSecond + ", modelRequestsPerSecond="
                + modelRequestsPerSecond + ", maxWait=" + maxWait + ", maxTrackedTwins=" + maxTrackedTwins
                + ", adaptive=" + adaptive + "]";
    }

    /** Builder of {@link AdtRateLimits}; starts from ADT's default limits. */
    public static final class Builder {

        private int perTwinWritesPerSecond = 10;
        private int createDeletesPerSecond = 500;
        private int patchesPerSecond = 1000;
        private int readsPerSecond = 1000;
        private int queriesPerSecond = 500;
        private int modelRequestsPerSecond = 100;
        private Duration maxWait = Duration.ofSeconds(2);
        private int maxTrackedTwins = 100_000;
        private boolean adaptive;

        private Builder() {
        }

        /**
         * {@code false} (the default): the instance-wide limits are fixed rates; {@code true} (opt-in): they are
         * ceilings that each process lowers on the service's 429s and raises again when they stop.
         */
        public Builder adaptive(boolean value) {
            this.adaptive = value;
            return this;
        }

        public Builder perTwinWritesPerSecond(int value) {
            this.perTwinWritesPerSecond = Checks.atLeast(value, 1, "perTwinWritesPerSecond");
            return this;
        }

        public Builder createDeletesPerSecond(int value) {
            this.createDeletesPerSecond = Checks.atLeast(value, 1, "createDeletesPerSecond");
            return this;
        }

        public Builder patchesPerSecond(int value) {
            this.patchesPerSecond = Checks.atLeast(value, 1, "patchesPerSecond");
            return this;
        }

        public Builder readsPerSecond(int value) {
            this.readsPerSecond = Checks.atLeast(value, 1, "readsPerSecond");
            return this;
        }

        public Builder queriesPerSecond(int value) {
            this.queriesPerSecond = Checks.atLeast(value, 1, "queriesPerSecond");
            return this;
        }

        public Builder modelRequestsPerSecond(int value) {
            this.modelRequestsPerSecond = Checks.atLeast(value, 1, "modelRequestsPerSecond");
            return this;
        }

        /** Zero means: never wait, fail at once when no permit is free. */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Checks.notNegative(maxWait, "maxWait");
            return this;
        }

        public Builder maxTrackedTwins(int value) {
            this.maxTrackedTwins = Checks.atLeast(value, 1, "maxTrackedTwins");
            return this;
        }

        public AdtRateLimits build() {
            return new AdtRateLimits(this);
        }
    }
}
