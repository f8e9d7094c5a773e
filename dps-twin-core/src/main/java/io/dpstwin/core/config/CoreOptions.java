package io.dpstwin.core.config;

import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.EnrollmentRef;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.MissingParentPolicy;
import io.dpstwin.core.allocation.ModelResolver;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.core.twins.TwinIdStrategy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.dpstwin.core.config.DpsTwinSettings.*;

/**
 * Core's options from {@link SettingValues}: the one mapping every host uses. Everything that can be checked without
 * I/O is built and checked at once, so {@link #from} reports every bad setting in one {@link SettingsException}. What
 * needs the application's credential (hubs reached by host name) is built on demand. Immutable.
 */
public final class CoreOptions {

    private final SettingValues values;
    private final TwinIdStrategy twinIdStrategy;
    private final AllocationOptions allocation;
    private final LifecycleOptions lifecycle;
    private final ReconcileOptions reconcile;
    private final AdtRateLimits rateLimits;
    private final RetryBudget allocationRetry;

    private CoreOptions(SettingValues v) {
        this.values = v;
        String prefix = v.get(TWIN_ID_PREFIX);
        this.twinIdStrategy = prefix.isEmpty() ? TwinIdStrategy.deviceId() : TwinIdStrategy.prefixed(prefix);
        this.allocation = allocation(v);
        this.lifecycle = lifecycle(v);
        this.reconcile = reconcile(v);
        this.rateLimits = v.get(RATE_LIMITS_ENABLED) ? v.check(LIMITS_MAX_WAIT, () -> AdtRateLimits.builder()
                .perTwinWritesPerSecond(v.get(PER_TWIN_WRITES)).createDeletesPerSecond(v.get(CREATE_DELETES))
                .patchesPerSecond(v.get(PATCHES)).readsPerSecond(v.get(READS)).queriesPerSecond(v.get(QUERIES))
                .modelRequestsPerSecond(v.get(MODEL_REQUESTS)).maxWait(v.get(LIMITS_MAX_WAIT))
                .maxTrackedTwins(v.get(MAX_TRACKED_TWINS)).adaptive("adaptive".equals(v.get(RATE_LIMITS_MODE)))
                .build()) : null;
        this.allocationRetry = v.check(RETRY_MAX_BACKOFF, () -> RetryBudget.builder()
                .maxAttempts(v.get(RETRY_MAX_ATTEMPTS)).maxTotalTime(v.get(RETRY_MAX_TOTAL_TIME))
                .initialBackoff(v.get(RETRY_INITIAL_BACKOFF)).maxBackoff(v.get(RETRY_MAX_BACKOFF))
                .maxRetryAfter(v.get(RETRY_MAX_RETRY_AFTER)).build());
        hubs(GUARD_HOSTS, GUARD_CONNECTION_STRINGS, true);
        hubs(RECONCILE_HOSTS, RECONCILE_CONNECTION_STRINGS, false);
        if (reconcileConfigured() && v.get(RECONCILE_DEVICE_MODELS).isEmpty() && defaultModel().isEmpty()
                && !v.failed(DEFAULT_MODEL) && !v.failed(RECONCILE_DEVICE_MODELS)) {
            v.problem(RECONCILE_DEVICE_MODELS, "is missing: the reconciler needs the models whose twins mirror "
                    + "devices, e.g. dtmi:com:example:Thermostat;1 (or set " + v.nameOf(DEFAULT_MODEL) + ")");
        }
    }

    /**
     * Maps the values.
     *
     * @throws SettingsException naming every bad setting, those the values found and those core refuses
     */
    public static CoreOptions from(SettingValues values) {
        CoreOptions options = new CoreOptions(values);
        values.throwIfProblems();
        return options;
    }

    private AllocationOptions allocation(SettingValues v) {
        AllocationOptions.Builder b = AllocationOptions.builder().twinIdStrategy(twinIdStrategy);
        b.hubSelection(hubSelection(v));
        b.modelMismatchPolicy(ModelMismatchPolicy.valueOf(constant(v.get(MODEL_MISMATCH))));
        if (!"modelId".equals(v.get(MODEL_ID_PAYLOAD_FIELD))) {
            b.modelResolver(ModelResolver.payloadField(v.get(MODEL_ID_PAYLOAD_FIELD)));
        }
        defaultModel().ifPresent(b::defaultModel);
        if (!v.get(ALLOWED_MODELS).isEmpty()) {
            b.allowedModels(v.get(ALLOWED_MODELS));
        }
        Map<EnrollmentRef, String> parents = new LinkedHashMap<>();
        enrollments(v, b, ENROLLMENT_GROUPS, EnrollmentRef::group, parents);
        enrollments(v, b, INDIVIDUAL_ENROLLMENTS, EnrollmentRef::individual, parents);
        if (v.get(INITIAL_PROPERTIES) != null) {
            v.get(INITIAL_PROPERTIES).forEach((model, properties) -> v.check(INITIAL_PROPERTIES, () -> {
                if (!(properties instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("the value of " + model + " is not a JSON object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                return b.initialProperties(model, object);
            }));
        }
        Optional.ofNullable(v.get(INITIAL_TWIN_TAGS))
                .ifPresent(t -> v.check(INITIAL_TWIN_TAGS, () -> b.initialTwinTags(t)));
        Optional.ofNullable(v.get(INITIAL_TWIN_DESIRED))
                .ifPresent(d -> v.check(INITIAL_TWIN_DESIRED, () -> b.initialTwinDesiredProperties(d)));
        b.mergeEnrollmentInitialTwin(v.get(MERGE_ENROLLMENT_INITIAL_TWIN));
        if (v.get(PLACEMENT_ENABLED)) {
            ParentTwinResolver resolver = ParentTwinResolver.payloadField(v.get(PLACEMENT_FIELD));
            if (!parents.isEmpty()) {
                resolver = resolver.orElse(ParentTwinResolver.perEnrollment(parents));
            }
            ParentTwinResolver parent = resolver;
            v.check(PLACEMENT_RELATIONSHIP, () -> b.placement(Placement.under(parent)
                    .withRelationshipName(v.get(PLACEMENT_RELATIONSHIP))
                    .withMissingParentPolicy(MissingParentPolicy.valueOf(constant(v.get(PLACEMENT_MISSING_PARENT))))));
        }
        b.returnTwinIdInPayload(v.get(RETURN_TWIN_ID));
        b.acceptUppercaseRegistrationIds(v.get(ACCEPT_UPPERCASE_IDS));
        b.maxBodyBytes(v.get(ALLOCATION_MAX_BODY));
        return b.build();
    }

    private static HubSelectionPolicy hubSelection(SettingValues v) {
        String policy = v.get(HUB_POLICY);
        List<Map.Entry<String, Double>> weights = v.get(HUB_WEIGHTS);
        HubSelectionPolicy base = HubSelectionPolicy.firstLinkedHub();
        if (v.failed(HUB_POLICY)) {
            return base;
        } else if ("weighted".equals(policy) && weights.isEmpty() && !v.failed(HUB_WEIGHTS)) {
            v.problem(HUB_WEIGHTS, "is missing: the weighted policy needs weights, e.g. "
                    + "hub-a.azure-devices.net=2,hub-b.azure-devices.net=1");
        } else if (!"weighted".equals(policy) && !weights.isEmpty()) {
            v.problem(HUB_WEIGHTS, "is set but " + v.nameOf(HUB_POLICY) + " is " + policy + ": weights apply to the "
                    + "weighted policy only");
        } else if ("weighted".equals(policy)) {
            Map<String, Double> byHub = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : weights) {
                if (byHub.keySet().stream().anyMatch(e.getKey()::equalsIgnoreCase)) {
                    v.problem(HUB_WEIGHTS, "names hub " + e.getKey() + " twice");
                }
                byHub.put(e.getKey(), e.getValue());
            }
            HubSelectionPolicy weighted = v.check(HUB_WEIGHTS, () -> HubSelectionPolicy.weighted(byHub));
            base = weighted != null ? weighted : base;
        } else if ("consistent-hash".equals(policy)) {
            base = HubSelectionPolicy.consistentHashing();
        }
        return v.get(HUB_STICKY) ? HubSelectionPolicy.sticky(base) : base;
    }

    private static void enrollments(SettingValues v, AllocationOptions.Builder b,
                                    Setting<Map<String, Map<String, String>>> setting,
                                    Function<String, EnrollmentRef> refs, Map<EnrollmentRef, String> parents) {
        v.get(setting).forEach((id, members) -> v.check(setting, () -> {
            EnrollmentRef ref = refs.apply(id);
            String where = "[" + id + "].";
            try {
                if (members.containsKey("default-model")) {
                    b.defaultModel(ref, members.get("default-model"));
                }
                if (members.containsKey("allowed-models")) {
                    b.allowedModels(ref, Arrays.stream(members.get("allowed-models").split(",")).map(String::trim)
                            .toList());
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "default-model or allowed-models: " + e.getMessage(), e);
            }
            if (members.containsKey("parent-twin-id")) {
                parents.put(ref, members.get("parent-twin-id"));
            }
            return ref;
        }));
    }

    private LifecycleOptions lifecycle(SettingValues v) {
        LifecycleOptions.Builder b = LifecycleOptions.builder()
                .retirementPolicy(retirementPolicy())
                .createDeviceIdentity(v.get(CREATE_DEVICE_IDENTITY))
                .twinIdStrategy(twinIdStrategy)
                .maxAttempts(v.get(LIFECYCLE_MAX_ATTEMPTS))
                .parallelism(v.get(LIFECYCLE_PARALLELISM));
        v.check(SERVED_HUBS, () -> b.servedHubs(v.get(SERVED_HUBS)));
        b.defaultModelId(v.get(LIFECYCLE_DEFAULT_MODEL) != null ? v.get(LIFECYCLE_DEFAULT_MODEL)
                : defaultModel().orElse(null));
        v.check(EVENT_BUDGET, () -> b.eventBudget(v.get(EVENT_BUDGET)));
        v.check(BACKOFF_MAX, () -> b.backoff(v.get(BACKOFF_INITIAL), v.get(BACKOFF_MAX)));
        return b.build();
    }

    private ReconcileOptions reconcile(SettingValues v) {
        ReconcileOptions.Builder b = ReconcileOptions.builder().twinIdStrategy(twinIdStrategy)
                .deviceModels(v.get(RECONCILE_DEVICE_MODELS))
                .maxRetirements(v.get(MAX_RETIREMENTS))
                .maxRetirementShare(v.get(MAX_RETIREMENT_SHARE))
                .queriesPerMinute(v.get(QUERIES_PER_MINUTE))
                .registryReadsPerMinute(v.get(REGISTRY_READS_PER_MINUTE))
                .parallelism(v.get(RECONCILE_PARALLELISM))
                .reportItemLimit(v.get(REPORT_ITEM_LIMIT));
        v.check(GRACE_PERIOD, () -> b.gracePeriod(v.get(GRACE_PERIOD)));
        v.check(MAX_PLAN_AGE, () -> b.maxPlanAge(v.get(MAX_PLAN_AGE)));
        return b.build();
    }

    /** Checks that at most one of the two is set and that the connection strings parse (no I/O). */
    /**
     * Checks a pair of hub settings. {@code iot-service-client} is optional: {@link IotHubSdk} is reached only when
     * one of them names hubs, so that settings without hubs never load a class of the SDK.
     */
    private void hubs(Setting<List<String>> hosts, Setting<List<String>> strings, boolean registry) {
        if (!values.get(hosts).isEmpty() && !values.get(strings).isEmpty()) {
            values.problem(strings, "and " + values.nameOf(hosts) + " are both set: give one of them");
        } else if (hubsNamed(values, hosts, strings) && !IotHubSdk.present()) {
            values.problem(values.get(hosts).isEmpty() ? strings : hosts, IotHubSdk.missing());
        } else if (!values.get(strings).isEmpty()) {
            values.check(strings, () -> registry ? IotHubSdk.registry(List.of(), values.get(strings), null)
                    : IotHubSdk.inventory(List.of(), values.get(strings), null));
        }
    }

    private static boolean hubsNamed(SettingValues v, Setting<List<String>> hosts, Setting<List<String>> strings) {
        return !v.get(hosts).isEmpty() || !v.get(strings).isEmpty();
    }

    private static String constant(String choice) {
        return choice.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    // ---------------------------------------------------------------- what the hosts use

    /** The values these options come from, for host-only settings (webhooks, Event Hubs, credential). */
    public SettingValues values() {
        return values;
    }

    /** The allocation's default model, which is also the lifecycle's and the reconciler's. */
    public Optional<String> defaultModel() {
        return Optional.ofNullable(values.get(DEFAULT_MODEL));
    }

    /** Twin id = prefix + device id, for both flows and the reconciler. */
    public TwinIdStrategy twinIdStrategy() {
        return twinIdStrategy;
    }

    public AllocationOptions allocation() {
        return allocation;
    }

    /** The lifecycle options, without the registry guard ({@link #registryGuard}). */
    public LifecycleOptions lifecycle() {
        return lifecycle;
    }

    /** The reconciler's options, without a registry guard ({@link #reconcileGuard}). */
    public ReconcileOptions reconcile() {
        return reconcile;
    }

    /** The client-side ADT limits; empty when they are turned off. */
    public Optional<AdtRateLimits> rateLimits() {
        return Optional.ofNullable(rateLimits);
    }

    public RetryBudget allocationRetry() {
        return allocationRetry;
    }

    public RetirementPolicy retirementPolicy() {
        return "detach".equals(values.get(RETIREMENT_POLICY)) ? RetirementPolicy.DETACH : RetirementPolicy.DELETE;
    }

    /** Whether the settings name hubs to reconcile. */
    public boolean reconcileConfigured() {
        return !values.get(RECONCILE_HOSTS).isEmpty() || !values.get(RECONCILE_CONNECTION_STRINGS).isEmpty();
    }

    /** The lifecycle's registry guard, when hubs are named; {@code credential} is asked only for host names. */
    public Optional<DeviceRegistry> registryGuard(Supplier<TokenCredential> credential) {
        if (!hubsNamed(values, GUARD_HOSTS, GUARD_CONNECTION_STRINGS)) {
            return Optional.empty();
        }
        return Optional.of(IotHubSdk.registry(values.get(GUARD_HOSTS), values.get(GUARD_CONNECTION_STRINGS),
                values.get(GUARD_HOSTS).isEmpty() ? null : credential.get()));
    }

    /** The reconciler's device inventory, when hubs are named. */
    public Optional<IotHubDeviceInventory> deviceInventory(Supplier<TokenCredential> credential) {
        if (!reconcileConfigured()) {
            return Optional.empty();
        }
        return Optional.of(IotHubSdk.inventory(values.get(RECONCILE_HOSTS), values.get(RECONCILE_CONNECTION_STRINGS),
                values.get(RECONCILE_HOSTS).isEmpty() ? null : credential.get()));
    }

    /** A registry guard over the reconciled hubs, for a reconciler whose retire flow has no guard of its own. */
    public Optional<DeviceRegistry> reconcileGuard(Supplier<TokenCredential> credential) {
        if (!reconcileConfigured()) {
            return Optional.empty();
        }
        return Optional.of(IotHubSdk.registry(values.get(RECONCILE_HOSTS), values.get(RECONCILE_CONNECTION_STRINGS),
                values.get(RECONCILE_HOSTS).isEmpty() ? null : credential.get()));
    }
}
