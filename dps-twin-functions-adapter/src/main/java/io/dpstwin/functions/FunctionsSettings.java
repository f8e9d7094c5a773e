package io.dpstwin.functions;

import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.MissingParentPolicy;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.TwinIdStrategy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dps-twin settings of an Azure Functions app, read from its app settings (environment variables): the names of
 * the reference flow ({@value #ADT_SERVICE_URL}) plus {@code DPSTWIN_*} for everything else. Every setting but
 * {@value #ADT_SERVICE_URL} is optional and has the default of core; {@code docs/functions.md} has the table.
 *
 * <p>{@link #from(Map)} reads and checks all settings at once and throws a {@link FunctionsSettingsException} that
 * names every missing or invalid setting and what it expects. Messages quote a wrong value only when the setting is
 * not a secret, and then redacted and shortened; connection strings are never quoted. {@link #toString()} shows no
 * secret either. Immutable and thread-safe.
 */
public final class FunctionsSettings {

    // ---- the reference names
    /** The ADT instance URL, {@code https://<instance host name>} (required; the reference flow's name). */
    public static final String ADT_SERVICE_URL = "ADT_SERVICE_URL";
    /**
     * The Event Hubs connection of the lifecycle trigger (the reference flow's name). Read by the Functions host's
     * binding ({@code connection = "EVENTHUB_CONNECTIONSTRING"}), never by dps-twin.
     */
    public static final String EVENTHUB_CONNECTIONSTRING = "EVENTHUB_CONNECTIONSTRING";
    /** The client id of a user-assigned managed identity (optional; the Azure Identity name). */
    public static final String AZURE_CLIENT_ID = "AZURE_CLIENT_ID";

    // ---- credential and both flows
    /** {@code default} (DefaultAzureCredential, the default) or {@code managed-identity}. */
    public static final String CREDENTIAL = "DPSTWIN_CREDENTIAL";
    /** The model of devices that name none (allocation) and of twins made for created devices (lifecycle). */
    public static final String DEFAULT_MODEL = "DPSTWIN_DEFAULT_MODEL";
    /** The twin id is this prefix + the device id (default: no prefix, twin id = device id). */
    public static final String TWIN_ID_PREFIX = "DPSTWIN_TWIN_ID_PREFIX";

    // ---- allocation
    /** Comma-separated DTMIs: the only models accepted (default: any). */
    public static final String ALLOWED_MODELS = "DPSTWIN_ALLOWED_MODELS";
    /** {@code first} (default), {@code hashing} or {@code weighted}. */
    public static final String HUB_SELECTION = "DPSTWIN_HUB_SELECTION";
    /** {@code true} keeps re-registering devices on their current hub while it is linked (default false). */
    public static final String HUB_STICKY = "DPSTWIN_HUB_STICKY";
    /** {@code host=weight,...} for {@code weighted} selection. */
    public static final String HUB_WEIGHTS = "DPSTWIN_HUB_WEIGHTS";
    /** {@code reject} (default), {@code keep} or {@code migrate}: an existing twin of another model. */
    public static final String MODEL_MISMATCH = "DPSTWIN_MODEL_MISMATCH";
    /** The payload field naming the parent twin; setting it turns placement on (default: no placement). */
    public static final String PLACEMENT_PAYLOAD_FIELD = "DPSTWIN_PLACEMENT_PAYLOAD_FIELD";
    /** The placement relationship's name (default {@code contains}). */
    public static final String PLACEMENT_RELATIONSHIP = "DPSTWIN_PLACEMENT_RELATIONSHIP";
    /** {@code reject} (default) or {@code skip}: a parent twin that does not exist. */
    public static final String PLACEMENT_MISSING_PARENT = "DPSTWIN_PLACEMENT_MISSING_PARENT";
    /** {@code true} sends {@code {"twinId": ...}} back to the device in the payload (default false). */
    public static final String PAYLOAD_TWIN_ID = "DPSTWIN_PAYLOAD_TWIN_ID";
    /** {@code true} (default) merges our initial twin over the enrollment's; {@code false} replaces it. */
    public static final String MERGE_ENROLLMENT_INITIAL_TWIN = "DPSTWIN_MERGE_ENROLLMENT_INITIAL_TWIN";
    /** {@code true} accepts registration ids with upper-case letters (default false). */
    public static final String ACCEPT_UPPERCASE_REGISTRATION_IDS = "DPSTWIN_ACCEPT_UPPERCASE_REGISTRATION_IDS";

    // ---- lifecycle
    /** Comma-separated hub names or host names whose events are acted on (default: every hub). */
    public static final String SERVED_HUBS = "DPSTWIN_SERVED_HUBS";
    /** {@code delete} (default) or {@code detach}. */
    public static final String RETIREMENT_POLICY = "DPSTWIN_RETIREMENT_POLICY";
    /** {@code true} (default): {@code createDeviceIdentity} events make sure the twin exists. */
    public static final String CREATE_DEVICE_IDENTITY = "DPSTWIN_CREATE_DEVICE_IDENTITY";
    /** Devices processed at once, 1..256 (default {@value LifecycleOptions#DEFAULT_PARALLELISM}). */
    public static final String PARALLELISM = "DPSTWIN_PARALLELISM";
    /** Time one event may take, retries included: seconds ({@code 60}) or ISO-8601 ({@code PT1M}); default 60 s. */
    public static final String EVENT_BUDGET = "DPSTWIN_EVENT_BUDGET";
    /** Attempts per event, first try included (default 30). */
    public static final String MAX_ATTEMPTS = "DPSTWIN_MAX_ATTEMPTS";
    /** Comma-separated IoT hub host names to ask before retiring (registry guard, with the app's credential). */
    public static final String REGISTRY_GUARD_HUBS = "DPSTWIN_REGISTRY_GUARD_HUBS";
    /** Comma-separated IoT Hub connection strings for the registry guard instead of the credential (a secret). */
    public static final String REGISTRY_GUARD_CONNECTION_STRINGS = "DPSTWIN_REGISTRY_GUARD_CONNECTION_STRINGS";

    // ---- reconciler (optional: on when hubs are named)
    /**
     * Comma-separated IoT hub host names the reconciler lists, with the app's credential. Setting it (or
     * {@value #RECONCILE_CONNECTION_STRINGS}) turns the reconciler on.
     */
    public static final String RECONCILE_HUBS = "DPSTWIN_RECONCILE_HUBS";
    /** Comma-separated IoT Hub connection strings the reconciler lists instead of the hub list (a secret). */
    public static final String RECONCILE_CONNECTION_STRINGS = "DPSTWIN_RECONCILE_CONNECTION_STRINGS";
    /** Comma-separated DTMIs whose twins mirror devices ({@value #DEFAULT_MODEL} counts too). */
    public static final String RECONCILE_DEVICE_MODELS = "DPSTWIN_RECONCILE_DEVICE_MODELS";
    /** {@code true} repairs the drift found; {@code false} (default) only reports it (a dry run). */
    public static final String RECONCILE_APPLY = "DPSTWIN_RECONCILE_APPLY";
    /** Changes younger than this are left alone: seconds or ISO-8601, at least 10 s (default 120 s). */
    public static final String RECONCILE_GRACE_PERIOD = "DPSTWIN_RECONCILE_GRACE_PERIOD";
    /** A run that finds more orphans than this retires none (default 1000). */
    public static final String RECONCILE_MAX_RETIREMENTS = "DPSTWIN_RECONCILE_MAX_RETIREMENTS";
    /** A run whose orphans exceed this share of the listed twins retires none, 0..1 (default 0.5). */
    public static final String RECONCILE_MAX_RETIREMENT_SHARE = "DPSTWIN_RECONCILE_MAX_RETIREMENT_SHARE";
    /** Device query pages per minute and hub (default 10, half of one S1/S2 unit's quota). */
    public static final String RECONCILE_QUERIES_PER_MINUTE = "DPSTWIN_RECONCILE_QUERIES_PER_MINUTE";
    /** Registry guard reads per minute and hub (default 50). */
    public static final String RECONCILE_REGISTRY_READS_PER_MINUTE = "DPSTWIN_RECONCILE_REGISTRY_READS_PER_MINUTE";
    /** Repair actions at the same time, 1..64 (default 4). */
    public static final String RECONCILE_PARALLELISM = "DPSTWIN_RECONCILE_PARALLELISM";

    // ---- rate limits
    /** {@code true} (default) keeps client-side ADT rate limits. */
    public static final String RATE_LIMITS_ENABLED = "DPSTWIN_RATE_LIMITS_ENABLED";
    /** Twin and relationship creates and deletes per second for this process (default 500). */
    public static final String RATE_LIMIT_CREATE_DELETES = "DPSTWIN_RATE_LIMIT_CREATE_DELETES_PER_SECOND";
    /** Writes per second to one twin and its relationships (default 10). */
    public static final String RATE_LIMIT_PER_TWIN_WRITES = "DPSTWIN_RATE_LIMIT_PER_TWIN_WRITES_PER_SECOND";
    /** Twin patches per second (default 1000). */
    public static final String RATE_LIMIT_PATCHES = "DPSTWIN_RATE_LIMIT_PATCHES_PER_SECOND";
    /** Reads per second (default 1000). */
    public static final String RATE_LIMIT_READS = "DPSTWIN_RATE_LIMIT_READS_PER_SECOND";
    /** Query pages per second (default 500). */
    public static final String RATE_LIMIT_QUERIES = "DPSTWIN_RATE_LIMIT_QUERIES_PER_SECOND";

    // ---- read by the Functions host's bindings only
    /** The event hub the lifecycle trigger reads ({@code eventHubName = "%DPSTWIN_EVENTHUB_NAME%"}). */
    public static final String EVENTHUB_NAME = "DPSTWIN_EVENTHUB_NAME";
    /**
     * The NCRONTAB schedule of the reconcile timer ({@code schedule = "%DPSTWIN_RECONCILE_SCHEDULE%"}), e.g.
     * {@code 0 0 * * * *} (hourly); read by the host's timer binding, never by dps-twin.
     */
    public static final String RECONCILE_SCHEDULE = "DPSTWIN_RECONCILE_SCHEDULE";

    /** The {@code DPSTWIN_*} names this version knows; other names with that prefix are reported as unknown. */
    public static final Set<String> KNOWN_DPSTWIN_SETTINGS = Set.of(CREDENTIAL, DEFAULT_MODEL, TWIN_ID_PREFIX,
            ALLOWED_MODELS, HUB_SELECTION, HUB_STICKY, HUB_WEIGHTS, MODEL_MISMATCH, PLACEMENT_PAYLOAD_FIELD,
            PLACEMENT_RELATIONSHIP, PLACEMENT_MISSING_PARENT, PAYLOAD_TWIN_ID, MERGE_ENROLLMENT_INITIAL_TWIN,
            ACCEPT_UPPERCASE_REGISTRATION_IDS, SERVED_HUBS, RETIREMENT_POLICY, CREATE_DEVICE_IDENTITY, PARALLELISM,
            EVENT_BUDGET, MAX_ATTEMPTS, REGISTRY_GUARD_HUBS, REGISTRY_GUARD_CONNECTION_STRINGS, RATE_LIMITS_ENABLED,
            RATE_LIMIT_CREATE_DELETES, RATE_LIMIT_PER_TWIN_WRITES, RATE_LIMIT_PATCHES, RATE_LIMIT_READS,
            RATE_LIMIT_QUERIES, EVENTHUB_NAME, RECONCILE_SCHEDULE, RECONCILE_HUBS, RECONCILE_CONNECTION_STRINGS,
            RECONCILE_DEVICE_MODELS, RECONCILE_APPLY, RECONCILE_GRACE_PERIOD, RECONCILE_MAX_RETIREMENTS,
            RECONCILE_MAX_RETIREMENT_SHARE, RECONCILE_QUERIES_PER_MINUTE, RECONCILE_REGISTRY_READS_PER_MINUTE,
            RECONCILE_PARALLELISM);

    private static final String PREFIX = "DPSTWIN_";
    private static final Duration MIN_GRACE_PERIOD = Duration.ofSeconds(10);

    /** Which Azure Identity credential the app uses. */
    public enum CredentialKind {
        /** {@code DefaultAzureCredential}: managed identity in Azure, developer credentials locally. */
        DEFAULT,
        /** {@code ManagedIdentityCredential} only: system-assigned, or user-assigned with {@value #AZURE_CLIENT_ID}. */
        MANAGED_IDENTITY
    }

    /** The hub selection policy of the allocation webhook. */
    public enum HubSelection {
        /** The first linked hub (the reference behaviour). */
        FIRST,
        /** Consistent (rendezvous) hashing of the registration id over the linked hubs. */
        HASHING,
        /** Weighted rendezvous hashing with {@value #HUB_WEIGHTS}. */
        WEIGHTED
    }

    /** The retirement policy of the lifecycle flow. */
    public enum Retirement {
        /** Delete the twin's relationships, then the twin. */
        DELETE,
        /** Delete the twin's relationships, keep the twin. */
        DETACH
    }

    private final String adtServiceUrl;
    private final CredentialKind credential;
    private final String managedIdentityClientId;
    private final String defaultModel;
    private final String twinIdPrefix;
    private final List<String> allowedModels;
    private final HubSelection hubSelection;
    private final boolean hubSticky;
    private final Map<String, Double> hubWeights;
    private final ModelMismatchPolicy modelMismatch;
    private final String placementPayloadField;
    private final String placementRelationship;
    private final MissingParentPolicy placementMissingParent;
    private final boolean payloadTwinId;
    private final boolean mergeEnrollmentInitialTwin;
    private final boolean acceptUppercaseRegistrationIds;
    private final List<String> servedHubs;
    private final Retirement retirement;
    private final boolean createDeviceIdentity;
    private final int parallelism;
    private final Duration eventBudget;
    private final int maxAttempts;
    private final List<String> registryGuardHubs;
    private final List<String> registryGuardConnectionStrings;
    private final AdtRateLimits rateLimits;
    private final List<String> reconcileHubs;
    private final List<String> reconcileConnectionStrings;
    private final List<String> reconcileDeviceModels;
    private final boolean reconcileApply;
    private final Duration reconcileGracePeriod;
    private final int reconcileMaxRetirements;
    private final double reconcileMaxRetirementShare;
    private final int reconcileQueriesPerMinute;
    private final int reconcileRegistryReadsPerMinute;
    private final int reconcileParallelism;
    private final Set<String> unknownSettings;

    private FunctionsSettings(SettingsReader r) {
        this.adtServiceUrl = r.httpsUrl(ADT_SERVICE_URL);
        this.managedIdentityClientId = r.guid(AZURE_CLIENT_ID);
        this.credential = r.choice(CREDENTIAL, CredentialKind.class, CredentialKind.DEFAULT);
        this.defaultModel = r.dtmi(DEFAULT_MODEL);
        this.twinIdPrefix = r.twinIdPrefix(TWIN_ID_PREFIX);
        this.allowedModels = r.dtmiList(ALLOWED_MODELS);
        this.hubSelection = r.choice(HUB_SELECTION, HubSelection.class, HubSelection.FIRST);
        this.hubSticky = r.bool(HUB_STICKY, false);
        this.hubWeights = r.weights(HUB_WEIGHTS);
        if (hubSelection == HubSelection.WEIGHTED && hubWeights.isEmpty() && !r.failed(HUB_WEIGHTS)) {
            r.problem(HUB_WEIGHTS, HUB_WEIGHTS + " is missing: " + HUB_SELECTION
                    + "=weighted needs weights, e.g. hub-a.azure-devices.net=2,hub-b.azure-devices.net=1");
        } else if (hubSelection != HubSelection.WEIGHTED && !hubWeights.isEmpty()) {
            r.problem(HUB_WEIGHTS, HUB_WEIGHTS + " is set but " + HUB_SELECTION + " is "
                    + hubSelection.name().toLowerCase(Locale.ROOT) + "; set " + HUB_SELECTION
                    + "=weighted or remove the weights");
        }
        this.modelMismatch = r.choice(MODEL_MISMATCH, ModelMismatchPolicy.class, ModelMismatchPolicy.REJECT);
        this.placementPayloadField = r.payloadField(PLACEMENT_PAYLOAD_FIELD);
        this.placementRelationship = r.relationshipName(PLACEMENT_RELATIONSHIP);
        this.placementMissingParent = r.choice(PLACEMENT_MISSING_PARENT, MissingParentPolicy.class,
                MissingParentPolicy.REJECT);
        if (placementPayloadField == null) {
            for (String placementSetting : List.of(PLACEMENT_RELATIONSHIP, PLACEMENT_MISSING_PARENT)) {
                if (r.isSet(placementSetting)) {
                    r.problem(placementSetting, placementSetting + " is set but " + PLACEMENT_PAYLOAD_FIELD
                            + " is not; placement needs the payload field that names the parent twin");
                }
            }
        }
        this.payloadTwinId = r.bool(PAYLOAD_TWIN_ID, false);
        this.mergeEnrollmentInitialTwin = r.bool(MERGE_ENROLLMENT_INITIAL_TWIN, true);
        this.acceptUppercaseRegistrationIds = r.bool(ACCEPT_UPPERCASE_REGISTRATION_IDS, false);
        this.servedHubs = r.hubNames(SERVED_HUBS);
        this.retirement = r.choice(RETIREMENT_POLICY, Retirement.class, Retirement.DELETE);
        this.createDeviceIdentity = r.bool(CREATE_DEVICE_IDENTITY, true);
        this.parallelism = r.integer(PARALLELISM, LifecycleOptions.DEFAULT_PARALLELISM, 1, 256);
        this.eventBudget = r.duration(EVENT_BUDGET, LifecycleOptions.DEFAULT_EVENT_BUDGET);
        this.maxAttempts = r.integer(MAX_ATTEMPTS, LifecycleOptions.DEFAULT_MAX_ATTEMPTS, 1, 1000);
        this.registryGuardHubs = r.hostNames(REGISTRY_GUARD_HUBS);
        this.registryGuardConnectionStrings = r.connectionStrings(REGISTRY_GUARD_CONNECTION_STRINGS);
        if (!registryGuardHubs.isEmpty() && !registryGuardConnectionStrings.isEmpty()) {
            r.problem(REGISTRY_GUARD_CONNECTION_STRINGS, "set " + REGISTRY_GUARD_HUBS + " (with the app's "
                    + "credential) or " + REGISTRY_GUARD_CONNECTION_STRINGS + ", not both");
        }
        boolean limitsOn = r.bool(RATE_LIMITS_ENABLED, true);
        AdtRateLimits defaults = AdtRateLimits.defaults();
        AdtRateLimits.Builder limits = defaults.toBuilder()
                .createDeletesPerSecond(r.integer(RATE_LIMIT_CREATE_DELETES, defaults.createDeletesPerSecond(), 1,
                        1_000_000))
                .perTwinWritesPerSecond(r.integer(RATE_LIMIT_PER_TWIN_WRITES, defaults.perTwinWritesPerSecond(), 1,
                        1_000_000))
                .patchesPerSecond(r.integer(RATE_LIMIT_PATCHES, defaults.patchesPerSecond(), 1, 1_000_000))
                .readsPerSecond(r.integer(RATE_LIMIT_READS, defaults.readsPerSecond(), 1, 1_000_000))
                .queriesPerSecond(r.integer(RATE_LIMIT_QUERIES, defaults.queriesPerSecond(), 1, 1_000_000));
        if (!limitsOn) {
            for (String limit : List.of(RATE_LIMIT_CREATE_DELETES, RATE_LIMIT_PER_TWIN_WRITES, RATE_LIMIT_PATCHES,
                    RATE_LIMIT_READS, RATE_LIMIT_QUERIES)) {
                if (r.isSet(limit)) {
                    r.problem(limit, limit + " is set but " + RATE_LIMITS_ENABLED + " is false");
                }
            }
        }
        this.rateLimits = limitsOn ? limits.build() : null;

        this.reconcileHubs = r.hostNames(RECONCILE_HUBS);
        this.reconcileConnectionStrings = r.connectionStrings(RECONCILE_CONNECTION_STRINGS);
        if (!reconcileHubs.isEmpty() && !reconcileConnectionStrings.isEmpty()) {
            r.problem(RECONCILE_CONNECTION_STRINGS, "set " + RECONCILE_HUBS + " (with the app's credential) or "
                    + RECONCILE_CONNECTION_STRINGS + ", not both");
        }
        this.reconcileDeviceModels = r.dtmiList(RECONCILE_DEVICE_MODELS);
        boolean reconcileOn = r.isSet(RECONCILE_HUBS) || r.isSet(RECONCILE_CONNECTION_STRINGS);
        if (reconcileOn && reconcileDeviceModels.isEmpty() && defaultModel == null
                && !r.failed(RECONCILE_DEVICE_MODELS) && !r.failed(DEFAULT_MODEL)) {
            r.problem(RECONCILE_DEVICE_MODELS, RECONCILE_DEVICE_MODELS + " is missing: the reconciler needs the "
                    + "models whose twins mirror devices, e.g. dtmi:com:example:Thermostat;1 (or set "
                    + DEFAULT_MODEL + ")");
        }
        this.reconcileApply = r.bool(RECONCILE_APPLY, false);
        Duration grace = r.duration(RECONCILE_GRACE_PERIOD, ReconcileOptions.DEFAULT_GRACE_PERIOD);
        if (grace.compareTo(MIN_GRACE_PERIOD) < 0) {
            r.problem(RECONCILE_GRACE_PERIOD, RECONCILE_GRACE_PERIOD + " is invalid: expected at least 10 seconds "
                    + "(ADT's query index lags writes by up to 10 s), got " + SettingsReader.shown(
                    RECONCILE_GRACE_PERIOD, String.valueOf(r.raw(RECONCILE_GRACE_PERIOD))));
            grace = ReconcileOptions.DEFAULT_GRACE_PERIOD;
        }
        this.reconcileGracePeriod = grace;
        this.reconcileMaxRetirements = r.integer(RECONCILE_MAX_RETIREMENTS,
                ReconcileOptions.DEFAULT_MAX_RETIREMENTS, 0, 1_000_000);
        this.reconcileMaxRetirementShare = r.fraction(RECONCILE_MAX_RETIREMENT_SHARE,
                ReconcileOptions.DEFAULT_MAX_RETIREMENT_SHARE);
        this.reconcileQueriesPerMinute = r.integer(RECONCILE_QUERIES_PER_MINUTE,
                ReconcileOptions.DEFAULT_QUERIES_PER_MINUTE, 1, 1_000_000);
        this.reconcileRegistryReadsPerMinute = r.integer(RECONCILE_REGISTRY_READS_PER_MINUTE,
                ReconcileOptions.DEFAULT_REGISTRY_READS_PER_MINUTE, 1, 1_000_000);
        this.reconcileParallelism = r.integer(RECONCILE_PARALLELISM, ReconcileOptions.DEFAULT_PARALLELISM, 1, 64);

        this.unknownSettings = unknown(r.names());
        r.throwIfProblems();
    }

    /** Reads the settings of this process (its environment variables, which carry the app settings). */
    public static FunctionsSettings fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * Reads the settings from a map of app settings; blank values count as unset.
     *
     * @throws FunctionsSettingsException naming every missing or invalid setting
     */
    public static FunctionsSettings from(Map<String, String> settings) {
        return new FunctionsSettings(new SettingsReader(Objects.requireNonNull(settings, "settings")));
    }

    private static Set<String> unknown(Set<String> names) {
        Set<String> unknown = new TreeSet<>();
        for (String name : names) {
            if (name.startsWith(PREFIX) && !KNOWN_DPSTWIN_SETTINGS.contains(name)) {
                unknown.add(name);
            }
        }
        return Set.copyOf(unknown);
    }

    // ---------------------------------------------------------------- derived options

    /** The twin id strategy both flows use: the device id, or {@value #TWIN_ID_PREFIX} + the device id. */
    public TwinIdStrategy twinIdStrategy() {
        return twinIdPrefix.isEmpty() ? TwinIdStrategy.deviceId() : TwinIdStrategy.prefixed(twinIdPrefix);
    }

    /** The options of the allocation webhook these settings describe. */
    public AllocationOptions allocationOptions() {
        HubSelectionPolicy policy = switch (hubSelection) {
            case FIRST -> HubSelectionPolicy.firstLinkedHub();
            case HASHING -> HubSelectionPolicy.consistentHashing();
            case WEIGHTED -> HubSelectionPolicy.weighted(hubWeights);
        };
        AllocationOptions.Builder options = AllocationOptions.builder()
                .hubSelection(hubSticky ? HubSelectionPolicy.sticky(policy) : policy)
                .twinIdStrategy(twinIdStrategy())
                .modelMismatchPolicy(modelMismatch)
                .returnTwinIdInPayload(payloadTwinId)
                .mergeEnrollmentInitialTwin(mergeEnrollmentInitialTwin)
                .acceptUppercaseRegistrationIds(acceptUppercaseRegistrationIds);
        if (defaultModel != null) {
            options.defaultModel(defaultModel);
        }
        if (!allowedModels.isEmpty()) {
            options.allowedModels(allowedModels);
        }
        if (placementPayloadField != null) {
            options.placement(Placement.under(ParentTwinResolver.payloadField(placementPayloadField))
                    .withRelationshipName(placementRelationship)
                    .withMissingParentPolicy(placementMissingParent));
        }
        return options.build();
    }

    /**
     * The options of the lifecycle flow these settings describe.
     *
     * @param credential the app's credential, used by the registry guard when {@value #REGISTRY_GUARD_HUBS} is set
     */
    public LifecycleOptions lifecycleOptions(TokenCredential credential) {
        LifecycleOptions.Builder options = LifecycleOptions.builder()
                .retirementPolicy(retirement == Retirement.DETACH ? RetirementPolicy.DETACH : RetirementPolicy.DELETE)
                .createDeviceIdentity(createDeviceIdentity)
                .servedHubs(servedHubs)
                .twinIdStrategy(twinIdStrategy())
                .defaultModelId(defaultModel)
                .parallelism(parallelism)
                .eventBudget(eventBudget)
                .maxAttempts(maxAttempts);
        if (!registryGuardHubs.isEmpty()) {
            options.deviceRegistry(IotHubDeviceRegistry.fromCredential(registryGuardHubs,
                    Objects.requireNonNull(credential, "credential")));
        } else if (!registryGuardConnectionStrings.isEmpty()) {
            options.deviceRegistry(IotHubDeviceRegistry.fromConnectionStrings(registryGuardConnectionStrings));
        }
        return options.build();
    }

    /**
     * Whether the reconciler is configured: {@value #RECONCILE_HUBS} or {@value #RECONCILE_CONNECTION_STRINGS} is
     * set. Without it, the app has no reconciler and the reconcile timer only logs a warning.
     */
    public boolean reconcileEnabled() {
        return !reconcileHubs.isEmpty() || !reconcileConnectionStrings.isEmpty();
    }

    /**
     * The device inventory the reconciler lists, when {@link #reconcileEnabled()}: the hubs of
     * {@value #RECONCILE_HUBS} with {@code credential}, or those of {@value #RECONCILE_CONNECTION_STRINGS}. Builds
     * one query client per hub; does no I/O.
     *
     * @param credential the app's credential, needed when {@value #RECONCILE_HUBS} is set
     */
    public Optional<DeviceInventory> deviceInventory(TokenCredential credential) {
        if (!reconcileHubs.isEmpty()) {
            return Optional.of(IotHubDeviceInventory.fromCredential(reconcileHubs,
                    Objects.requireNonNull(credential, "credential")));
        }
        if (!reconcileConnectionStrings.isEmpty()) {
            return Optional.of(IotHubDeviceInventory.fromConnectionStrings(reconcileConnectionStrings));
        }
        return Optional.empty();
    }

    /**
     * The reconciler's options these settings describe: the device models, the grace window, the safety limits and
     * the pacing, the twin id prefix and its inverse (for the registry guard). {@code DpsTwin} adds the default
     * model, the retirement policy and the retire flow's registry guard. When the retire flow has no guard
     * ({@value #REGISTRY_GUARD_HUBS} and {@value #REGISTRY_GUARD_CONNECTION_STRINGS} unset), the reconciled hubs
     * themselves guard each retirement.
     *
     * @param credential the app's credential, used by that guard when {@value #RECONCILE_HUBS} is set
     */
    public ReconcileOptions reconcileOptions(TokenCredential credential) {
        ReconcileOptions.Builder options = ReconcileOptions.builder()
                .deviceModels(reconcileDeviceModels)
                .twinIdStrategy(twinIdStrategy())
                .gracePeriod(reconcileGracePeriod)
                .maxRetirements(reconcileMaxRetirements)
                .maxRetirementShare(reconcileMaxRetirementShare)
                .queriesPerMinute(reconcileQueriesPerMinute)
                .registryReadsPerMinute(reconcileRegistryReadsPerMinute)
                .parallelism(reconcileParallelism);
        if (registryGuardHubs.isEmpty() && registryGuardConnectionStrings.isEmpty()) {
            reconcileGuard(credential).ifPresent(options::registryGuard);
        }
        return options.build();
    }

    private Optional<DeviceRegistry> reconcileGuard(TokenCredential credential) {
        if (!reconcileHubs.isEmpty()) {
            return Optional.of(IotHubDeviceRegistry.fromCredential(reconcileHubs,
                    Objects.requireNonNull(credential, "credential")));
        }
        if (!reconcileConnectionStrings.isEmpty()) {
            return Optional.of(IotHubDeviceRegistry.fromConnectionStrings(reconcileConnectionStrings));
        }
        return Optional.empty();
    }

    /** {@value #RECONCILE_APPLY}: whether the reconcile timer repairs drift (else it only reports it). */
    public boolean reconcileApply() {
        return reconcileApply;
    }

    /** Hubs the reconciler lists with the app's credential; empty when none. */
    public List<String> reconcileHubs() {
        return reconcileHubs;
    }

    /** Whether the reconciler lists hubs by connection strings (their values are never exposed). */
    public boolean reconcileUsesConnectionStrings() {
        return !reconcileConnectionStrings.isEmpty();
    }

    /** {@value #RECONCILE_DEVICE_MODELS} as configured (without the default model). */
    public List<String> reconcileDeviceModels() {
        return reconcileDeviceModels;
    }

    /** The client-side ADT rate limits, or empty when {@value #RATE_LIMITS_ENABLED} is false. */
    public Optional<AdtRateLimits> rateLimits() {
        return Optional.ofNullable(rateLimits);
    }

    // ---------------------------------------------------------------- plain values

    /** {@value #ADT_SERVICE_URL}, without a trailing slash. */
    public String adtServiceUrl() {
        return adtServiceUrl;
    }

    public CredentialKind credential() {
        return credential;
    }

    /** {@value #AZURE_CLIENT_ID}: the client id of a user-assigned managed identity. */
    public Optional<String> managedIdentityClientId() {
        return Optional.ofNullable(managedIdentityClientId);
    }

    public Optional<String> defaultModel() {
        return Optional.ofNullable(defaultModel);
    }

    /** The twin id prefix; empty for none. */
    public String twinIdPrefix() {
        return twinIdPrefix;
    }

    public List<String> allowedModels() {
        return allowedModels;
    }

    public HubSelection hubSelection() {
        return hubSelection;
    }

    public boolean hubSticky() {
        return hubSticky;
    }

    /** Weights by hub host name, as configured. */
    public Map<String, Double> hubWeights() {
        return hubWeights;
    }

    public ModelMismatchPolicy modelMismatch() {
        return modelMismatch;
    }

    /** The payload field naming the parent twin; empty when placement is off. */
    public Optional<String> placementPayloadField() {
        return Optional.ofNullable(placementPayloadField);
    }

    public String placementRelationship() {
        return placementRelationship;
    }

    public MissingParentPolicy placementMissingParent() {
        return placementMissingParent;
    }

    public boolean payloadTwinId() {
        return payloadTwinId;
    }

    public boolean mergeEnrollmentInitialTwin() {
        return mergeEnrollmentInitialTwin;
    }

    public boolean acceptUppercaseRegistrationIds() {
        return acceptUppercaseRegistrationIds;
    }

    /** Served hubs as configured; empty means every hub. */
    public List<String> servedHubs() {
        return servedHubs;
    }

    public Retirement retirement() {
        return retirement;
    }

    public boolean createDeviceIdentity() {
        return createDeviceIdentity;
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

    /** Hubs the registry guard asks with the app's credential; empty when none. */
    public List<String> registryGuardHubs() {
        return registryGuardHubs;
    }

    /** Whether the registry guard uses connection strings (their values are never exposed). */
    public boolean registryGuardUsesConnectionStrings() {
        return !registryGuardConnectionStrings.isEmpty();
    }

    /** {@code DPSTWIN_*} settings this version does not know (likely typos); the factory logs them as a warning. */
    public Set<String> unknownSettings() {
        return unknownSettings;
    }

    @Override
    public String toString() {
        return "FunctionsSettings[adtServiceUrl=" + adtServiceUrl + ", credential=" + credential
                + ", managedIdentityClientId=" + (managedIdentityClientId == null ? "none" : "set")
                + ", defaultModel=" + defaultModel + ", twinIdPrefix='" + twinIdPrefix + "'"
                + ", allowedModels=" + allowedModels + ", hubSelection=" + hubSelection + ", hubSticky=" + hubSticky
                + ", hubWeights=" + hubWeights + ", modelMismatch=" + modelMismatch
                + ", placement=" + (placementPayloadField == null ? "off" : placementPayloadField + "/"
                + placementRelationship + "/" + placementMissingParent)
                + ", payloadTwinId=" + payloadTwinId + ", mergeEnrollmentInitialTwin=" + mergeEnrollmentInitialTwin
                + ", acceptUppercaseRegistrationIds=" + acceptUppercaseRegistrationIds
                + ", servedHubs=" + servedHubs + ", retirement=" + retirement
                + ", createDeviceIdentity=" + createDeviceIdentity + ", parallelism=" + parallelism
                + ", eventBudget=" + eventBudget + ", maxAttempts=" + maxAttempts
                + ", registryGuard=" + (registryGuardHubs.isEmpty()
                ? (registryGuardConnectionStrings.isEmpty() ? "off"
                : registryGuardConnectionStrings.size() + " connection strings (not shown)")
                : registryGuardHubs)
                + ", rateLimits=" + (rateLimits == null ? "off" : rateLimits)
                + ", reconcile=" + (reconcileEnabled() ? (reconcileHubs.isEmpty()
                ? reconcileConnectionStrings.size() + " connection strings (not shown)" : reconcileHubs)
                + "/" + (reconcileApply ? "apply" : "dry-run") + "/models=" + reconcileDeviceModels
                + "/grace=" + reconcileGracePeriod + "/maxRetirements=" + reconcileMaxRetirements
                + "/maxRetirementShare=" + reconcileMaxRetirementShare
                + "/queriesPerMinute=" + reconcileQueriesPerMinute
                + "/registryReadsPerMinute=" + reconcileRegistryReadsPerMinute
                + "/parallelism=" + reconcileParallelism : "off") + "]";
    }
}
