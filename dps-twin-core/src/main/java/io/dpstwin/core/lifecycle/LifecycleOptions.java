package io.dpstwin.core.lifecycle;

import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.internal.support.HubNames;
import io.dpstwin.core.retirement.RetirementPolicy;
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

    private final RetirementPolicy retirementPolicy;
    private final boolean createDeviceIdentity;
    private final Set<String> servedHubs;
    private final DeviceRegistry deviceRegistry;
    private final TwinIdStrategy twinIdStrategy;
    private final String defaultModelId;
    private final int parallelism;
    private final Duration eventBudget;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private LifecycleOptions(Builder b) {
        this.retirementPolicy = b.retirementPolicy;
        this.createDeviceIdentity = b.createDeviceIdentity;
        this.servedHubs = Collections.unmodifiableSet(new LinkedHashSet<>(b.servedHubs));
        this.deviceRegistry = b.deviceRegistry;
        this.twinIdStrategy = b.twinIdStrategy;
        this.defaultModelId = b.defaultModelId;
        this.parallelism = b.parallelism;
        this.eventBudget = b.eventBudget;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
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
        Builder b = new Builder();
        b.retirementPolicy = retirementPolicy;
        b.createDeviceIdentity = createDeviceIdentity;
        b.servedHubs.addAll(servedHubs);
        b.deviceRegistry = deviceRegistry;
        b.twinIdStrategy = twinIdStrategy;
        b.defaultModelId = defaultModelId;
        b.parallelism = parallelism;
        b.eventBudget = eventBudget;
        b.maxAttempts = maxAttempts;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        return b;
    }

    public RetirementPolicy retirementPolicy() {
        return retirementPolicy;
    }

    public boolean createDeviceIdentity() {
        return createDeviceIdentity;
    }

    /** The served hubs in normalized form ({@link HubNames#normalize}); empty means every hub. */
    public Set<String> servedHubs() {
        return servedHubs;
    }

    /** Whether events of {@code hubName} are acted on. */
    public boolean serves(String hubName) {
        if (servedHubs.isEmpty()) {
            return true;
        }
        if (hubName == null || hubName.isBlank()) {
            return false;
        }
        return servedHubs.contains(HubNames.normalize(hubName));
    }

    /** The registry guard, when configured. */
    public Optional<DeviceRegistry> deviceRegistry() {
        return Optional.ofNullable(deviceRegistry);
    }

    public TwinIdStrategy twinIdStrategy() {
        return twinIdStrategy;
    }

    /** The model of twins created for devices whose events name none. */
    public Optional<String> defaultModelId() {
        return Optional.ofNullable(defaultModelId);
    }

    public int parallelism() {
        return parallelism;
    }

    public Duration eventBudget() {
        return eventBudget;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    @Override
    public String toString() {
        return "LifecycleOptions[retirementPolicy=" + retirementPolicy + ", createDeviceIdentity=" + createDeviceIdentity
                + ", servedHubs=" + (servedHubs.isEmpty() ? "all" : servedHubs)
                + ", registryGuard=" + (deviceRegistry == null ? "off" : deviceRegistry)
                + ", defaultModelId=" + defaultModelId + ", parallelism=" + parallelism
                + ", eventBudget=" + eventBudget + ", maxAttempts=" + maxAttempts
                + ", backoff=" + initialBackoff + ".." + maxBackoff + "]";
    }

    /** Builds {@link LifecycleOptions}; every setter validates its argument. */
    public static final class Builder {
        private RetirementPolicy retirementPolicy = RetirementPolicy.DELETE;
        private boolean createDeviceIdentity = true;
        private final Set<String> servedHubs = new LinkedHashSet<>();
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
            servedHubs.clear();
            for (String hub : hubs) {
                servedHubs.add(HubNames.normalize(hub));
            }
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
            if (parallelism < 1 || parallelism > 256) {
                throw new IllegalArgumentException("parallelism must be between 1 and 256, was " + parallelism);
            }
            this.parallelism = parallelism;
            return this;
        }

        /** How long one event may take, retries and waits included, before it is dead-lettered. */
        public Builder eventBudget(Duration budget) {
            Objects.requireNonNull(budget, "eventBudget");
            if (budget.isNegative() || budget.isZero()) {
                throw new IllegalArgumentException("eventBudget must be positive");
            }
            this.eventBudget = budget;
            return this;
        }

        /** Attempts per event (first try included) for transient failures. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Exponential backoff bounds (randomized); a longer {@code Retry-After} always wins. */
        public Builder backoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff needs 0 < initial <= max");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public LifecycleOptions build() {
            return new LifecycleOptions(this);
        }
    }
}
