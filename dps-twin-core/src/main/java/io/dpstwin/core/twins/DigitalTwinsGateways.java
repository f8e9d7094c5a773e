package io.dpstwin.core.twins;

import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.internal.twins.BudgetedRetry;
import io.dpstwin.core.internal.twins.MeteredDigitalTwinsGateway;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import java.util.Objects;

/**
 * Builds the gateway stack adapters use, in one line and always in the same order:
 * {@link RetryingDigitalTwinsGateway} → {@link RateLimitedDigitalTwinsGateway} → {@link MeteredDigitalTwinsGateway}
 * → base gateway. A call is retried within its {@link RetryBudget}, every attempt is admitted by the rate limiter
 * (whose adaptive limits follow the 429s each attempt meets) and timed.
 *
 * <pre>{@code
 * DigitalTwinsClient client = DigitalTwinsClients.create(endpoint, credential);   // once per process
 * AdtRateLimiters limiters = new AdtRateLimiters(AdtRateLimits.defaults());      // once per process
 * DigitalTwinsGateway allocationGateway = DigitalTwinsGateways.sdk(client)
 *         .retry(RetryBudget.allocation()).rateLimiters(limiters).meterRegistry(registry).build();
 * DigitalTwinsGateway lifecycleGateway = DigitalTwinsGateways.sdk(client)
 *         .retry(RetryBudget.lifecycle()).rateLimiters(limiters).meterRegistry(registry).build();
 * // around a fake, e.g. the testkit's in-memory ADT:
 * DigitalTwinsGateway decorated = DigitalTwinsGateways.stack().meterRegistry(registry).decorate(fake);
 * }</pre>
 */
public final class DigitalTwinsGateways {

    private DigitalTwinsGateways() {
    }

    /** A stack over {@link SdkDigitalTwinsGateway} on {@code client} (build it with {@link DigitalTwinsClients}). */
    public static Builder sdk(DigitalTwinsClient client) {
        return new Builder(new SdkDigitalTwinsGateway(client));
    }

    /** A stack without a base yet; finish with {@link Builder#decorate(DigitalTwinsGateway)}. */
    public static Builder stack() {
        return new Builder(null);
    }

    /**
     * Options of the stack. Defaults: {@link RetryBudget#lifecycle()}, new limiters with
     * {@link AdtRateLimits#defaults()}, and Micrometer's {@link Metrics#globalRegistry} when no registry is given.
     */
    public static final class Builder {

        private final DigitalTwinsGateway base;
        private RetryBudget retryBudget = RetryBudget.lifecycle();
        private Sleeper sleeper;
        private AdtRateLimits rateLimits = AdtRateLimits.defaults();
        private AdtRateLimiters rateLimiters;
        private boolean rateLimited = true;
        private MeterRegistry meterRegistry;
        private String flow;

        private Builder(DigitalTwinsGateway base) {
            this.base = base;
        }

        /** Retry transient failures within {@code budget}; {@link RetryBudget#none()} turns retries off. */
        public Builder retry(RetryBudget budget) {
            this.retryBudget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Replaces how the retrying layer waits (tests). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Keep to {@code limits} with limiters of this stack's own. */
        public Builder rateLimits(AdtRateLimits limits) {
            this.rateLimits = Objects.requireNonNull(limits, "limits");
            this.rateLimiters = null;
            this.rateLimited = true;
            return this;
        }

        /** Keep to the limits of {@code limiters}, shared with the other stacks of the process. */
        public Builder rateLimiters(AdtRateLimiters limiters) {
            this.rateLimiters = Objects.requireNonNull(limiters, "limiters");
            this.rateLimited = true;
            return this;
        }

        /** No client-side rate limiting (e.g. around an in-memory fake). */
        public Builder noRateLimits() {
            this.rateLimited = false;
            this.rateLimiters = null;
            return this;
        }

        /** Where {@code dpstwin.adt.requests} and the limiters' {@code dpstwin.adt.allowed.rate} are recorded. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The flow this stack serves, e.g. {@code allocation}: resilience4j's meters of its retry are named
         * {@code adt.<flow>} ({@link BudgetedRetry.Builder#flow}); {@code adt} without one.
         */
        public Builder flow(String flow) {
            this.flow = Objects.requireNonNull(flow, "flow");
            return this;
        }

        /** The stack over the SDK gateway given to {@link DigitalTwinsGateways#sdk}. */
        public DigitalTwinsGateway build() {
            if (base == null) {
                throw new IllegalStateException("no base gateway: start with DigitalTwinsGateways.sdk(client) or "
                        + "finish with decorate(gateway)");
            }
            return decorate(base);
        }

        /** The stack over {@code gateway} (any implementation, e.g. the testkit's in-memory ADT). */
        public DigitalTwinsGateway decorate(DigitalTwinsGateway gateway) {
            Objects.requireNonNull(gateway, "gateway");
            MeterRegistry registry = meterRegistry != null ? meterRegistry : Metrics.globalRegistry;
            DigitalTwinsGateway stack = new MeteredDigitalTwinsGateway(gateway, registry);
            if (rateLimited) {
                AdtRateLimiters limiters = rateLimiters != null ? rateLimiters : new AdtRateLimiters(rateLimits);
                stack = new RateLimitedDigitalTwinsGateway(stack, limiters.bindTo(registry));
            }
            BudgetedRetry.Builder retry = RetryingDigitalTwinsGateway.retryFor(retryBudget)
                    .sleeper(sleeper == null ? Sleeper.system() : sleeper)
                    .meterRegistry(registry);
            if (flow != null) {
                retry.flow(flow);
            }
            return new RetryingDigitalTwinsGateway(stack, retry.build());
        }
    }
}
