package io.dpstwin.spring.autoconfigure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.core.twins.TwinIdStrategy;
import com.azure.core.credential.TokenCredential;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns {@link DpsTwinProperties} into the core's immutable options. Every invalid value becomes a
 * {@link DpsTwinConfigurationException} naming the property (never quoting a secret value).
 */
final class DpsTwinOptionsFactory {

    private static final String ALLOCATION = "dps-twin.allocation.";
    private static final String LIFECYCLE = "dps-twin.lifecycle.";
    private static final String RECONCILE = "dps-twin.reconcile.";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private DpsTwinOptionsFactory() {
    }

    /** The user's parts that replace what the properties would build; any of them may be {@code null}. */
    record AllocationParts(HubSelectionPolicy hubSelection, ModelResolver modelResolver, Placement placement,
                           TwinIdStrategy twinIdStrategy, List<AllocationOptionsCustomizer> customizers) {
    }

    static AllocationOptions allocationOptions(DpsTwinProperties.Allocation p, AllocationParts parts) {
        AllocationOptions.Builder b = AllocationOptions.builder();
        b.hubSelection(parts.hubSelection() != null ? parts.hubSelection() : hubSelection(p.getHubSelection()));
        b.twinIdStrategy(parts.twinIdStrategy() != null ? parts.twinIdStrategy() : twinIdStrategy(p.getTwinIdPrefix()));
        b.modelMismatchPolicy(switch (p.getModelMismatchPolicy()) {
            case REJECT -> ModelMismatchPolicy.REJECT;
            case KEEP -> ModelMismatchPolicy.KEEP;
            case MIGRATE -> ModelMismatchPolicy.MIGRATE;
        });
        if (parts.modelResolver() != null) {
            b.modelResolver(parts.modelResolver());
        } else if (hasText(p.getModelIdPayloadField()) && !"modelId".equals(p.getModelIdPayloadField())) {
            b.modelResolver(ModelResolver.payloadField(p.getModelIdPayloadField()));
        }
        if (hasText(p.getDefaultModel())) {
            apply(ALLOCATION + "default-model", () -> b.defaultModel(p.getDefaultModel().trim()));
        }
        if (!p.getAllowedModels().isEmpty()) {
            apply(ALLOCATION + "allowed-models", () -> b.allowedModels(p.getAllowedModels()));
        }
        Map<EnrollmentRef, String> parents = new LinkedHashMap<>();
        enrollments(b, p.getEnrollmentGroups(), "enrollment-groups", EnrollmentRef::group, parents);
        enrollments(b, p.getIndividualEnrollments(), "individual-enrollments", EnrollmentRef::individual, parents);
        for (int i = 0; i < p.getInitialProperties().size(); i++) {
            DpsTwinProperties.ModelProperties entry = p.getInitialProperties().get(i);
            String property = ALLOCATION + "initial-properties[" + i + "]";
            if (entry == null || !hasText(entry.getModel())) {
                throw new DpsTwinConfigurationException(property + ".model", "is not set",
                        "Name the model (DTMI) whose new twins get these properties.");
            }
            Map<String, Object> properties = jsonObject(property + ".properties", entry.getProperties());
            apply(property + ".model", () -> b.initialProperties(entry.getModel().trim(), properties));
        }
        if (!p.getInitialTwinTags().isEmpty()) {
            Map<String, Object> tags = new LinkedHashMap<>(p.getInitialTwinTags());
            apply(ALLOCATION + "initial-twin-tags", () -> b.initialTwinTags(tags));
        }
        if (hasText(p.getInitialTwinDesiredProperties())) {
            b.initialTwinDesiredProperties(jsonObject(ALLOCATION + "initial-twin-desired-properties",
                    p.getInitialTwinDesiredProperties()));
        }
        b.mergeEnrollmentInitialTwin(p.isMergeEnrollmentInitialTwin());
        if (parts.placement() != null) {
            b.placement(parts.placement());
        } else if (p.getPlacement().isEnabled()) {
            b.placement(placement(p.getPlacement(), parents));
        }
        b.returnTwinIdInPayload(p.isReturnTwinIdInPayload());
        b.acceptUppercaseRegistrationIds(p.isAcceptUppercaseRegistrationIds());
        long maxBody = p.getMaxBodySize() == null ? -1 : p.getMaxBodySize().toBytes();
        if (maxBody < 1 || maxBody > Integer.MAX_VALUE - 1) {
            throw new DpsTwinConfigurationException(ALLOCATION + "max-body-size", "must be between 1 B and 2 GB",
                    "Set a size such as 96KB (the DPS message limit).");
        }
        b.maxBodyBytes((int) maxBody);
        if (parts.customizers() != null) {
            parts.customizers().forEach(customizer -> customizer.customize(b));
        }
        return b.build();
    }

    private interface RefFactory {
        EnrollmentRef of(String id);
    }

    private static void enrollments(AllocationOptions.Builder b, Map<String, DpsTwinProperties.Enrollment> byId,
                                    String kind, RefFactory refs, Map<EnrollmentRef, String> parents) {
        byId.forEach((id, enrollment) -> {
            String prefix = ALLOCATION + kind + "[" + id + "].";
            EnrollmentRef ref = apply(ALLOCATION + kind, () -> refs.of(id));
            if (hasText(enrollment.getDefaultModel())) {
                apply(prefix + "default-model", () -> b.defaultModel(ref, enrollment.getDefaultModel().trim()));
            }
            if (!enrollment.getAllowedModels().isEmpty()) {
                apply(prefix + "allowed-models", () -> b.allowedModels(ref, enrollment.getAllowedModels()));
            }
            if (hasText(enrollment.getParentTwinId())) {
                parents.put(ref, enrollment.getParentTwinId().trim());
            }
        });
    }

    static HubSelectionPolicy hubSelection(DpsTwinProperties.HubSelection p) {
        DpsTwinProperties.HubPolicy policy = p.getPolicy() == null ? DpsTwinProperties.HubPolicy.FIRST : p.getPolicy();
        if (policy == DpsTwinProperties.HubPolicy.STICKY) {
            DpsTwinProperties.HubPolicy fallback = p.getStickyFallback() == null
                    ? DpsTwinProperties.HubPolicy.CONSISTENT_HASH : p.getStickyFallback();
            if (fallback == DpsTwinProperties.HubPolicy.STICKY) {
                throw new DpsTwinConfigurationException(ALLOCATION + "hub-selection.sticky-fallback",
                        "cannot be sticky itself", "Use first, consistent-hash or weighted.");
            }
            return HubSelectionPolicy.sticky(simpleHubSelection(fallback, p));
        }
        return simpleHubSelection(policy, p);
    }

    private static HubSelectionPolicy simpleHubSelection(DpsTwinProperties.HubPolicy policy,
                                                         DpsTwinProperties.HubSelection p) {
        return switch (policy) {
            case FIRST -> HubSelectionPolicy.firstLinkedHub();
            case CONSISTENT_HASH -> HubSelectionPolicy.consistentHashing();
            case WEIGHTED -> apply(ALLOCATION + "hub-selection.weights",
                    () -> HubSelectionPolicy.weighted(p.getWeights()));
            case STICKY -> throw new IllegalStateException("sticky is handled by the caller");
        };
    }

    static TwinIdStrategy twinIdStrategy(String prefix) {
        return hasText(prefix)
                ? apply(ALLOCATION + "twin-id-prefix", () -> TwinIdStrategy.prefixed(prefix))
                : TwinIdStrategy.deviceId();
    }

    private static Placement placement(DpsTwinProperties.PlacementSettings p, Map<EnrollmentRef, String> parents) {
        ParentTwinResolver resolver = null;
        if (hasText(p.getParentPayloadField())) {
            resolver = ParentTwinResolver.payloadField(p.getParentPayloadField().trim());
        }
        if (!parents.isEmpty()) {
            ParentTwinResolver perEnrollment = ParentTwinResolver.perEnrollment(parents);
            resolver = resolver == null ? perEnrollment : resolver.orElse(perEnrollment);
        }
        if (resolver == null) {
            throw new DpsTwinConfigurationException(ALLOCATION + "placement.parent-payload-field",
                    "placement is enabled but no parent can be found",
                    "Set parent-payload-field (e.g. parentTwinId) or a parent-twin-id for an enrollment.");
        }
        ParentTwinResolver parentResolver = resolver;
        return apply(ALLOCATION + "placement.relationship-name", () -> Placement.under(parentResolver)
                .withRelationshipName(p.getRelationshipName())
                .withMissingParentPolicy(p.getMissingParentPolicy() == DpsTwinProperties.MissingParent.SKIP
                        ? MissingParentPolicy.SKIP : MissingParentPolicy.REJECT));
    }

    /** The user's parts that replace what the properties would build; any of them may be {@code null}. */
    record LifecycleParts(RetirementPolicy retirementPolicy, DeviceRegistry deviceRegistry,
                          TwinIdStrategy twinIdStrategy, List<LifecycleOptionsCustomizer> customizers) {
    }

    static LifecycleOptions lifecycleOptions(DpsTwinProperties properties, LifecycleParts parts) {
        DpsTwinProperties.Lifecycle p = properties.getLifecycle();
        LifecycleOptions.Builder b = LifecycleOptions.builder();
        b.retirementPolicy(parts.retirementPolicy() != null ? parts.retirementPolicy()
                : p.getRetirementPolicy() == DpsTwinProperties.Retirement.DETACH
                ? RetirementPolicy.DETACH : RetirementPolicy.DELETE);
        b.createDeviceIdentity(p.isCreateDeviceIdentity());
        b.servedHubs(p.getServedHubs());
        b.deviceRegistry(parts.deviceRegistry());
        b.twinIdStrategy(parts.twinIdStrategy() != null ? parts.twinIdStrategy()
                : twinIdStrategy(properties.getAllocation().getTwinIdPrefix()));
        String model = hasText(p.getDefaultModel()) ? p.getDefaultModel().trim()
                : hasText(properties.getAllocation().getDefaultModel())
                ? properties.getAllocation().getDefaultModel().trim() : null;
        if (model != null) {
            apply(hasText(p.getDefaultModel()) ? LIFECYCLE + "default-model" : ALLOCATION + "default-model",
                    () -> b.defaultModelId(model));
        }
        apply(LIFECYCLE + "parallelism", () -> b.parallelism(p.getParallelism()));
        apply(LIFECYCLE + "event-budget", () -> b.eventBudget(p.getEventBudget()));
        apply(LIFECYCLE + "max-attempts", () -> b.maxAttempts(p.getMaxAttempts()));
        apply(LIFECYCLE + "backoff", () -> b.backoff(p.getBackoff().getInitial(), p.getBackoff().getMax()));
        if (parts.customizers() != null) {
            parts.customizers().forEach(customizer -> customizer.customize(b));
        }
        return b.build();
    }

    /**
     * The registry guard from {@code dps-twin.lifecycle.registry-guard.*}, or {@code null} when none is configured.
     * Connection strings are handed to the IoT Hub SDK and never reported.
     */
    static DeviceRegistry deviceRegistry(DpsTwinProperties.RegistryGuard p, Supplier<TokenCredential> credential) {
        return hubs(LIFECYCLE + "registry-guard", p.getHubHostNames(), p.getConnectionStrings(),
                hosts -> IotHubDeviceRegistry.fromCredential(hosts, credential.get()),
                IotHubDeviceRegistry::fromConnectionStrings);
    }

    /**
     * The reconciler's device inventory from {@code dps-twin.reconcile.*}, or {@code null} when no hub is configured.
     * Connection strings are handed to the IoT Hub SDK and never reported.
     */
    static IotHubDeviceInventory deviceInventory(DpsTwinProperties.Reconcile p, Supplier<TokenCredential> credential) {
        return hubs(RECONCILE.substring(0, RECONCILE.length() - 1), p.getHubHostNames(), p.getConnectionStrings(),
                hosts -> IotHubDeviceInventory.fromCredential(hosts, credential.get()),
                IotHubDeviceInventory::fromConnectionStrings);
    }

    /**
     * A registry guard over the reconciler's own hubs ({@code dps-twin.reconcile.*}), asked before an orphaned twin
     * is retired; {@code null} when no hub is configured.
     */
    static DeviceRegistry reconcileRegistryGuard(DpsTwinProperties.Reconcile p, Supplier<TokenCredential> credential) {
        return hubs(RECONCILE.substring(0, RECONCILE.length() - 1), p.getHubHostNames(), p.getConnectionStrings(),
                hosts -> IotHubDeviceRegistry.fromCredential(hosts, credential.get()),
                IotHubDeviceRegistry::fromConnectionStrings);
    }

    /** Whether {@code hosts} or {@code connectionStrings} names at least one hub. */
    static boolean namesAHub(List<String> hosts, List<String> connectionStrings) {
        return anyText(hosts) || anyText(connectionStrings);
    }

    private static boolean anyText(List<String> values) {
        return values != null && values.stream().anyMatch(DpsTwinOptionsFactory::hasText);
    }

    private static <T> T hubs(String prefix, List<String> hosts, List<String> connectionStrings,
                              Function<List<String>, T> fromHosts,
                              Function<List<String>, T> fromConnectionStrings) {
        boolean byHost = anyText(hosts);
        boolean byString = anyText(connectionStrings);
        if (byHost && byString) {
            throw new DpsTwinConfigurationException(prefix, "both hub-host-names and connection-strings are set",
                    "Give either hub-host-names (reached with the application's credential) or connection-strings.");
        }
        if (byHost) {
            return apply(prefix + ".hub-host-names", () -> fromHosts.apply(hosts));
        }
        if (byString) {
            try {
                return fromConnectionStrings.apply(connectionStrings);
            } catch (RuntimeException e) {
                // The core's message names a bad string by its position only; nothing else is passed on.
                throw new DpsTwinConfigurationException(prefix + ".connection-strings",
                        e instanceof IllegalArgumentException ? "is invalid: " + e.getMessage()
                                : "could not be used (" + e.getClass().getSimpleName() + ")",
                        "Copy the connection string of a shared access policy with registryRead rights, "
                                + "HostName=<hub>.azure-devices.net;SharedAccessKeyName=<policy>;SharedAccessKey=<key>.");
            }
        }
        return null;
    }

    /** The user's parts that replace or complete what the properties build; any of them may be {@code null}. */
    record ReconcileParts(DeviceRegistry registryGuard,
                          List<ReconcileOptionsCustomizer> customizers) {
    }

    static ReconcileOptions reconcileOptions(DpsTwinProperties properties, ReconcileParts parts) {
        DpsTwinProperties.Reconcile p = properties.getReconcile();
        ReconcileOptions.Builder b = ReconcileOptions.builder();
        if (anyText(p.getDeviceModels())) {
            List<String> models = p.getDeviceModels().stream().filter(DpsTwinOptionsFactory::hasText)
                    .map(String::trim).toList();
            apply(RECONCILE + "device-models", () -> b.deviceModels(models));
        }
        apply(RECONCILE + "grace-period", () -> b.gracePeriod(p.getGracePeriod()));
        apply(RECONCILE + "max-retirements", () -> b.maxRetirements(p.getMaxRetirements()));
        apply(RECONCILE + "max-retirement-share", () -> b.maxRetirementShare(p.getMaxRetirementShare()));
        apply(RECONCILE + "max-plan-age", () -> b.maxPlanAge(p.getMaxPlanAge()));
        apply(RECONCILE + "queries-per-minute", () -> b.queriesPerMinute(p.getQueriesPerMinute()));
        apply(RECONCILE + "registry-reads-per-minute", () -> b.registryReadsPerMinute(p.getRegistryReadsPerMinute()));
        apply(RECONCILE + "parallelism", () -> b.parallelism(p.getParallelism()));
        apply(RECONCILE + "report-item-limit", () -> b.reportItemLimit(p.getReportItemLimit()));
        if (parts.registryGuard() != null) {
            b.registryGuard(parts.registryGuard());
        }
        if (parts.customizers() != null) {
            parts.customizers().forEach(customizer -> customizer.customize(b));
        }
        return b.build();
    }

    static AdtRateLimits rateLimits(DpsTwinProperties.RateLimits p) {
        String prefix = "dps-twin.digital-twins.rate-limits";
        return apply(prefix, () -> AdtRateLimits.builder()
                .perTwinWritesPerSecond(p.getPerTwinWritesPerSecond())
                .createDeletesPerSecond(p.getCreateDeletesPerSecond())
                .patchesPerSecond(p.getPatchesPerSecond())
                .readsPerSecond(p.getReadsPerSecond())
                .queriesPerSecond(p.getQueriesPerSecond())
                .modelRequestsPerSecond(p.getModelRequestsPerSecond())
                .maxWait(p.getMaxWait())
                .maxTrackedTwins(p.getMaxTrackedTwins())
                .build());
    }

    static RetryBudget allocationRetry(DpsTwinProperties.AllocationRetry p) {
        return apply("dps-twin.digital-twins.allocation-retry", () -> RetryBudget.builder()
                .maxAttempts(p.getMaxAttempts())
                .maxTotalTime(p.getMaxTotalTime())
                .initialBackoff(p.getInitialBackoff())
                .maxBackoff(p.getMaxBackoff())
                .maxRetryAfter(p.getMaxRetryAfter())
                .build());
    }

    private static Map<String, Object> jsonObject(String property, String json) {
        if (!hasText(json)) {
            throw new DpsTwinConfigurationException(property, "is not set",
                    "Write a JSON object such as {\"Temperature\":0.0}.");
        }
        try {
            Map<String, Object> value = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
            if (value == null) {
                throw new DpsTwinConfigurationException(property, "is null, expected a JSON object",
                        "Write a JSON object such as {\"Temperature\":0.0}.");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new DpsTwinConfigurationException(property, "is not a JSON object (" + e.getOriginalMessage() + ")",
                    "Write a JSON object such as {\"Temperature\":0.0}.");
        }
    }

    /** Runs a core setter and reports its {@link IllegalArgumentException} against {@code property}. */
    private static <T> T apply(String property, Supplier<T> setter) {
        try {
            return setter.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DpsTwinConfigurationException(property, "is invalid: " + e.getMessage(),
                    "Fix the value; see docs/spring-boot.md for the expected format.", e);
        }
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
