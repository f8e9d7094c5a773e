package io.dpstwin.testkit.iothub;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EventData read back through the public Event Hubs SDK API only. */
class EventHubsEventsTest {

    private final Instant operation = Instant.parse("2022-05-27T18:49:38.4904785Z");
    private final IotHubEvent moduleCreated = IotHubEvents.moduleCreated("contoso-routing-hub", "contoso-device-2",
                    "module-1")
            .withOperationTimestamp(operation)
            .withCorrelationId("c5a4e6986c")
            .withIotHubEnqueuedTime(Instant.ofEpochMilli(1653677378534L))
            .withEventHubsEnqueuedTime(Instant.ofEpochMilli(1653677378643L))
            .withPosition(62, "31768");

    @Test
    void applicationPropertiesAreReadBackAndUnmodifiableLikeOnAReceivedEvent() {
        EventData data = EventHubsEvents.eventData(moduleCreated);

        assertThat(data.getProperties()).containsOnly(
                Map.entry("hubName", "contoso-routing-hub"),
                Map.entry("deviceId", "contoso-device-2"),
                Map.entry("moduleId", "module-1"),
                Map.entry("operationTimestamp", "2022-05-27T18:49:38.4904785Z"),
                Map.entry("opType", "createDeviceIdentity"),
                Map.entry("iothub-message-schema", "deviceLifecycleNotification"));
        assertThatThrownBy(() -> data.getProperties().put("opType", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void systemPropertiesAreReadBackWithTheSdkTypes() {
        Map<String, Object> system = EventHubsEvents.eventData(moduleCreated).getSystemProperties();

        assertThat(system.get("iothub-connection-device-id")).isEqualTo("contoso-device-2");
        assertThat(system.get("iothub-connection-module-id")).isEqualTo("module-1");
        assertThat(system.get("iothub-message-source")).isEqualTo("deviceLifecycleEvents");
        assertThat(system.get("iothub-enqueuedtime")).isEqualTo(new Date(1653677378534L));
        assertThat(system.get("content-type")).isEqualTo("application/json");
        assertThat(system.get("content-encoding")).isEqualTo("utf-8");
        assertThat(system.get("correlation-id")).isEqualTo("c5a4e6986c");
        assertThat((byte[]) system.get("user-id")).asString(StandardCharsets.UTF_8).isEqualTo("contoso-routing-hub");
        assertThat(system.get("x-opt-sequence-number")).isEqualTo(62L);
        assertThat(system.get("x-opt-offset")).isEqualTo("31768");
        assertThat(system.get("x-opt-enqueued-time")).isEqualTo(Instant.ofEpochMilli(1653677378643L));
        assertThat(system.keySet()).contains("iothub-connection-device-id", "iothub-message-source",
                "correlation-id", "user-id", "x-opt-sequence-number");
        assertThatThrownBy(() -> system.put("iothub-message-source", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sequenceNumberOffsetEnqueuedTimeBodyAndAmqpPropertiesAreReadBack() {
        EventData data = EventHubsEvents.eventData(moduleCreated.withPartitionKey("contoso-device-2"));

        assertThat(data.getSequenceNumber()).isEqualTo(62L);
        assertThat(data.getOffsetString()).isEqualTo("31768");
        assertThat(data.getEnqueuedTime()).isEqualTo(Instant.ofEpochMilli(1653677378643L));
        assertThat(data.getPartitionKey()).isEqualTo("contoso-device-2");
        assertThat(data.getContentType()).isEqualTo("application/json");
        assertThat(data.getCorrelationId()).isEqualTo("c5a4e6986c");
        assertThat(data.getBodyAsString()).isEqualTo(moduleCreated.body());
    }

    @Test
    void deviceEventsHaveNoModuleIdAndUnpositionedEventsStartAtZero() {
        EventData data = EventHubsEvents.eventData(IotHubEvents.deviceDeleted("hub", "dev-1"));

        assertThat(data.getProperties()).doesNotContainKey("moduleId");
        assertThat(data.getSystemProperties()).doesNotContainKey("iothub-connection-module-id");
        assertThat(data.getSequenceNumber()).isZero();
        assertThat(data.getOffsetString()).isEqualTo("0");
        assertThat(data.getPartitionKey()).isNull();
    }

    @Test
    void aBatchBecomesConsecutiveEventsAndCheckpointsAtItsLastEvent() {
        IotHubEventBatch batch = IotHubEventBatch.startingAt(5, 100, List.of(
                IotHubEvents.deviceDeleted("hub", "a"), IotHubEvents.deviceDeleted("hub", "b")));
        List<EventData> events = EventHubsEvents.eventData(batch);
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();

        EventBatchContext context = EventHubsEvents.batchContext(batch, store);
        context.updateCheckpoint();

        assertThat(events).extracting(EventData::getSequenceNumber).containsExactly(5L, 6L);
        assertThat(events.get(1).getProperties()).containsEntry("deviceId", "b");
        assertThat(context.getEvents()).hasSize(2);
        assertThat(context.getPartitionContext().getPartitionId()).isEqualTo("0");
        assertThat(store.writes()).hasSize(1);
        Checkpoint checkpoint = store.writes().get(0);
        assertThat(checkpoint.getSequenceNumber()).isEqualTo(6L);
        assertThat(checkpoint.getOffsetString()).isEqualTo(events.get(1).getOffsetString());
        assertThat(checkpoint.getEventHubName()).isEqualTo(EventHubsEvents.DEFAULT_EVENT_HUB);
    }
}
