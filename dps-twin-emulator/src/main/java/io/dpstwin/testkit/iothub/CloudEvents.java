package io.dpstwin.testkit.iothub;

import io.dpstwin.testkit.internal.Wire;

import java.util.List;
import java.util.Map;

/**
 * Event Grid deliveries in the CloudEvents 1.0 schema (structured mode) and its validation handshake: instead of
 * a validation event, Event Grid sends an HTTP {@code OPTIONS} request with {@code WebHook-Request-Origin}; the
 * endpoint answers 200 with {@code WebHook-Allowed-Origin} set to that origin (or {@code *}).
 *
 * <pre>{@code
 * String single = IotHubEvents.deviceDeleted("hub", "dev-1").toCloudEventJson();
 * String batch = CloudEvents.toBatchJson(event1, event2);
 * }</pre>
 */
public final class CloudEvents {

    /** Content type of a single structured-mode event. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";
    /** Content type of a batch. */
    public static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json; charset=utf-8";
    /** Request header of the abuse-protection handshake. */
    public static final String REQUEST_ORIGIN_HEADER = "WebHook-Request-Origin";
    /** Response header of the abuse-protection handshake. */
    public static final String ALLOWED_ORIGIN_HEADER = "WebHook-Allowed-Origin";
    /** The origin Event Grid announces. */
    public static final String EVENT_GRID_ORIGIN = "eventgrid.azure.net";

    private CloudEvents() {
    }

    /** The events as a CloudEvents batch (a JSON array). */
    public static String toBatchJson(IotHubEvent... events) {
        return toBatchJson(List.of(events));
    }

    /** The events as a CloudEvents batch (a JSON array). */
    public static String toBatchJson(List<IotHubEvent> events) {
        return Wire.writeArray(events.stream().map(IotHubEvent::cloudEvent).toList());
    }

    /** The headers of Event Grid's {@code OPTIONS} validation request. */
    public static Map<String, String> validationRequestHeaders() {
        return Map.of(REQUEST_ORIGIN_HEADER, EVENT_GRID_ORIGIN);
    }
}
