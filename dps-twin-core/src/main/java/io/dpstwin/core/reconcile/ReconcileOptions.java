package io.dpstwin.core.reconcile;

import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.support.Checks;
import io.dpstwin.core.twins.Dtmi;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.core.twins.TwinIdStrategy;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything a user may vary in the reconciler, immutable; build it with {@link #builder()}. The defaults: twin id =
 * device id, retire orphans with {@link RetirementPolicy#DELETE}, a grace window of 120 s, 4 actions in parallel, 10
 * device queries per minute per hub, refuse to retire more than 1000 twins or more than half of the listed twins in
 * one run, plans older than 15 minutes are not applied.
 */
public final class ReconcileOptions {

    /** Changes younger than this, on either side, are left alone. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(120);
    /** The shortest grace window: ADT's query index lags writes by up to 10 s. */
    private static final Duration MIN_GRACE_PERIOD = Duration.ofSeconds(10);
    /** Actions applied at the same time. */
    public static final int DEFAULT_PARALLELISM = 4;
    /** Device query pages per minute and hub: half of one S1/S2 unit's quota of 20, leaving the rest to others. */
    public static final int DEFAULT_QUERIES_PER_MINUTE = 10;
    /** Registry reads per minute and hub for the registry guard: half of one S1/S2 unit's quota of 100. */
    public static final int DEFAULT_REGISTRY_READS_PER_MINUTE = 50;
    /** A run that would retire more twins than this retires none. */
    public static final int DEFAULT_MAX_RETIREMENTS = 1000;
    /** A run that would retire more than this share of the listed twins retires none. */
    public static final double DEFAULT_MAX_RETIREMENT_SHARE = 0.5;
    /** A plan older than this is not applied. */
    public static final Duration DEFAULT_MAX_PLAN_AGE = Duration.ofMinutes(15);
    /** Items listed per kind in a report (the counts are always complete). */
    public static final int DEFAULT_REPORT_ITEM_LIMIT = 1000;

    /** A private copy of the builder that made these options, never changed. */
    private final Builder values;

    private ReconcileOptions(Builder b) {
        this.values = b.copy();
    }

    public static ReconcileOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive variants. */
    public Builder toBuilder() {
        return values.copy();
    }

    /**
     * The models whose twins mirror devices, as configured (without the default model). The reconciler lists the
     * twins of {@link #effectiveDeviceModels()}.
     */
    public Set<String> deviceModels() {
        return values.deviceModels;
    }

    /** {@link #deviceModels()} plus the default model, if any. */
    public Set<String> effectiveDeviceModels() {
        Set<String> models = new LinkedHashSet<>(values.deviceModels);
        defaultModel().ifPresent(models::add);
        return Set.copyOf(models);
    }

    /** The model of twins created for devices that name none ({@code tags.dtmi}, {@code modelId}). */
    public Optional<String> defaultModel() {
        return Optional.ofNullable(values.defaultModelId);
    }

    public TwinIdStrategy twinIdStrategy() {
        return values.twinIdStrategy;
    }

    /**
     * The device id to ask the registry guard about before retiring an orphaned twin: the function set with
     * {@link Builder#deviceIdOfTwin}, else the twin id strategy's {@link TwinIdStrategy#deviceIdOf inverse}, else
     * the twin id itself.
     */
    public Function<String, String> deviceIdOfTwin() {
        if (values.deviceIdOfTwin != null) {
            return values.deviceIdOfTwin;
        }
        TwinIdStrategy strategy = values.twinIdStrategy;
        return twinId -> strategy.deviceIdOf(twinId).orElse(twinId);
    }

    /** How orphaned twins are retired, when set; the reconciler defaults to {@link RetirementPolicy#DELETE}. */
    public Optional<RetirementPolicy> retirementPolicy() {
        return Optional.ofNullable(values.retirementPolicy);
    }

    /** The registry consulted right before an orphaned twin is retired, when set. */
    public Optional<DeviceRegistry> registryGuard() {
        return Optional.ofNullable(values.registryGuard);
    }

    public Duration gracePeriod() {
        return values.gracePeriod;
    }

    public int parallelism() {
        return values.parallelism;
    }

    /** Device query pages per minute, per hub. */
    public int queriesPerMinute() {
        return values.queriesPerMinute;
    }

    /** Registry guard reads per minute, per hub. */
    public int registryReadsPerMinute() {
        return values.registryReadsPerMinute;
    }

    /** How each device query page request is retried on transient failures (429, 5xx, I/O). */
    public RetryBudget registryRetry() {
        return values.registryRetry;
    }

    public int maxRetirements() {
        return values.maxRetirements;
    }

    public double maxRetirementShare() {
        return values.maxRetirementShare;
    }

    public Duration maxPlanAge() {
        return values.maxPlanAge;
    }

    public int reportItemLimit() {
        return values.reportItemLimit;
    }

    public Clock clock() {
        return values.clock;
    }

    @Override
    public String toString() {
        return "ReconcileOptions[deviceModels=" + values.deviceModels + ", defaultModel=" + values.defaultModelId
                + ", retirementPolicy=" + (values.retirementPolicy == null ? "default" : values.retirementPolicy)
                + ", registryGuard=" + (values.registryGuard == null ? "off" : values.registryGuard)
                + ", gracePeriod=" + values.gracePeriod + ", parallelism=" + values.parallelism
                + ", queriesPerMinute=" + values.queriesPerMinute
                + ", registryReadsPerMinute=" + values.registryReadsPerMinute
                + ", registryRetry=" + values.registryRetry + ", maxRetirements=" + values.maxRetirements
                + ", maxRetirementShare=" + values.maxRetirementShare + ", maxPlanAge=" + values.maxPlanAge
                + ", reportItemLimit=" + values.reportItemLimit + "]";
    }

    /** Builds {@link ReconcileOptions}; every setter has a default. Not thread-safe. */
    public static final class Builder implements Cloneable {

        private Set<String> deviceModels = Set.of();
        private String defaultModelId;
        private TwinIdStrategy twinIdStrategy = TwinIdStrategy.deviceId();
        private Function<String, String> deviceIdOfTwin;
        private RetirementPolicy retirementPolicy;
        private DeviceRegistry registryGuard;
        private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
        private int parallelism = DEFAULT_PARALLELISM;
        private int queriesPerMinute = DEFAULT_QUERIES_PER_MINUTE;
        private int registryReadsPerMinute = DEFAULT_REGISTRY_READS_PER_MINUTE;
        private RetryBudget registryRetry = RetryBudget.builder()
                .maxAttempts(8)
                .maxTotalTime(Duration.ofMinutes(5))
                .initialBackoff(Duration.ofSeconds(5))
                .maxBackoff(Duration.ofSeconds(60))
                .maxRetryAfter(Duration.ofSeconds(60))
                .build();
        private int maxRetirements = DEFAULT_MAX_RETIREMENTS;
        private double maxRetirementShare = DEFAULT_MAX_RETIREMENT_SHARE;
        private Duration maxPlanAge = DEFAULT_MAX_PLAN_AGE;
        private int reportItemLimit = DEFAULT_REPORT_ITEM_LIMIT;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The models whose twins mirror devices (twins of models extending them count too): every such twin without
         * a device in any hub is an orphan. Replaces the models set before.
         */
        public Builder deviceModels(Collection<String> modelIds) {
            Objects.requireNonNull(modelIds, "modelIds");
            Set<String> models = new LinkedHashSet<>();
            for (String modelId : modelIds) {
                models.add(Dtmi.requireValid(modelId));
            }
            this.deviceModels = Collections.unmodifiableSet(models);
            return this;
        }

        /** Shortcut for {@link #deviceModels(Collection)}. */
        public Builder deviceModels(String... modelIds) {
            return deviceModels(java.util.Arrays.asList(modelIds));
        }

        /**
         * The model of twins created for devices that name none; it is a device model too. Use the provision flow's
         * default.
         */
        public Builder defaultModel(String modelId) {
            this.defaultModelId = Dtmi.requireValid(modelId);
            return this;
        }

        /**
         * How a device's twin id derives from its device id when the device has no {@code tags.dtId}; must be the
         * provision flow's strategy. Default {@link TwinIdStrategy#deviceId()}.
         */
        public Builder twinIdStrategy(TwinIdStrategy strategy) {
            this.twinIdStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * The inverse of the twin id strategy: which device id to ask the registry guard about before retiring an
         * orphaned twin, and to name in the retirement request. Default: the strategy's own
         * {@link TwinIdStrategy#deviceIdOf inverse} (the built-in strategies have one), else the twin id itself; set
         * it for a strategy of your own that cannot tell.
         */
        public Builder deviceIdOfTwin(Function<String, String> inverse) {
            this.deviceIdOfTwin = Objects.requireNonNull(inverse, "inverse");
            return this;
        }

        /** How orphaned twins are retired; default {@link RetirementPolicy#DELETE} (or the retire flow's, in DpsTwin). */
        public Builder retirementPolicy(RetirementPolicy policy) {
            this.retirementPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Asks every hub of {@code registry} whether the device still exists right before retiring an orphaned twin
         * (recommended: a device registered while the run was listing is not in the listing). Default: none.
         */
        public Builder registryGuard(DeviceRegistry registry) {
            this.registryGuard = registry;
            return this;
        }

        /**
         * Twins and devices changed less than this long ago are left alone (reported as skipped): ADT queries lag
         * writes by up to 10 s, and a DPS registration can be in flight between the twin and the device. At least
         * 10 s; default 120 s.
         */
        public Builder gracePeriod(Duration period) {
            this.gracePeriod = Checks.atLeast(period, MIN_GRACE_PERIOD, "gracePeriod");
            return this;
        }

        /** Actions applied at the same time (each still passes the gateway's rate limits); 1 to 64. */
        public Builder parallelism(int parallelism) {
            this.parallelism = Checks.within(parallelism, 1, 64, "parallelism");
            return this;
        }

        /**
         * Device query pages per minute and hub. IoT Hub allows 20 per minute per unit on S1/S2 (1000 on S3), shared
         * with every other query against the hub.
         */
        public Builder queriesPerMinute(int queries) {
            this.queriesPerMinute = Checks.atLeast(queries, 1, "queriesPerMinute");
            return this;
        }

        /** Registry guard reads per minute and hub (IoT Hub allows 100 per minute per unit on S1/S2). */
        public Builder registryReadsPerMinute(int reads) {
            this.registryReadsPerMinute = Checks.atLeast(reads, 1, "registryReadsPerMinute");
            return this;
        }

        /**
         * How each device query page request is retried on 429, 5xx and I/O failures: default 8 attempts within
         * 5 minutes, backoff 5 s to 60 s.
         */
        public Builder registryRetry(RetryBudget budget) {
            this.registryRetry = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * Retire no twin at all in a run that finds more orphans than {@code max} (a forgotten hub makes every twin
         * of its devices look orphaned). Default 1000.
         */
        public Builder maxRetirements(int max) {
            this.maxRetirements = Checks.atLeast(max, 0, "maxRetirements");
            return this;
        }

        /** Retire no twin at all in a run whose orphans exceed this share of the listed twins (0..1; default 0.5). */
        public Builder maxRetirementShare(double share) {
            this.maxRetirementShare = Checks.within(share, 0.0, 1.0, "maxRetirementShare");
            return this;
        }

        /** A plan older than this is refused by {@code apply}; default 15 minutes. */
        public Builder maxPlanAge(Duration age) {
            this.maxPlanAge = Checks.positive(age, "maxPlanAge");
            return this;
        }

        /** Items listed per kind in a report (counts stay complete); default 1000. */
        public Builder reportItemLimit(int limit) {
            this.reportItemLimit = Checks.atLeast(limit, 0, "reportItemLimit");
            return this;
        }

        /** The clock of the grace window and the report (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ReconcileOptions build() {
            return new ReconcileOptions(this);
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
