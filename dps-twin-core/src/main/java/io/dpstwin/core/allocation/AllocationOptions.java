package io.dpstwin.core.allocation;

import io.dpstwin.core.support.Checks;
import io.dpstwin.core.twins.Dtmi;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.TwinIdStrategy;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a user may vary in the DPS allocation flow, immutable; build it with {@link #builder()}. The defaults
 * mirror the reference flow: first linked hub, twin id = device id, model from {@code payload.modelId}, no initial
 * properties, REJECT on a model mismatch, no placement, no payload back, 96 KB body limit. Unlike the reference,
 * the answer's {@code initialTwin} is merged over the enrollment's own initial twin instead of replacing it.
 */
public final class AllocationOptions {

    /** The DPS message size limit, 96 KB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 96 * 1024;
    /** The tag naming the device twin id in the device's IoT Hub twin. */
    public static final String TAG_TWIN_ID = "dtId";
    /** The tag naming the twin's model in the device's IoT Hub twin. */
    public static final String TAG_MODEL_ID = "dtmi";

    /** A private copy of the builder that made these options, never changed. */
    private final Builder values;
    private final InitialPropertiesProvider initialProperties;
    private final ModelResolver effectiveModelResolver;

    private AllocationOptions(Builder b) {
        this.values = b.copy();
        this.initialProperties = values.initialPropertiesProvider != null
                ? values.initialPropertiesProvider
                : InitialPropertiesProvider.perModel(Map.copyOf(values.initialPropertiesByModel));
        ModelResolver resolver = values.modelResolver;
        if (!values.defaultModels.isEmpty()) {
            resolver = resolver.orElse(ModelResolver.perEnrollment(Map.copyOf(values.defaultModels)));
        }
        if (values.globalDefaultModel != null) {
            resolver = resolver.orElse(ModelResolver.fixed(values.globalDefaultModel));
        }
        this.effectiveModelResolver = resolver;
    }

    /** Options with every default. */
    public static AllocationOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive variants. */
    public Builder toBuilder() {
        return values.copy();
    }

    public HubSelectionPolicy hubSelection() {
        return values.hubSelection;
    }

    public TwinIdStrategy twinIdStrategy() {
        return values.twinIdStrategy;
    }

    public ModelMismatchPolicy modelMismatchPolicy() {
        return values.modelMismatchPolicy;
    }

    /** The first-stage model resolver (default {@link ModelResolver#payloadModelId()}). */
    public ModelResolver modelResolver() {
        return values.modelResolver;
    }

    /** The resolver the flow uses: {@link #modelResolver()}, then per-enrollment defaults, then the global default. */
    public ModelResolver effectiveModelResolver() {
        return effectiveModelResolver;
    }

    public Map<EnrollmentRef, String> defaultModels() {
        return Collections.unmodifiableMap(values.defaultModels);
    }

    public Optional<String> globalDefaultModel() {
        return Optional.ofNullable(values.globalDefaultModel);
    }

    /**
     * The models allowed for devices of {@code enrollment}: the enrollment's own allow-list, else the list for all
     * other enrollments, else empty (= any model).
     */
    public Optional<Set<String>> allowedModelsFor(Optional<EnrollmentRef> enrollment) {
        Set<String> own = enrollment.map(values.allowedModels::get).orElse(null);
        return Optional.ofNullable(own != null ? own : values.allowedModelsForOthers);
    }

    public InitialPropertiesProvider initialProperties() {
        return initialProperties;
    }

    public Map<String, Object> initialTwinTags() {
        return values.initialTwinTags;
    }

    public Map<String, Object> initialTwinDesiredProperties() {
        return values.initialTwinDesiredProperties;
    }

    public boolean mergeEnrollmentInitialTwin() {
        return values.mergeEnrollmentInitialTwin;
    }

    public Optional<Placement> placement() {
        return Optional.ofNullable(values.placement);
    }

    public DevicePayloadProvider devicePayload() {
        return values.devicePayload;
    }

    public boolean acceptUppercaseRegistrationIds() {
        return values.acceptUppercaseRegistrationIds;
    }

    public int maxBodyBytes() {
        return values.maxBodyBytes;
    }

    @Override
    public String toString() {
        Placement placement = values.placement;
        return "AllocationOptions[hubSelection=" + values.hubSelection
                + ", modelMismatchPolicy=" + values.modelMismatchPolicy
                + ", defaultModels=" + values.defaultModels + ", globalDefaultModel=" + values.globalDefaultModel
                + ", allowedModels=" + values.allowedModels + ", allowedModelsForOthers=" + values.allowedModelsForOthers
                + ", placement=" + (placement == null ? "none" : placement.relationshipName() + "/"
                + placement.missingParentPolicy())
                + ", mergeEnrollmentInitialTwin=" + values.mergeEnrollmentInitialTwin
                + ", acceptUppercaseRegistrationIds=" + values.acceptUppercaseRegistrationIds
                + ", maxBodyBytes=" + values.maxBodyBytes + "]";
    }

    /** Builds {@link AllocationOptions}; every setter has a default. Not thread-safe. */
    public static final class Builder implements Cloneable {

        private HubSelectionPolicy hubSelection = HubSelectionPolicy.firstLinkedHub();
        private TwinIdStrategy twinIdStrategy = TwinIdStrategy.deviceId();
        private ModelMismatchPolicy modelMismatchPolicy = ModelMismatchPolicy.REJECT;
        private ModelResolver modelResolver = ModelResolver.payloadModelId();
        private Map<EnrollmentRef, String> defaultModels = new LinkedHashMap<>();
        private String globalDefaultModel;
        private Map<EnrollmentRef, Set<String>> allowedModels = new LinkedHashMap<>();
        private Set<String> allowedModelsForOthers;
        private Map<String, Map<String, Object>> initialPropertiesByModel = new LinkedHashMap<>();
        private InitialPropertiesProvider initialPropertiesProvider;
        private Map<String, Object> initialTwinTags = Map.of();
        private Map<String, Object> initialTwinDesiredProperties = Map.of();
        private boolean mergeEnrollmentInitialTwin = true;
        private Placement placement;
        private DevicePayloadProvider devicePayload = DevicePayloadProvider.none();
        private boolean acceptUppercaseRegistrationIds;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

        private Builder() {
        }

        /** How the hub is chosen; default {@link HubSelectionPolicy#firstLinkedHub()}. */
        public Builder hubSelection(HubSelectionPolicy policy) {
            this.hubSelection = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How the twin id derives from the device id; default {@link TwinIdStrategy#deviceId()}. */
        public Builder twinIdStrategy(TwinIdStrategy strategy) {
            this.twinIdStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** What to do with an existing twin of another model; default {@link ModelMismatchPolicy#REJECT}. */
        public Builder modelMismatchPolicy(ModelMismatchPolicy policy) {
            this.modelMismatchPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The first place to look for the model; default {@link ModelResolver#payloadModelId()}. The configured
         * default models are always consulted after it.
         */
        public Builder modelResolver(ModelResolver resolver) {
            this.modelResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** The model for devices of any enrollment that name none and have no enrollment default. */
        public Builder defaultModel(String modelId) {
            this.globalDefaultModel = Dtmi.requireValid(modelId);
            return this;
        }

        /** The model for devices of {@code enrollment} that name none. */
        public Builder defaultModel(EnrollmentRef enrollment, String modelId) {
            defaultModels.put(Objects.requireNonNull(enrollment, "enrollment"), Dtmi.requireValid(modelId));
            return this;
        }

        /** Only these models are accepted for devices of {@code enrollment} (whatever the device names). */
        public Builder allowedModels(EnrollmentRef enrollment, Collection<String> modelIds) {
            allowedModels.put(Objects.requireNonNull(enrollment, "enrollment"), validModels(modelIds));
            return this;
        }

        /** Only these models are accepted for devices of enrollments without an allow-list of their own. */
        public Builder allowedModels(Collection<String> modelIds) {
            this.allowedModelsForOthers = validModels(modelIds);
            return this;
        }

        private static Set<String> validModels(Collection<String> modelIds) {
            Set<String> set = new LinkedHashSet<>();
            for (String modelId : Objects.requireNonNull(modelIds, "modelIds")) {
                set.add(Dtmi.requireValid(modelId));
            }
            if (set.isEmpty()) {
                throw new IllegalArgumentException("an allow-list needs at least one model");
            }
            return Collections.unmodifiableSet(set);
        }

        /** Properties a new twin of {@code modelId} is created with, e.g. {@code Map.of("Temperature", 0.0)}. */
        public Builder initialProperties(String modelId, Map<String, Object> properties) {
            initialPropertiesByModel.put(Dtmi.requireValid(modelId), Map.copyOf(properties));
            return this;
        }

        /** Computes the properties of new twins instead of {@link #initialProperties(String, Map)}. */
        public Builder initialPropertiesProvider(InitialPropertiesProvider provider) {
            this.initialPropertiesProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Extra tags in the answer's {@code initialTwin} (besides {@code dtId} and {@code dtmi}). */
        public Builder initialTwinTags(Map<String, Object> tags) {
            Objects.requireNonNull(tags, "tags");
            if (tags.containsKey(TAG_TWIN_ID) || tags.containsKey(TAG_MODEL_ID)) {
                throw new IllegalArgumentException("tags " + TAG_TWIN_ID + " and " + TAG_MODEL_ID
                        + " are set by the allocation itself");
            }
            this.initialTwinTags = JsonValues.immutableMap(tags);
            return this;
        }

        /** Desired properties in the answer's {@code initialTwin}. */
        public Builder initialTwinDesiredProperties(Map<String, Object> desired) {
            this.initialTwinDesiredProperties = JsonValues.immutableMap(Objects.requireNonNull(desired, "desired"));
            return this;
        }

        /**
         * Whether the answer's {@code initialTwin} is deep-merged over the enrollment's {@code initialTwin} (ours
         * win on conflicts) — default {@code true} — or replaces it as in the reference flow.
         */
        public Builder mergeEnrollmentInitialTwin(boolean merge) {
            this.mergeEnrollmentInitialTwin = merge;
            return this;
        }

        /** Places device twins under a parent twin; default none. */
        public Builder placement(Placement placement) {
            this.placement = placement;
            return this;
        }

        /** The payload returned to the device; default {@link DevicePayloadProvider#none()}. */
        public Builder devicePayload(DevicePayloadProvider provider) {
            this.devicePayload = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Shortcut: return {@code {"twinId": ...}} to the device (on) or nothing (off). */
        public Builder returnTwinIdInPayload(boolean on) {
            this.devicePayload = on ? DevicePayloadProvider.twinId() : DevicePayloadProvider.none();
            return this;
        }

        /**
         * Whether registration ids with upper-case letters are accepted; default {@code false} (see
         * {@link io.dpstwin.core.internal.support.Identifiers}).
         */
        public Builder acceptUppercaseRegistrationIds(boolean accept) {
            this.acceptUppercaseRegistrationIds = accept;
            return this;
        }

        /** The largest accepted body in bytes; default 96 KB. Larger bodies get 413 before parsing. */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = Checks.atLeast(bytes, 1, "maxBodyBytes");
            return this;
        }

        /**
         * @throws IllegalStateException when both {@link #initialProperties(String, Map)} and
         *                               {@link #initialPropertiesProvider} are set
         */
        public AllocationOptions build() {
            if (initialPropertiesProvider != null && !initialPropertiesByModel.isEmpty()) {
                throw new IllegalStateException("set initialProperties per model or an initialPropertiesProvider, not both");
            }
            return new AllocationOptions(this);
        }

        /**
         * A builder with this one's values, apart from it: a change to either leaves the other as it is (the maps
         * that setters add to are copied, every other value is immutable).
         */
        private Builder copy() {
            try {
                Builder copy = (Builder) clone();
                copy.defaultModels = new LinkedHashMap<>(defaultModels);
                copy.allowedModels = new LinkedHashMap<>(allowedModels);
                copy.initialPropertiesByModel = new LinkedHashMap<>(initialPropertiesByModel);
                return copy;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
