package io.dpstwin.testkit.iothub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.internal.Wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One IoT Hub non-telemetry event (device/module lifecycle, twin change or connection state), immutable, with
 * renderings for every way it reaches a consumer:
 * <ul>
 *   <li>message routing to Event Hubs: {@link #applicationProperties()}, {@link #iotHubSystemProperties()} and
 *       {@link #body()} (and a real {@code EventData} via {@link EventHubsEvents}, when azure-messaging-eventhubs is
 *       on the classpath);</li>
 *   <li>the Azure Functions Event Hubs binding: {@link IotHubEventBatch#functionsBinding()};</li>
 *   <li>Event Grid: {@link #eventGridEvent()} / {@link #toEventGridJson()} and CloudEvents 1.0:
 *       {@link #cloudEvent()} / {@link #toCloudEventJson()}.</li>
 * </ul>
 *
 * <p>Create events with {@link IotHubEvents}. Every {@code with...} method returns a new event. Random ids and
 * timestamps are fixed when the event is created, so an event renders identically every time; set them for fully
 * deterministic output. By default IoT Hub's enqueued time is the operation time + 50 ms and the Event Hubs
 * enqueued time is the operation time + 150 ms, so a consumer that reads the wrong timestamp is caught.
 */
public final class IotHubEvent {

    /** Default Azure subscription id used in Event Grid topics. */
    public static final String DEFAULT_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
    /** Default resource group used in Event Grid topics. */
    public static final String DEFAULT_RESOURCE_GROUP = "dps-twin-test-rg";

    static final String CONTENT_TYPE = "application/json";
    static final String CONTENT_ENCODING = "utf-8";
    private static final String ZERO_TIME_Z = "0001-01-01T00:00:00Z";
    private static final String ZERO_TIME = "0001-01-01T00:00:00";
    private static final Object REMOVED = new Object();

    private final State s;

    private IotHubEvent(State state) {
        this.s = state;
    }

    static IotHubEvent of(IotHubEventType type, String hubName, String deviceId, String moduleId) {
        State state = new State();
        state.type = Objects.requireNonNull(type, "type");
        state.hubName = Objects.requireNonNull(hubName, "hubName");
        state.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        state.moduleId = moduleId;
        state.operationTimestamp = Instant.now();
        state.correlationId = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        state.eventId = UUID.randomUUID().toString();
        return new IotHubEvent(state);
    }

    // ---- withers ----------------------------------------------------------------------------------------------

    /** The module this event is about ({@code null}: a device event). */
    public IotHubEvent withModuleId(String moduleId) {
        return with(n -> n.moduleId = moduleId);
    }

    /** The {@code operationTimestamp}; also the Event Grid {@code eventTime}/CloudEvents {@code time}. */
    public IotHubEvent withOperationTimestamp(Instant operationTimestamp) {
        return with(n -> n.operationTimestamp = Objects.requireNonNull(operationTimestamp, "operationTimestamp"));
    }

    /** IoT Hub's {@code iothub-enqueuedtime}; defaults to the operation time + 50 ms. */
    public IotHubEvent withIotHubEnqueuedTime(Instant enqueuedTime) {
        return with(n -> n.iotHubEnqueuedTime = Objects.requireNonNull(enqueuedTime, "enqueuedTime"));
    }

    /** The {@code correlation-id} system property (IoT Hub's unique event id); defaults to 10 random hex digits. */
    public IotHubEvent withCorrelationId(String correlationId) {
        return with(n -> n.correlationId = Objects.requireNonNull(correlationId, "correlationId"));
    }

    /** The Event Grid / CloudEvents {@code id}; defaults to a random UUID. */
    public IotHubEvent withEventId(String eventId) {
        return with(n -> n.eventId = Objects.requireNonNull(eventId, "eventId"));
    }

    /** Adds a twin tag (in the body, and in Event Grid's {@code data.twin}). */
    public IotHubEvent withTag(String name, Object value) {
        Objects.requireNonNull(name, "name");
        return with(n -> n.tags.put(name, Wire.toNode(value)));
    }

    /** Adds the {@code dtId} tag the reference flow stores the digital twin id in. */
    public IotHubEvent withDtId(String dtId) {
        return withTag("dtId", dtId);
    }

    /** Adds a desired property to the twin. */
    public IotHubEvent withDesiredProperty(String name, Object value) {
        Objects.requireNonNull(name, "name");
        return with(n -> n.desired.put(name, Wire.toNode(value)));
    }

    /** Adds a reported property to the twin. */
    public IotHubEvent withReportedProperty(String name, Object value) {
        Objects.requireNonNull(name, "name");
        return with(n -> n.reported.put(name, Wire.toNode(value)));
    }

    /** The twin {@code etag}; defaults to {@code AAAAAAAAAAE=}. */
    public IotHubEvent withTwinEtag(String etag) {
        return with(n -> n.etag = Objects.requireNonNull(etag, "etag"));
    }

    /** The twin {@code version}; defaults to 2. */
    public IotHubEvent withTwinVersion(long version) {
        return with(n -> n.version = version);
    }

    /** The connection-state {@code sequenceNumber} (64 hex digits); defaults to one derived from the operation time. */
    public IotHubEvent withConnectionSequenceNumber(String sequenceNumber) {
        return with(n -> n.connectionSequenceNumber = Objects.requireNonNull(sequenceNumber, "sequenceNumber"));
    }

    /**
     * Replaces the routed message body (Event Hubs / Functions only; Event Grid data is still built from the
     * fields) with any text, e.g. a non-JSON string for negative tests.
     */
    public IotHubEvent withBody(String body) {
        return with(n -> n.rawBody = Objects.requireNonNull(body, "body"));
    }

    /**
     * Sets ({@code value != null}) or removes ({@code value == null}) an application property after the
     * documented ones, e.g. {@code withApplicationProperty("hubName", null)} for an event without a hub name.
     */
    public IotHubEvent withApplicationProperty(String name, Object value) {
        Objects.requireNonNull(name, "name");
        return with(n -> n.appOverrides.put(name, value == null ? REMOVED : value));
    }

    /** Sets or removes ({@code null}) an IoT Hub system property, like {@link #withApplicationProperty}. */
    public IotHubEvent withSystemProperty(String name, Object value) {
        Objects.requireNonNull(name, "name");
        return with(n -> n.sysOverrides.put(name, value == null ? REMOVED : value));
    }

    /** The Event Hubs sequence number and offset; unset events get them from {@link IotHubEventBatch}. */
    public IotHubEvent withPosition(long sequenceNumber, String offset) {
        Objects.requireNonNull(offset, "offset");
        return with(n -> {
            n.sequenceNumber = sequenceNumber;
            n.offset = offset;
        });
    }

    /** The Event Hubs enqueued time ({@code x-opt-enqueued-time}); defaults to the operation time + 150 ms. */
    public IotHubEvent withEventHubsEnqueuedTime(Instant enqueuedTime) {
        return with(n -> n.eventHubsEnqueuedTime = Objects.requireNonNull(enqueuedTime, "enqueuedTime"));
    }

    /** The Event Hubs partition key; IoT Hub routing leaves it unset (the default). */
    public IotHubEvent withPartitionKey(String partitionKey) {
        return with(n -> n.partitionKey = partitionKey);
    }

    /** The Azure subscription and resource group of the hub, used in Event Grid {@code topic}/CloudEvents {@code source}. */
    public IotHubEvent withAzureResource(String subscriptionId, String resourceGroup) {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(resourceGroup, "resourceGroup");
        return with(n -> {
            n.subscriptionId = subscriptionId;
            n.resourceGroup = resourceGroup;
        });
    }

    // ---- accessors --------------------------------------------------------------------------------------------

    /** The kind of event. */
    public IotHubEventType type() {
        return s.type;
    }

    /** The hub that emitted the event (short name, e.g. {@code my-hub}). */
    public String hubName() {
        return s.hubName;
    }

    /** The device id. */
    public String deviceId() {
        return s.deviceId;
    }

    /** The module id, for module events. */
    public Optional<String> moduleId() {
        return Optional.ofNullable(s.moduleId);
    }

    /** The operation time. */
    public Instant operationTimestamp() {
        return s.operationTimestamp;
    }

    /** IoT Hub's enqueued time. */
    public Instant iotHubEnqueuedTime() {
        return s.iotHubEnqueuedTime != null ? s.iotHubEnqueuedTime : s.operationTimestamp.plusMillis(50);
    }

    /** The {@code correlation-id}. */
    public String correlationId() {
        return s.correlationId;
    }

    /** The Event Grid / CloudEvents id. */
    public String eventId() {
        return s.eventId;
    }

    /** Where the event sits in its Event Hubs partition (sequence 0, offset "0" unless set or batched). */
    public EventHubsPosition eventHubsPosition() {
        return new EventHubsPosition(s.sequenceNumber != null ? s.sequenceNumber : 0L,
                s.offset != null ? s.offset : "0",
                s.eventHubsEnqueuedTime != null ? s.eventHubsEnqueuedTime : s.operationTimestamp.plusMillis(150),
                s.partitionKey);
    }

    boolean hasPosition() {
        return s.sequenceNumber != null;
    }

    /**
     * The Event Grid topic / CloudEvents source:
     * {@code /SUBSCRIPTIONS/<sub>/RESOURCEGROUPS/<rg>/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/<hub>}, upper case as IoT
     * Hub publishes it (so read the hub name from {@code data.hubName}, not from here).
     */
    public String azureResourceId() {
        return ("/SUBSCRIPTIONS/" + s.subscriptionId + "/RESOURCEGROUPS/" + s.resourceGroup
                + "/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/" + s.hubName).toUpperCase(Locale.ROOT);
    }

    // ---- Event Hubs (message routing) -------------------------------------------------------------------------

    /**
     * The application properties IoT Hub sets, in its order: {@code hubName}, {@code deviceId}, {@code moduleId}
     * (modules only), {@code operationTimestamp}, {@code opType}, {@code iothub-message-schema}; all strings.
     */
    public Map<String, Object> applicationProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hubName", s.hubName);
        p.put("deviceId", s.deviceId);
        if (s.moduleId != null) {
            p.put("moduleId", s.moduleId);
        }
        p.put("operationTimestamp", Wire.time(s.operationTimestamp));
        p.put("opType", s.type.opType());
        p.put("iothub-message-schema", s.type.messageSchema());
        applyOverrides(p, s.appOverrides);
        return Collections.unmodifiableMap(p);
    }

    /**
     * The system properties IoT Hub sets (AMQP properties and {@code iothub-*} annotations), with the documented
     * types: strings, and {@code iothub-enqueuedtime} as epoch milliseconds. {@code user-id} is the hub name.
     * Event Hubs' own {@code x-opt-*} annotations are not included (see {@link #eventHubsPosition()}).
     */
    public Map<String, Object> iotHubSystemProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("content-type", CONTENT_TYPE);
        p.put("content-encoding", CONTENT_ENCODING);
        p.put("correlation-id", s.correlationId);
        p.put("user-id", s.hubName);
        p.put("iothub-connection-device-id", s.deviceId);
        if (s.moduleId != null) {
            p.put("iothub-connection-module-id", s.moduleId);
        }
        p.put("iothub-enqueuedtime", iotHubEnqueuedTime().toEpochMilli());
        p.put("iothub-message-source", s.type.messageSource());
        applyOverrides(p, s.sysOverrides);
        return Collections.unmodifiableMap(p);
    }

    /** The routed message body (UTF-8 JSON): the twin, the twin change or the connection sequence number. */
    public String body() {
        return s.rawBody != null ? s.rawBody : Wire.write(bodyNode());
    }

    /** The body as bytes, as Event Hubs carries it. */
    public byte[] bodyBytes() {
        return body().getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode bodyNode() {
        return switch (s.type) {
            case DEVICE_CREATED, DEVICE_DELETED, LEGACY_MODULE_CREATED, LEGACY_MODULE_DELETED, TWIN_REPLACED ->
                    routedTwin();
            case TWIN_UPDATED -> twinPatch();
            case DEVICE_CONNECTED, DEVICE_DISCONNECTED -> {
                ObjectNode node = JsonNodeFactory.instance.objectNode();
                node.put("sequenceNumber", connectionSequenceNumber());
                yield node;
            }
        };
    }

    /** The twin as IoT Hub routes it in lifecycle events (documented module-create example shape). */
    private ObjectNode routedTwin() {
        ObjectNode twin = JsonNodeFactory.instance.objectNode();
        twin.put("deviceId", s.deviceId);
        if (s.moduleId != null) {
            twin.put("moduleId", s.moduleId);
        }
        twin.put("etag", s.etag);
        twin.put("version", s.version);
        putTags(twin);
        ObjectNode properties = twin.putObject("properties");
        properties.set("desired", twinProperties(s.desired, ZERO_TIME_Z));
        properties.set("reported", twinProperties(s.reported, ZERO_TIME_Z));
        return twin;
    }

    /** An {@code updateTwin} body: version, changed tags and desired properties with their metadata. */
    private ObjectNode twinPatch() {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.put("version", s.version);
        putTags(patch);
        long desiredVersion = Math.max(1, s.version - 1);
        String when = Wire.time(s.operationTimestamp);
        ObjectNode desired = patch.putObject("properties").putObject("desired");
        s.desired.forEach((k, v) -> desired.set(k, v.deepCopy()));
        ObjectNode metadata = desired.putObject("$metadata");
        metadata.put("$lastUpdated", when);
        metadata.put("$lastUpdatedVersion", desiredVersion);
        s.desired.keySet().forEach(k -> {
            ObjectNode m = metadata.putObject(k);
            m.put("$lastUpdated", when);
            m.put("$lastUpdatedVersion", desiredVersion);
        });
        desired.put("$version", desiredVersion);
        return patch;
    }

    private ObjectNode twinProperties(Map<String, JsonNode> values, String lastUpdated) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        values.forEach((k, v) -> node.set(k, v.deepCopy()));
        node.putObject("$metadata").put("$lastUpdated", lastUpdated);
        node.put("$version", 1);
        return node;
    }

    private void putTags(ObjectNode twin) {
        if (!s.tags.isEmpty()) {
            ObjectNode tags = twin.putObject("tags");
            s.tags.forEach((k, v) -> tags.set(k, v.deepCopy()));
        }
    }

    private String connectionSequenceNumber() {
        if (s.connectionSequenceNumber != null) {
            return s.connectionSequenceNumber;
        }
        Duration sinceEpoch = Duration.between(Instant.EPOCH, s.operationTimestamp);
        long ticks = sinceEpoch.getSeconds() * 10_000_000L + sinceEpoch.getNano() / 100;
        return "%016X%016X%08X%024X".formatted(0L, ticks, 2, 1);
    }

    // ---- Event Grid and CloudEvents ---------------------------------------------------------------------------

    /**
     * The Event Grid event (one element of the array Event Grid POSTs): {@code id}, {@code topic}, {@code subject}
     * ({@code devices/<deviceId>}), {@code eventType}, {@code eventTime}, {@code data}, {@code dataVersion},
     * {@code metadataVersion}.
     *
     * @throws IllegalStateException for events IoT Hub does not publish to Event Grid (twin changes, legacy
     *                               module opTypes)
     */
    public ObjectNode eventGridEvent() {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("id", s.eventId);
        e.put("topic", azureResourceId());
        e.put("subject", subject());
        e.put("eventType", eventGridType());
        e.put("eventTime", Wire.time(s.operationTimestamp));
        e.set("data", eventGridData());
        e.put("dataVersion", "1");
        e.put("metadataVersion", "1");
        return e;
    }

    /** This event as the JSON array (of one) Event Grid POSTs to a webhook. */
    public String toEventGridJson() {
        return EventGridEvents.toJson(this);
    }

    /**
     * The CloudEvents 1.0 event (structured mode): {@code id}, {@code source} (the hub's resource id),
     * {@code subject}, {@code type}, {@code time}, {@code data}, {@code specversion}.
     *
     * @throws IllegalStateException for events IoT Hub does not publish to Event Grid
     */
    public ObjectNode cloudEvent() {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("id", s.eventId);
        e.put("source", azureResourceId());
        e.put("subject", subject());
        e.put("type", eventGridType());
        e.put("time", Wire.time(s.operationTimestamp));
        e.set("data", eventGridData());
        e.put("specversion", "1.0");
        return e;
    }

    /** This event as a single structured-mode CloudEvent ({@code application/cloudevents+json}). */
    public String toCloudEventJson() {
        return Wire.write(cloudEvent());
    }

    private String subject() {
        return "devices/" + s.deviceId;
    }

    private String eventGridType() {
        return s.type.eventGridType().orElseThrow(() -> new IllegalStateException(
                "IoT Hub publishes no Event Grid event for opType " + s.type.opType()
                        + "; only device created/deleted/connected/disconnected (and telemetry) reach Event Grid"));
    }

    private ObjectNode eventGridData() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (s.type == IotHubEventType.DEVICE_CONNECTED || s.type == IotHubEventType.DEVICE_DISCONNECTED) {
            data.putObject("deviceConnectionStateEventInfo").put("sequenceNumber", connectionSequenceNumber());
        } else {
            data.set("twin", eventGridTwin());
        }
        data.put("hubName", s.hubName);
        data.put("deviceId", s.deviceId);
        if (s.moduleId != null) {
            data.put("moduleId", s.moduleId);
        }
        return data;
    }

    /** The twin as Event Grid's documented DeviceCreated/DeviceDeleted example shows it. */
    private ObjectNode eventGridTwin() {
        ObjectNode twin = JsonNodeFactory.instance.objectNode();
        twin.put("deviceId", s.deviceId);
        if (s.moduleId != null) {
            twin.put("moduleId", s.moduleId);
        }
        twin.put("etag", s.etag);
        twin.put("deviceEtag", "null");
        twin.put("status", "enabled");
        twin.put("statusUpdateTime", ZERO_TIME);
        twin.put("connectionState", "Disconnected");
        twin.put("lastActivityTime", ZERO_TIME);
        twin.put("cloudToDeviceMessageCount", 0);
        twin.put("authenticationType", "sas");
        ObjectNode thumbprint = twin.putObject("x509Thumbprint");
        thumbprint.putNull("primaryThumbprint");
        thumbprint.putNull("secondaryThumbprint");
        twin.put("version", s.version);
        putTags(twin);
        ObjectNode properties = twin.putObject("properties");
        String when = Wire.time(s.operationTimestamp);
        properties.set("desired", twinProperties(s.desired, when));
        properties.set("reported", twinProperties(s.reported, when));
        return twin;
    }

    private static void applyOverrides(Map<String, Object> target, Map<String, Object> overrides) {
        overrides.forEach((k, v) -> {
            if (v == REMOVED) {
                target.remove(k);
            } else {
                target.put(k, v);
            }
        });
    }

    @Override
    public String toString() {
        return "IotHubEvent[" + s.type.opType() + " " + s.hubName + "/" + s.deviceId
                + (s.moduleId != null ? "/" + s.moduleId : "") + " at " + Wire.time(s.operationTimestamp) + "]";
    }

    private IotHubEvent with(Consumer<State> change) {
        State copy = new State(s);
        change.accept(copy);
        return new IotHubEvent(copy);
    }

    /** Mutable state, only mutated on a fresh copy inside {@link #with}. */
    private static final class State {
        IotHubEventType type;
        String hubName;
        String deviceId;
        String moduleId;
        Instant operationTimestamp;
        Instant iotHubEnqueuedTime;
        Instant eventHubsEnqueuedTime;
        String correlationId;
        String eventId;
        String etag = "AAAAAAAAAAE=";
        long version = 2;
        Map<String, JsonNode> tags = new LinkedHashMap<>();
        Map<String, JsonNode> desired = new LinkedHashMap<>();
        Map<String, JsonNode> reported = new LinkedHashMap<>();
        String connectionSequenceNumber;
        String rawBody;
        Map<String, Object> appOverrides = new LinkedHashMap<>();
        Map<String, Object> sysOverrides = new LinkedHashMap<>();
        Long sequenceNumber;
        String offset;
        String partitionKey;
        String subscriptionId = DEFAULT_SUBSCRIPTION_ID;
        String resourceGroup = DEFAULT_RESOURCE_GROUP;

        State() {
        }

        State(State o) {
            type = o.type;
            hubName = o.hubName;
            deviceId = o.deviceId;
            moduleId = o.moduleId;
            operationTimestamp = o.operationTimestamp;
            iotHubEnqueuedTime = o.iotHubEnqueuedTime;
            eventHubsEnqueuedTime = o.eventHubsEnqueuedTime;
            correlationId = o.correlationId;
            eventId = o.eventId;
            etag = o.etag;
            version = o.version;
            tags = copy(o.tags);
            desired = copy(o.desired);
            reported = copy(o.reported);
            connectionSequenceNumber = o.connectionSequenceNumber;
            rawBody = o.rawBody;
            appOverrides = new LinkedHashMap<>(o.appOverrides);
            sysOverrides = new LinkedHashMap<>(o.sysOverrides);
            sequenceNumber = o.sequenceNumber;
            offset = o.offset;
            partitionKey = o.partitionKey;
            subscriptionId = o.subscriptionId;
            resourceGroup = o.resourceGroup;
        }

        private static Map<String, JsonNode> copy(Map<String, JsonNode> source) {
            Map<String, JsonNode> copy = new LinkedHashMap<>();
            source.forEach((k, v) -> copy.put(k, v.deepCopy()));
            return copy;
        }
    }
}
