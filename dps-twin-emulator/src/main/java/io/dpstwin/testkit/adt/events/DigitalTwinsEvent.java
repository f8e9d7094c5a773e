package io.dpstwin.testkit.adt.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A notification or telemetry message as ADT routes it to an endpoint: a CloudEvents 1.0 event with ADT's attributes
 * (https://learn.microsoft.com/azure/digital-twins/concepts-event-notifications).
 *
 * <ul>
 *   <li>twin create/delete: {@code subject} the twin id, {@code data} the twin as a {@code GET} returns it (for a
 *       delete, its last state);</li>
 *   <li>twin update: {@code subject} the twin id, {@code data} {@code {"modelId":…,"patch":[…]}};</li>
 *   <li>relationship create/delete: {@code subject} {@code <twin id>/relationships/<relationship id>}, {@code data}
 *       the relationship; update: {@code {"modelId":…,"patch":[…]}};</li>
 *   <li>telemetry: {@code id} the caller's {@code Message-Id}, {@code source} {@code <host>/digitaltwins/<twin id>},
 *       {@code subject} the component (absent for the twin itself), {@code dataschema} the model of the twin or
 *       component, {@code data} the payload unchanged.</li>
 * </ul>
 *
 * @param telemetrySourceTime the {@code Telemetry-Source-Time} the publisher sent (telemetry only), or {@code null}
 */
public record DigitalTwinsEvent(String id, EventType type, String source, String subject, String dataSchema,
                                Instant time, String traceParent, JsonNode data, String telemetrySourceTime) {

    /** The CloudEvents spec version ADT sends. */
    public static final String SPEC_VERSION = "1.0";
    /** The content type of every event's {@code data}. */
    public static final String DATA_CONTENT_TYPE = "application/json";

    public DigitalTwinsEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        data = data.deepCopy();
    }

    /** The data, a copy. */
    @Override
    public JsonNode data() {
        return data.deepCopy();
    }

    /** The subject, when the event has one. */
    public Optional<String> subjectIfAny() {
        return Optional.ofNullable(subject);
    }

    /** The event as a structured-mode CloudEvents JSON object, as a webhook endpoint receives it. */
    public ObjectNode toCloudEvent() {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("specversion", SPEC_VERSION);
        event.put("id", id);
        event.put("type", type.cloudEventType());
        event.put("source", source);
        if (subject != null) {
            event.put("subject", subject);
        }
        if (dataSchema != null) {
            event.put("dataschema", dataSchema);
        }
        event.put("time", time.toString());
        event.put("datacontenttype", DATA_CONTENT_TYPE);
        if (traceParent != null) {
            event.put("traceparent", traceParent);
        }
        event.set("data", data.deepCopy());
        return event;
    }
}
