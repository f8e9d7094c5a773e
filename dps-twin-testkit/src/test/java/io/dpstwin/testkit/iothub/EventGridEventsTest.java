package io.dpstwin.testkit.iothub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Event Grid schema envelopes against the Event Grid IoT Hub schema page, and the validation handshake. */
class EventGridEventsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOPIC_PATTERN =
            "/SUBSCRIPTIONS/[^/]+/RESOURCEGROUPS/[^/]+/PROVIDERS/MICROSOFT\\.DEVICES/IOTHUBS/[^/]+";

    /** The DeviceCreated example of the Event Grid schema page (topic placeholders filled in). */
    private static final String DOCUMENTED_DEVICE_CREATED = """
            [{"id":"56afc886-767b-d359-d59e-0da7877166b2",
              "topic":"/SUBSCRIPTIONS/11111111-2222-3333-4444-555555555555/RESOURCEGROUPS/MY-RG/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/EGTESTHUB1",
              "subject":"devices/LogicAppTestDevice","eventType":"Microsoft.Devices.DeviceCreated",
              "eventTime":"2018-01-02T19:17:44.4383997Z",
              "data":{"twin":{"deviceId":"LogicAppTestDevice","etag":"AAAAAAAAAAE=","deviceEtag":"null","status":"enabled",
                 "statusUpdateTime":"0001-01-01T00:00:00","connectionState":"Disconnected","lastActivityTime":"0001-01-01T00:00:00",
                 "cloudToDeviceMessageCount":0,"authenticationType":"sas","x509Thumbprint":{"primaryThumbprint":null,"secondaryThumbprint":null},
                 "version":2,"properties":{"desired":{"$metadata":{"$lastUpdated":"2018-01-02T19:17:44.4383997Z"},"$version":1},
                                           "reported":{"$metadata":{"$lastUpdated":"2018-01-02T19:17:44.4383997Z"},"$version":1}}},
                "hubName":"egtesthub1","deviceId":"LogicAppTestDevice"},
              "dataVersion":"1","metadataVersion":"1"}]
            """;

    /** The DeviceConnected example of the Event Grid schema page (a module's connection). */
    private static final String DOCUMENTED_DEVICE_CONNECTED = """
            [{"id":"f6bbf8f4-d365-520d-a878-17bf7238abd8",
              "topic":"/SUBSCRIPTIONS/11111111-2222-3333-4444-555555555555/RESOURCEGROUPS/MY-RG/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/EGTESTHUB1",
              "subject":"devices/LogicAppTestDevice","eventType":"Microsoft.Devices.DeviceConnected",
              "eventTime":"2018-06-02T19:17:44.4383997Z",
              "data":{"deviceConnectionStateEventInfo":{"sequenceNumber":"000000000000000001D4132452F67CE200000002000000000000000000000001"},
                "hubName":"egtesthub1","deviceId":"LogicAppTestDevice","moduleId":"DeviceModuleID"},
              "dataVersion":"1","metadataVersion":"1"}]
            """;

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static IotHubEvent documented(IotHubEvent event) {
        return event.withAzureResource("11111111-2222-3333-4444-555555555555", "my-rg");
    }

    @Test
    void reproducesTheDocumentedDeviceCreatedEvent() throws Exception {
        String built = documented(IotHubEvents.deviceCreated("egtesthub1", "LogicAppTestDevice"))
                .withEventId("56afc886-767b-d359-d59e-0da7877166b2")
                .withOperationTimestamp(Instant.parse("2018-01-02T19:17:44.4383997Z"))
                .toEventGridJson();

        assertThat(json(built)).isEqualTo(json(DOCUMENTED_DEVICE_CREATED));
        assertThat(built).isEqualTo(MAPPER.writeValueAsString(json(DOCUMENTED_DEVICE_CREATED)));
    }

    @Test
    void reproducesTheDocumentedDeviceConnectedEventOfAModule() throws Exception {
        String built = documented(IotHubEvents.deviceConnected("egtesthub1", "LogicAppTestDevice"))
                .withModuleId("DeviceModuleID")
                .withEventId("f6bbf8f4-d365-520d-a878-17bf7238abd8")
                .withOperationTimestamp(Instant.parse("2018-06-02T19:17:44.4383997Z"))
                .withConnectionSequenceNumber("000000000000000001D4132452F67CE200000002000000000000000000000001")
                .toEventGridJson();

        assertThat(json(built)).isEqualTo(json(DOCUMENTED_DEVICE_CONNECTED));
    }

    @Test
    void deviceDeletedHasTheDeletedTypeAndTheTwinTags() throws Exception {
        ObjectNode event = IotHubEvents.deviceDeleted("hub-a", "dev-1").withDtId("twin-1").eventGridEvent();

        assertThat(event.get("eventType").asText()).isEqualTo("Microsoft.Devices.DeviceDeleted");
        assertThat(event.get("subject").asText()).isEqualTo("devices/dev-1");
        assertThat(event.get("topic").asText()).matches(TOPIC_PATTERN).endsWith("/IOTHUBS/HUB-A");
        assertThat(event.at("/data/hubName").asText()).isEqualTo("hub-a");
        assertThat(event.at("/data/deviceId").asText()).isEqualTo("dev-1");
        assertThat(event.at("/data/twin/tags/dtId").asText()).isEqualTo("twin-1");
        assertThat(event.get("data").has("moduleId")).isFalse();
        assertThat(event.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(event.get("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z");
    }

    @Test
    void moduleLifecycleEventsCarryTheModuleIdInDataAndTwin() {
        ObjectNode event = IotHubEvents.moduleDeleted("hub-a", "dev-1", "edgeAgent").eventGridEvent();

        assertThat(event.get("eventType").asText()).isEqualTo("Microsoft.Devices.DeviceDeleted");
        assertThat(event.get("subject").asText()).isEqualTo("devices/dev-1");
        assertThat(event.at("/data/moduleId").asText()).isEqualTo("edgeAgent");
        assertThat(event.at("/data/twin/moduleId").asText()).isEqualTo("edgeAgent");
    }

    @Test
    void deviceDisconnectedCarriesTheConnectionStateInfoAndNoTwin() {
        ObjectNode event = IotHubEvents.deviceDisconnected("hub-a", "dev-1").eventGridEvent();

        assertThat(event.get("eventType").asText()).isEqualTo("Microsoft.Devices.DeviceDisconnected");
        assertThat(event.at("/data/deviceConnectionStateEventInfo/sequenceNumber").asText()).matches("[0-9A-F]{64}");
        assertThat(event.get("data").has("twin")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = IotHubEventType.class,
            names = {"TWIN_UPDATED", "TWIN_REPLACED", "LEGACY_MODULE_CREATED", "LEGACY_MODULE_DELETED"})
    void eventsIotHubDoesNotPublishToEventGridCannotBeRendered(IotHubEventType type) {
        IotHubEvent event = IotHubEvents.of(type, "h", "d");

        assertThatThrownBy(event::toEventGridJson).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(type.opType());
        assertThatThrownBy(event::toCloudEventJson).isInstanceOf(IllegalStateException.class);
        assertThat(type.eventGridType()).isEmpty();
    }

    @Test
    void severalEventsFormOneArrayInOrder() throws Exception {
        JsonNode array = json(EventGridEvents.toJson(IotHubEvents.deviceCreated("h", "a"),
                IotHubEvents.deviceDeleted("h", "b")));
        JsonNode batch = json(IotHubEventBatch.of(IotHubEvents.deviceCreated("h", "a"),
                IotHubEvents.deviceDeleted("h", "b")).toEventGridJson());

        assertThat(array).hasSize(2);
        assertThat(array.get(0).at("/data/deviceId").asText()).isEqualTo("a");
        assertThat(array.get(1).get("eventType").asText()).isEqualTo("Microsoft.Devices.DeviceDeleted");
        assertThat(batch).hasSize(2);
        assertThat(batch.get(1).at("/data/deviceId").asText()).isEqualTo("b");
        assertThat(EventGridEvents.notificationHeaders()).containsEntry("aeg-event-type", "Notification");
    }

    @Test
    void subscriptionValidationEventHasTheDocumentedShapeHeaderAndExpectedAnswer() throws Exception {
        SubscriptionValidationEvent validation = EventGridEvents.subscriptionValidation()
                .withId("2d1781af-3a4c-4d7c-bd0c-e34b19da4e66")
                .withTopic("/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
                .withValidationCode("512d38b6-c7b8-40c8-89fe-f46f9e9622b6")
                .withValidationUrl("https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/estest/validate?id=1")
                .withEventTime(Instant.parse("2018-01-25T22:12:19.4556811Z"));

        assertThat(json(validation.toJson())).isEqualTo(json("""
                [{"id":"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
                  "topic":"/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx","subject":"",
                  "data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
                          "validationUrl":"https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/estest/validate?id=1"},
                  "eventType":"Microsoft.EventGrid.SubscriptionValidationEvent",
                  "eventTime":"2018-01-25T22:12:19.4556811Z","metadataVersion":"1","dataVersion":"1"}]
                """));
        assertThat(validation.headers()).containsEntry("aeg-event-type", "SubscriptionValidation");
        assertThat(json(validation.expectedResponseJson()))
                .isEqualTo(json("{\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}"));
    }

    @Test
    void defaultValidationEventHasARandomCodeAndAPort553Url() throws Exception {
        SubscriptionValidationEvent a = EventGridEvents.subscriptionValidation();
        SubscriptionValidationEvent b = EventGridEvents.subscriptionValidation();

        assertThat(a.validationCode()).isNotEqualTo(b.validationCode());
        assertThat(a.validationUrl()).startsWith("https://").contains(":553/").contains(a.validationCode());
        assertThat(a.toJson()).isEqualTo(a.toJson());
        assertThat(json(a.toJson()).get(0).at("/data/validationCode").asText()).isEqualTo(a.validationCode());
    }

    @ParameterizedTest
    @EnumSource(value = IotHubEventType.class,
            names = {"DEVICE_CREATED", "DEVICE_DELETED", "DEVICE_CONNECTED", "DEVICE_DISCONNECTED"})
    void cloudEventCarriesTheSameDataAndTheCloudEventsAttributes(IotHubEventType type) throws Exception {
        IotHubEvent event = IotHubEvents.of(type, "hub-a", "dev-1").withEventId("e-1")
                .withOperationTimestamp(Instant.parse("2024-02-03T04:05:06.1234567Z"));
        JsonNode cloud = json(event.toCloudEventJson());
        JsonNode grid = json(event.toEventGridJson()).get(0);

        assertThat(fieldNames(cloud)).containsExactly("id", "source", "subject", "type", "time", "data",
                "specversion");
        assertThat(cloud.get("specversion").asText()).isEqualTo("1.0");
        assertThat(cloud.get("type").asText()).isEqualTo(type.eventGridType().orElseThrow());
        assertThat(cloud.get("source").asText()).isEqualTo(grid.get("topic").asText()).matches(TOPIC_PATTERN);
        assertThat(cloud.get("subject").asText()).isEqualTo("devices/dev-1");
        assertThat(cloud.get("id").asText()).isEqualTo("e-1");
        assertThat(cloud.get("time").asText()).isEqualTo("2024-02-03T04:05:06.1234567Z");
        assertThat(cloud.get("data")).isEqualTo(grid.get("data"));
    }

    @Test
    void cloudEventsBatchIsAnArrayAndTheHandshakeHeadersAreEventGrids() throws Exception {
        JsonNode batch = json(CloudEvents.toBatchJson(IotHubEvents.deviceCreated("h", "a"),
                IotHubEvents.deviceDeleted("h", "b")));
        JsonNode viaBatch = json(IotHubEventBatch.of(IotHubEvents.deviceDeleted("h", "c")).toCloudEventsJson());

        assertThat(batch).hasSize(2);
        assertThat(batch.get(0).get("type").asText()).isEqualTo("Microsoft.Devices.DeviceCreated");
        assertThat(batch.get(1).at("/data/deviceId").asText()).isEqualTo("b");
        assertThat(viaBatch.get(0).get("specversion").asText()).isEqualTo("1.0");
        assertThat(CloudEvents.validationRequestHeaders()).containsEntry("WebHook-Request-Origin", "eventgrid.azure.net");
        assertThat(CloudEvents.BATCH_CONTENT_TYPE).startsWith("application/cloudevents-batch+json");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
