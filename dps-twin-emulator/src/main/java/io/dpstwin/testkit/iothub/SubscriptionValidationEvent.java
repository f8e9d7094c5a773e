package io.dpstwin.testkit.iothub;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.internal.Wire;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@code Microsoft.EventGrid.SubscriptionValidationEvent} Event Grid POSTs (header
 * {@code aeg-event-type: SubscriptionValidation}) before it delivers events to a webhook using the Event Grid
 * schema. The endpoint proves ownership by answering 200 with {@code {"validationResponse":"<validationCode>"}}
 * (or by a GET of {@code validationUrl}). Immutable; {@code with...} returns a copy.
 */
public final class SubscriptionValidationEvent {

    private final String id;
    private final String topic;
    private final String validationCode;
    private final String validationUrl;
    private final Instant eventTime;

    private SubscriptionValidationEvent(String id, String topic, String validationCode, String validationUrl,
                                        Instant eventTime) {
        this.id = id;
        this.topic = topic;
        this.validationCode = validationCode;
        this.validationUrl = validationUrl;
        this.eventTime = eventTime;
    }

    static SubscriptionValidationEvent create() {
        return new SubscriptionValidationEvent(UUID.randomUUID().toString(),
                "/subscriptions/" + IotHubEvent.DEFAULT_SUBSCRIPTION_ID,
                UUID.randomUUID().toString().toUpperCase(), null, Instant.now());
    }

    /** The event {@code id}. */
    public SubscriptionValidationEvent withId(String id) {
        return new SubscriptionValidationEvent(Objects.requireNonNull(id, "id"), topic, validationCode,
                validationUrl, eventTime);
    }

    /** The {@code topic}; defaults to {@code /subscriptions/00000000-0000-0000-0000-000000000000}. */
    public SubscriptionValidationEvent withTopic(String topic) {
        return new SubscriptionValidationEvent(id, Objects.requireNonNull(topic, "topic"), validationCode,
                validationUrl, eventTime);
    }

    /** The {@code data.validationCode} the endpoint must echo. */
    public SubscriptionValidationEvent withValidationCode(String validationCode) {
        return new SubscriptionValidationEvent(id, topic, Objects.requireNonNull(validationCode, "validationCode"),
                validationUrl, eventTime);
    }

    /** The {@code data.validationUrl}; defaults to an Event Grid-style URL on port 553. */
    public SubscriptionValidationEvent withValidationUrl(String validationUrl) {
        return new SubscriptionValidationEvent(id, topic, validationCode,
                Objects.requireNonNull(validationUrl, "validationUrl"), eventTime);
    }

    /** The {@code eventTime}. */
    public SubscriptionValidationEvent withEventTime(Instant eventTime) {
        return new SubscriptionValidationEvent(id, topic, validationCode, validationUrl,
                Objects.requireNonNull(eventTime, "eventTime"));
    }

    /** The validation code. */
    public String validationCode() {
        return validationCode;
    }

    /** The validation URL. */
    public String validationUrl() {
        return validationUrl != null ? validationUrl
                : "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/dps-twin-test/validate?id="
                + validationCode + "&t=" + Wire.time(eventTime) + "&apiVersion=2018-05-01-preview&token="
                + UUID.nameUUIDFromBytes(validationCode.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The event object. */
    public ObjectNode event() {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("id", id);
        e.put("topic", topic);
        e.put("subject", "");
        ObjectNode data = e.putObject("data");
        data.put("validationCode", validationCode);
        data.put("validationUrl", validationUrl());
        e.put("eventType", EventGridEvents.SUBSCRIPTION_VALIDATION_EVENT_TYPE);
        e.put("eventTime", Wire.time(eventTime));
        e.put("metadataVersion", "1");
        e.put("dataVersion", "1");
        return e;
    }

    /** The request body: an array holding only the validation event. */
    public String toJson() {
        return Wire.writeArray(List.of(event()));
    }

    /** The request headers: {@code aeg-event-type: SubscriptionValidation} and the JSON content type. */
    public Map<String, String> headers() {
        return Map.of(EventGridEvents.EVENT_TYPE_HEADER, EventGridEvents.SUBSCRIPTION_VALIDATION,
                "Content-Type", EventGridEvents.CONTENT_TYPE);
    }

    /** The body a correct endpoint answers with (status 200): {@code {"validationResponse":"<code>"}}. */
    public String expectedResponseJson() {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("validationResponse", validationCode);
        return Wire.write(response);
    }

    @Override
    public String toString() {
        return "SubscriptionValidationEvent" + toJson();
    }
}
