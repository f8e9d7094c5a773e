package io.dpstwin.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code dps-twin.*} settings. This class only binds: {@link DpsTwinOptionsFactory} turns it into the core's
 * options. Secrets (webhook keys, connection strings) are never logged; Spring Boot's actuator masks them too.
 */
@ConfigurationProperties(prefix = "dps-twin")
public class DpsTwinProperties {

    /** Whether the dps-twin auto-configuration is active at all. */
    private boolean enabled = true;

    private final Credential credential = new Credential();
    private final DigitalTwins digitalTwins = new DigitalTwins();
    private final Allocation allocation = new Allocation();
    private final Lifecycle lifecycle = new Lifecycle();
    private final Webhook webhook = new Webhook();
    private final Reconcile reconcile = new Reconcile();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Credential getCredential() {
        return credential;
    }

    public DigitalTwins getDigitalTwins() {
        return digitalTwins;
    }

    public Allocation getAllocation() {
        return allocation;
    }

    public Lifecycle getLifecycle() {
        return lifecycle;
    }

    public Webhook getWebhook() {
        return webhook;
    }

    public Reconcile getReconcile() {
        return reconcile;
    }

    /** The Entra ID credential used when the application defines no {@code TokenCredential} bean. */
    public static class Credential {

        /**
         * Client id of a user-assigned managed identity for DefaultAzureCredential; leave empty for the
         * system-assigned identity or developer credentials.
         */
        private String managedIdentityClientId;

        /** Tenant of the DefaultAzureCredential; empty for the credential's own default. */
        private String tenantId;

        public String getManagedIdentityClientId() {
            return managedIdentityClientId;
        }

        public void setManagedIdentityClientId(String managedIdentityClientId) {
            this.managedIdentityClientId = managedIdentityClientId;
        }

        public String getTenantId() {
            return tenantId;
        }

        public void setTenantId(String tenantId) {
            this.tenantId = tenantId;
        }
    }

    /** The Azure Digital Twins instance and how dps-twin calls it. */
    public static class DigitalTwins {

        /**
         * The instance's URL, e.g. https://my-instance.api.weu.digitaltwins.azure.net. Required unless the
         * application defines its own DigitalTwinsClient or DigitalTwinsGateway bean.
         */
        private String endpoint;

        /** Bound on waiting for an answer and on each pause while reading it. */
        private Duration requestTimeout = Duration.ofSeconds(30);

        /** Bound on opening a connection. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        private final RateLimits rateLimits = new RateLimits();
        private final AllocationRetry allocationRetry = new AllocationRetry();

        public String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public RateLimits getRateLimits() {
            return rateLimits;
        }

        public AllocationRetry getAllocationRetry() {
            return allocationRetry;
        }
    }

    /** Client-side limits kept by both flows together; the defaults are ADT's published limits per instance. */
    public static class RateLimits {

        /** Whether dps-twin keeps to the limits below (turn off only for an instance with raised limits). */
        private boolean enabled = true;

        /** Writes per second to one twin, its relationships included (ADT: 10, not adjustable). */
        private int perTwinWritesPerSecond = 10;

        /** Creates and deletes of twins and relationships per second, instance-wide (ADT: 500). */
        private int createDeletesPerSecond = 500;

        /** Twin updates per second (ADT: 1000). */
        private int patchesPerSecond = 1000;

        /** Reads and lists per second (ADT: 1000). */
        private int readsPerSecond = 1000;

        /** Query pages per second (ADT: 500). */
        private int queriesPerSecond = 500;

        /** Model uploads and reads per second (ADT: 100). */
        private int modelRequestsPerSecond = 100;

        /** How long a call waits for a permit before failing with a transient 429. */
        private Duration maxWait = Duration.ofSeconds(2);

        /** How many twins' write limiters are kept at most. */
        private int maxTrackedTwins = 100_000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPerTwinWritesPerSecond() {
            return perTwinWritesPerSecond;
        }

        public void setPerTwinWritesPerSecond(int perTwinWritesPerSecond) {
            this.perTwinWritesPerSecond = perTwinWritesPerSecond;
        }

        public int getCreateDeletesPerSecond() {
            return createDeletesPerSecond;
        }

        public void setCreateDeletesPerSecond(int createDeletesPerSecond) {
            this.createDeletesPerSecond = createDeletesPerSecond;
        }

        public int getPatchesPerSecond() {
            return patchesPerSecond;
        }

        public void setPatchesPerSecond(int patchesPerSecond) {
            this.patchesPerSecond = patchesPerSecond;
        }

        public int getReadsPerSecond() {
            return readsPerSecond;
        }

        public void setReadsPerSecond(int readsPerSecond) {
            this.readsPerSecond = readsPerSecond;
        }

        public int getQueriesPerSecond() {
            return queriesPerSecond;
        }

        public void setQueriesPerSecond(int queriesPerSecond) {
            this.queriesPerSecond = queriesPerSecond;
        }

        public int getModelRequestsPerSecond() {
            return modelRequestsPerSecond;
        }

        public void setModelRequestsPerSecond(int modelRequestsPerSecond) {
            this.modelRequestsPerSecond = modelRequestsPerSecond;
        }

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        public int getMaxTrackedTwins() {
            return maxTrackedTwins;
        }

        public void setMaxTrackedTwins(int maxTrackedTwins) {
            this.maxTrackedTwins = maxTrackedTwins;
        }
    }

    /** How hard the allocation webhook retries one ADT call before answering 429/503 so that DPS retries. */
    public static class AllocationRetry {

        /** Attempts per ADT call, the first included. */
        private int maxAttempts = 3;

        /** Time per ADT call after which no further attempt starts. */
        private Duration maxTotalTime = Duration.ofSeconds(5);

        /** Backoff before the first retry when ADT sent no Retry-After; doubles per retry, with jitter. */
        private Duration initialBackoff = Duration.ofMillis(200);

        /** Upper bound of the backoff. */
        private Duration maxBackoff = Duration.ofSeconds(1);

        /** Upper bound of a wait ADT asks for with Retry-After. */
        private Duration maxRetryAfter = Duration.ofSeconds(2);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getMaxTotalTime() {
            return maxTotalTime;
        }

        public void setMaxTotalTime(Duration maxTotalTime) {
            this.maxTotalTime = maxTotalTime;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }
    }

    /** The provision flow (DPS custom allocation). */
    public static class Allocation {

        private final HubSelection hubSelection = new HubSelection();

        /**
         * The model (DTMI) of devices that name none in their payload and have no enrollment default; also the
         * model of twins created for createDeviceIdentity events unless dps-twin.lifecycle.default-model is set.
         */
        private String defaultModel;

        /** The payload field the device names its model in (IoT Plug and Play: modelId). */
        private String modelIdPayloadField = "modelId";

        /** The only models accepted for devices of enrollments without an allow-list of their own; empty = any. */
        private List<String> allowedModels = new ArrayList<>();

        /**
         * Per enrollment group (key: enrollmentGroupId, in brackets when it contains dots): default-model,
         * allowed-models and parent-twin-id.
         */
        private Map<String, Enrollment> enrollmentGroups = new LinkedHashMap<>();

        /**
         * Per individual enrollment (key: registrationId, in brackets when it contains dots): default-model,
         * allowed-models and parent-twin-id.
         */
        private Map<String, Enrollment> individualEnrollments = new LinkedHashMap<>();

        /**
         * Properties of NEW twins per model: a list of entries with model (a DTMI) and properties (a JSON object),
         * e.g. initial-properties[0].model=dtmi:com:example:Thermostat;1 and
         * initial-properties[0].properties={"Temperature":0.0}.
         */
        private List<ModelProperties> initialProperties = new ArrayList<>();

        /** Extra tags in the answer's initialTwin (dtId and dtmi are set by the allocation itself). */
        private Map<String, String> initialTwinTags = new LinkedHashMap<>();

        /** Desired properties in the answer's initialTwin, as one JSON object. */
        private String initialTwinDesiredProperties;

        /** Whether the answer's initialTwin is deep-merged over the enrollment's own (ours win) or replaces it. */
        private boolean mergeEnrollmentInitialTwin = true;

        /** Twin id = this prefix + device id (both flows); empty for twin id = device id. */
        private String twinIdPrefix = "";

        /** What to do with an existing twin of another model. */
        private ModelMismatch modelMismatchPolicy = ModelMismatch.REJECT;

        private final PlacementSettings placement = new PlacementSettings();

        /** Whether the answer's payload carries {"twinId": ...} for the device. */
        private boolean returnTwinIdInPayload;

        /** Whether registration ids with upper-case letters are accepted (off: DPS ids are case-insensitive). */
        private boolean acceptUppercaseRegistrationIds;

        /** Largest request body accepted; larger ones get 413 (DPS messages are at most 96 KB). */
        private DataSize maxBodySize = DataSize.ofKilobytes(96);

        public HubSelection getHubSelection() {
            return hubSelection;
        }

        public String getDefaultModel() {
            return defaultModel;
        }

        public void setDefaultModel(String defaultModel) {
            this.defaultModel = defaultModel;
        }

        public String getModelIdPayloadField() {
            return modelIdPayloadField;
        }

        public void setModelIdPayloadField(String modelIdPayloadField) {
            this.modelIdPayloadField = modelIdPayloadField;
        }

        public List<String> getAllowedModels() {
            return allowedModels;
        }

        public void setAllowedModels(List<String> allowedModels) {
            this.allowedModels = allowedModels;
        }

        public Map<String, Enrollment> getEnrollmentGroups() {
            return enrollmentGroups;
        }

        public void setEnrollmentGroups(Map<String, Enrollment> enrollmentGroups) {
            this.enrollmentGroups = enrollmentGroups;
        }

        public Map<String, Enrollment> getIndividualEnrollments() {
            return individualEnrollments;
        }

        public void setIndividualEnrollments(Map<String, Enrollment> individualEnrollments) {
            this.individualEnrollments = individualEnrollments;
        }

        public List<ModelProperties> getInitialProperties() {
            return initialProperties;
        }

        public void setInitialProperties(List<ModelProperties> initialProperties) {
            this.initialProperties = initialProperties;
        }

        public Map<String, String> getInitialTwinTags() {
            return initialTwinTags;
        }

        public void setInitialTwinTags(Map<String, String> initialTwinTags) {
            this.initialTwinTags = initialTwinTags;
        }

        public String getInitialTwinDesiredProperties() {
            return initialTwinDesiredProperties;
        }

        public void setInitialTwinDesiredProperties(String initialTwinDesiredProperties) {
            this.initialTwinDesiredProperties = initialTwinDesiredProperties;
        }

        public boolean isMergeEnrollmentInitialTwin() {
            return mergeEnrollmentInitialTwin;
        }

        public void setMergeEnrollmentInitialTwin(boolean mergeEnrollmentInitialTwin) {
            this.mergeEnrollmentInitialTwin = mergeEnrollmentInitialTwin;
        }

        public String getTwinIdPrefix() {
            return twinIdPrefix;
        }

        public void setTwinIdPrefix(String twinIdPrefix) {
            this.twinIdPrefix = twinIdPrefix;
        }

        public ModelMismatch getModelMismatchPolicy() {
            return modelMismatchPolicy;
        }

        public void setModelMismatchPolicy(ModelMismatch modelMismatchPolicy) {
            this.modelMismatchPolicy = modelMismatchPolicy;
        }

        public PlacementSettings getPlacement() {
            return placement;
        }

        public boolean isReturnTwinIdInPayload() {
            return returnTwinIdInPayload;
        }

        public void setReturnTwinIdInPayload(boolean returnTwinIdInPayload) {
            this.returnTwinIdInPayload = returnTwinIdInPayload;
        }

        public boolean isAcceptUppercaseRegistrationIds() {
            return acceptUppercaseRegistrationIds;
        }

        public void setAcceptUppercaseRegistrationIds(boolean acceptUppercaseRegistrationIds) {
            this.acceptUppercaseRegistrationIds = acceptUppercaseRegistrationIds;
        }

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }
    }

    /** How the IoT hub is chosen among the request's linkedHubs. */
    public static class HubSelection {

        /** The policy: first (the reference behaviour), sticky, consistent-hash or weighted. */
        private HubPolicy policy = HubPolicy.FIRST;

        /**
         * With the sticky policy: how first registrations and devices of unlinked hubs are placed: first,
         * consistent-hash or weighted (sticky itself is refused at start).
         */
        private HubPolicy stickyFallback = HubPolicy.CONSISTENT_HASH;

        /**
         * Hub weights for the weighted policy, keyed by host name in brackets, e.g.
         * weights[hub-a.azure-devices.net]=2; unlisted hubs weigh 1, 0 drains a hub.
         */
        private Map<String, Double> weights = new LinkedHashMap<>();

        public HubPolicy getPolicy() {
            return policy;
        }

        public void setPolicy(HubPolicy policy) {
            this.policy = policy;
        }

        public HubPolicy getStickyFallback() {
            return stickyFallback;
        }

        public void setStickyFallback(HubPolicy stickyFallback) {
            this.stickyFallback = stickyFallback;
        }

        public Map<String, Double> getWeights() {
            return weights;
        }

        public void setWeights(Map<String, Double> weights) {
            this.weights = weights;
        }
    }

    /** The properties new twins of one model are created with. */
    public static class ModelProperties {

        /** The model (DTMI). */
        private String model;

        /** The properties as a JSON object, e.g. {"Temperature":0.0}; they must conform to the model. */
        private String properties;

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public String getProperties() {
            return properties;
        }

        public void setProperties(String properties) {
            this.properties = properties;
        }
    }

    /** Hub selection policies. */
    public enum HubPolicy {
        /** The first linked hub. */
        FIRST,
        /** Keep a re-registering device on its current hub while it is linked; otherwise the sticky fallback. */
        STICKY,
        /** Rendezvous hashing of the registration id over the linked hubs. */
        CONSISTENT_HASH,
        /** Weighted rendezvous hashing (see weights). */
        WEIGHTED
    }

    /** What find-or-create does with an existing twin of another model. */
    public enum ModelMismatch {
        /** Refuse the device with 400; the twin is unchanged. */
        REJECT,
        /** Keep the twin and its model. */
        KEEP,
        /** Change the twin's model with a JSON Patch; ADT checks the twin conforms. */
        MIGRATE
    }

    /** Settings of one enrollment. */
    public static class Enrollment {

        /** The model of this enrollment's devices that name none. */
        private String defaultModel;

        /** The only models accepted for this enrollment's devices; empty = the global allow-list. */
        private List<String> allowedModels = new ArrayList<>();

        /** A fixed parent twin for this enrollment's devices (needs dps-twin.allocation.placement). */
        private String parentTwinId;

        public String getDefaultModel() {
            return defaultModel;
        }

        public void setDefaultModel(String defaultModel) {
            this.defaultModel = defaultModel;
        }

        public List<String> getAllowedModels() {
            return allowedModels;
        }

        public void setAllowedModels(List<String> allowedModels) {
            this.allowedModels = allowedModels;
        }

        public String getParentTwinId() {
            return parentTwinId;
        }

        public void setParentTwinId(String parentTwinId) {
            this.parentTwinId = parentTwinId;
        }
    }

    /** Places device twins under a parent twin with a relationship from the parent. */
    public static class PlacementSettings {

        /** Whether device twins are placed; the parent comes from parent-payload-field or an enrollment's parent-twin-id. */
        private boolean enabled;

        /** The payload field naming the parent twin, e.g. parentTwinId; empty to use enrollment parents only. */
        private String parentPayloadField = "parentTwinId";

        /** The relationship name declared on the parent's model. */
        private String relationshipName = "contains";

        /** What to do when the parent twin does not exist. */
        private MissingParent missingParentPolicy = MissingParent.REJECT;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getParentPayloadField() {
            return parentPayloadField;
        }

        public void setParentPayloadField(String parentPayloadField) {
            this.parentPayloadField = parentPayloadField;
        }

        public String getRelationshipName() {
            return relationshipName;
        }

        public void setRelationshipName(String relationshipName) {
            this.relationshipName = relationshipName;
        }

        public MissingParent getMissingParentPolicy() {
            return missingParentPolicy;
        }

        public void setMissingParentPolicy(MissingParent missingParentPolicy) {
            this.missingParentPolicy = missingParentPolicy;
        }
    }

    /** What to do when the parent twin of a placement does not exist. */
    public enum MissingParent {
        /** Refuse the device with 400; nothing is written. */
        REJECT,
        /** Allocate without placement and log a warning. */
        SKIP
    }

    /** The retire flow (IoT Hub device lifecycle events). */
    public static class Lifecycle {

        /** What happens to the twin of a deleted device. */
        private Retirement retirementPolicy = Retirement.DELETE;

        /** Whether createDeviceIdentity events ensure the device's twin exists. */
        private boolean createDeviceIdentity = true;

        /** The model of twins created for createDeviceIdentity events that name none; default: the allocation default. */
        private String defaultModel;

        /** Act only on events of these hubs (short or host names); empty = every hub. */
        private List<String> servedHubs = new ArrayList<>();

        /** How many devices are processed at once (events of one device are always sequential). */
        private int parallelism = 16;

        /** How long one event may take, retries included, before it is dead-lettered. */
        private Duration eventBudget = Duration.ofSeconds(60);

        /** Attempts per event for transient failures, the first included. */
        private int maxAttempts = 30;

        private final Backoff backoff = new Backoff();
        private final RegistryGuard registryGuard = new RegistryGuard();
        private final EventHubs eventHubs = new EventHubs();

        public Retirement getRetirementPolicy() {
            return retirementPolicy;
        }

        public void setRetirementPolicy(Retirement retirementPolicy) {
            this.retirementPolicy = retirementPolicy;
        }

        public boolean isCreateDeviceIdentity() {
            return createDeviceIdentity;
        }

        public void setCreateDeviceIdentity(boolean createDeviceIdentity) {
            this.createDeviceIdentity = createDeviceIdentity;
        }

        public String getDefaultModel() {
            return defaultModel;
        }

        public void setDefaultModel(String defaultModel) {
            this.defaultModel = defaultModel;
        }

        public List<String> getServedHubs() {
            return servedHubs;
        }

        public void setServedHubs(List<String> servedHubs) {
            this.servedHubs = servedHubs;
        }

        public int getParallelism() {
            return parallelism;
        }

        public void setParallelism(int parallelism) {
            this.parallelism = parallelism;
        }

        public Duration getEventBudget() {
            return eventBudget;
        }

        public void setEventBudget(Duration eventBudget) {
            this.eventBudget = eventBudget;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Backoff getBackoff() {
            return backoff;
        }

        public RegistryGuard getRegistryGuard() {
            return registryGuard;
        }

        public EventHubs getEventHubs() {
            return eventHubs;
        }
    }

    /** Retirement policies. */
    public enum Retirement {
        /** Delete every incoming and outgoing relationship, then the twin. */
        DELETE,
        /** Delete every relationship, keep the twin. */
        DETACH
    }

    /** Randomized exponential backoff between attempts of an event; a longer Retry-After wins. */
    public static class Backoff {

        /** The first wait. */
        private Duration initial = Duration.ofMillis(200);

        /** The longest wait. */
        private Duration max = Duration.ofSeconds(10);

        public Duration getInitial() {
            return initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }
    }

    /**
     * The IoT hubs asked before a twin is retired: a device that still exists in one of them (DPS moved it) keeps
     * its twin. Give host names (reached with the credential) or connection strings, not both.
     */
    public static class RegistryGuard {

        /** Hub host names, e.g. my-hub.azure-devices.net, reached with the application's TokenCredential. */
        private List<String> hubHostNames = new ArrayList<>();

        /** Shared access policy connection strings (registryRead); secrets, never logged. */
        private List<String> connectionStrings = new ArrayList<>();

        public List<String> getHubHostNames() {
            return hubHostNames;
        }

        public void setHubHostNames(List<String> hubHostNames) {
            this.hubHostNames = hubHostNames;
        }

        public List<String> getConnectionStrings() {
            return connectionStrings;
        }

        public void setConnectionStrings(List<String> connectionStrings) {
            this.connectionStrings = connectionStrings;
        }
    }

    /**
     * The Event Hubs consumer of IoT Hub lifecycle events (needs azure-messaging-eventhubs). It is configured when
     * event-hub-name, namespace or connection-string is set.
     */
    public static class EventHubs {

        /** Whether the consumer is created when configured. */
        private boolean enabled = true;

        /** Whether the consumer starts with the application context (off: start the EventHubsProcessorLifecycle yourself). */
        private boolean autoStartup = true;

        /** Fully qualified namespace, e.g. my-ns.servicebus.windows.net, reached with the application's TokenCredential. */
        private String namespace;

        /** Namespace or event hub connection string instead of namespace + credential; a secret, never logged. */
        private String connectionString;

        /** The event hub IoT Hub routes lifecycle events to (optional when the connection string has EntityPath). */
        private String eventHubName;

        /** The consumer group; give dps-twin one of its own. */
        private String consumerGroup = "$Default";

        /** Most events handed over in one batch. */
        private int maxBatchSize = 100;

        /** Longest wait for a batch to fill before the events received so far are handed over. */
        private Duration maxWaitTime = Duration.ofSeconds(5);

        /** Where a partition without a checkpoint starts. */
        private StartPosition initialPosition = StartPosition.EARLIEST;

        /** How often the processor balances partitions and renews its ownership of them (the SDK's default). */
        private Duration loadBalancingInterval = Duration.ofSeconds(30);

        /**
         * After how long without renewal a partition's ownership expires; a partition stopped after a failed event
         * is claimed again, and restarted from its checkpoint, once its ownership expired (the SDK's default).
         */
        private Duration ownershipExpirationInterval = Duration.ofMinutes(2);

        private final CheckpointStoreSettings checkpointStore = new CheckpointStoreSettings();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public String getConnectionString() {
            return connectionString;
        }

        public void setConnectionString(String connectionString) {
            this.connectionString = connectionString;
        }

        public String getEventHubName() {
            return eventHubName;
        }

        public void setEventHubName(String eventHubName) {
            this.eventHubName = eventHubName;
        }

        public String getConsumerGroup() {
            return consumerGroup;
        }

        public void setConsumerGroup(String consumerGroup) {
            this.consumerGroup = consumerGroup;
        }

        public int getMaxBatchSize() {
            return maxBatchSize;
        }

        public void setMaxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
        }

        public Duration getMaxWaitTime() {
            return maxWaitTime;
        }

        public void setMaxWaitTime(Duration maxWaitTime) {
            this.maxWaitTime = maxWaitTime;
        }

        public StartPosition getInitialPosition() {
            return initialPosition;
        }

        public void setInitialPosition(StartPosition initialPosition) {
            this.initialPosition = initialPosition;
        }

        public Duration getLoadBalancingInterval() {
            return loadBalancingInterval;
        }

        public void setLoadBalancingInterval(Duration loadBalancingInterval) {
            this.loadBalancingInterval = loadBalancingInterval;
        }

        public Duration getOwnershipExpirationInterval() {
            return ownershipExpirationInterval;
        }

        public void setOwnershipExpirationInterval(Duration ownershipExpirationInterval) {
            this.ownershipExpirationInterval = ownershipExpirationInterval;
        }

        public CheckpointStoreSettings getCheckpointStore() {
            return checkpointStore;
        }
    }

    /** Where a partition without a checkpoint starts. */
    public enum StartPosition {
        /** The oldest retained event (replays are harmless; no deletion is missed). */
        EARLIEST,
        /** Only events enqueued from now on. */
        LATEST
    }

    /**
     * The blob container of the Event Hubs checkpoints and partition ownership (unless the application defines a
     * CheckpointStore bean): container-url with the credential, or connection-string + container-name.
     */
    public static class CheckpointStoreSettings {

        /** The container's URL, e.g. https://myaccount.blob.core.windows.net/checkpoints, reached with the credential. */
        private String containerUrl;

        /** Storage account connection string instead of the credential; a secret, never logged. */
        private String connectionString;

        /** The container name, with connection-string. */
        private String containerName;

        public String getContainerUrl() {
            return containerUrl;
        }

        public void setContainerUrl(String containerUrl) {
            this.containerUrl = containerUrl;
        }

        public String getConnectionString() {
            return connectionString;
        }

        public void setConnectionString(String connectionString) {
            this.connectionString = connectionString;
        }

        public String getContainerName() {
            return containerName;
        }

        public void setContainerName(String containerName) {
            this.containerName = containerName;
        }
    }

    /** The HTTP endpoints (Spring MVC, servlet web applications only). */
    public static class Webhook {

        /**
         * Accepted function keys: the query parameter code or the header x-functions-key must match one of them.
         * List several to rotate keys. Secrets, never logged.
         */
        private List<String> keys = new ArrayList<>();

        /** Whether requests must carry a key; turn off only behind a gateway that authenticates callers. */
        private boolean requireKey = true;

        private final AllocationEndpoint allocation = new AllocationEndpoint();
        private final LifecycleEndpoint lifecycle = new LifecycleEndpoint();

        public List<String> getKeys() {
            return keys;
        }

        public void setKeys(List<String> keys) {
            this.keys = keys;
        }

        public boolean isRequireKey() {
            return requireKey;
        }

        public void setRequireKey(boolean requireKey) {
            this.requireKey = requireKey;
        }

        public AllocationEndpoint getAllocation() {
            return allocation;
        }

        public LifecycleEndpoint getLifecycle() {
            return lifecycle;
        }
    }

    /** The DPS custom allocation endpoint. */
    public static class AllocationEndpoint {

        /** Whether the endpoint is served. */
        private boolean enabled = true;

        /** The request path (the body limit is dps-twin.allocation.max-body-size). */
        private String path = "/api/dps/allocate";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    /** The Event Grid endpoint for IoT Hub lifecycle events (Event Grid schema or CloudEvents). */
    public static class LifecycleEndpoint {

        /** Whether the endpoint is served. */
        private boolean enabled = true;

        /** The request path. */
        private String path = "/api/iothub/events";

        /** Largest request body read; larger ones get 413 (Event Grid delivers at most 1 MB per request). */
        private DataSize maxBodySize = DataSize.ofMegabytes(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }
    }

    /**
     * The reconciler: compares the IoT hubs' device registries with the twins of the device models and repairs the
     * drift lost lifecycle events leave (see docs/reconciliation.md). Configured when hub-host-names or
     * connection-strings is set, or when the application defines a DeviceInventory bean.
     */
    public static class Reconcile {

        /**
         * IoT hubs to compare with the twin graph, as host names (e.g. my-hub.azure-devices.net), reached with the
         * application's TokenCredential (role IoT Hub Data Reader or higher).
         */
        private List<String> hubHostNames = new ArrayList<>();

        /**
         * Shared access policy connection strings (registryRead) instead of hub-host-names, one per hub; secrets,
         * never logged.
         */
        private List<String> connectionStrings = new ArrayList<>();

        /**
         * Models (DTMIs) whose twins mirror devices; every such twin without a device is retired. The allocation's
         * default model is one too.
         */
        private List<String> deviceModels = new ArrayList<>();

        /** Twins and devices changed less than this long ago are left alone (at least 10s). */
        private Duration gracePeriod = Duration.ofSeconds(120);

        /** A run that finds more orphaned twins than this retires none of them. */
        private int maxRetirements = 1000;

        /** A run whose orphaned twins exceed this share (0 to 1) of the listed twins retires none of them. */
        private double maxRetirementShare = 0.5;

        /** A plan older than this is not applied. */
        private Duration maxPlanAge = Duration.ofMinutes(15);

        /**
         * Device query pages per minute and hub (IoT Hub S1/S2 allows 20 per unit, shared with every other
         * query); with several instances reconciling, divide it among them.
         */
        private int queriesPerMinute = 10;

        /** Registry reads per minute and hub, asking whether a device exists before its twin is retired. */
        private int registryReadsPerMinute = 50;

        /** Repairs carried out at the same time (1 to 64). */
        private int parallelism = 4;

        /** Items listed per kind in a report; the counts are always complete. */
        private int reportItemLimit = 1000;

        /** Whether scheduled runs repair the drift they find; false = dry runs that only report it. */
        private boolean apply;

        private final Schedule schedule = new Schedule();
        private final ReconcileEndpointSettings endpoint = new ReconcileEndpointSettings();

        public List<String> getHubHostNames() {
            return hubHostNames;
        }

        public void setHubHostNames(List<String> hubHostNames) {
            this.hubHostNames = hubHostNames;
        }

        public List<String> getConnectionStrings() {
            return connectionStrings;
        }

        public void setConnectionStrings(List<String> connectionStrings) {
            this.connectionStrings = connectionStrings;
        }

        public List<String> getDeviceModels() {
            return deviceModels;
        }

        public void setDeviceModels(List<String> deviceModels) {
            this.deviceModels = deviceModels;
        }

        public Duration getGracePeriod() {
            return gracePeriod;
        }

        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }

        public int getMaxRetirements() {
            return maxRetirements;
        }

        public void setMaxRetirements(int maxRetirements) {
            this.maxRetirements = maxRetirements;
        }

        public double getMaxRetirementShare() {
            return maxRetirementShare;
        }

        public void setMaxRetirementShare(double maxRetirementShare) {
            this.maxRetirementShare = maxRetirementShare;
        }

        public Duration getMaxPlanAge() {
            return maxPlanAge;
        }

        public void setMaxPlanAge(Duration maxPlanAge) {
            this.maxPlanAge = maxPlanAge;
        }

        public int getQueriesPerMinute() {
            return queriesPerMinute;
        }

        public void setQueriesPerMinute(int queriesPerMinute) {
            this.queriesPerMinute = queriesPerMinute;
        }

        public int getRegistryReadsPerMinute() {
            return registryReadsPerMinute;
        }

        public void setRegistryReadsPerMinute(int registryReadsPerMinute) {
            this.registryReadsPerMinute = registryReadsPerMinute;
        }

        public int getParallelism() {
            return parallelism;
        }

        public void setParallelism(int parallelism) {
            this.parallelism = parallelism;
        }

        public int getReportItemLimit() {
            return reportItemLimit;
        }

        public void setReportItemLimit(int reportItemLimit) {
            this.reportItemLimit = reportItemLimit;
        }

        public boolean isApply() {
            return apply;
        }

        public void setApply(boolean apply) {
            this.apply = apply;
        }

        public Schedule getSchedule() {
            return schedule;
        }

        public ReconcileEndpointSettings getEndpoint() {
            return endpoint;
        }

        /** The settings, with the connection strings counted but never shown. */
        @Override
        public String toString() {
            return "Reconcile[hubHostNames=" + hubHostNames
                    + ", connectionStrings=" + (connectionStrings == null || connectionStrings.isEmpty() ? "none"
                    : connectionStrings.size() + " (not shown)")
                    + ", deviceModels=" + deviceModels + ", gracePeriod=" + gracePeriod
                    + ", maxRetirements=" + maxRetirements + ", maxRetirementShare=" + maxRetirementShare
                    + ", maxPlanAge=" + maxPlanAge + ", queriesPerMinute=" + queriesPerMinute
                    + ", registryReadsPerMinute=" + registryReadsPerMinute + ", parallelism=" + parallelism
                    + ", reportItemLimit=" + reportItemLimit + ", apply=" + apply
                    + ", schedule=" + schedule + ", endpoint=" + endpoint + "]";
        }
    }

    /** When the reconciler runs on its own. Run it in one instance of the application only. */
    public static class Schedule {

        /**
         * A Spring cron expression (second minute hour day-of-month month day-of-week), e.g. "0 0/30 * * * *" for
         * every 30 minutes; empty (the default) or "-" for no scheduled run.
         */
        private String cron = "";

        /** The time zone of the cron expression, e.g. Europe/Paris; empty for the JVM's default zone. */
        private String zone = "";

        public String getCron() {
            return cron;
        }

        public void setCron(String cron) {
            this.cron = cron;
        }

        public String getZone() {
            return zone;
        }

        public void setZone(String zone) {
            this.zone = zone;
        }

        @Override
        public String toString() {
            return "Schedule[cron='" + cron + "', zone='" + zone + "']";
        }
    }

    /** The actuator endpoint dpstwinreconcile (GET: a dry run; POST: a run that repairs). */
    public static class ReconcileEndpointSettings {

        /** Whether POST to the endpoint may repair drift; off, it answers 403 and only dry runs are possible. */
        private boolean allowApply;

        public boolean isAllowApply() {
            return allowApply;
        }

        public void setAllowApply(boolean allowApply) {
            this.allowApply = allowApply;
        }

        @Override
        public String toString() {
            return "Endpoint[allowApply=" + allowApply + "]";
        }
    }
}
