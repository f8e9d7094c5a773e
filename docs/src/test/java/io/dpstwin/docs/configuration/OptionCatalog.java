package io.dpstwin.docs.configuration;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.EnrollmentRef;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.ModelResolver;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.dpstwin.functions.FunctionsSettings;

import java.util.List;
import java.util.Optional;

import static io.dpstwin.docs.configuration.Option.functionsOnly;
import static io.dpstwin.docs.configuration.Option.spring;

/**
 * Every option of dps-twin, once: its Spring property, its Functions app setting and its plain-Java builder
 * methods, by section. {@link ConfigurationReference} checks it against the code and renders the tables of
 * {@code docs/configuration.md} from it.
 */
public final class OptionCatalog {

    /** A titled group of options, with a sentence or two before its table. */
    public record Section(String title, String intro, List<Option> options) {

        public Section {
            options = List.copyOf(options);
        }
    }

    private OptionCatalog() {
    }

    /** The catalog, in the order of the reference. */
    public static List<Section> sections() {
        return List.of(general(), adt(), allocation(), lifecycle(), eventHubs(), webhooks(), reconciler(),
                management());
    }

    private static Section general() {
        return new Section("General and credential", "Spring builds a `DefaultAzureCredential` unless the application "
                + "defines a `TokenCredential` bean; a Functions app builds the credential `DPSTWIN_CREDENTIAL` names. "
                + "In plain Java you pass any `TokenCredential` to `DigitalTwinsClients`.", List.of(
                spring("dps-twin.enabled"),
                spring("dps-twin.credential.managed-identity-client-id")
                        .functions(FunctionsSettings.AZURE_CLIENT_ID)
                        .note("Functions: a GUID, used by both credential kinds.")
                        .functionsDefault(FunctionsSettings::managedIdentityClientId),
                spring("dps-twin.credential.tenant-id"),
                functionsOnly(FunctionsSettings.CREDENTIAL, "The credential of the app: `DefaultAzureCredential` "
                        + "(managed identity in Azure, developer sign-ins locally) or `ManagedIdentityCredential` "
                        + "only. Spring: define a `TokenCredential` bean instead.")
                        .functionsDefault(FunctionsSettings::credential)));
    }

    private static Section adt() {
        return new Section("Azure Digital Twins client, rate limits and retries", "The rate limits hold per process: "
                + "with several instances (replicas, Functions scale-out), divide the instance-wide limits among them. "
                + "In plain Java, give the limits to `DpsTwin.Builder#rateLimits` and the allocation retry budget to "
                + "`DpsTwin.Builder#allocationRetry`; a Functions app uses core's budget (`RetryBudget.allocation()`).",
                List.of(
                spring("dps-twin.digital-twins.endpoint")
                        .functions(FunctionsSettings.ADT_SERVICE_URL)
                        .java(DigitalTwinsClients.Builder.class, "endpoint")
                        .defaultText("**required**"),
                spring("dps-twin.digital-twins.request-timeout")
                        .java(DigitalTwinsClients.Builder.class, "requestTimeout")
                        .coreDefault(() -> DigitalTwinsClients.DEFAULT_REQUEST_TIMEOUT),
                spring("dps-twin.digital-twins.connect-timeout")
                        .java(DigitalTwinsClients.Builder.class, "connectTimeout")
                        .coreDefault(() -> DigitalTwinsClients.DEFAULT_CONNECT_TIMEOUT),
                spring("dps-twin.digital-twins.rate-limits.enabled")
                        .functions(FunctionsSettings.RATE_LIMITS_ENABLED)
                        .java(DpsTwin.Builder.class, "rateLimits", "noRateLimits")
                        .functionsDefault(s -> s.rateLimits().isPresent()),
                rateLimit("dps-twin.digital-twins.rate-limits.per-twin-writes-per-second",
                        FunctionsSettings.RATE_LIMIT_PER_TWIN_WRITES, "perTwinWritesPerSecond"),
                rateLimit("dps-twin.digital-twins.rate-limits.create-deletes-per-second",
                        FunctionsSettings.RATE_LIMIT_CREATE_DELETES, "createDeletesPerSecond"),
                rateLimit("dps-twin.digital-twins.rate-limits.patches-per-second",
                        FunctionsSettings.RATE_LIMIT_PATCHES, "patchesPerSecond"),
                rateLimit("dps-twin.digital-twins.rate-limits.reads-per-second",
                        FunctionsSettings.RATE_LIMIT_READS, "readsPerSecond"),
                rateLimit("dps-twin.digital-twins.rate-limits.queries-per-second",
                        FunctionsSettings.RATE_LIMIT_QUERIES, "queriesPerSecond"),
                rateLimit("dps-twin.digital-twins.rate-limits.model-requests-per-second", null,
                        "modelRequestsPerSecond"),
                rateLimit("dps-twin.digital-twins.rate-limits.max-wait", null, "maxWait"),
                rateLimit("dps-twin.digital-twins.rate-limits.max-tracked-twins", null, "maxTrackedTwins"),
                spring("dps-twin.digital-twins.allocation-retry.max-attempts")
                        .java(RetryBudget.Builder.class, "maxAttempts")
                        .coreDefault(() -> RetryBudget.allocation().maxAttempts()),
                spring("dps-twin.digital-twins.allocation-retry.max-total-time")
                        .java(RetryBudget.Builder.class, "maxTotalTime")
                        .coreDefault(() -> RetryBudget.allocation().maxTotalTime()),
                spring("dps-twin.digital-twins.allocation-retry.initial-backoff")
                        .java(RetryBudget.Builder.class, "initialBackoff")
                        .coreDefault(() -> RetryBudget.allocation().initialBackoff()),
                spring("dps-twin.digital-twins.allocation-retry.max-backoff")
                        .java(RetryBudget.Builder.class, "maxBackoff")
                        .coreDefault(() -> RetryBudget.allocation().maxBackoff()),
                spring("dps-twin.digital-twins.allocation-retry.max-retry-after")
                        .java(RetryBudget.Builder.class, "maxRetryAfter")
                        .coreDefault(() -> RetryBudget.allocation().maxRetryAfter())));
    }

    private static Option rateLimit(String property, String setting, String method) {
        return spring(property).functions(setting).java(AdtRateLimits.Builder.class, method)
                .functionsDefault(s -> read(s.rateLimits().orElseThrow(), method))
                .coreDefault(() -> read(AdtRateLimits.defaults(), method));
    }

    /** A getter of {@link AdtRateLimits}, which has one per builder method of the same name. */
    private static Object read(AdtRateLimits limits, String getter) {
        try {
            return AdtRateLimits.class.getMethod(getter).invoke(limits);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("AdtRateLimits has no getter " + getter, e);
        }
    }

    private static Section allocation() {
        return new Section("Allocation (provision flow)", "What each option does: [allocation.md](allocation.md). "
                + "In plain Java these are the methods of `AllocationOptions.Builder`, given to "
                + "`DpsTwin.Builder#allocationOptions`.", List.of(
                spring("dps-twin.allocation.default-model")
                        .functions(FunctionsSettings.DEFAULT_MODEL)
                        .java(AllocationOptions.Builder.class, "defaultModel")
                        .java(DpsTwin.Builder.class, "defaultModelId")
                        .note("Functions: also the lifecycle flow's default model.")
                        .functionsDefault(s -> s.allocationOptions().globalDefaultModel())
                        .coreDefault(() -> AllocationOptions.defaults().globalDefaultModel()),
                spring("dps-twin.allocation.model-id-payload-field")
                        .java(AllocationOptions.Builder.class, "modelResolver")
                        .java(ModelResolver.class, "payloadField"),
                spring("dps-twin.allocation.allowed-models")
                        .functions(FunctionsSettings.ALLOWED_MODELS)
                        .java(AllocationOptions.Builder.class, "allowedModels")
                        .defaultText("any model")
                        .functionsDefault(s -> s.allocationOptions().allowedModelsFor(Optional.empty()))
                        .coreDefault(() -> AllocationOptions.defaults().allowedModelsFor(Optional.empty())),
                spring("dps-twin.allocation.enrollment-groups")
                        .java(AllocationOptions.Builder.class, "defaultModel", "allowedModels")
                        .java(EnrollmentRef.class, "group")
                        .java(ParentTwinResolver.class, "perEnrollment"),
                spring("dps-twin.allocation.individual-enrollments")
                        .java(AllocationOptions.Builder.class, "defaultModel", "allowedModels")
                        .java(EnrollmentRef.class, "individual")
                        .java(ParentTwinResolver.class, "perEnrollment"),
                spring("dps-twin.allocation.hub-selection.policy")
                        .functions(FunctionsSettings.HUB_SELECTION)
                        .java(AllocationOptions.Builder.class, "hubSelection")
                        .java(HubSelectionPolicy.class, "firstLinkedHub", "sticky", "consistentHashing", "weighted")
                        .note("Functions: `hashing` is Spring's `consistent-hash`; sticky is "
                                + "`DPSTWIN_HUB_STICKY`.")
                        .functionsDefault(FunctionsSettings::hubSelection),
                spring("dps-twin.allocation.hub-selection.sticky-fallback")
                        .java(HubSelectionPolicy.class, "sticky")
                        .differs("Functions: with `DPSTWIN_HUB_STICKY=true` the fallback is "
                                + "`DPSTWIN_HUB_SELECTION`, whose default is `first`.")
                        .functionsDefault(FunctionsSettings::hubSelection),
                functionsOnly(FunctionsSettings.HUB_STICKY, "`true` keeps a re-registering device on its current hub "
                        + "while that hub is linked; other devices follow `DPSTWIN_HUB_SELECTION`. Spring: "
                        + "`policy: sticky` with `sticky-fallback`.")
                        .java(HubSelectionPolicy.class, "sticky")
                        .functionsDefault(FunctionsSettings::hubSticky),
                spring("dps-twin.allocation.hub-selection.weights")
                        .functions(FunctionsSettings.HUB_WEIGHTS)
                        .java(HubSelectionPolicy.class, "weighted")
                        .note("Functions: `hub-a.azure-devices.net=2,hub-b.azure-devices.net=1`; required with "
                                + "`weighted` and refused otherwise.")
                        .functionsDefault(FunctionsSettings::hubWeights),
                spring("dps-twin.allocation.initial-properties")
                        .java(AllocationOptions.Builder.class, "initialProperties", "initialPropertiesProvider"),
                spring("dps-twin.allocation.initial-twin-desired-properties")
                        .java(AllocationOptions.Builder.class, "initialTwinDesiredProperties"),
                spring("dps-twin.allocation.initial-twin-tags")
                        .java(AllocationOptions.Builder.class, "initialTwinTags"),
                spring("dps-twin.allocation.max-body-size")
                        .java(AllocationOptions.Builder.class, "maxBodyBytes")
                        .functionsDefault(s -> s.allocationOptions().maxBodyBytes())
                        .coreDefault(() -> AllocationOptions.defaults().maxBodyBytes()),
                spring("dps-twin.allocation.merge-enrollment-initial-twin")
                        .functions(FunctionsSettings.MERGE_ENROLLMENT_INITIAL_TWIN)
                        .java(AllocationOptions.Builder.class, "mergeEnrollmentInitialTwin")
                        .functionsDefault(s -> s.allocationOptions().mergeEnrollmentInitialTwin())
                        .coreDefault(() -> AllocationOptions.defaults().mergeEnrollmentInitialTwin()),
                spring("dps-twin.allocation.model-mismatch-policy")
                        .functions(FunctionsSettings.MODEL_MISMATCH)
                        .java(AllocationOptions.Builder.class, "modelMismatchPolicy")
                        .functionsDefault(s -> s.allocationOptions().modelMismatchPolicy())
                        .coreDefault(() -> AllocationOptions.defaults().modelMismatchPolicy()),
                spring("dps-twin.allocation.placement.enabled")
                        .java(AllocationOptions.Builder.class, "placement")
                        .note("Functions: placement is on when `DPSTWIN_PLACEMENT_PAYLOAD_FIELD` is set.")
                        .functionsDefault(s -> s.allocationOptions().placement().isPresent())
                        .coreDefault(() -> AllocationOptions.defaults().placement().isPresent()),
                spring("dps-twin.allocation.placement.parent-payload-field")
                        .functions(FunctionsSettings.PLACEMENT_PAYLOAD_FIELD)
                        .java(Placement.class, "under")
                        .java(ParentTwinResolver.class, "payloadField")
                        .differs("Functions: no default; setting it turns placement on.")
                        .functionsDefault(FunctionsSettings::placementPayloadField),
                spring("dps-twin.allocation.placement.relationship-name")
                        .functions(FunctionsSettings.PLACEMENT_RELATIONSHIP)
                        .java(Placement.class, "withRelationshipName")
                        .functionsDefault(FunctionsSettings::placementRelationship)
                        .coreDefault(() -> Placement.DEFAULT_RELATIONSHIP_NAME),
                spring("dps-twin.allocation.placement.missing-parent-policy")
                        .functions(FunctionsSettings.PLACEMENT_MISSING_PARENT)
                        .java(Placement.class, "withMissingParentPolicy")
                        .functionsDefault(FunctionsSettings::placementMissingParent)
                        .coreDefault(() -> Placement.under(ParentTwinResolver.payloadField("parentTwinId"))
                                .missingParentPolicy()),
                spring("dps-twin.allocation.return-twin-id-in-payload")
                        .functions(FunctionsSettings.PAYLOAD_TWIN_ID)
                        .java(AllocationOptions.Builder.class, "returnTwinIdInPayload")
                        .functionsDefault(FunctionsSettings::payloadTwinId),
                spring("dps-twin.allocation.accept-uppercase-registration-ids")
                        .functions(FunctionsSettings.ACCEPT_UPPERCASE_REGISTRATION_IDS)
                        .java(AllocationOptions.Builder.class, "acceptUppercaseRegistrationIds")
                        .functionsDefault(s -> s.allocationOptions().acceptUppercaseRegistrationIds())
                        .coreDefault(() -> AllocationOptions.defaults().acceptUppercaseRegistrationIds()),
                spring("dps-twin.allocation.twin-id-prefix")
                        .functions(FunctionsSettings.TWIN_ID_PREFIX)
                        .java(TwinIdStrategy.class, "prefixed")
                        .java(DpsTwin.Builder.class, "twinIdStrategy")
                        .functionsDefault(FunctionsSettings::twinIdPrefix)));
    }

    private static Section lifecycle() {
        return new Section("Lifecycle (retire flow)", "What each option does: [retirement.md](retirement.md). "
                + "In plain Java these are the methods of `LifecycleOptions.Builder`, given to "
                + "`DpsTwin.Builder#lifecycleOptions`.", List.of(
                spring("dps-twin.lifecycle.retirement-policy")
                        .functions(FunctionsSettings.RETIREMENT_POLICY)
                        .java(LifecycleOptions.Builder.class, "retirementPolicy")
                        .functionsDefault(s -> s.lifecycleOptions(null).retirementPolicy())
                        .coreDefault(() -> LifecycleOptions.defaults().retirementPolicy()),
                spring("dps-twin.lifecycle.create-device-identity")
                        .functions(FunctionsSettings.CREATE_DEVICE_IDENTITY)
                        .java(LifecycleOptions.Builder.class, "createDeviceIdentity")
                        .functionsDefault(s -> s.lifecycleOptions(null).createDeviceIdentity())
                        .coreDefault(() -> LifecycleOptions.defaults().createDeviceIdentity()),
                spring("dps-twin.lifecycle.default-model")
                        .java(LifecycleOptions.Builder.class, "defaultModelId")
                        .defaultText("`dps-twin.allocation.default-model`")
                        .note("Functions: `DPSTWIN_DEFAULT_MODEL` serves both flows.")
                        .functionsDefault(s -> s.lifecycleOptions(null).defaultModelId())
                        .coreDefault(() -> LifecycleOptions.defaults().defaultModelId()),
                spring("dps-twin.lifecycle.served-hubs")
                        .functions(FunctionsSettings.SERVED_HUBS)
                        .java(LifecycleOptions.Builder.class, "servedHubs")
                        .defaultText("every hub")
                        .functionsDefault(s -> s.lifecycleOptions(null).servedHubs())
                        .coreDefault(() -> LifecycleOptions.defaults().servedHubs()),
                spring("dps-twin.lifecycle.parallelism")
                        .functions(FunctionsSettings.PARALLELISM)
                        .java(LifecycleOptions.Builder.class, "parallelism")
                        .functionsDefault(s -> s.lifecycleOptions(null).parallelism())
                        .coreDefault(() -> LifecycleOptions.defaults().parallelism()),
                spring("dps-twin.lifecycle.event-budget")
                        .functions(FunctionsSettings.EVENT_BUDGET)
                        .java(LifecycleOptions.Builder.class, "eventBudget")
                        .functionsDefault(s -> s.lifecycleOptions(null).eventBudget())
                        .coreDefault(() -> LifecycleOptions.defaults().eventBudget()),
                spring("dps-twin.lifecycle.max-attempts")
                        .functions(FunctionsSettings.MAX_ATTEMPTS)
                        .java(LifecycleOptions.Builder.class, "maxAttempts")
                        .functionsDefault(s -> s.lifecycleOptions(null).maxAttempts())
                        .coreDefault(() -> LifecycleOptions.defaults().maxAttempts()),
                spring("dps-twin.lifecycle.backoff.initial")
                        .java(LifecycleOptions.Builder.class, "backoff")
                        .functionsDefault(s -> s.lifecycleOptions(null).initialBackoff())
                        .coreDefault(() -> LifecycleOptions.defaults().initialBackoff()),
                spring("dps-twin.lifecycle.backoff.max")
                        .java(LifecycleOptions.Builder.class, "backoff")
                        .functionsDefault(s -> s.lifecycleOptions(null).maxBackoff())
                        .coreDefault(() -> LifecycleOptions.defaults().maxBackoff()),
                spring("dps-twin.lifecycle.registry-guard.hub-host-names")
                        .functions(FunctionsSettings.REGISTRY_GUARD_HUBS)
                        .java(LifecycleOptions.Builder.class, "deviceRegistry")
                        .java(IotHubDeviceRegistry.class, "fromCredential")
                        .defaultText("none (no guard)")
                        .functionsDefault(s -> s.lifecycleOptions(null).deviceRegistry())
                        .coreDefault(() -> LifecycleOptions.defaults().deviceRegistry()),
                spring("dps-twin.lifecycle.registry-guard.connection-strings")
                        .functions(FunctionsSettings.REGISTRY_GUARD_CONNECTION_STRINGS)
                        .java(IotHubDeviceRegistry.class, "fromConnectionStrings")
                        .functionsDefault(s -> s.registryGuardUsesConnectionStrings() ? "set" : null)));
    }

    private static Section eventHubs() {
        return new Section("Event Hubs consumer", "Spring runs its own Event Hubs processor (with "
                + "`azure-messaging-eventhubs`); see [spring-boot.md](spring-boot.md#event-hubs-consumer). In a "
                + "Functions app the host's Event Hubs trigger reads the events, and its binding reads two app "
                + "settings; see [functions.md](functions.md).", List.of(
                spring("dps-twin.lifecycle.event-hubs.enabled"),
                spring("dps-twin.lifecycle.event-hubs.auto-startup"),
                spring("dps-twin.lifecycle.event-hubs.namespace"),
                spring("dps-twin.lifecycle.event-hubs.connection-string"),
                spring("dps-twin.lifecycle.event-hubs.event-hub-name"),
                spring("dps-twin.lifecycle.event-hubs.consumer-group"),
                spring("dps-twin.lifecycle.event-hubs.max-batch-size"),
                spring("dps-twin.lifecycle.event-hubs.max-wait-time"),
                spring("dps-twin.lifecycle.event-hubs.initial-position"),
                spring("dps-twin.lifecycle.event-hubs.load-balancing-interval"),
                spring("dps-twin.lifecycle.event-hubs.ownership-expiration-interval"),
                spring("dps-twin.lifecycle.event-hubs.checkpoint-store.container-url"),
                spring("dps-twin.lifecycle.event-hubs.checkpoint-store.connection-string"),
                spring("dps-twin.lifecycle.event-hubs.checkpoint-store.container-name"),
                functionsOnly(FunctionsSettings.EVENTHUB_CONNECTIONSTRING, "The Event Hubs connection of the "
                        + "lifecycle trigger (`connection = \"EVENTHUB_CONNECTIONSTRING\"`), read by the host's "
                        + "binding, never by dps-twin: a connection string with Listen rights, or "
                        + "`EVENTHUB_CONNECTIONSTRING__fullyQualifiedNamespace` for an identity-based connection. "
                        + "A secret. Spring: `dps-twin.lifecycle.event-hubs.connection-string` or `namespace`.")
                        .defaultText("required by the trigger"),
                functionsOnly(FunctionsSettings.EVENTHUB_NAME, "The event hub the lifecycle trigger reads "
                        + "(`eventHubName = \"%DPSTWIN_EVENTHUB_NAME%\"`), read by the host's binding. Spring: "
                        + "`dps-twin.lifecycle.event-hubs.event-hub-name`.")
                        .defaultText("required by the trigger")));
    }

    private static Section webhooks() {
        return new Section("Webhooks (Spring)", "Spring MVC endpoints for the DPS allocation and for Event Grid; see "
                + "[spring-boot.md](spring-boot.md#webhooks). In a Functions app the HTTP functions are the "
                + "webhooks, and the host checks their function keys.", List.of(
                spring("dps-twin.webhook.keys"),
                spring("dps-twin.webhook.require-key"),
                spring("dps-twin.webhook.allocation.enabled"),
                spring("dps-twin.webhook.allocation.path"),
                spring("dps-twin.webhook.lifecycle.enabled"),
                spring("dps-twin.webhook.lifecycle.path"),
                spring("dps-twin.webhook.lifecycle.max-body-size")));
    }

    private static Section reconciler() {
        return new Section("Reconciler", "The reconciler is on when hubs are named (or, in Spring, a "
                + "`DeviceInventory` bean exists); see [reconciliation.md](reconciliation.md). In plain Java, give a "
                + "device inventory to `DpsTwin.Builder#deviceInventory` and the methods of "
                + "`ReconcileOptions.Builder` to `DpsTwin.Builder#reconcileOptions`.", List.of(
                spring("dps-twin.reconcile.hub-host-names")
                        .functions(FunctionsSettings.RECONCILE_HUBS)
                        .java(IotHubDeviceInventory.class, "fromCredential")
                        .java(DpsTwin.Builder.class, "deviceInventory")
                        .defaultText("none (no reconciler)")
                        .functionsDefault(FunctionsSettings::reconcileHubs),
                spring("dps-twin.reconcile.connection-strings")
                        .functions(FunctionsSettings.RECONCILE_CONNECTION_STRINGS)
                        .java(IotHubDeviceInventory.class, "fromConnectionStrings")
                        .functionsDefault(s -> s.reconcileUsesConnectionStrings() ? "set" : null),
                spring("dps-twin.reconcile.device-models")
                        .functions(FunctionsSettings.RECONCILE_DEVICE_MODELS)
                        .java(ReconcileOptions.Builder.class, "deviceModels")
                        .functionsDefault(s -> s.reconcileOptions(null).deviceModels())
                        .coreDefault(() -> ReconcileOptions.defaults().deviceModels()),
                spring("dps-twin.reconcile.apply")
                        .functions(FunctionsSettings.RECONCILE_APPLY)
                        .java(Reconciler.class, "run")
                        .note("Functions: what the reconcile timer does.")
                        .functionsDefault(FunctionsSettings::reconcileApply),
                spring("dps-twin.reconcile.grace-period")
                        .functions(FunctionsSettings.RECONCILE_GRACE_PERIOD)
                        .java(ReconcileOptions.Builder.class, "gracePeriod")
                        .functionsDefault(s -> s.reconcileOptions(null).gracePeriod())
                        .coreDefault(() -> ReconcileOptions.defaults().gracePeriod()),
                spring("dps-twin.reconcile.max-retirements")
                        .functions(FunctionsSettings.RECONCILE_MAX_RETIREMENTS)
                        .java(ReconcileOptions.Builder.class, "maxRetirements")
                        .functionsDefault(s -> s.reconcileOptions(null).maxRetirements())
                        .coreDefault(() -> ReconcileOptions.defaults().maxRetirements()),
                spring("dps-twin.reconcile.max-retirement-share")
                        .functions(FunctionsSettings.RECONCILE_MAX_RETIREMENT_SHARE)
                        .java(ReconcileOptions.Builder.class, "maxRetirementShare")
                        .functionsDefault(s -> s.reconcileOptions(null).maxRetirementShare())
                        .coreDefault(() -> ReconcileOptions.defaults().maxRetirementShare()),
                spring("dps-twin.reconcile.max-plan-age")
                        .java(ReconcileOptions.Builder.class, "maxPlanAge")
                        .functionsDefault(s -> s.reconcileOptions(null).maxPlanAge())
                        .coreDefault(() -> ReconcileOptions.defaults().maxPlanAge()),
                spring("dps-twin.reconcile.queries-per-minute")
                        .functions(FunctionsSettings.RECONCILE_QUERIES_PER_MINUTE)
                        .java(ReconcileOptions.Builder.class, "queriesPerMinute")
                        .functionsDefault(s -> s.reconcileOptions(null).queriesPerMinute())
                        .coreDefault(() -> ReconcileOptions.defaults().queriesPerMinute()),
                spring("dps-twin.reconcile.registry-reads-per-minute")
                        .functions(FunctionsSettings.RECONCILE_REGISTRY_READS_PER_MINUTE)
                        .java(ReconcileOptions.Builder.class, "registryReadsPerMinute")
                        .functionsDefault(s -> s.reconcileOptions(null).registryReadsPerMinute())
                        .coreDefault(() -> ReconcileOptions.defaults().registryReadsPerMinute()),
                spring("dps-twin.reconcile.parallelism")
                        .functions(FunctionsSettings.RECONCILE_PARALLELISM)
                        .java(ReconcileOptions.Builder.class, "parallelism")
                        .functionsDefault(s -> s.reconcileOptions(null).parallelism())
                        .coreDefault(() -> ReconcileOptions.defaults().parallelism()),
                spring("dps-twin.reconcile.report-item-limit")
                        .java(ReconcileOptions.Builder.class, "reportItemLimit")
                        .functionsDefault(s -> s.reconcileOptions(null).reportItemLimit())
                        .coreDefault(() -> ReconcileOptions.defaults().reportItemLimit()),
                spring("dps-twin.reconcile.schedule.cron"),
                spring("dps-twin.reconcile.schedule.zone"),
                functionsOnly(FunctionsSettings.RECONCILE_SCHEDULE, "The NCRONTAB schedule of the reconcile timer "
                        + "(`schedule = \"%DPSTWIN_RECONCILE_SCHEDULE%\"`), six fields from the second, e.g. "
                        + "`0 0 * * * *` for hourly; read by the host's timer binding, never by dps-twin. Spring: "
                        + "`dps-twin.reconcile.schedule.cron`.")
                        .defaultText("required by the timer trigger")));
    }

    private static Section management() {
        return new Section("Actuator (Spring)", "With `spring-boot-starter-actuator`: the `dpsTwin` health "
                + "contributor and the `dpstwinreconcile` endpoint, which must be exposed like any endpoint but "
                + "health; see [spring-boot.md](spring-boot.md#health).", List.of(
                spring("management.health.dps-twin.enabled"),
                spring("management.endpoint.dpstwinreconcile.access"),
                spring("management.endpoint.dpstwinreconcile.cache.time-to-live"),
                spring("dps-twin.reconcile.endpoint.allow-apply")));
    }
}
