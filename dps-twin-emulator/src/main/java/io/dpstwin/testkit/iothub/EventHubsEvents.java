package io.dpstwin.testkit.iothub;

import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.PartitionContext;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IoT Hub events as the Event Hubs SDK ({@code azure-messaging-eventhubs}) hands them to a consumer: real
 * {@link EventData} with application properties, read-only system properties ({@code iothub-*} annotations, AMQP
 * {@code content-type}, {@code content-encoding}, {@code correlation-id}, {@code user-id}), sequence number, offset
 * and enqueued time — as for a received event, unlike a user-built {@code new EventData(...)}.
 *
 * <p>Requires {@code azure-messaging-eventhubs} (an optional dependency of the testkit); it uses only the SDK's
 * public API, so it works on the module path too. The rest of this package works without the SDK.
 *
 * <p>Value types follow the SDK: {@code user-id} is a {@code byte[]} (the hub name in UTF-8),
 * {@code iothub-enqueuedtime} a {@link Date} (an AMQP timestamp), {@code x-opt-enqueued-time} an
 * {@link java.time.Instant}, {@code x-opt-sequence-number} a {@code Long}, {@code x-opt-offset} a {@code String};
 * {@link EventData#getProperties()} is unmodifiable, as on received events.
 *
 * <pre>{@code
 * EventData data = EventHubsEvents.eventData(IotHubEvents.deviceDeleted("hub", "dev-1"));
 * data.getSystemProperties().get("iothub-message-source");   // "deviceLifecycleEvents"
 * }</pre>
 */
public final class EventHubsEvents {

    /** Fully qualified namespace of the default partition context. */
    public static final String DEFAULT_NAMESPACE = "dps-twin-test.servicebus.windows.net";
    /** Event hub name of the default partition context. */
    public static final String DEFAULT_EVENT_HUB = "iothub-lifecycle";

    private static final Set<String> AMQP_PROPERTIES =
            Set.of("content-type", "content-encoding", "correlation-id", "user-id");

    private EventHubsEvents() {
    }

    /** The event as a received {@link EventData}. */
    public static EventData eventData(IotHubEvent event) {
        Map<String, Object> amqp = new LinkedHashMap<>();
        Map<String, Object> annotations = new LinkedHashMap<>();
        event.iotHubSystemProperties().forEach((k, v) -> {
            if (AMQP_PROPERTIES.contains(k)) {
                amqp.put(k, "user-id".equals(k) ? userId(v) : text(v));
            } else {
                annotations.put(k, "iothub-enqueuedtime".equals(k) && v instanceof Number n
                        ? new Date(n.longValue()) : v);
            }
        });
        return new ReceivedEventData(event.bodyBytes(), event.applicationProperties(), amqp, annotations,
                event.eventHubsPosition());
    }

    /** Every event of the batch as a received {@link EventData}, in order. */
    public static List<EventData> eventData(IotHubEventBatch batch) {
        return batch.events().stream().map(EventHubsEvents::eventData).toList();
    }

    /**
     * An {@link EventBatchContext} for an {@code EventProcessorClient} batch handler: partition {@code "0"} of
     * {@value #DEFAULT_EVENT_HUB} in {@value #DEFAULT_NAMESPACE}, consumer group {@code $Default}.
     * {@code updateCheckpoint()} writes the last event's sequence number and offset to {@code checkpointStore}.
     */
    public static EventBatchContext batchContext(IotHubEventBatch batch, CheckpointStore checkpointStore) {
        PartitionContext partition = new PartitionContext(DEFAULT_NAMESPACE, DEFAULT_EVENT_HUB, "$Default", "0");
        return new EventBatchContext(partition, eventData(batch), checkpointStore, null);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static byte[] userId(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof byte[] bytes ? bytes : value.toString().getBytes(StandardCharsets.UTF_8);
    }
}
