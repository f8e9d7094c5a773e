package io.dpstwin.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.dpstwin.core.config.SettingType.*;

/**
 * Every option of dps-twin, declared once. Spring binds these names, a Functions app reads their environment form
 * ({@code dps-twin.allocation.default-model} = {@code DPSTWIN_ALLOCATION_DEFAULTMODEL}), {@link CoreOptions} maps
 * them to core's options, and {@code docs/configuration.md} and the Spring metadata are generated from them. To add
 * an option: declare it here, add it to its section, and use it in {@link CoreOptions} (see CONTRIBUTING.md).
 */
public final class DpsTwinSettings {

    private static final int MANY = 1_000_000;

    private DpsTwinSettings() {
    }

    /** A titled group of settings: one table of the docs, whose introduction is written there. */
    public record Section(String title, List<Setting<?>> settings) {
    }

    // ---------------------------------------------------------------- general and credential
    public static final Setting<Boolean> ENABLED = Setting.of("dps-twin.enabled", bool(), true,
            "Whether the dps-twin auto-configuration is active at all.").springOnly();
    public static final Setting<String> CREDENTIAL_KIND = Setting.of("dps-twin.credential.kind",
            choice("default", "managed-identity"), "default", "The credential used when the application brings none: "
                    + "default (DefaultAzureCredential: managed identity in Azure, developer sign-ins locally) or "
                    + "managed-identity (ManagedIdentityCredential only).");
    public static final Setting<String> CREDENTIAL_CLIENT_ID = Setting.of(
            "dps-twin.credential.managed-identity-client-id", guid(), null, "Client id of a user-assigned managed "
                    + "identity; empty for the system-assigned identity or developer credentials.")
            .alias("AZURE_CLIENT_ID").secret();
    public static final Setting<String> CREDENTIAL_TENANT_ID = Setting.of("dps-twin.credential.tenant-id", text(),
            null, "Tenant of the DefaultAzureCredential; empty for the credential's own default.");

    // ---------------------------------------------------------------- Azure Digital Twins
    public static final Setting<String> ADT_ENDPOINT = Setting.of("dps-twin.digital-twins.endpoint", httpsUrl(), null,
            "The instance's URL, e.g. https://my-instance.api.weu.digitaltwins.azure.net. Required (Spring: unless "
                    + "the application defines its own DigitalTwinsClient or DigitalTwinsGateway bean).")
            .alias("ADT_SERVICE_URL").defaultText("**required**");
    public static final Setting<Duration> ADT_REQUEST_TIMEOUT = Setting.of("dps-twin.digital-twins.request-timeout",
            duration(), Duration.ofSeconds(30), "Bound on waiting for an answer and on each pause while reading it.");
    public static final Setting<Duration> ADT_CONNECT_TIMEOUT = Setting.of("dps-twin.digital-twins.connect-timeout",
            duration(), Duration.ofSeconds(10), "Bound on opening a connection.");
    private static final String LIMITS = "dps-twin.digital-twins.rate-limits.";
    public static final Setting<Boolean> RATE_LIMITS_ENABLED = Setting.of(LIMITS + "enabled", bool(), true,
            "Whether dps-twin keeps to the limits below (turn off only for an instance with raised limits).");
    public static final Setting<String> RATE_LIMITS_MODE = Setting.of(LIMITS + "mode", choice("adaptive", "static"),
            "adaptive", "adaptive: the instance-wide limits below are ceilings; each process lowers its rate on ADT's "
                    + "429s, pauses for their Retry-After and probes back up, so that replicas share the instance "
                    + "without dividing the limits by hand. static: each process keeps the limits as they are. The "
                    + "per-twin limit is strict in both.");
    public static final Setting<Integer> PER_TWIN_WRITES = Setting.of(LIMITS + "per-twin-writes-per-second",
            integer(1, MANY), 10, "Writes per second to one twin, its relationships included (ADT: 10, not "
                    + "adjustable).");
    public static final Setting<Integer> CREATE_DELETES = Setting.of(LIMITS + "create-deletes-per-second",
            integer(1, MANY), 500, "Creates and deletes of twins and relationships per second, instance-wide (ADT: "
                    + "500).");
    public static final Setting<Integer> PATCHES = Setting.of(LIMITS + "patches-per-second", integer(1, MANY), 1000,
            "Twin updates per second (ADT: 1000).");
    public static final Setting<Integer> READS = Setting.of(LIMITS + "reads-per-second", integer(1, MANY), 1000,
            "Reads and lists per second (ADT: 1000).");
    public static final Setting<Integer> QUERIES = Setting.of(LIMITS + "queries-per-second", integer(1, MANY), 500,
            "Query pages per second (ADT: 500).");
    public static final Setting<Integer> MODEL_REQUESTS = Setting.of(LIMITS + "model-requests-per-second",
            integer(1, MANY), 100, "Model uploads and reads per second (ADT: 100).");
    public static final Setting<Duration> LIMITS_MAX_WAIT = Setting.of(LIMITS + "max-wait", duration(),
            Duration.ofSeconds(2), "How long a call waits for a permit before failing with a transient 429.");
    public static final Setting<Integer> MAX_TRACKED_TWINS = Setting.of(LIMITS + "max-tracked-twins",
            integer(1, Integer.MAX_VALUE), 100_000, "How many twins' write limiters are kept at most.");
    private static final String RETRY = "dps-twin.digital-twins.allocation-retry.";
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = Setting.of(RETRY + "max-attempts", integer(1, 100), 3,
            "Attempts per ADT call of the allocation webhook, the first included.");
    public static final Setting<Duration> RETRY_MAX_TOTAL_TIME = Setting.of(RETRY + "max-total-time", duration(),
            Duration.ofSeconds(5), "Time per ADT call after which no further attempt starts.");
    public static final Setting<Duration> RETRY_INITIAL_BACKOFF = Setting.of(RETRY + "initial-backoff", duration(),
            Duration.ofMillis(200), "Backoff before the first retry when ADT sent no Retry-After; doubles per retry, "
                    + "with jitter.");
    public static final Setting<Duration> RETRY_MAX_BACKOFF = Setting.of(RETRY + "max-backoff", duration(),
            Duration.ofSeconds(1), "Upper bound of the backoff.");
    public static final Setting<Duration> RETRY_MAX_RETRY_AFTER = Setting.of(RETRY + "max-retry-after", duration(),
            Duration.ofSeconds(2), "Upper bound of a wait ADT asks for with Retry-After.");

    // ---------------------------------------------------------------- allocation
    private static final String ALLOC = "dps-twin.allocation.";
    public static final Setting<String> DEFAULT_MODEL = Setting.of(ALLOC + "default-model", dtmi(), null,
            "The model (DTMI) of devices that name none in their payload and have no enrollment default; also the "
                    + "model of twins created for createDeviceIdentity events unless dps-twin.lifecycle.default-model "
                    + "is set.");
    public static final Setting<String> MODEL_ID_PAYLOAD_FIELD = Setting.of(ALLOC + "model-id-payload-field", field(),
            "modelId", "The payload field the device names its model in (IoT Plug and Play: modelId).");
    public static final Setting<List<String>> ALLOWED_MODELS = Setting.of(ALLOC + "allowed-models", list(dtmi()),
            List.of(), "The only models accepted for devices of enrollments without an allow-list of their own.")
            .defaultText("any model");
    public static final Setting<Map<String, Map<String, String>>> ENROLLMENT_GROUPS = Setting.of(
            ALLOC + "enrollment-groups", keyed("default-model", "allowed-models", "parent-twin-id"), Map.of(),
            "Per enrollment group (key: enrollmentGroupId, in brackets when it contains dots): default-model, "
                    + "allowed-models and parent-twin-id.").springOnly().defaultText("none");
    public static final Setting<Map<String, Map<String, String>>> INDIVIDUAL_ENROLLMENTS = Setting.of(
            ALLOC + "individual-enrollments", keyed("default-model", "allowed-models", "parent-twin-id"), Map.of(),
            "Per individual enrollment (key: registrationId, in brackets when it contains dots): default-model, "
                    + "allowed-models and parent-twin-id.").springOnly().defaultText("none");
    public static final Setting<String> HUB_POLICY = Setting.of(ALLOC + "hub-selection.policy",
            choice("first", "consistent-hash", "weighted"), "first", "How the IoT hub is chosen among the request's "
                    + "linkedHubs: first (the reference behaviour), consistent-hash (rendezvous hashing of the "
                    + "registration id) or weighted (see weights).");
    public static final Setting<Boolean> HUB_STICKY = Setting.of(ALLOC + "hub-selection.sticky", bool(), false,
            "Whether a re-registering device stays on its current hub while that hub is linked; first registrations "
                    + "and devices of unlinked hubs follow the policy.");
    public static final Setting<List<Map.Entry<String, Double>>> HUB_WEIGHTS = Setting.of(
            ALLOC + "hub-selection.weights", list(weight()), List.of(), "Hub weights of the weighted policy, e.g. "
                    + "hub-a.azure-devices.net=2,hub-b.azure-devices.net=1; unlisted hubs weigh 1, 0 drains a hub. "
                    + "Required with weighted, refused otherwise.").defaultText("none");
    public static final Setting<Map<String, Object>> INITIAL_PROPERTIES = Setting.of(ALLOC + "initial-properties",
            json(), null, "Properties of NEW twins per model, as a JSON object keyed by model, e.g. "
                    + "{\"dtmi:com:example:Thermostat;1\":{\"Temperature\":0.0}}; they must conform to the model.");
    public static final Setting<Map<String, Object>> INITIAL_TWIN_TAGS = Setting.of(ALLOC + "initial-twin-tags",
            json(), null, "Extra tags in the answer's initialTwin, as a JSON object (dtId and dtmi are set by the "
                    + "allocation itself).");
    public static final Setting<Map<String, Object>> INITIAL_TWIN_DESIRED = Setting.of(
            ALLOC + "initial-twin-desired-properties", json(), null, "Desired properties in the answer's "
                    + "initialTwin, as a JSON object.");
    public static final Setting<Boolean> MERGE_ENROLLMENT_INITIAL_TWIN = Setting.of(
            ALLOC + "merge-enrollment-initial-twin", bool(), true, "Whether the answer's initialTwin is deep-merged "
                    + "over the enrollment's own (ours win) or replaces it.");
    public static final Setting<String> TWIN_ID_PREFIX = Setting.of(ALLOC + "twin-id-prefix", twinIdPrefix(), "",
            "Twin id = this prefix + device id (both flows); empty for twin id = device id.");
    public static final Setting<String> MODEL_MISMATCH = Setting.of(ALLOC + "model-mismatch-policy",
            choice("reject", "keep", "migrate"), "reject", "What to do with an existing twin of another model: reject "
                    + "(400, twin unchanged), keep (keep the twin and its model) or migrate (change its model).");
    public static final Setting<Boolean> PLACEMENT_ENABLED = Setting.of(ALLOC + "placement.enabled", bool(), false,
            "Whether device twins are placed under a parent twin; the parent comes from parent-payload-field or an "
                    + "enrollment's parent-twin-id.");
    public static final Setting<String> PLACEMENT_FIELD = Setting.of(ALLOC + "placement.parent-payload-field",
            field(), "parentTwinId", "The payload field naming the parent twin.");
    public static final Setting<String> PLACEMENT_RELATIONSHIP = Setting.of(ALLOC + "placement.relationship-name",
            text(), "contains", "The relationship name declared on the parent's model.");
    public static final Setting<String> PLACEMENT_MISSING_PARENT = Setting.of(
            ALLOC + "placement.missing-parent-policy", choice("reject", "skip"), "reject", "What to do when the parent "
                    + "twin does not exist: reject (400, nothing written) or skip (allocate without placement).");
    public static final Setting<Boolean> RETURN_TWIN_ID = Setting.of(ALLOC + "return-twin-id-in-payload", bool(),
            false, "Whether the answer's payload carries {\"twinId\": ...} for the device.");
    public static final Setting<Boolean> ACCEPT_UPPERCASE_IDS = Setting.of(
            ALLOC + "accept-uppercase-registration-ids", bool(), false, "Whether registration ids with upper-case "
                    + "letters are accepted (off: DPS ids are case-insensitive).");
    public static final Setting<Integer> ALLOCATION_MAX_BODY = Setting.of(ALLOC + "max-body-size", size(), 96 * 1024,
            "Largest request body accepted; larger ones get 413 (DPS messages are at most 96 KB).");

    // ---------------------------------------------------------------- lifecycle
    private static final String LIFE = "dps-twin.lifecycle.";
    public static final Setting<String> RETIREMENT_POLICY = Setting.of(LIFE + "retirement-policy",
            choice("delete", "detach"), "delete", "What happens to the twin of a deleted device: delete (every "
                    + "relationship, then the twin) or detach (every relationship, the twin is kept).");
    public static final Setting<Boolean> CREATE_DEVICE_IDENTITY = Setting.of(LIFE + "create-device-identity", bool(),
            true, "Whether createDeviceIdentity events ensure the device's twin exists.");
    public static final Setting<String> LIFECYCLE_DEFAULT_MODEL = Setting.of(LIFE + "default-model", dtmi(), null,
            "The model of twins created for createDeviceIdentity events that name none.")
            .defaultText("`dps-twin.allocation.default-model`");
    public static final Setting<List<String>> SERVED_HUBS = Setting.of(LIFE + "served-hubs", list(text()), List.of(),
            "Act only on events of these hubs (short or host names).").defaultText("every hub");
    public static final Setting<Integer> LIFECYCLE_PARALLELISM = Setting.of(LIFE + "parallelism", integer(1, 256),
            16, "How many devices are processed at once (events of one device are always sequential).");
    public static final Setting<Duration> EVENT_BUDGET = Setting.of(LIFE + "event-budget", duration(),
            Duration.ofSeconds(60), "How long one event may take, retries included, before it is dead-lettered.");
    public static final Setting<Integer> LIFECYCLE_MAX_ATTEMPTS = Setting.of(LIFE + "max-attempts", integer(1, MANY),
            30, "Attempts per event for transient failures, the first included.");
    public static final Setting<Duration> BACKOFF_INITIAL = Setting.of(LIFE + "backoff.initial", duration(),
            Duration.ofMillis(200), "The first wait between attempts of an event (randomized, doubling; a longer "
                    + "Retry-After wins).");
    public static final Setting<Duration> BACKOFF_MAX = Setting.of(LIFE + "backoff.max", duration(),
            Duration.ofSeconds(10), "The longest wait between attempts of an event.");
    public static final Setting<List<String>> GUARD_HOSTS = Setting.of(LIFE + "registry-guard.hub-host-names",
            list(hostName()), List.of(), "IoT hubs asked before a twin is retired (a device that still exists in one "
                    + "keeps its twin), reached with the credential.").defaultText("none (no guard)");
    public static final Setting<List<String>> GUARD_CONNECTION_STRINGS = Setting.of(
            LIFE + "registry-guard.connection-strings", list(text()), List.of(), "Shared access policy connection "
                    + "strings (registryRead) instead of hub-host-names; secrets, never logged.").secret()
            .defaultText("none");
    private static final String EH = LIFE + "event-hubs.";
    public static final Setting<Boolean> EH_ENABLED = Setting.of(EH + "enabled", bool(), true,
            "Whether the Event Hubs consumer is created when configured (event-hub-name, namespace or "
                    + "connection-string set).").springOnly();
    public static final Setting<Boolean> EH_AUTO_STARTUP = Setting.of(EH + "auto-startup", bool(), true,
            "Whether the consumer starts with the application context (off: start the EventHubsProcessorLifecycle "
                    + "yourself).").springOnly();
    public static final Setting<String> EH_NAMESPACE = Setting.of(EH + "namespace", hostName(), null,
            "Fully qualified namespace, e.g. my-ns.servicebus.windows.net, reached with the credential.").springOnly();
    public static final Setting<String> EH_CONNECTION_STRING = Setting.of(EH + "connection-string", text(), null,
            "Namespace or event hub connection string instead of namespace + credential; a secret, never logged. "
                    + "Functions: the lifecycle trigger's connection, read by the host's binding "
                    + "(connection = \"EVENTHUB_CONNECTIONSTRING\").").secret().alias("EVENTHUB_CONNECTIONSTRING");
    public static final Setting<String> EH_NAME = Setting.of(EH + "event-hub-name", text(), null, "The event hub IoT "
            + "Hub routes lifecycle events to. Functions: read by the trigger's binding "
            + "(eventHubName = \"%DPSTWIN_LIFECYCLE_EVENTHUBS_EVENTHUBNAME%\").");
    public static final Setting<String> EH_CONSUMER_GROUP = Setting.of(EH + "consumer-group", text(), "$Default",
            "The consumer group; give dps-twin one of its own.").springOnly();
    public static final Setting<Integer> EH_MAX_BATCH = Setting.of(EH + "max-batch-size", integer(1, 10_000), 100,
            "Most events handed over in one batch.").springOnly();
    public static final Setting<Duration> EH_MAX_WAIT = Setting.of(EH + "max-wait-time", duration(),
            Duration.ofSeconds(5), "Longest wait for a batch to fill before the events received so far are handed "
                    + "over.").springOnly();
    public static final Setting<String> EH_INITIAL_POSITION = Setting.of(EH + "initial-position",
            choice("earliest", "latest"), "earliest", "Where a partition without a checkpoint starts: earliest (no "
                    + "deletion is missed) or latest.").springOnly();
    public static final Setting<Duration> EH_LOAD_BALANCING = Setting.of(EH + "load-balancing-interval", duration(),
            Duration.ofSeconds(30), "How often the processor balances partitions and renews its ownership.")
            .springOnly();
    public static final Setting<Duration> EH_OWNERSHIP_EXPIRATION = Setting.of(EH + "ownership-expiration-interval",
            duration(), Duration.ofMinutes(2), "After how long without renewal a partition's ownership expires; a "
                    + "partition stopped after a failed event restarts from its checkpoint then.").springOnly();
    public static final Setting<String> CHECKPOINT_URL = Setting.of(EH + "checkpoint-store.container-url",
            text(), null, "The blob container of the checkpoints, e.g. "
                    + "https://myaccount.blob.core.windows.net/checkpoints, reached with the credential.").springOnly();
    public static final Setting<String> CHECKPOINT_CONNECTION_STRING = Setting.of(
            EH + "checkpoint-store.connection-string", text(), null, "Storage account connection string instead of "
                    + "the credential; a secret, never logged.").springOnly().secret();
    public static final Setting<String> CHECKPOINT_CONTAINER = Setting.of(EH + "checkpoint-store.container-name",
            text(), null, "The container name, with connection-string.").springOnly();

    // ---------------------------------------------------------------- webhooks (Spring)
    private static final String HOOK = "dps-twin.webhook.";
    public static final Setting<List<String>> WEBHOOK_KEYS = Setting.of(HOOK + "keys", list(text()), List.of(),
            "Accepted function keys: the query parameter code or the header x-functions-key must match one. List "
                    + "several to rotate keys. Secrets, never logged.").springOnly().secret().defaultText("none");
    public static final Setting<Boolean> WEBHOOK_REQUIRE_KEY = Setting.of(HOOK + "require-key", bool(), true,
            "Whether requests must carry a key; turn off only behind a gateway that authenticates callers.")
            .springOnly();
    public static final Setting<Boolean> WEBHOOK_ALLOCATION_ENABLED = Setting.of(HOOK + "allocation.enabled", bool(),
            true, "Whether the DPS custom allocation endpoint is served.").springOnly();
    public static final Setting<String> WEBHOOK_ALLOCATION_PATH = Setting.of(HOOK + "allocation.path", text(),
            "/api/dps/allocate", "The allocation request path (its body limit is "
                    + "dps-twin.allocation.max-body-size).").springOnly();
    public static final Setting<Boolean> WEBHOOK_LIFECYCLE_ENABLED = Setting.of(HOOK + "lifecycle.enabled", bool(),
            true, "Whether the Event Grid endpoint for lifecycle events is served.").springOnly();
    public static final Setting<String> WEBHOOK_LIFECYCLE_PATH = Setting.of(HOOK + "lifecycle.path", text(),
            "/api/iothub/events", "The Event Grid request path.").springOnly();
    public static final Setting<Integer> WEBHOOK_LIFECYCLE_MAX_BODY = Setting.of(HOOK + "lifecycle.max-body-size",
            size(), 1024 * 1024, "Largest Event Grid body read; larger ones get 413 (Event Grid delivers at most "
                    + "1 MB).").springOnly();

    // ---------------------------------------------------------------- reconciler
    private static final String REC = "dps-twin.reconcile.";
    public static final Setting<List<String>> RECONCILE_HOSTS = Setting.of(REC + "hub-host-names", list(hostName()),
            List.of(), "IoT hubs compared with the twin graph, reached with the credential (IoT Hub Data Reader). "
                    + "Setting it (or connection-strings) turns the reconciler on.")
            .defaultText("none (no reconciler)");
    public static final Setting<List<String>> RECONCILE_CONNECTION_STRINGS = Setting.of(REC + "connection-strings",
            list(text()), List.of(), "Shared access policy connection strings (registryRead) instead of "
                    + "hub-host-names; secrets, never logged.").secret().defaultText("none");
    public static final Setting<List<String>> RECONCILE_DEVICE_MODELS = Setting.of(REC + "device-models",
            list(dtmi()), List.of(), "Models whose twins mirror devices; every such twin without a device is "
                    + "retired. The allocation's default model is one too.").defaultText("the default model");
    public static final Setting<Boolean> RECONCILE_APPLY = Setting.of(REC + "apply", bool(), false,
            "Whether scheduled runs repair the drift they find; false = dry runs that only report it.");
    public static final Setting<Duration> GRACE_PERIOD = Setting.of(REC + "grace-period", duration(),
            Duration.ofSeconds(120), "Twins and devices changed less than this long ago are left alone (at least "
                    + "10s: ADT's query index lags writes by up to 10 s).");
    public static final Setting<Integer> MAX_RETIREMENTS = Setting.of(REC + "max-retirements", integer(0, MANY), 1000,
            "A run that finds more orphaned twins than this retires none of them.");
    public static final Setting<Double> MAX_RETIREMENT_SHARE = Setting.of(REC + "max-retirement-share",
            decimal(0, 1), 0.5, "A run whose orphaned twins exceed this share of the listed twins retires none.");
    public static final Setting<Duration> MAX_PLAN_AGE = Setting.of(REC + "max-plan-age", duration(),
            Duration.ofMinutes(15), "A plan older than this is not applied.");
    public static final Setting<Integer> QUERIES_PER_MINUTE = Setting.of(REC + "queries-per-minute", integer(1, MANY),
            10, "Device query pages per minute and hub (IoT Hub S1/S2 allows 20 per unit, shared with every other "
                    + "query); with several instances reconciling, divide it among them.");
    public static final Setting<Integer> REGISTRY_READS_PER_MINUTE = Setting.of(REC + "registry-reads-per-minute",
            integer(1, MANY), 50, "Registry reads per minute and hub, asking whether a device exists before its twin "
                    + "is retired.");
    public static final Setting<Integer> RECONCILE_PARALLELISM = Setting.of(REC + "parallelism", integer(1, 64), 4,
            "Repairs carried out at the same time.");
    public static final Setting<Integer> REPORT_ITEM_LIMIT = Setting.of(REC + "report-item-limit", integer(0, MANY),
            1000, "Items listed per kind in a report; the counts are always complete.");
    public static final Setting<String> SCHEDULE_CRON = Setting.of(REC + "schedule.cron", text(), null,
            "When the reconciler runs on its own, six fields from the second, e.g. \"0 0/30 * * * *\" for every 30 "
                    + "minutes; empty or \"-\" for no scheduled run. Functions: the timer's NCRONTAB schedule, read "
                    + "by the host's binding (schedule = \"%DPSTWIN_RECONCILE_SCHEDULE_CRON%\").")
            .defaultText("none");
    public static final Setting<String> SCHEDULE_ZONE = Setting.of(REC + "schedule.zone", text(), null,
            "The time zone of the cron expression, e.g. Europe/Paris; empty for the JVM's default zone.").springOnly();
    public static final Setting<Boolean> ENDPOINT_ALLOW_APPLY = Setting.of(REC + "endpoint.allow-apply", bool(), false,
            "Whether a POST of {\"apply\": true} to the actuator endpoint dpstwinreconcile may start a repairing run; "
                    + "off, it answers 403.")
            .springOnly();

    private static final List<Section> SECTIONS = List.of(
            new Section("General and credential", List.of(ENABLED, CREDENTIAL_KIND, CREDENTIAL_CLIENT_ID,
                    CREDENTIAL_TENANT_ID)),
            new Section("Azure Digital Twins client, rate limits and retries", List.of(ADT_ENDPOINT,
                    ADT_REQUEST_TIMEOUT, ADT_CONNECT_TIMEOUT, RATE_LIMITS_ENABLED, RATE_LIMITS_MODE, PER_TWIN_WRITES,
                    CREATE_DELETES, PATCHES, READS, QUERIES, MODEL_REQUESTS, LIMITS_MAX_WAIT, MAX_TRACKED_TWINS, RETRY_MAX_ATTEMPTS,
                    RETRY_MAX_TOTAL_TIME, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, RETRY_MAX_RETRY_AFTER)),
            new Section("Allocation (provision flow)", List.of(DEFAULT_MODEL, MODEL_ID_PAYLOAD_FIELD, ALLOWED_MODELS,
                    ENROLLMENT_GROUPS, INDIVIDUAL_ENROLLMENTS, HUB_POLICY, HUB_STICKY, HUB_WEIGHTS, INITIAL_PROPERTIES,
                    INITIAL_TWIN_TAGS, INITIAL_TWIN_DESIRED, MERGE_ENROLLMENT_INITIAL_TWIN, TWIN_ID_PREFIX,
                    MODEL_MISMATCH, PLACEMENT_ENABLED, PLACEMENT_FIELD, PLACEMENT_RELATIONSHIP,
                    PLACEMENT_MISSING_PARENT, RETURN_TWIN_ID, ACCEPT_UPPERCASE_IDS, ALLOCATION_MAX_BODY)),
            new Section("Lifecycle (retire flow)", List.of(RETIREMENT_POLICY, CREATE_DEVICE_IDENTITY,
                    LIFECYCLE_DEFAULT_MODEL, SERVED_HUBS, LIFECYCLE_PARALLELISM, EVENT_BUDGET, LIFECYCLE_MAX_ATTEMPTS,
                    BACKOFF_INITIAL, BACKOFF_MAX, GUARD_HOSTS, GUARD_CONNECTION_STRINGS)),
            new Section("Event Hubs consumer", List.of(EH_ENABLED, EH_AUTO_STARTUP, EH_NAMESPACE, EH_CONNECTION_STRING,
                    EH_NAME, EH_CONSUMER_GROUP, EH_MAX_BATCH, EH_MAX_WAIT, EH_INITIAL_POSITION, EH_LOAD_BALANCING,
                    EH_OWNERSHIP_EXPIRATION, CHECKPOINT_URL, CHECKPOINT_CONNECTION_STRING, CHECKPOINT_CONTAINER)),
            new Section("Webhooks (Spring)", List.of(WEBHOOK_KEYS, WEBHOOK_REQUIRE_KEY, WEBHOOK_ALLOCATION_ENABLED,
                    WEBHOOK_ALLOCATION_PATH, WEBHOOK_LIFECYCLE_ENABLED, WEBHOOK_LIFECYCLE_PATH,
                    WEBHOOK_LIFECYCLE_MAX_BODY)),
            new Section("Reconciler", List.of(RECONCILE_HOSTS, RECONCILE_CONNECTION_STRINGS, RECONCILE_DEVICE_MODELS,
                    RECONCILE_APPLY, GRACE_PERIOD, MAX_RETIREMENTS, MAX_RETIREMENT_SHARE, MAX_PLAN_AGE,
                    QUERIES_PER_MINUTE, REGISTRY_READS_PER_MINUTE, RECONCILE_PARALLELISM, REPORT_ITEM_LIMIT,
                    SCHEDULE_CRON, SCHEDULE_ZONE, ENDPOINT_ALLOW_APPLY)));

    private static final List<Setting<?>> ALL = SECTIONS.stream().flatMap(s -> s.settings().stream()).toList();

    /** The sections, in the order of the docs. */
    public static List<Section> sections() {
        return SECTIONS;
    }

    /** Every setting, in the order of the docs. */
    public static List<Setting<?>> all() {
        return ALL;
    }
}
