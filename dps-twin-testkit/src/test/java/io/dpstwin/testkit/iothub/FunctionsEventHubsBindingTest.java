package io.dpstwin.testkit.iothub;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionsEventHubsBindingTest {

    private final Instant t0 = Instant.parse("2024-03-01T12:00:00Z");
    private final IotHubEventBatch batch = IotHubEventBatch.startingAt(100, 5000, List.of(
            IotHubEvents.deviceDeleted("hub-a", "dev-1").withOperationTimestamp(t0).withDtId("twin-1"),
            IotHubEvents.moduleDeleted("hub-a", "dev-2", "edgeAgent").withOperationTimestamp(t0.plusSeconds(1)),
            IotHubEvents.twinUpdated("hub-a", "dev-3").withOperationTimestamp(t0.plusSeconds(2))));
    private final FunctionsEventHubsBinding binding = batch.functionsBinding();

    @Test
    void bodiesPropertiesAndSystemPropertiesAreIndexAligned() {
        String[] messages = binding.messages();
        Map<String, Object>[] properties = binding.propertiesArray();
        Map<String, Object>[] system = binding.systemPropertiesArray();

        assertThat(messages).hasSize(3);
        assertThat(properties).hasSize(3);
        assertThat(system).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String deviceId = "dev-" + (i + 1);
            assertThat(messages[i]).isEqualTo(batch.events().get(i).body());
            assertThat(properties[i]).containsEntry("deviceId", deviceId).containsEntry("hubName", "hub-a");
            assertThat(system[i]).containsEntry("iothub-connection-device-id", deviceId);
            assertThat(system[i]).containsEntry("SequenceNumber", 100L + i);
            assertThat(binding.sequenceNumberArray().get(i)).isEqualTo(100L + i);
        }
        assertThat(messages[0]).contains("\"deviceId\":\"dev-1\"").contains("\"dtId\":\"twin-1\"");
        assertThat(messages[1]).contains("\"moduleId\":\"edgeAgent\"");
        assertThat(properties[0]).containsEntry("opType", "deleteDeviceIdentity").doesNotContainKey("moduleId");
        assertThat(properties[1]).containsEntry("moduleId", "edgeAgent");
        assertThat(system[1]).containsEntry("iothub-connection-module-id", "edgeAgent");
        assertThat(properties[2]).containsEntry("opType", "updateTwin")
                .containsEntry("iothub-message-schema", "twinChangeNotification");
        assertThat(system[2]).containsEntry("iothub-message-source", "twinChangeEvents");
    }

    @Test
    void systemPropertiesHoldIotHubAndHostKeysWithJsonTypes() {
        Map<String, Object> first = binding.systemPropertiesArray()[0];

        assertThat(first)
                .containsEntry("iothub-message-source", "deviceLifecycleEvents")
                .containsEntry("iothub-enqueuedtime", "2024-03-01T12:00:00.05Z")
                .containsEntry("content-type", "application/json")
                .containsEntry("content-encoding", "utf-8")
                .containsEntry("user-id", "hub-a")
                .containsEntry("x-opt-sequence-number", 100L)
                .containsEntry("x-opt-offset", "5000")
                .containsEntry("x-opt-enqueued-time", "2024-03-01T12:00:00.15Z")
                .containsEntry("Offset", 5000L)
                .containsEntry("OffsetString", "5000")
                .containsEntry("EnqueuedTimeUtc", "2024-03-01T12:00:00.15Z")
                .containsEntry("PartitionKey", null)
                .containsKey("correlation-id")
                .doesNotContainKey("x-opt-partition-key");
    }

    @Test
    void offsetsGrowByEachBodySizeAndTheFieldArraysMatch() {
        String[] messages = binding.messages();
        long second = 5000L + messages[0].getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        long third = second + messages[1].getBytes(java.nio.charset.StandardCharsets.UTF_8).length;

        assertThat(binding.offsetArray()).containsExactly("5000", Long.toString(second), Long.toString(third));
        assertThat(binding.systemPropertiesArray()[2]).containsEntry("Offset", third);
        assertThat(binding.enqueuedTimeUtcArray()).containsExactly("2024-03-01T12:00:00.15Z",
                "2024-03-01T12:00:01.15Z", "2024-03-01T12:00:02.15Z");
        assertThat(binding.partitionKeyArray()).containsExactly(null, null, null);
    }

    @Test
    void explicitPositionsAndPartitionKeysAreKept() {
        FunctionsEventHubsBinding explicit = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("h", "a").withPosition(42, "abc").withPartitionKey("a"),
                IotHubEvents.deviceDeleted("h", "b")).functionsBinding();

        Map<String, Object>[] system = explicit.systemPropertiesArray();
        assertThat(system[0]).containsEntry("SequenceNumber", 42L).containsEntry("OffsetString", "abc")
                .containsEntry("Offset", -1L).containsEntry("PartitionKey", "a")
                .containsEntry("x-opt-partition-key", "a");
        assertThat(system[1]).containsEntry("SequenceNumber", 43L);
        assertThat(explicit.partitionKeyArray()).containsExactly("a", null);
    }

    @Test
    void numbersCanBeDoublesToProveParsersAcceptAnyNumber() {
        Map<String, Object> first = binding.withNumbersAsDoubles().systemPropertiesArray()[0];

        assertThat(first).containsEntry("SequenceNumber", 100.0).containsEntry("Offset", 5000.0)
                .containsEntry("x-opt-sequence-number", 100.0).containsEntry("x-opt-offset", "5000");
    }

    @Test
    void everyCallReturnsFreshMutableCopies() {
        Map<String, Object>[] properties = binding.propertiesArray();
        properties[0].put("opType", "changed");
        binding.messages()[0] = "changed";

        assertThat(binding.propertiesArray()[0]).containsEntry("opType", "deleteDeviceIdentity");
        assertThat(binding.messages()[0]).isNotEqualTo("changed");
        assertThat(binding.size()).isEqualTo(3);
    }
}
