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

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.dpstwin.core.config.DpsTwinSettings.*;

/**
 * Core's options from {@link SettingValues}: the one mapping every host uses. Everything that can be checked without
 * I/O is built and checked at once, so {@link #from} reports every bad setting in one {@link SettingsException}. What
 * needs the application's credential (hubs reached by host name) is built on demand.
 *
 * @param values          the values these options come from, also for host-only settings (webhooks, Event Hubs)
 * @param twinIdStrategy  twin id = prefix + device id, for both flows and the reconciler
 * @param allocation      the allocation's options
 * @param lifecycle       the lifecycle's options, without the registry guard ({@link #registryGuard})
 * @param reconcile       the reconciler's options, without a registry guard ({@link #reconcileGuard})
 * @param rateLimits      the client-side ADT limits; empty when they are turned off
 * @param allocationRetry the retries of the allocation webhook's ADT calls
 */
public record CoreOptions(SettingValues values, TwinIdStrategy twinIdStrategy, AllocationOptions allocation,
                          LifecycleOptions lifecycle, ReconcileOptions reconcile, Optional<AdtRateLimits> rateLimits,
                          RetryBudget allocationRetry) {

    /** The shortest heartbeat of the instance registry (BlobInstanceRegistry's own bound). */
    private static final Duration MIN_INSTANCE_HEARTBEAT = Duration.ofMillis(100);

    /**
     * Maps the values.
     *
     * @throws SettingsException naming every bad setting, those the values found and those core refuses
     */
    public static CoreOptions from(SettingValues v) {
        String prefix = v.get(TWIN_ID_PREFIX);
        TwinIdStrategy ids = prefix.isEmpty() ? TwinIdStrategy.deviceId() : TwinIdStrategy.prefixed(prefix);
        AdtRateLimits rateLimits = v.get(RATE_LIMITS_ENABLED) ? v.check(LIMITS_MAX_WAIT, () -> AdtRateLimits.builder()
                .perTwinWritesPerSecond(v.get(PER_TWIN_WRITES)).createDeletesPerSecond(v.get(CREATE_DELETES))
                .patchesPerSecond(v.get(PATCHES)).readsPerSecond(v.get(READS)).queriesPerSecond(v.get(QUERIES))
                .modelRequestsPerSecond(v.get(MODEL_REQUESTS)).maxWait(v.get(LIMITS_MAX_WAIT))
                .maxTrackedTwins(v.get(MAX_TRACKED_TWINS)).adaptive("adaptive".equals(v.get(RATE_LIMITS_MODE)))
                .build()) : null;
        RetryBudget allocationRetry = v.check(RETRY_MAX_BACKOFF, () -> RetryBudget.builder()
                .maxAttempts(v.get(RETRY_MAX_ATTEMPTS)).maxTotalTime(v.get(RETRY_MAX_TOTAL_TIME))
                .initialBackoff(v.get(RETRY_INITIAL_BACKOFF)).maxBackoff(v.get(RETRY_MAX_BACKOFF))
                .maxRetryAfter(v.get(RETRY_MAX_RETRY_AFTER)).build());
        instanceRegistry(v);
        CoreOptions options = new CoreOptions(v, ids, allocation(v, ids), lifecycle(v, ids), reconcile(v, ids),
                Optional.ofNullable(rateLimits), allocationRetry);
        options.hubs(GUARD_HOSTS, GUARD_CONNECTION_STRINGS, () -> options.registryGuard(null));
        options.hubs(RECONCILE_HOSTS, RECONCILE_CONNECTION_STRINGS, () -> options.deviceInventory(null));
        if (options.reconcileConfigured() && v.get(RECONCILE_DEVICE_MODELS).isEmpty() && v.get(DEFAULT_MODEL) == null
                && !v.failed(DEFAULT_MODEL) && !v.failed(RECONCILE_DEVICE_MODELS)) {
            v.problem(RECONCILE_DEVICE_MODELS, "is missing: the reconciler needs the models whose twins mirror "
                    + "devices, e.g. dtmi:com:example:Thermostat;1 (or set " + v.nameOf(DEFAULT_MODEL) + ")");
        }
        v.throwIfProblems();
        return options;
    }

    /**
     * The heartbeat of the instance registry, and one way of naming its container: checked here, the container is
     * built by the host (it needs the blob SDK and, for a URL, the credential).
     */
    private static void instanceRegistry(SettingValues v) {
        if (!v.failed(INSTANCE_HEARTBEAT) && v.get(INSTANCE_HEARTBEAT).compareTo(MIN_INSTANCE_HEARTBEAT) < 0) {
            v.problem(INSTANCE_HEARTBEAT, "is invalid: at least 100ms, got "
                    + INSTANCE_HEARTBEAT.type().format(v.get(INSTANCE_HEARTBEAT)));
        }
        boolean url = v.isGiven(INSTANCE_REGISTRY_URL);
        boolean connection = v.isGiven(INSTANCE_REGISTRY_CONNECTION_STRING);
        if (url && connection) {
            v.problem(INSTANCE_REGISTRY_CONNECTION_STRING, "and " + v.nameOf(INSTANCE_REGISTRY_URL)
                    + " are both set: give one of them");
        } else if (connection && !v.isGiven(INSTANCE_REGISTRY_CONTAINER)) {
            v.problem(INSTANCE_REGISTRY_CONTAINER, "is missing: name the container the instances register in, with "
                    + v.nameOf(INSTANCE_REGISTRY_CONNECTION_STRING));
        } else if (!url && !connection && v.isGiven(INSTANCE_REGISTRY_CONTAINER)) {
            v.problem(INSTANCE_REGISTRY_CONTAINER, "is set without " + v.nameOf(INSTANCE_REGISTRY_CONNECTION_STRING)
                    + ": give the connection string too, or " + v.nameOf(INSTANCE_REGISTRY_URL) + " instead");
        }
    }

    private static AllocationOptions allocation(SettingValues v, TwinIdStrategy ids) {
        AllocationOptions.Builder b = AllocationOptions.builder().twinIdStrategy(ids)
                .hubSelection(hubSelection(v)).mergeEnrollmentInitialTwin(v.get(MERGE_ENROLLMENT_INITIAL_TWIN))
                .modelMismatchPolicy(ModelMismatchPolicy.valueOf(constant(v.get(MODEL_MISMATCH))))
                .returnTwinIdInPayload(v.get(RETURN_TWIN_ID)).maxBodyBytes(v.get(ALLOCATION_MAX_BODY))
                .acceptUppercaseRegistrationIds(v.get(ACCEPT_UPPERCASE_IDS));
        if (!"modelId".equals(v.get(MODEL_ID_PAYLOAD_FIELD))) {
            b.modelResolver(ModelResolver.payloadField(v.get(MODEL_ID_PAYLOAD_FIELD)));
        }
        Optional.ofNullable(v.get(DEFAULT_MODEL)).ifPresent(b::defaultModel);
        if (!v.get(ALLOWED_MODELS).isEmpty()) {
            b.allowedModels(v.get(ALLOWED_MODELS));
        }
        Map<EnrollmentRef, String> parents = new LinkedHashMap<>();
        enrollments(v, b, EnrollmentRef::group, ENROLLMENT_GROUPS, parents);
        enrollments(v, b, EnrollmentRef::individual, INDIVIDUAL_ENROLLMENTS, parents);
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
        if (v.get(PLACEMENT_ENABLED)) {
            ParentTwinResolver byField = ParentTwinResolver.payloadField(v.get(PLACEMENT_FIELD));
            ParentTwinResolver parent = parents.isEmpty() ? byField
                    : byField.orElse(ParentTwinResolver.perEnrollment(parents));
            v.check(PLACEMENT_RELATIONSHIP, () -> b.placement(Placement.under(parent)
                    .withRelationshipName(v.get(PLACEMENT_RELATIONSHIP))
                    .withMissingParentPolicy(MissingParentPolicy.valueOf(constant(v.get(PLACEMENT_MISSING_PARENT))))));
        }
        return b.build();
    }

    private static HubSelectionPolicy hubSelection(SettingValues v) {
        String policy = v.get(HUB_POLICY);
        List<Map.Entry<String, Double>> weights = v.get(HUB_WEIGHTS);
        HubSelectionPolicy base = "consistent-hash".equals(policy) ? HubSelectionPolicy.consistentHashing()
                : HubSelectionPolicy.firstLinkedHub();
        if (v.failed(HUB_POLICY) || v.failed(HUB_WEIGHTS)) {
            return base; // reported; no follow-up problem
        } else if ("weighted".equals(policy) == weights.isEmpty()) {
            v.problem(HUB_WEIGHTS, weights.isEmpty() ? "is missing: the weighted policy needs weights, e.g. "
                    + "hub-a.azure-devices.net=2,hub-b.azure-devices.net=1" : "is set but " + v.nameOf(HUB_POLICY)
                    + " is " + policy + ": weights apply to the weighted policy only");
        } else if ("weighted".equals(policy)) {
            Map<String, Double> byHub = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            weights.forEach(e -> byHub.merge(e.getKey(), e.getValue(), (first, again) -> {
                v.problem(HUB_WEIGHTS, "names hub " + e.getKey() + " twice");
                return again;
            }));
            base = Objects.requireNonNullElse(v.check(HUB_WEIGHTS, () -> HubSelectionPolicy.weighted(byHub)), base);
        }
        return v.get(HUB_STICKY) ? HubSelectionPolicy.sticky(base) : base;
    }

    private static void enrollments(SettingValues v, AllocationOptions.Builder b, Function<String, EnrollmentRef> refs,
                                    Setting<Map<String, Map<String, String>>> setting,
                                    Map<EnrollmentRef, String> parents) {
        v.get(setting).forEach((id, members) -> v.check(setting, () -> {
            EnrollmentRef ref = refs.apply(id);
            Optional.ofNullable(members.get("parent-twin-id")).ifPresent(parent -> parents.put(ref, parent));
            try {
                Optional.ofNullable(members.get("default-model")).ifPresent(model -> b.defaultModel(ref, model));
                Optional.ofNullable(members.get("allowed-models")).ifPresent(models -> b.allowedModels(ref,
                        Arrays.stream(models.split(",")).map(String::trim).toList()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + id + "].default-model or allowed-models: " + e.getMessage());
            }
            return ref;
        }));
    }

    private static LifecycleOptions lifecycle(SettingValues v, TwinIdStrategy ids) {
        LifecycleOptions.Builder b = LifecycleOptions.builder().createDeviceIdentity(v.get(CREATE_DEVICE_IDENTITY))
                .retirementPolicy("detach".equals(v.get(RETIREMENT_POLICY)) ? RetirementPolicy.DETACH
                        : RetirementPolicy.DELETE).twinIdStrategy(ids).parallelism(v.get(LIFECYCLE_PARALLELISM))
                .maxAttempts(v.get(LIFECYCLE_MAX_ATTEMPTS))
                .defaultModelId(Optional.ofNullable(v.get(LIFECYCLE_DEFAULT_MODEL)).orElse(v.get(DEFAULT_MODEL)));
        v.check(SERVED_HUBS, () -> b.servedHubs(v.get(SERVED_HUBS)));
        v.check(EVENT_BUDGET, () -> b.eventBudget(v.get(EVENT_BUDGET)));
        v.check(BACKOFF_MAX, () -> b.backoff(v.get(BACKOFF_INITIAL), v.get(BACKOFF_MAX)));
        return b.build();
    }

    private static ReconcileOptions reconcile(SettingValues v, TwinIdStrategy ids) {
        ReconcileOptions.Builder b = ReconcileOptions.builder().twinIdStrategy(ids)
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

    /** At most one of a pair of hub settings, connection strings that parse (no I/O), and the SDK if hubs are named. */
    private void hubs(Setting<List<String>> hosts, Setting<List<String>> strings, Supplier<?> build) {
        if (!values.get(hosts).isEmpty() && !values.get(strings).isEmpty()) {
            values.problem(strings, "and " + values.nameOf(hosts) + " are both set: give one of them");
        } else if (named(hosts, strings) && !IotHubSdk.present()) {
            values.problem(values.get(hosts).isEmpty() ? strings : hosts, IotHubSdk.MISSING);
        } else if (!values.get(strings).isEmpty()) {
            values.check(strings, build);
        }
    }

    private boolean named(Setting<List<String>> hosts, Setting<List<String>> strings) {
        return !values.get(hosts).isEmpty() || !values.get(strings).isEmpty();
    }

    private static String constant(String choice) {
        return choice.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The allocation's default model, which is also the lifecycle's and the reconciler's. */
    public Optional<String> defaultModel() {
        return Optional.ofNullable(values.get(DEFAULT_MODEL));
    }

    /**
     * Whether the settings name a container for the instance registry ({@code instance-registry.container-url} or
     * {@code connection-string}); whether to share the limits is {@code share-between-instances}.
     */
    public boolean instanceRegistryConfigured() {
        return values.isGiven(INSTANCE_REGISTRY_URL) || values.isGiven(INSTANCE_REGISTRY_CONNECTION_STRING);
    }

    /** Whether the settings name hubs to reconcile. */
    public boolean reconcileConfigured() {
        return named(RECONCILE_HOSTS, RECONCILE_CONNECTION_STRINGS);
    }

    /** The lifecycle's registry guard, when hubs are named; {@code credential} is asked only for host names. */
    public Optional<DeviceRegistry> registryGuard(Supplier<TokenCredential> credential) {
        return named(GUARD_HOSTS, GUARD_CONNECTION_STRINGS) ? Optional.of(IotHubSdk.registry(values.get(GUARD_HOSTS),
                values.get(GUARD_CONNECTION_STRINGS), credential)) : Optional.empty();
    }

    /** The reconciler's device inventory, when hubs are named. */
    public Optional<IotHubDeviceInventory> deviceInventory(Supplier<TokenCredential> credential) {
        return reconcileConfigured() ? Optional.of(IotHubSdk.inventory(values.get(RECONCILE_HOSTS),
                values.get(RECONCILE_CONNECTION_STRINGS), credential)) : Optional.empty();
    }

    /** A registry guard over the reconciled hubs, for a reconciler whose retire flow has no guard of its own. */
    public Optional<DeviceRegistry> reconcileGuard(Supplier<TokenCredential> credential) {
        return reconcileConfigured() ? Optional.of(IotHubSdk.registry(values.get(RECONCILE_HOSTS),
                values.get(RECONCILE_CONNECTION_STRINGS), credential)) : Optional.empty();
    }
}
