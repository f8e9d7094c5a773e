package io.dpstwin.docs.testing;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.testkit.iothub.CloudEvents;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.EventHubsEvents;
import io.dpstwin.testkit.iothub.FunctionsEventHubsBinding;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.InMemoryCheckpointStore;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.iothub.SubscriptionValidationEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The IoT Hub event builder examples of docs/testing.md. */
class IotHubEventExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The event of the first example, for the others. */
    private static IotHubEvent deviceDeleted() {
        return IotHubEvents.deviceDeleted("my-hub", "dev-1")
                .withDtId("twin-dev-1")
                .withOperationTimestamp(Instant.parse("2024-05-01T10:00:00Z"))
                .withCorrelationId("c5a4e6986c");
    }

    private static IotHubEventBatch batch() {
        // tag::batch[]
        IotHubEventBatch batch = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("my-hub", "dev-1"),
                IotHubEvents.moduleDeleted("my-hub", "dev-2", "edgeAgent"),   // decoys: not a device deletion
                IotHubEvents.twinUpdated("my-hub", "dev-3"));
        // end::batch[]
        return batch;
    }

    @Test
    void buildsALifecycleEventAsIotHubRoutesIt() throws IOException {
        // tag::event[]
        IotHubEvent deleted = IotHubEvents.deviceDeleted("my-hub", "dev-1")
                .withDtId("twin-dev-1")                                     // the twin tag, in the body
                .withOperationTimestamp(Instant.parse("2024-05-01T10:00:00Z"))
                .withCorrelationId("c5a4e6986c");

        assertThat(deleted.applicationProperties())
                .containsEntry("hubName", "my-hub")
                .containsEntry("deviceId", "dev-1")
                .containsEntry("operationTimestamp", "2024-05-01T10:00:00.0000000Z")
                .containsEntry("opType", "deleteDeviceIdentity")
                .containsEntry("iothub-message-schema", "deviceLifecycleNotification");
        assertThat(deleted.iotHubSystemProperties())
                .containsEntry("correlation-id", "c5a4e6986c")
                .containsEntry("iothub-connection-device-id", "dev-1")
                .containsEntry("iothub-message-source", "deviceLifecycleEvents")
                .containsEntry("iothub-enqueuedtime", Instant.parse("2024-05-01T10:00:00.050Z").toEpochMilli());  // +50 ms
        assertThat(deleted.body())   // the device twin
                .startsWith("{\"deviceId\":\"dev-1\",\"etag\":\"AAAAAAAAAAE=\",\"version\":2,\"tags\":{\"dtId\":\"twin-dev-1\"}");
        // end::event[]
        assertThat(JSON.readTree(deleted.body()).has("properties")).isTrue();
        assertThat(deleted.iotHubSystemProperties()).containsKeys("content-type", "content-encoding", "user-id");
        assertThat(IotHubEvents.hubNameOf("my-hub.azure-devices.net")).isEqualTo("my-hub");
        assertThat(IotHubEvents.moduleDeleted("my-hub", "dev-2", "edgeAgent").applicationProperties())
                .containsEntry("opType", "deleteDeviceIdentity").containsEntry("moduleId", "edgeAgent");
    }

    @Test
    void positionsTheEventsOfABatch() {
        IotHubEventBatch batch = batch();

        assertThat(batch.events()).extracting(e -> e.eventHubsPosition().sequenceNumber())
                .containsExactly(0L, 1L, 2L);
        long secondOffset = batch.events().get(0).bodyBytes().length;
        assertThat(batch.events().get(1).eventHubsPosition().offset()).isEqualTo(Long.toString(secondOffset));
        IotHubEventBatch later = IotHubEventBatch.startingAt(500, 81920, batch.events().stream()
                .map(e -> IotHubEvents.of(e.type(), e.hubName(), e.deviceId())).toList());
        assertThat(later.events().get(0).eventHubsPosition().sequenceNumber()).isEqualTo(500L);
    }

    @Test
    void buildsReceivedEventData() {
        IotHubEvent deleted = deviceDeleted();
        IotHubEventBatch batch = batch();
        InMemoryCheckpointStore checkpointStore = new InMemoryCheckpointStore();
        // tag::event-data[]
        EventData data = EventHubsEvents.eventData(deleted);
        assertThat(data.getProperties()).containsEntry("opType", "deleteDeviceIdentity");
        assertThat(data.getSystemProperties()).containsEntry("iothub-connection-device-id", "dev-1");
        assertThat(data.getEnqueuedTime()).isEqualTo(Instant.parse("2024-05-01T10:00:00.150Z"));   // + 150 ms

        EventBatchContext context = EventHubsEvents.batchContext(batch, checkpointStore);   // for processEventBatch
        assertThat(context.getEvents()).extracting(EventData::getSequenceNumber).containsExactly(0L, 1L, 2L);
        context.updateCheckpoint();                                                           // into your store
        // end::event-data[]
        assertThat(checkpointStore.writes()).singleElement()
                .satisfies(checkpoint -> assertThat(checkpoint.getSequenceNumber()).isEqualTo(2L));
        assertThat(EventHubsEvents.eventData(batch)).hasSize(3);
        assertThat(data.getSystemProperties().get("user-id")).isInstanceOf(byte[].class);
        assertThatThrownBy(() -> data.getProperties().put("opType", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void feedsAFunctionsEventHubsTrigger() {
        IotHubEventBatch batch = batch();
        RetiredDevicesFunction myFunction = new RetiredDevicesFunction();
        // tag::functions-binding[]
        FunctionsEventHubsBinding binding = batch.functionsBinding();
        List<String> retired = myFunction.run(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray());

        assertThat(retired).containsExactly("dev-1");   // the module deletion and the twin change are decoys
        assertThat(myFunction.run(binding.messages(), binding.withNumbersAsDoubles().propertiesArray(),
                binding.withNumbersAsDoubles().systemPropertiesArray())).containsExactly("dev-1");
        // end::functions-binding[]
        Map<String, Object> system = binding.systemPropertiesArray()[0];
        assertThat(system).containsEntry("SequenceNumber", 0L).containsEntry("OffsetString", "0")
                .containsEntry("iothub-connection-device-id", "dev-1").containsKey("EnqueuedTimeUtc");
        assertThat(binding.withNumbersAsDoubles().systemPropertiesArray()[0]).containsEntry("SequenceNumber", 0.0);
        assertThat(binding.sequenceNumberArray()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void rendersEventGridAndCloudEvents() throws IOException {
        IotHubEvent deleted = deviceDeleted();
        // tag::event-grid[]
        IotHubEvent created = IotHubEvents.deviceCreated("my-hub", "dev-2");
        JsonNode eventGrid = JSON.readTree(deleted.toEventGridJson()).get(0);   // Event Grid POSTs an array
        assertThat(eventGrid.get("eventType").asText()).isEqualTo("Microsoft.Devices.DeviceDeleted");
        assertThat(eventGrid.get("subject").asText()).isEqualTo("devices/dev-1");
        assertThat(eventGrid.at("/data/hubName").asText()).isEqualTo("my-hub");   // (the topic is upper case)
        assertThat(EventGridEvents.notificationHeaders()).containsEntry("aeg-event-type", "Notification");
        assertThat(JSON.readTree(EventGridEvents.toJson(deleted, created))).hasSize(2);

        JsonNode cloudEvent = JSON.readTree(deleted.toCloudEventJson());
        assertThat(cloudEvent.get("type").asText()).isEqualTo("Microsoft.Devices.DeviceDeleted");
        assertThat(cloudEvent.get("specversion").asText()).isEqualTo("1.0");
        assertThat(JSON.readTree(CloudEvents.toBatchJson(deleted, created))).hasSize(2);   // CloudEvents.BATCH_CONTENT_TYPE
        // end::event-grid[]
        assertThat(eventGrid.get("topic").asText())
                .isEqualTo("/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/DPS-TWIN-TEST-RG"
                        + "/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/MY-HUB");
        assertThat(JSON.readTree(IotHubEvents.deviceConnected("my-hub", "dev-1").toEventGridJson()).get(0)
                .at("/data/deviceConnectionStateEventInfo/sequenceNumber").asText()).hasSize(64);
        assertThatThrownBy(() -> IotHubEvents.twinUpdated("my-hub", "dev-1").toEventGridJson())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> IotHubEvents.legacyModuleDeleted("my-hub", "dev-1", "m").toCloudEventJson())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void buildsTheValidationHandshakes() throws IOException {
        // tag::validation[]
        SubscriptionValidationEvent validation = EventGridEvents.subscriptionValidation();
        assertThat(validation.headers()).containsEntry("aeg-event-type", "SubscriptionValidation");
        assertThat(JSON.readTree(validation.toJson()).at("/0/data/validationCode").asText())
                .isEqualTo(validation.validationCode());
        assertThat(validation.expectedResponseJson())   // what your endpoint must answer, with 200
                .isEqualTo("{\"validationResponse\":\"" + validation.validationCode() + "\"}");

        assertThat(CloudEvents.validationRequestHeaders())   // the OPTIONS request; answer 200 with WebHook-Allowed-Origin
                .containsEntry("WebHook-Request-Origin", "eventgrid.azure.net");
        // end::validation[]
    }

    /** A user's Event Hubs-triggered function: the devices whose deletion it would retire. */
    static final class RetiredDevicesFunction {

        List<String> run(String[] messages, Map<String, Object>[] properties, Map<String, Object>[] systemProperties) {
            List<String> retired = new ArrayList<>();
            for (int i = 0; i < messages.length; i++) {
                boolean deviceDeleted = "deleteDeviceIdentity".equals(properties[i].get("opType"))
                        && !properties[i].containsKey("moduleId")
                        && "deviceLifecycleEvents".equals(systemProperties[i].get("iothub-message-source"))
                        && systemProperties[i].get("SequenceNumber") instanceof Number;
                if (deviceDeleted) {
                    retired.add((String) properties[i].get("deviceId"));
                }
            }
            return retired;
        }
    }
}
