package io.dpstwin.testkit.iothub;

import io.dpstwin.testkit.internal.Wire;

import java.util.List;
import java.util.Map;

/**
 * Event Grid (Event Grid schema) deliveries: IoT Hub events as the JSON array Event Grid POSTs, the headers it
 * sends, and the subscription validation handshake.
 *
 * <pre>{@code
 * String body = EventGridEvents.toJson(IotHubEvents.deviceDeleted("hub", "dev-1"));
 * SubscriptionValidationEvent validation = EventGridEvents.subscriptionValidation();
 * // POST validation.toJson() with validation.headers(); expect 200 and validation.expectedResponseJson()
 * }</pre>
 */
public final class EventGridEvents {

    /** The header that tells a webhook what Event Grid is delivering. */
    public static final String EVENT_TYPE_HEADER = "aeg-event-type";
    /** {@value} — the {@code aeg-event-type} of ordinary deliveries. */
    public static final String NOTIFICATION = "Notification";
    /** {@value} — the {@code aeg-event-type} of the validation handshake. */
    public static final String SUBSCRIPTION_VALIDATION = "SubscriptionValidation";
    /** {@value} */
    public static final String SUBSCRIPTION_VALIDATION_EVENT_TYPE = "Microsoft.EventGrid.SubscriptionValidationEvent";
    /** Content type of Event Grid deliveries. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private EventGridEvents() {
    }

    /** The events as one Event Grid delivery (a JSON array; Event Grid sends one event per request by default). */
    public static String toJson(IotHubEvent... events) {
        return toJson(List.of(events));
    }

    /** The events as one Event Grid delivery. */
    public static String toJson(List<IotHubEvent> events) {
        return Wire.writeArray(events.stream().map(IotHubEvent::eventGridEvent).toList());
    }

    /** The headers of an ordinary delivery: {@code aeg-event-type: Notification}. */
    public static Map<String, String> notificationHeaders() {
        return Map.of(EVENT_TYPE_HEADER, NOTIFICATION, "Content-Type", CONTENT_TYPE);
    }

    /** A subscription validation event with a random validation code. */
    public static SubscriptionValidationEvent subscriptionValidation() {
        return SubscriptionValidationEvent.create();
    }
}
