package io.dpstwin.testkit.iothub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Routed (Event Hubs) shape of IoT Hub events against the non-telemetry event schema page's examples. */
class IotHubEventTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void reproducesTheDocumentedModuleCreationEvent() throws Exception {
        IotHubEvent event = IotHubEvents.moduleCreated("contoso-routing-hub", "contoso-device-2", "module-1")
                .withOperationTimestamp(Instant.parse("2022-05-27T18:49:38.4904785Z"))
                .withCorrelationId("c5a4e6986c")
                .withIotHubEnqueuedTime(Instant.ofEpochMilli(1653677378534L));

        assertThat(event.applicationProperties()).containsExactly(
                entry("hubName", "contoso-routing-hub"),
                entry("deviceId", "contoso-device-2"),
                entry("moduleId", "module-1"),
                entry("operationTimestamp", "2022-05-27T18:49:38.4904785Z"),
                entry("opType", "createDeviceIdentity"),
                entry("iothub-message-schema", "deviceLifecycleNotification"));
        assertThat(event.iotHubSystemProperties()).containsExactly(
                entry("content-type", "application/json"),
                entry("content-encoding", "utf-8"),
                entry("correlation-id", "c5a4e6986c"),
                entry("user-id", "contoso-routing-hub"),
                entry("iothub-connection-device-id", "contoso-device-2"),
                entry("iothub-connection-module-id", "module-1"),
                entry("iothub-enqueuedtime", 1653677378534L),
                entry("iothub-message-source", "deviceLifecycleEvents"));
        assertThat(event.body()).isEqualTo(MAPPER.writeValueAsString(json("""
                {"deviceId":"contoso-device-2","moduleId":"module-1","etag":"AAAAAAAAAAE=","version":2,
                 "properties":{"desired":{"$metadata":{"$lastUpdated":"0001-01-01T00:00:00Z"},"$version":1},
                               "reported":{"$metadata":{"$lastUpdated":"0001-01-01T00:00:00Z"},"$version":1}}}
                """)));
    }

    @Test
    void deviceDeletionHasNoModuleIdAnywhereAndCarriesTwinTags() throws Exception {
        IotHubEvent event = IotHubEvents.deviceDeleted("hub-a", "dev-1").withDtId("twin-1")
                .withTag("site", "north").withTwinVersion(5).withTwinEtag("AAAAAAAAAAU=");

        assertThat(event.applicationProperties()).doesNotContainKey("moduleId")
                .containsEntry("opType", "deleteDeviceIdentity").containsEntry("hubName", "hub-a")
                .containsEntry("deviceId", "dev-1");
        assertThat(event.iotHubSystemProperties()).doesNotContainKey("iothub-connection-module-id")
                .containsEntry("iothub-connection-device-id", "dev-1");
        JsonNode body = json(event.body());
        assertThat(body.get("tags")).isEqualTo(json("{\"dtId\":\"twin-1\",\"site\":\"north\"}"));
        assertThat(body.get("version").asLong()).isEqualTo(5);
        assertThat(body.get("etag").asText()).isEqualTo("AAAAAAAAAAU=");
        assertThat(body.has("moduleId")).isFalse();
        assertThat(event.moduleId()).isEmpty();
    }

    @Test
    void reproducesTheDocumentedConnectionStateEvent() throws Exception {
        IotHubEvent event = IotHubEvents.deviceDisconnected("contoso-routing-hub", "contoso-device-1")
                .withOperationTimestamp(Instant.parse("2022-06-01T18:43:04.5561024Z"))
                .withCorrelationId("aaaa0000-bb11-2222-33cc-444444dddddd")
                .withIotHubEnqueuedTime(Instant.ofEpochMilli(1654109018051L))
                .withConnectionSequenceNumber("000000000000000001D8713FF7E0851400000002000000000000000000000007");

        assertThat(event.applicationProperties()).containsOnly(
                entry("hubName", "contoso-routing-hub"),
                entry("deviceId", "contoso-device-1"),
                entry("opType", "deviceDisconnected"),
                entry("iothub-message-schema", "deviceConnectionStateNotification"),
                entry("operationTimestamp", "2022-06-01T18:43:04.5561024Z"));
        assertThat(event.iotHubSystemProperties())
                .containsEntry("iothub-message-source", "deviceConnectionStateEvents")
                .containsEntry("iothub-enqueuedtime", 1654109018051L)
                .containsEntry("correlation-id", "aaaa0000-bb11-2222-33cc-444444dddddd");
        assertThat(json(event.body())).isEqualTo(
                json("{\"sequenceNumber\":\"000000000000000001D8713FF7E0851400000002000000000000000000000007\"}"));
    }

    @Test
    void defaultConnectionSequenceNumbersAreSixtyFourHexDigitsAndGrowWithTime() throws Exception {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        String first = json(IotHubEvents.deviceConnected("h", "d").withOperationTimestamp(t).body())
                .get("sequenceNumber").asText();
        String later = json(IotHubEvents.deviceConnected("h", "d").withOperationTimestamp(t.plusMillis(1)).body())
                .get("sequenceNumber").asText();

        assertThat(first).matches("[0-9A-F]{64}");
        assertThat(later.compareTo(first)).isPositive();
    }

    @Test
    void reproducesTheDocumentedModuleTwinUpdateEvent() throws Exception {
        IotHubEvent event = IotHubEvents.twinUpdated("contoso-routing-hub", "contoso-device-3")
                .withModuleId("module-1")
                .withOperationTimestamp(Instant.parse("2022-06-01T22:27:50.2612586Z"))
                .withTwinVersion(7)
                .withTag("tag1", "new value")
                .withDesiredProperty("property1", "new value");

        assertThat(event.applicationProperties())
                .containsEntry("opType", "updateTwin")
                .containsEntry("iothub-message-schema", "twinChangeNotification")
                .containsEntry("moduleId", "module-1");
        assertThat(event.iotHubSystemProperties())
                .containsEntry("iothub-message-source", "twinChangeEvents")
                .containsEntry("iothub-connection-module-id", "module-1");
        assertThat(event.body()).isEqualTo(MAPPER.writeValueAsString(json("""
                {"version":7,"tags":{"tag1":"new value"},
                 "properties":{"desired":{"property1":"new value",
                   "$metadata":{"$lastUpdated":"2022-06-01T22:27:50.2612586Z","$lastUpdatedVersion":6,
                                "property1":{"$lastUpdated":"2022-06-01T22:27:50.2612586Z","$lastUpdatedVersion":6}},
                   "$version":6}}}
                """)));
    }

    @Test
    void replaceTwinCarriesTheWholeTwin() throws Exception {
        JsonNode body = json(IotHubEvents.twinReplaced("h", "d").withDtId("t").body());

        assertThat(body.get("deviceId").asText()).isEqualTo("d");
        assertThat(body.at("/tags/dtId").asText()).isEqualTo("t");
        assertThat(body.at("/properties/reported/$version").asInt()).isEqualTo(1);
    }

    @Test
    void legacyModuleOpTypesUseTheOlderModuleSchema() {
        IotHubEvent created = IotHubEvents.legacyModuleCreated("h", "d", "m");
        IotHubEvent deleted = IotHubEvents.legacyModuleDeleted("h", "d", "m");

        assertThat(created.applicationProperties()).containsEntry("opType", "createModuleIdentity")
                .containsEntry("iothub-message-schema", "moduleLifecycleNotification")
                .containsEntry("moduleId", "m");
        assertThat(deleted.applicationProperties()).containsEntry("opType", "deleteModuleIdentity");
        assertThat(deleted.iotHubSystemProperties()).containsEntry("iothub-message-source", "moduleLifecycleEvents")
                .containsEntry("iothub-connection-module-id", "m");
        assertThat(IotHubEventType.LEGACY_MODULE_DELETED.isLifecycle()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(IotHubEventType.class)
    void everyTypeCarriesItsOpTypeSchemaAndSource(IotHubEventType type) throws Exception {
        IotHubEvent event = IotHubEvents.of(type, "hub", "dev");

        assertThat(event.applicationProperties())
                .containsEntry("opType", type.opType())
                .containsEntry("iothub-message-schema", type.messageSchema());
        assertThat(event.iotHubSystemProperties()).containsEntry("iothub-message-source", type.messageSource());
        assertThat(json(event.body()).isObject()).isTrue();
    }

    @Test
    void defaultTimestampsDifferSoConsumersReadingTheWrongOneAreCaught() {
        IotHubEvent event = IotHubEvents.deviceDeleted("h", "d")
                .withOperationTimestamp(Instant.parse("2024-05-01T10:00:00Z"));

        assertThat(event.applicationProperties().get("operationTimestamp")).isEqualTo("2024-05-01T10:00:00.0000000Z");
        assertThat(event.iotHubEnqueuedTime()).isEqualTo(Instant.parse("2024-05-01T10:00:00.050Z"));
        assertThat(event.eventHubsPosition().enqueuedTime()).isEqualTo(Instant.parse("2024-05-01T10:00:00.150Z"));
    }

    @Test
    void eventsAreImmutableAndRenderTheSameEveryTime() {
        IotHubEvent base = IotHubEvents.deviceDeleted("h", "d");
        IotHubEvent tagged = base.withDtId("x").withModuleId("m").withCorrelationId("c");

        assertThat(base.body()).isEqualTo(base.body()).doesNotContain("dtId");
        assertThat(base.applicationProperties()).isEqualTo(base.applicationProperties()).doesNotContainKey("moduleId");
        assertThat(base.correlationId()).matches("[0-9a-f]{10}").isNotEqualTo("c");
        assertThat(tagged.body()).contains("\"dtId\":\"x\"");
        assertThatThrownBy(() -> base.applicationProperties().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void overridesBendPropertiesAndBodyForNegativeTests() {
        IotHubEvent event = IotHubEvents.deviceDeleted("h", "d")
                .withApplicationProperty("hubName", null)
                .withApplicationProperty("extra", 7)
                .withSystemProperty("iothub-message-source", "Telemetry")
                .withBody("not json");

        Map<String, Object> props = event.applicationProperties();
        assertThat(props).doesNotContainKey("hubName").containsEntry("extra", 7);
        assertThat(event.iotHubSystemProperties()).containsEntry("iothub-message-source", "Telemetry");
        assertThat(event.body()).isEqualTo("not json");
    }

    @Test
    void hubNameOfStripsTheDomain() {
        assertThat(IotHubEvents.hubNameOf("hub-a.azure-devices.net")).isEqualTo("hub-a");
        assertThat(IotHubEvents.hubNameOf("hub-a")).isEqualTo("hub-a");
    }
}
