package io.dpstwin.core.lifecycle;

import io.dpstwin.core.support.Json;
import io.dpstwin.core.support.Checks;
import io.dpstwin.core.internal.support.Identifiers;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.EVENT_GRID_DEVICE_CREATED;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.EVENT_GRID_DEVICE_DELETED;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.EVENT_GRID_SUBSCRIPTION_VALIDATION;

/**
 * Reads IoT Hub events delivered by Event Grid, in the Event Grid schema or the CloudEvents 1.0 schema, as
 * {@link ParsedEvent}s. The input is the HTTP body Event Grid posts (or the event a Functions Event Grid trigger
 * hands over as a string): a JSON array of events or a single event object.
 * <ul>
 *   <li>{@code Microsoft.Devices.DeviceCreated} / {@code DeviceDeleted} become lifecycle events with
 *       {@code opType} {@code createDeviceIdentity} / {@code deleteDeviceIdentity} and schema
 *       {@code deviceLifecycleNotification}; the device comes from {@code data.deviceId} (else the subject
 *       {@code devices/{id}}), the hub from {@code data.hubName} (else the topic or source
 *       {@code .../IOTHUBS/{hub}}), a module from {@code data.moduleId} or {@code data.twin.moduleId}, the twin id
 *       and model from {@code data.twin}.</li>
 *   <li>Any other type (device connected/disconnected, telemetry, the subscription validation event) becomes an
 *       event without {@code opType}, which the processor skips as not a lifecycle event.</li>
 *   <li>A body that is not JSON yields one {@link UnparseableEvent}; an element that cannot be read yields an
 *       {@link UnparseableEvent} at its index while the others are read normally.</li>
 * </ul>
 * The subscription validation handshake itself is the host's job (Functions' Event Grid trigger answers it; an HTTP
 * endpoint can use {@link #subscriptionValidationCode(String)}). Thread-safe; never throws for bad input.
 */
public final class EventGridLifecycleParser {

    /** The default bound on a request body: 1 MiB, the largest batch Event Grid delivers. */
    public static final int DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

    private enum Schema { AUTO, EVENT_GRID, CLOUD_EVENTS }

    private final int maxBodySize;

    public EventGridLifecycleParser() {
        this(DEFAULT_MAX_BODY_SIZE);
    }

    /** @param maxBodySize bodies longer than this many characters are refused */
    public EventGridLifecycleParser(int maxBodySize) {
        this.maxBodySize = Checks.atLeast(maxBodySize, 1, "maxBodySize");
    }

    /** Parses events of either schema; each element is read as a CloudEvent when it has {@code specversion}. */
    public List<ParsedEvent> parse(String json) {
        return parse(json, Schema.AUTO);
    }

    /** Parses events in the Event Grid schema. */
    public List<ParsedEvent> parseEventGridSchema(String json) {
        return parse(json, Schema.EVENT_GRID);
    }

    /** Parses CloudEvents 1.0 in JSON format: a single event or a batch ({@code application/cloudevents-batch+json}). */
    public List<ParsedEvent> parseCloudEvents(String json) {
        return parse(json, Schema.CLOUD_EVENTS);
    }

    /**
     * The {@code data.validationCode} when {@code json} is Event Grid's subscription validation request (Event Grid
     * schema), to be answered with {@code 200 {"validationResponse": code}}; empty otherwise (also for bad input).
     */
    public Optional<String> subscriptionValidationCode(String json) {
        if (json == null || json.length() > maxBodySize) {
            return Optional.empty();
        }
        try {
            JsonNode root = JsonSupport.read(json, "body");
            JsonNode event = root.isArray() ? (root.size() == 1 ? root.get(0) : null) : root;
            if (event == null || !event.isObject()
                    || !EVENT_GRID_SUBSCRIPTION_VALIDATION.equals(JsonSupport.text(event, "eventType", ""))) {
                return Optional.empty();
            }
            JsonNode data = JsonSupport.object(event, "data", "");
            return data == null ? Optional.empty() : Optional.ofNullable(JsonSupport.text(data, "validationCode", ""));
        } catch (ParseFailure e) {
            return Optional.empty();
        }
    }

    private List<ParsedEvent> parse(String json, Schema schema) {
        EventSourceKind wholeBodySource = schema == Schema.CLOUD_EVENTS
                ? EventSourceKind.CLOUD_EVENTS : EventSourceKind.EVENT_GRID;
        JsonNode root;
        try {
            if (json == null || json.isBlank()) {
                throw new ParseFailure("body is empty");
            }
            JsonSupport.checkSize(json.length(), maxBodySize, "body");
            root = JsonSupport.read(json, "body");
            if (!root.isArray() && !root.isObject()) {
                throw new ParseFailure("body is " + Json.kind(root) + ", expected an event or an array of events");
            }
        } catch (ParseFailure failure) {
            return List.of(new UnparseableEvent(wholeBodySource, 0, null, null, null, failure.getMessage()));
        }
        List<ParsedEvent> events = new ArrayList<>();
        if (root.isObject()) {
            events.add(element(0, root, schema));
        } else {
            for (int i = 0; i < root.size(); i++) {
                events.add(element(i, root.get(i), schema));
            }
        }
        return events;
    }

    private ParsedEvent element(int index, JsonNode node, Schema schema) {
        boolean cloudEvent = schema == Schema.CLOUD_EVENTS
                || (schema == Schema.AUTO && node.isObject() && node.has("specversion"));
        EventSourceKind source = cloudEvent ? EventSourceKind.CLOUD_EVENTS : EventSourceKind.EVENT_GRID;
        try {
            if (!node.isObject()) {
                throw new ParseFailure("event is " + Json.kind(node) + ", expected an object");
            }
            return cloudEvent ? cloudEvent(node) : eventGridEvent(node);
        } catch (ParseFailure failure) {
            String id = null;
            if (node.isObject() && node.path("id").isTextual()) {
                id = node.path("id").textValue();
            }
            return new UnparseableEvent(source, index, id, null, null, failure.getMessage());
        }
    }

    private LifecycleEvent eventGridEvent(JsonNode event) throws ParseFailure {
        String type = JsonSupport.text(event, "eventType", "");
        if (type == null) {
            throw new ParseFailure(event.has("specversion")
                    ? "a CloudEvent (specversion) where an Event Grid schema event was expected"
                    : "eventType is missing; neither an Event Grid event nor a CloudEvent");
        }
        return common(EventSourceKind.EVENT_GRID, type, event, "topic", "eventTime");
    }

    private LifecycleEvent cloudEvent(JsonNode event) throws ParseFailure {
        String specVersion = JsonSupport.text(event, "specversion", "");
        if (specVersion == null) {
            throw new ParseFailure("specversion is missing; not a CloudEvent");
        }
        if (!"1.0".equals(specVersion)) {
            throw new ParseFailure("specversion " + Identifiers.shown(specVersion) + " is not supported (expected 1.0)");
        }
        String type = JsonSupport.text(event, "type", "");
        if (type == null) {
            throw new ParseFailure("type is missing");
        }
        if (!event.has("data") && event.has("data_base64") && isDeviceLifecycle(type)) {
            throw new ParseFailure("data_base64 is not supported for " + type + "; IoT Hub sends JSON data");
        }
        return common(EventSourceKind.CLOUD_EVENTS, type, event, "source", "time");
    }

    /**
     * The event of either schema: both name the id and subject alike; {@code topicField} and {@code timeField} are
     * the schema's names of the publisher and the event time.
     */
    private LifecycleEvent common(EventSourceKind source, String type, JsonNode event, String topicField,
                                  String timeField) throws ParseFailure {
        String id = JsonSupport.text(event, "id", "");
        String subject = JsonSupport.text(event, "subject", "");
        String topic = JsonSupport.text(event, topicField, "");
        String time = JsonSupport.text(event, timeField, "");
        LifecycleEvent.Builder builder = LifecycleEvent.builder(source).eventId(id).eventType(type);
        if (!isDeviceLifecycle(type)) {
            // Connected/disconnected, telemetry, subscription validation, other publishers: skipped later.
            return builder.deviceId(deviceFromSubject(subject)).build();
        }
        JsonNode data = JsonSupport.object(event, "data", "");
        if (data == null) {
            throw new ParseFailure("data is missing");
        }
        TwinBody twin = TwinBody.read(data.get("twin"), "data.twin");
        String deviceId = JsonSupport.text(data, "deviceId", "data.");
        if (deviceId == null) {
            deviceId = deviceFromSubject(subject);
        }
        if (deviceId == null) {
            throw new ParseFailure("device id is missing (data.deviceId, subject devices/{deviceId})");
        }
        if (!Identifiers.isDeviceId(deviceId)) {
            throw new ParseFailure("deviceId is not a valid IoT Hub device id");
        }
        if (twin.deviceId() != null && !twin.deviceId().equals(deviceId)) {
            throw new ParseFailure("data.twin.deviceId differs from data.deviceId");
        }
        String moduleId = JsonSupport.text(data, "moduleId", "data.");
        if (moduleId == null) {
            moduleId = twin.moduleId();
        }
        if (moduleId == null) {
            moduleId = moduleFromSubject(subject);
        }
        if (moduleId != null && !Identifiers.isDeviceId(moduleId)) {
            throw new ParseFailure("moduleId is not a valid IoT Hub module id");
        }
        String hubName = JsonSupport.text(data, "hubName", "data.");
        if (hubName == null) {
            hubName = hubFromResourceId(topic);
        }
        boolean created = EVENT_GRID_DEVICE_CREATED.equalsIgnoreCase(type);
        return builder
                .opType(created ? IotHubLifecycleNames.OP_CREATE_DEVICE : IotHubLifecycleNames.OP_DELETE_DEVICE)
                .messageSchema(IotHubLifecycleNames.SCHEMA_DEVICE_LIFECYCLE)
                .messageSource(IotHubLifecycleNames.SOURCE_DEVICE_LIFECYCLE)
                .hubName(hubName)
                .deviceId(deviceId)
                .moduleId(moduleId)
                .operationTimestamp(JsonSupport.instant(time, "event time"))
                .tagDtId(twin.tagDtId())
                .tagDtmi(twin.tagDtmi())
                .modelId(twin.modelId())
                .build();
    }

    private static boolean isDeviceLifecycle(String type) {
        return EVENT_GRID_DEVICE_CREATED.equalsIgnoreCase(type) || EVENT_GRID_DEVICE_DELETED.equalsIgnoreCase(type);
    }

    /** {@code devices/{deviceId}} or {@code devices/{deviceId}/modules/{moduleId}} → the device id. */
    private static String deviceFromSubject(String subject) {
        if (subject == null || !subject.startsWith("devices/")) {
            return null;
        }
        String rest = subject.substring("devices/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? null : id;
    }

    private static String moduleFromSubject(String subject) {
        if (subject == null) {
            return null;
        }
        int at = subject.indexOf("/modules/");
        if (!subject.startsWith("devices/") || at < 0) {
            return null;
        }
        String id = subject.substring(at + "/modules/".length());
        return id.isEmpty() ? null : id;
    }

    /** {@code /SUBSCRIPTIONS/.../PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/{hub}} → the hub name. */
    private static String hubFromResourceId(String resourceId) {
        if (resourceId == null) {
            return null;
        }
        String upper = resourceId.toUpperCase(Locale.ROOT);
        int at = upper.lastIndexOf("/IOTHUBS/");
        if (at < 0) {
            return null;
        }
        String hub = resourceId.substring(at + "/IOTHUBS/".length());
        int slash = hub.indexOf('/');
        hub = slash < 0 ? hub : hub.substring(0, slash);
        return hub.isEmpty() ? null : hub;
    }
}
