package io.dpstwin.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dpstwin.core.config.Setting.of;
import static io.dpstwin.core.config.SettingType.*;

/**
 * Every option of dps-twin, declared once. Spring binds these names, a Functions app reads their environment form
 * ({@code dps-twin.allocation.default-model} = {@code DPSTWIN_ALLOCATION_DEFAULTMODEL}), {@link CoreOptions} maps
 * them to core's options, and {@code docs/configuration.md} and the Spring metadata are generated from them. To add
 * an option: declare it here, in its section, and use it in {@link CoreOptions} (see CONTRIBUTING.md).
 */
public final class DpsTwinSettings {

    private static final int MANY = 1_000_000;

    /** Filled in the order of the declarations below, each setting into the section declared before it. */
    private static final List<Section> SECTIONS = new ArrayList<>();

    private DpsTwinSettings() {
    }

    private static void section(String title) {
        SECTIONS.add(new Section(title, new ArrayList<>()));
    }

    private static <T> Setting<T> add(Setting<T> setting) {
        SECTIONS.get(SECTIONS.size() - 1).settings().add(setting);
        return setting;
    }

    /** A titled group of settings: one table of the docs, whose introduction is written there. */
    public record Section(String title, List<Setting<?>> settings) {
    }

    static { section("General and credential"); }
    public static final Setting<Boolean> ENABLED = add(of("dps-twin.enabled", bool(), true,
            "Whether the dps-twin auto-configuration is active at all.").springOnly());
    public static final Setting<String> CREDENTIAL_KIND = add(of("dps-twin.credential.kind",
            choice("default", "managed-identity"), "default", "The credential used when the application brings none: "
                    + "default (DefaultAzureCredential: managed identity in Azure, developer sign-ins locally) or "
                    + "managed-identity (ManagedIdentityCredential only).").renamedFrom("DPSTWIN_CREDENTIAL"));
    public static final Setting<String> CREDENTIAL_CLIENT_ID = add(of(
            "dps-twin.credential.managed-identity-client-id", guid(), null, "Client id of a user-assigned managed "
                    + "identity; empty for the system-assigned identity or developer credentials.")
            .alias("AZURE_CLIENT_ID").secret());
    public static final Setting<String> CREDENTIAL_TENANT_ID = add(of("dps-twin.credential.tenant-id", text(),
            null, "Tenant of the DefaultAzureCredential; empty for the credential's own default."));

    static { section("Azure Digital Twins client, rate limits and retries"); }
    public static final Setting<String> ADT_ENDPOINT = add(of("dps-twin.digital-twins.endpoint", httpsUrl(), null,
            "The instance's URL, e.g. https://my-instance.api.weu.digitaltwins.azure.net. Required (Spring: unless "
                    + "the application defines its own DigitalTwinsClient or DigitalTwinsGateway bean).")
            .alias("ADT_SERVICE_URL").defaultText("**required**"));
    public static final Setting<Duration> ADT_REQUEST_TIMEOUT = add(of("dps-twin.digital-twins.request-timeout",
            duration(), Duration.ofSeconds(30), "Bound on waiting for an answer and on each pause while reading it."));
    public static final Setting<Duration> ADT_CONNECT_TIMEOUT = add(of("dps-twin.digital-twins.connect-timeout",
            duration(), Duration.ofSeconds(10), "Bound on opening a connection."));
    private static final String LIMITS = "dps-twin.digital-twins.rate-limits.";
    public static final Setting<Boolean> RATE_LIMITS_ENABLED = add(of(LIMITS + "enabled", bool(), true,
            "Whether dps-twin keeps to the limits below (turn off only for an instance with raised limits).")
            .renamedFrom("DPSTWIN_RATE_LIMITS_ENABLED"));
    public static final Setting<String> RATE_LIMITS_MODE = add(of(LIMITS + "mode", choice("static", "adaptive"),
            "static", "static: each process keeps the limits below as they are, whatever ADT answers. adaptive "
                    + "(opt-in; use it when several replicas or instances share one ADT instance): the "
                    + "instance-wide limits below are ceilings; each process paces its requests, lowers its rate to "
                    + "what ADT accepted on its 429s and probes back up, so that replicas share the instance without "
                    + "dividing the limits by hand. The per-twin limit is strict in both."));
    public static final Setting<Integer> PER_TWIN_WRITES = add(of(LIMITS + "per-twin-writes-per-second",
            integer(1, MANY), 10, "Writes per second to one twin, its relationships included (ADT: 10, not "
                    + "adjustable).").renamedFrom("DPSTWIN_RATE_LIMIT_PER_TWIN_WRITES_PER_SECOND"));
    public static final Setting<Integer> CREATE_DELETES = add(of(LIMITS + "create-deletes-per-second",
            integer(1, MANY), 500, "Creates and deletes of twins and relationships per second, instance-wide (ADT: "
                    + "500).").renamedFrom("DPSTWIN_RATE_LIMIT_CREATE_DELETES_PER_SECOND"));
    public static final Setting<Integer> PATCHES = add(of(LIMITS + "patches-per-second", integer(1, MANY), 1000,
            "Twin updates per second (ADT: 1000).").renamedFrom("DPSTWIN_RATE_LIMIT_PATCHES_PER_SECOND"));
    public static final Setting<Integer> READS = add(of(LIMITS + "reads-per-second", integer(1, MANY), 1000,
            "Reads and lists per second (ADT: 1000).").renamedFrom("DPSTWIN_RATE_LIMIT_READS_PER_SECOND"));
    public static final Setting<Integer> QUERIES = add(of(LIMITS + "queries-per-second", integer(1, MANY), 500,
            "Query pages per second (ADT: 500).").renamedFrom("DPSTWIN_RATE_LIMIT_QUERIES_PER_SECOND"));
    public static final Setting<Integer> MODEL_REQUESTS = add(of(LIMITS + "model-requests-per-second",
            integer(1, MANY), 100, "Model uploads and reads per second (ADT: 100)."));
    public static final Setting<Duration> LIMITS_MAX_WAIT = add(of(LIMITS + "max-wait", durationOrZero(),
            Duration.ofSeconds(2), "How long a call waits for a permit before failing with a transient 429."));
    public static final Setting<Integer> MAX_TRACKED_TWINS = add(of(LIMITS + "max-tracked-twins",
            integer(1, Integer.MAX_VALUE), 100_000, "How many twins' write limiters are kept at most."));
    public static final Setting<Boolean> SHARE_BETWEEN_INSTANCES = add(of(LIMITS + "share-between-instances",
            bool(), true, "Whether the instances that register in one storage container divide the instance-wide "
                    + "limits among themselves, each keeping limit / live instances (the per-twin limit is not "
                    + "divided). They register in the instance-registry container; Spring: else in the Event Hubs "
                    + "checkpoint container. Without a container each instance keeps the whole limits."));
    public static final Setting<Duration> INSTANCE_HEARTBEAT = add(of(LIMITS + "instance-heartbeat", duration(),
            Duration.ofSeconds(5), "How often an instance renews its registration, at least 100ms; an instance "
                    + "counts until three heartbeats after its last one."));
    private static final String REGISTRY = LIMITS + "instance-registry.";
    public static final Setting<String> INSTANCE_REGISTRY_URL = add(of(REGISTRY + "container-url", text(), null,
            "The blob container the instances register in, e.g. https://myaccount.blob.core.windows.net/dps-twin, "
                    + "reached with the credential (Spring: the checkpoint container when neither this nor "
                    + "connection-string is set)."));
    public static final Setting<String> INSTANCE_REGISTRY_CONNECTION_STRING = add(of(REGISTRY + "connection-string",
            text(), null, "Storage account connection string instead of the credential; a secret, never logged.")
            .secret());
    public static final Setting<String> INSTANCE_REGISTRY_CONTAINER = add(of(REGISTRY + "container-name", text(),
            null, "The container name, with connection-string."));
    private static final String RETRY = "dps-twin.digital-twins.allocation-retry.";
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = add(of(RETRY + "max-attempts", integer(1, 100), 3,
            "Attempts per ADT call of the allocation webhook, the first included."));
    public static final Setting<Duration> RETRY_MAX_TOTAL_TIME = add(of(RETRY + "max-total-time", durationOrZero(),
            Duration.ofSeconds(5), "Time per ADT call after which no further attempt starts."));
    public static final Setting<Duration> RETRY_INITIAL_BACKOFF = add(of(RETRY + "initial-backoff", duration(),
            Duration.ofMillis(200), "Backoff before the first retry when ADT sent no Retry-After; doubles per retry, "
                    + "with jitter."));
    public static final Setting<Duration> RETRY_MAX_BACKOFF = add(of(RETRY + "max-backoff", duration(),
            Duration.ofSeconds(1), "Upper bound of the backoff."));
    public static final Setting<Duration> RETRY_MAX_RETRY_AFTER = add(of(RETRY + "max-retry-after", durationOrZero(),
            Duration.ofSeconds(2), "Upper bound of a wait ADT asks for with Retry-After."));

    static { section("Allocation (provision flow)"); }
    private static final String ALLOC = "dps-twin.allocation.";
    public static final Setting<String> DEFAULT_MODEL = add(of(ALLOC + "default-model", dtmi(), null,
            "The model (DTMI) of devices that name none in their payload and have no enrollment default; also the "
                    + "model of twins created for createDeviceIdentity events unless dps-twin.lifecycle.default-model "
                    + "is set.").renamedFrom("DPSTWIN_DEFAULT_MODEL"));
    public static final Setting<String> MODEL_ID_PAYLOAD_FIELD = add(of(ALLOC + "model-id-payload-field", field(),
            "modelId", "The payload field the device names its model in (IoT Plug and Play: modelId)."));
    public static final Setting<List<String>> ALLOWED_MODELS = add(of(ALLOC + "allowed-models", list(dtmi()),
            List.of(), "The only models accepted for devices of enrollments without an allow-list of their own.")
            .defaultText("any model").renamedFrom("DPSTWIN_ALLOWED_MODELS"));
    public static final Setting<Map<String, Map<String, String>>> ENROLLMENT_GROUPS = add(of(
            ALLOC + "enrollment-groups", keyed("default-model", "allowed-models", "parent-twin-id"), Map.of(),
            "Per enrollment group (key: enrollmentGroupId, in brackets when it contains dots): default-model, "
                    + "allowed-models and parent-twin-id.").springOnly().defaultText("none"));
    public static final Setting<Map<String, Map<String, String>>> INDIVIDUAL_ENROLLMENTS = add(of(
            ALLOC + "individual-enrollments", keyed("default-model", "allowed-models", "parent-twin-id"), Map.of(),
            "Per individual enrollment (key: registrationId, in brackets when it contains dots): default-model, "
                    + "allowed-models and parent-twin-id.").springOnly().defaultText("none"));
    public static final Setting<String> HUB_POLICY = add(of(ALLOC + "hub-selection.policy",
            choice("first", "consistent-hash", "weighted"), "first", "How the IoT hub is chosen among the request's "
                    + "linkedHubs: first (the reference behaviour), consistent-hash (rendezvous hashing of the "
                    + "registration id) or weighted (see weights).").renamedFrom("DPSTWIN_HUB_SELECTION"));
    public static final Setting<Boolean> HUB_STICKY = add(of(ALLOC + "hub-selection.sticky", bool(), false,
            "Whether a re-registering device stays on its current hub while that hub is linked; first registrations "
                    + "and devices of unlinked hubs follow the policy.").renamedFrom("DPSTWIN_HUB_STICKY"));
    public static final Setting<List<Map.Entry<String, Double>>> HUB_WEIGHTS = add(of(
            ALLOC + "hub-selection.weights", list(weight()), List.of(), "Hub weights of the weighted policy, e.g. "
                    + "hub-a.azure-devices.net=2,hub-b.azure-devices.net=1; unlisted hubs weigh 1, 0 drains a hub. "
                    + "Required with weighted, refused otherwise.").defaultText("none")
            .renamedFrom("DPSTWIN_HUB_WEIGHTS"));
    public static final Setting<Map<String, Object>> INITIAL_PROPERTIES = add(of(ALLOC + "initial-properties",
            json(), null, "Properties of NEW twins per model, as a JSON object keyed by model, e.g. "
                    + "{\"dtmi:com:example:Thermostat;1\":{\"Temperature\":0.0}}; they must conform to the model."));
    public static final Setting<Map<String, Object>> INITIAL_TWIN_TAGS = add(of(ALLOC + "initial-twin-tags",
            json(), null, "Extra tags in the answer's initialTwin, as a JSON object (dtId and dtmi are set by the "
                    + "allocation itself)."));
    public static final Setting<Map<String, Object>> INITIAL_TWIN_DESIRED = add(of(
            ALLOC + "initial-twin-desired-properties", json(), null, "Desired properties in the answer's "
                    + "initialTwin, as a JSON object."));
    public static final Setting<Boolean> MERGE_ENROLLMENT_INITIAL_TWIN = add(of(
            ALLOC + "merge-enrollment-initial-twin", bool(), true, "Whether the answer's initialTwin is deep-merged "
                    + "over the enrollment's own (ours win) or replaces it.")
            .renamedFrom("DPSTWIN_MERGE_ENROLLMENT_INITIAL_TWIN"));
    public static final Setting<String> TWIN_ID_PREFIX = add(of(ALLOC + "twin-id-prefix", twinIdPrefix(), "",
            "Twin id = this prefix + device id (both flows); empty for twin id = device id.")
            .renamedFrom("DPSTWIN_TWIN_ID_PREFIX"));
    public static final Setting<String> MODEL_MISMATCH = add(of(ALLOC + "model-mismatch-policy",
            choice("reject", "keep", "migrate"), "reject", "What to do with an existing twin of another model: reject "
                    + "(400, twin unchanged), keep (keep the twin and its model) or migrate (change its model).")
            .renamedFrom("DPSTWIN_MODEL_MISMATCH"));
    public static final Setting<Boolean> PLACEMENT_ENABLED = add(of(ALLOC + "placement.enabled", bool(), false,
            "Whether device twins are placed under a parent twin; the parent comes from parent-payload-field or an "
                    + "enrollment's parent-twin-id.").renamedFrom("DPSTWIN_PLACEMENT_PAYLOAD_FIELD"));
    public static final Setting<String> PLACEMENT_FIELD = add(of(ALLOC + "placement.parent-payload-field",
            field(), "parentTwinId", "The payload field naming the parent twin.")
            .renamedFrom("DPSTWIN_PLACEMENT_PAYLOAD_FIELD"));
    public static final Setting<String> PLACEMENT_RELATIONSHIP = add(of(ALLOC + "placement.relationship-name",
            text(), "contains", "The relationship name declared on the parent's model.")
            .renamedFrom("DPSTWIN_PLACEMENT_RELATIONSHIP"));
    public static final Setting<String> PLACEMENT_MISSING_PARENT = add(of(
            ALLOC + "placement.missing-parent-policy", choice("reject", "skip"), "reject", "What to do when the parent "
                    + "twin does not exist: reject (400, nothing written) or skip (allocate without placement).")
            .renamedFrom("DPSTWIN_PLACEMENT_MISSING_PARENT"));
    public static final Setting<Boolean> RETURN_TWIN_ID = add(of(ALLOC + "return-twin-id-in-payload", bool(),
            false, "Whether the answer's payload carries {\"twinId\": ...} for the device.")
            .renamedFrom("DPSTWIN_PAYLOAD_TWIN_ID"));
    public static final Setting<Boolean> ACCEPT_UPPERCASE_IDS = add(of(
            ALLOC + "accept-uppercase-registration-ids", bool(), false, "Whether registration ids with upper-case "
                    + "letters are accepted (off: DPS ids are case-insensitive).")
            .renamedFrom("DPSTWIN_ACCEPT_UPPERCASE_REGISTRATION_IDS"));
    public static final Setting<Integer> ALLOCATION_MAX_BODY = add(of(ALLOC + "max-body-size", size(), 96 * 1024,
            "Largest request body accepted; larger ones get 413 (DPS messages are at most 96 KB)."));

    static { section("Lifecycle (retire flow)"); }
    private static final String LIFE = "dps-twin.lifecycle.";
    public static final Setting<String> RETIREMENT_POLICY = add(of(LIFE + "retirement-policy",
            choice("delete", "detach"), "delete", "What happens to the twin of a deleted device: delete (every "
                    + "relationship, then the twin) or detach (every relationship, the twin is kept).")
            .renamedFrom("DPSTWIN_RETIREMENT_POLICY"));
    public static final Setting<Boolean> CREATE_DEVICE_IDENTITY = add(of(LIFE + "create-device-identity", bool(),
            true, "Whether createDeviceIdentity events ensure the device's twin exists.")
            .renamedFrom("DPSTWIN_CREATE_DEVICE_IDENTITY"));
    public static final Setting<String> LIFECYCLE_DEFAULT_MODEL = add(of(LIFE + "default-model", dtmi(), null,
            "The model of twins created for createDeviceIdentity events that name none.")
            .defaultText("`dps-twin.allocation.default-model`"));
    public static final Setting<List<String>> SERVED_HUBS = add(of(LIFE + "served-hubs", list(text()), List.of(),
            "Act only on events of these hubs (short or host names).").defaultText("every hub")
            .renamedFrom("DPSTWIN_SERVED_HUBS"));
    public static final Setting<Integer> LIFECYCLE_PARALLELISM = add(of(LIFE + "parallelism", integer(1, 256),
            16, "How many devices are processed at once (events of one device are always sequential).")
            .renamedFrom("DPSTWIN_PARALLELISM"));
    public static final Setting<Duration> EVENT_BUDGET = add(of(LIFE + "event-budget", duration(),
            Duration.ofSeconds(60), "How long one event may take, retries included, before it is dead-lettered.")
            .renamedFrom("DPSTWIN_EVENT_BUDGET"));
    public static final Setting<Integer> LIFECYCLE_MAX_ATTEMPTS = add(of(LIFE + "max-attempts", integer(1, MANY),
            30, "Attempts per event for transient failures, the first included.").renamedFrom("DPSTWIN_MAX_ATTEMPTS"));
    public static final Setting<Duration> BACKOFF_INITIAL = add(of(LIFE + "backoff.initial", duration(),
            Duration.ofMillis(200), "The first wait between attempts of an event (randomized, doubling; a longer "
                    + "Retry-After wins)."));
    public static final Setting<Duration> BACKOFF_MAX = add(of(LIFE + "backoff.max", duration(),
            Duration.ofSeconds(10), "The longest wait between attempts of an event."));
    public static final Setting<List<String>> GUARD_HOSTS = add(of(LIFE + "registry-guard.hub-host-names",
            list(hostName()), List.of(), "IoT hubs asked before a twin is retired (a device that still exists in one "
                    + "keeps its twin), reached with the credential.").defaultText("none (no guard)")
            .renamedFrom("DPSTWIN_REGISTRY_GUARD_HUBS"));
    public static final Setting<List<String>> GUARD_CONNECTION_STRINGS = add(of(
            LIFE + "registry-guard.connection-strings", list(text()), List.of(), "Shared access policy connection "
                    + "strings (registryRead) instead of hub-host-names; secrets, never logged.").secret()
            .defaultText("none").renamedFrom("DPSTWIN_REGISTRY_GUARD_CONNECTION_STRINGS"));
    static { section("Event Hubs consumer"); }
    private static final String EH = LIFE + "event-hubs.";
    public static final Setting<Boolean> EH_ENABLED = add(of(EH + "enabled", bool(), true,
            "Whether the Event Hubs consumer is created when configured (event-hub-name, namespace or "
                    + "connection-string set).").springOnly());
    public static final Setting<Boolean> EH_AUTO_STARTUP = add(of(EH + "auto-startup", bool(), true,
            "Whether the consumer starts with the application context (off: start the EventHubsProcessorLifecycle "
                    + "yourself).").springOnly());
    public static final Setting<String> EH_NAMESPACE = add(of(EH + "namespace", hostName(), null,
            "Fully qualified namespace, e.g. my-ns.servicebus.windows.net, reached with the credential.").springOnly());
    public static final Setting<String> EH_CONNECTION_STRING = add(of(EH + "connection-string", text(), null,
            "Namespace or event hub connection string instead of namespace + credential; a secret, never logged. "
                    + "Functions: the lifecycle trigger's connection, read by the host's binding "
                    + "(connection = \"EVENTHUB_CONNECTIONSTRING\").").secret().alias("EVENTHUB_CONNECTIONSTRING"));
    public static final Setting<String> EH_NAME = add(of(EH + "event-hub-name", text(), null, "The event hub IoT "
            + "Hub routes lifecycle events to. Functions: read by the trigger's binding "
            + "(eventHubName = \"%DPSTWIN_LIFECYCLE_EVENTHUBS_EVENTHUBNAME%\").").renamedFrom("DPSTWIN_EVENTHUB_NAME"));
    public static final Setting<String> EH_CONSUMER_GROUP = add(of(EH + "consumer-group", text(), "$Default",
            "The consumer group; give dps-twin one of its own.").springOnly());
    public static final Setting<Integer> EH_MAX_BATCH = add(of(EH + "max-batch-size", integer(1, 10_000), 100,
            "Most events handed over in one batch.").springOnly());
    public static final Setting<Duration> EH_MAX_WAIT = add(of(EH + "max-wait-time", duration(),
            Duration.ofSeconds(5), "Longest wait for a batch to fill before the events received so far are handed "
                    + "over.").springOnly());
    public static final Setting<String> EH_INITIAL_POSITION = add(of(EH + "initial-position",
            choice("earliest", "latest"), "earliest", "Where a partition without a checkpoint starts: earliest (no "
                    + "deletion is missed) or latest.").springOnly());
    public static final Setting<Duration> EH_LOAD_BALANCING = add(of(EH + "load-balancing-interval", duration(),
            Duration.ofSeconds(30), "How often the processor balances partitions and renews its ownership.")
            .springOnly());
    public static final Setting<Duration> EH_OWNERSHIP_EXPIRATION = add(of(EH + "ownership-expiration-interval",
            duration(), Duration.ofMinutes(2), "After how long without renewal a partition's ownership expires; a "
                    + "partition stopped after a failed event restarts from its checkpoint then.").springOnly());
    public static final Setting<String> CHECKPOINT_URL = add(of(EH + "checkpoint-store.container-url", text(), null,
            "The blob container of the checkpoints, e.g. https://myaccount.blob.core.windows.net/checkpoints, "
                    + "reached with the credential.").springOnly());
    public static final Setting<String> CHECKPOINT_CONNECTION_STRING = add(of(
            EH + "checkpoint-store.connection-string", text(), null, "Storage account connection string instead of "
                    + "the credential; a secret, never logged.").springOnly().secret());
    public static final Setting<String> CHECKPOINT_CONTAINER = add(of(EH + "checkpoint-store.container-name",
            text(), null, "The container name, with connection-string.").springOnly());

    static { section("Webhooks (Spring)"); }
    private static final String HOOK = "dps-twin.webhook.";
    public static final Setting<List<String>> WEBHOOK_KEYS = add(of(HOOK + "keys", list(text()), List.of(),
            "Accepted function keys: the query parameter code or the header x-functions-key must match one. List "
                    + "several to rotate keys. Secrets, never logged.").springOnly().secret().defaultText("none"));
    public static final Setting<Boolean> WEBHOOK_REQUIRE_KEY = add(of(HOOK + "require-key", bool(), true,
            "Whether requests must carry a key; turn off only behind a gateway that authenticates callers.")
            .springOnly());
    public static final Setting<Boolean> WEBHOOK_ALLOCATION_ENABLED = add(of(HOOK + "allocation.enabled", bool(),
            true, "Whether the DPS custom allocation endpoint is served.").springOnly());
    public static final Setting<String> WEBHOOK_ALLOCATION_PATH = add(of(HOOK + "allocation.path", text(),
            "/api/dps/allocate", "The allocation request path (its body limit is "
                    + "dps-twin.allocation.max-body-size).").springOnly());
    public static final Setting<Boolean> WEBHOOK_LIFECYCLE_ENABLED = add(of(HOOK + "lifecycle.enabled", bool(),
            true, "Whether the Event Grid endpoint for lifecycle events is served.").springOnly());
    public static final Setting<String> WEBHOOK_LIFECYCLE_PATH = add(of(HOOK + "lifecycle.path", text(),
            "/api/iothub/events", "The Event Grid request path.").springOnly());
    public static final Setting<Integer> WEBHOOK_LIFECYCLE_MAX_BODY = add(of(HOOK + "lifecycle.max-body-size",
            size(), 1024 * 1024, "Largest Event Grid body read; larger ones get 413 (Event Grid delivers at most "
                    + "1 MB).").springOnly());

    static { section("Reconciler"); }
    private static final String REC = "dps-twin.reconcile.";
    public static final Setting<List<String>> RECONCILE_HOSTS = add(of(REC + "hub-host-names", list(hostName()),
            List.of(), "IoT hubs compared with the twin graph, reached with the credential (IoT Hub Data Reader). "
                    + "Setting it (or connection-strings) turns the reconciler on.")
            .defaultText("none (no reconciler)").renamedFrom("DPSTWIN_RECONCILE_HUBS"));
    public static final Setting<List<String>> RECONCILE_CONNECTION_STRINGS = add(of(REC + "connection-strings",
            list(text()), List.of(), "Shared access policy connection strings (registryRead) instead of "
                    + "hub-host-names; secrets, never logged.").secret().defaultText("none")
            .renamedFrom("DPSTWIN_RECONCILE_CONNECTION_STRINGS"));
    public static final Setting<List<String>> RECONCILE_DEVICE_MODELS = add(of(REC + "device-models",
            list(dtmi()), List.of(), "Models whose twins mirror devices; every such twin without a device is "
                    + "retired. The allocation's default model is one too.").defaultText("the default model")
            .renamedFrom("DPSTWIN_RECONCILE_DEVICE_MODELS"));
    public static final Setting<Boolean> RECONCILE_APPLY = add(of(REC + "apply", bool(), false,
            "Whether scheduled runs repair the drift they find; false = dry runs that only report it."));
    public static final Setting<Duration> GRACE_PERIOD = add(of(REC + "grace-period", duration(),
            Duration.ofSeconds(120), "Twins and devices changed less than this long ago are left alone (at least "
                    + "10s: ADT's query index lags writes by up to 10 s).")
            .renamedFrom("DPSTWIN_RECONCILE_GRACE_PERIOD"));
    public static final Setting<Integer> MAX_RETIREMENTS = add(of(REC + "max-retirements", integer(0, MANY), 1000,
            "A run that finds more orphaned twins than this retires none of them.")
            .renamedFrom("DPSTWIN_RECONCILE_MAX_RETIREMENTS"));
    public static final Setting<Double> MAX_RETIREMENT_SHARE = add(of(REC + "max-retirement-share",
            decimal(0, 1), 0.5, "A run whose orphaned twins exceed this share of the listed twins retires none.")
            .renamedFrom("DPSTWIN_RECONCILE_MAX_RETIREMENT_SHARE"));
    public static final Setting<Duration> MAX_PLAN_AGE = add(of(REC + "max-plan-age", duration(),
            Duration.ofMinutes(15), "A plan older than this is not applied."));
    public static final Setting<Integer> QUERIES_PER_MINUTE = add(of(REC + "queries-per-minute", integer(1, MANY),
            10, "Device query pages per minute and hub (IoT Hub S1/S2 allows 20 per unit, shared with every other "
                    + "query); with several instances reconciling, divide it among them.")
            .renamedFrom("DPSTWIN_RECONCILE_QUERIES_PER_MINUTE"));
    public static final Setting<Integer> REGISTRY_READS_PER_MINUTE = add(of(REC + "registry-reads-per-minute",
            integer(1, MANY), 50, "Registry reads per minute and hub, asking whether a device exists before its twin "
                    + "is retired.").renamedFrom("DPSTWIN_RECONCILE_REGISTRY_READS_PER_MINUTE"));
    public static final Setting<Integer> RECONCILE_PARALLELISM = add(of(REC + "parallelism", integer(1, 64), 4,
            "Repairs carried out at the same time."));
    public static final Setting<Integer> REPORT_ITEM_LIMIT = add(of(REC + "report-item-limit", integer(0, MANY),
            1000, "Items listed per kind in a report; the counts are always complete."));
    public static final Setting<String> SCHEDULE_CRON = add(of(REC + "schedule.cron", text(), null,
            "When the reconciler runs on its own, six fields from the second, e.g. \"0 0/30 * * * *\" for every 30 "
                    + "minutes; empty or \"-\" for no scheduled run. Functions: the timer's NCRONTAB schedule, read "
                    + "by the host's binding (schedule = \"%DPSTWIN_RECONCILE_SCHEDULE_CRON%\").")
            .defaultText("none").renamedFrom("DPSTWIN_RECONCILE_SCHEDULE"));
    public static final Setting<String> SCHEDULE_ZONE = add(of(REC + "schedule.zone", text(), null,
            "The time zone of the cron expression, e.g. Europe/Paris; empty for the JVM's default zone.").springOnly());
    public static final Setting<Boolean> ENDPOINT_ALLOW_APPLY = add(of(REC + "endpoint.allow-apply", bool(), false,
            "Whether a POST of {\"apply\": true} to the actuator endpoint dpstwinreconcile may start a repairing run; "
                    + "off, it answers 403.")
            .springOnly());

    private static final List<Section> FROZEN = SECTIONS.stream()
            .map(section -> new Section(section.title(), List.copyOf(section.settings()))).toList();
    private static final List<Setting<?>> ALL = FROZEN.stream().flatMap(s -> s.settings().stream()).toList();

    /** The sections, in the order of the docs. */
    public static List<Section> sections() {
        return FROZEN;
    }

    /** Every setting, in the order of the docs. */
    public static List<Setting<?>> all() {
        return ALL;
    }
}
