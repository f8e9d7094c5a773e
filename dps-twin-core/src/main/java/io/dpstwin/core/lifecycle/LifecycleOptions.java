package io.dpstwin.core.lifecycle;

import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.internal.support.HubNames;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.support.Checks;
import io.dpstwin.core.twins.Dtmi;
import io.dpstwin.core.twins.TwinIdStrategy;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable settings of the lifecycle (retire) flow. Defaults: {@link RetirementPolicy#DELETE}, device creations
 * handled, every hub served, no registry guard, twin id = device id, no default model, 16 devices in parallel,
 * 60 s per event, up to 30 attempts per event with exponential backoff from 200 ms to 10 s (never shorter than the
 * service's {@code Retry-After}).
 */
public final class LifecycleOptions {

    public static final int DEFAULT_PARALLELISM = 16;
    public static final Duration DEFAULT_EVENT_BUDGET = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ATTEMPTS = 30;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    /** A private copy of the builder that made these options, never changed. */
    private final Builder values;

    private LifecycleOptions(Builder b) {
        this.values = b.copy();
    }

    /** The defaults. */
    public static LifecycleOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return values.copy();
    }

    public RetirementPolicy retirementPolicy() {
        return values.retirementPolicy;
    }

    public boolean createDeviceIdentity() {
        return values.createDeviceIdentity;
    }

    /** The served hubs in normalized form ({@link HubNames#normalize}); empty means every hub. */
    public Set<String> servedHubs() {
        return values.servedHubs;
    }

    /** Whether events of {@code hubName} are acted on. */
    public boolean serves(String hubName) {
        if (values.servedHubs.isEmpty()) {
            return true;
        }
        if (hubName == null || hubName.isBlank()) {
            return false;
        }
        return values.servedHubs.contains(HubNames.normalize(hubName));
    }

    /** The registry guard, when configured. */
    public Optional<DeviceRegistry> deviceRegistry() {
        return Optional.ofNullable(values.deviceRegistry);
    }

    public TwinIdStrategy twinIdStrategy() {
        return values.twinIdStrategy;
    }

    /** The model of twins created for devices whose events name none. */
    public Optional<String> defaultModelId() {
        return Optional.ofNullable(values.defaultModelId);
    }

    public int parallelism() {
        return values.parallelism;
    }

    public Duration eventBudget() {
        return values.eventBudget;
    }

    public int maxAttempts() {
        return values.maxAttempts;
    }

    public Duration initialBackoff() {
        return values.initialBackoff;
    }

    public Duration maxBackoff() {
        return values.maxBackoff;
    }

    @Override
    public String toString() {
        return "LifecycleOptions[retirementPolicy=" + values.retirementPolicy
                + ", createDeviceIdentity=" + values.createDeviceIdentity
                + ", servedHubs=" + (values.servedHubs.isEmpty() ? "all" : values.servedHubs)
                + ", registryGuard=" + (values.deviceRegistry == null ? "off" : values.deviceRegistry)
                + ", defaultModelId=" + values.defaultModelId + ", parallelism=" + values.parallelism
                + ", eventBudget=" + values.eventBudget + ", maxAttempts=" + values.maxAttempts
                + ", backoff=" + values.initialBackoff + ".." + values.maxBackoff + "]";
    }

    /** Builds {@link LifecycleOptions}; every setter validates its argument. */
    public static final class Builder implements Cloneable {
        private RetirementPolicy retirementPolicy = RetirementPolicy.DELETE;
        private boolean createDeviceIdentity = true;
        private Set<String> servedHubs = Set.of();
        private DeviceRegistry deviceRegistry;
        private TwinIdStrategy twinIdStrategy = TwinIdStrategy.deviceId();
        private String defaultModelId;
        private int parallelism = DEFAULT_PARALLELISM;
        private Duration eventBudget = DEFAULT_EVENT_BUDGET;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

        private Builder() {
        }

        /** What to do with the twin of a deleted device; default {@link RetirementPolicy#DELETE}. */
        public Builder retirementPolicy(RetirementPolicy policy) {
            this.retirementPolicy = Objects.requireNonNull(policy, "retirementPolicy");
            return this;
        }

        /** Whether {@code createDeviceIdentity} events ensure the twin exists (devices made outside DPS); default on. */
        public Builder createDeviceIdentity(boolean enabled) {
            this.createDeviceIdentity = enabled;
            return this;
        }

        /**
         * Act only on events of these hubs (short names like {@code myhub} or host names like
         * {@code myhub.azure-devices.net}, compared case-insensitively by their first DNS label). Empty (the
         * default) serves every hub.
         */
        public Builder servedHubs(Collection<String> hubs) {
            Objects.requireNonNull(hubs, "servedHubs");
            Set<String> normalized = new LinkedHashSet<>();
            for (String hub : hubs) {
                normalized.add(HubNames.normalize(hub));
            }
            this.servedHubs = Collections.unmodifiableSet(normalized);
            return this;
        }

        /** Consult these registries before retiring (recommended with DPS reprovisioning); {@code null} turns it off. */
        public Builder deviceRegistry(DeviceRegistry registry) {
            this.deviceRegistry = registry;
            return this;
        }

        /** How twin ids derive from device ids when the event has no {@code dtId} tag; must match the provision flow. */
        public Builder twinIdStrategy(TwinIdStrategy strategy) {
            this.twinIdStrategy = Objects.requireNonNull(strategy, "twinIdStrategy");
            return this;
        }

        /** The model for twins of created devices whose event names none; {@code null} for none. */
        public Builder defaultModelId(String modelId) {
            this.defaultModelId = modelId == null ? null : Dtmi.requireValid(modelId);
            return this;
        }

        /** How many devices are processed at once (1..256); events of one device are always sequential. */
        public Builder parallelism(int parallelism) {
            this.parallelism = Checks.within(parallelism, 1, 256, "parallelism");
            return this;
        }

        /** How long one event may take, retries and waits included, before it is dead-lettered. */
        public Builder eventBudget(Duration budget) {
            this.eventBudget = Checks.positive(budget, "eventBudget");
            return this;
        }

        /** Attempts per event (first try included) for transient failures. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Checks.atLeast(maxAttempts, 1, "maxAttempts");
            return this;
        }

        /** Exponential backoff bounds (randomized); a longer {@code Retry-After} always wins. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Checks.positive(initial, "initial backoff");
            this.maxBackoff = Checks.atLeast(max, initial, "max backoff");
            return this;
        }

        public LifecycleOptions build() {
            return new LifecycleOptions(this);
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
