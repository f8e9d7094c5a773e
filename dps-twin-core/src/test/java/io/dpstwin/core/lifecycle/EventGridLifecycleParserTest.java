package io.dpstwin.core.lifecycle;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.dpstwin.core.lifecycle.ParsedEvents.lifecycle;
import static io.dpstwin.core.lifecycle.ParsedEvents.unparseable;
import static org.assertj.core.api.Assertions.assertThat;

class EventGridLifecycleParserTest {

    /** The DeviceCreated example of the Event Grid schema for IoT Hub, with tags added. */
    private static final String DEVICE_CREATED = """
            [{"id":"56afc886-767b-d359-d59e-0da7877166b2",
              "topic":"/SUBSCRIPTIONS/sub/RESOURCEGROUPS/rg/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/egtesthub1",
              "subject":"devices/LogicAppTestDevice","eventType":"Microsoft.Devices.DeviceCreated",
              "eventTime":"2018-01-02T19:17:44.4383997Z",
              "data":{"twin":{"deviceId":"LogicAppTestDevice","etag":"AAAAAAAAAAE=","deviceEtag":"null","status":"enabled",
                 "statusUpdateTime":"0001-01-01T00:00:00","connectionState":"Disconnected",
                 "lastActivityTime":"0001-01-01T00:00:00","cloudToDeviceMessageCount":0,"authenticationType":"sas",
                 "x509Thumbprint":{"primaryThumbprint":null,"secondaryThumbprint":null},"version":2,
                 "modelId":"dtmi:com:example:Thermostat;1","tags":{"dtId":"twin-7"},
                 "properties":{"desired":{"$metadata":{"$lastUpdated":"2018-01-02T19:17:44.4383997Z"},"$version":1},
                               "reported":{"$metadata":{"$lastUpdated":"2018-01-02T19:17:44.4383997Z"},"$version":1}}},
                "hubName":"egtesthub1","deviceId":"LogicAppTestDevice"},
              "dataVersion":"1","metadataVersion":"1"}]
            """;

    private final EventGridLifecycleParser parser = new EventGridLifecycleParser();

    private static String eventGrid(String type, String data) {
        return "{\"id\":\"e-1\",\"topic\":\"/SUBSCRIPTIONS/s/RESOURCEGROUPS/r/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/HubFromTopic\","
                + "\"subject\":\"devices/dev-1\",\"eventType\":\"" + type + "\",\"eventTime\":\"2026-11-26T10:00:00Z\","
                + (data == null ? "" : "\"data\":" + data + ",") + "\"dataVersion\":\"1\"}";
    }

    private static String cloudEvent(String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"ce-1\",\"type\":\"" + type + "\","
                + "\"source\":\"/SUBSCRIPTIONS/s/RESOURCEGROUPS/r/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/cehub\","
                + "\"subject\":\"devices/dev-1\",\"time\":\"2026-11-26T10:00:00Z\""
                + (data == null ? "" : ",\"data\":" + data) + "}";
    }

    @Test
    void readsTheDocumentedDeviceCreatedEvent() {
        List<ParsedEvent> events = parser.parseEventGridSchema(DEVICE_CREATED);

        assertThat(events).hasSize(1);
        LifecycleEvent event = lifecycle(events.get(0));
        assertThat(event.source()).isEqualTo(EventSourceKind.EVENT_GRID);
        assertThat(event.eventId()).isEqualTo("56afc886-767b-d359-d59e-0da7877166b2");
        assertThat(event.eventType()).isEqualTo("Microsoft.Devices.DeviceCreated");
        assertThat(event.isDeviceCreation()).isTrue();
        assertThat(event.messageSchema()).isEqualTo("deviceLifecycleNotification");
        assertThat(event.hubName()).isEqualTo("egtesthub1");
        assertThat(event.deviceId()).isEqualTo("LogicAppTestDevice");
        assertThat(event.moduleId()).isNull();
        assertThat(event.modelId()).isEqualTo("dtmi:com:example:Thermostat;1");
        assertThat(event.tagDtId()).isEqualTo("twin-7");
        assertThat(event.operationTimestamp()).isEqualTo(Instant.parse("2018-01-02T19:17:44.4383997Z"));
    }

    @Test
    void readsASingleDeletedEventAndFallsBackToSubjectAndTopic() {
        LifecycleEvent event = lifecycle(parser.parse(eventGrid("Microsoft.Devices.DeviceDeleted", "{}")).get(0));

        assertThat(event.isDeviceDeletion()).isTrue();
        assertThat(event.deviceId()).isEqualTo("dev-1");
        assertThat(event.hubName()).isEqualTo("HubFromTopic");
    }

    @Test
    void recognisesModuleEvents() {
        LifecycleEvent fromData = lifecycle(parser.parse(eventGrid("Microsoft.Devices.DeviceDeleted",
                "{\"hubName\":\"h\",\"deviceId\":\"dev-1\",\"moduleId\":\"m1\"}")).get(0));
        LifecycleEvent fromTwin = lifecycle(parser.parse(eventGrid("Microsoft.Devices.DeviceDeleted",
                "{\"hubName\":\"h\",\"deviceId\":\"dev-1\",\"twin\":{\"deviceId\":\"dev-1\",\"moduleId\":\"m2\"}}")).get(0));

        assertThat(fromData.isModuleEvent()).isTrue();
        assertThat(fromData.moduleId()).isEqualTo("m1");
        assertThat(fromTwin.moduleId()).isEqualTo("m2");
    }

    @Test
    void decoysAndTheValidationEventAreNotLifecycleEvents() {
        String batch = "[" + eventGrid("Microsoft.Devices.DeviceConnected",
                "{\"deviceConnectionStateEventInfo\":{\"sequenceNumber\":\"01\"},\"hubName\":\"h\",\"deviceId\":\"dev-1\"}")
                + "," + eventGrid("Microsoft.Devices.DeviceTelemetry", "{\"body\":\"eyJ0ZW1wIjoyMX0=\"}")
                + "," + eventGrid("Microsoft.Storage.BlobDeleted", "{\"url\":\"https://x/y\"}")
                + "," + eventGrid("Microsoft.EventGrid.SubscriptionValidationEvent",
                "{\"validationCode\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\",\"validationUrl\":\"https://x\"}") + "]";

        List<ParsedEvent> events = parser.parse(batch);

        assertThat(events).hasSize(4).allSatisfy(e -> {
            LifecycleEvent event = lifecycle(e);
            assertThat(event.opType()).isNull();
            assertThat(event.messageSchema()).isNull();
        });
        assertThat(lifecycle(events.get(3)).eventType()).isEqualTo("Microsoft.EventGrid.SubscriptionValidationEvent");
    }

    @Test
    void findsTheSubscriptionValidationCode() {
        String validation = "[" + eventGrid("Microsoft.EventGrid.SubscriptionValidationEvent",
                "{\"validationCode\":\"512d38b6\",\"validationUrl\":\"https://x\"}") + "]";

        assertThat(parser.subscriptionValidationCode(validation)).hasValue("512d38b6");
        assertThat(parser.subscriptionValidationCode(DEVICE_CREATED)).isEmpty();
        assertThat(parser.subscriptionValidationCode("not json")).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonIsOneUnparseableEvent() {
        List<ParsedEvent> events = parser.parse("[{\"id\":\"x\", oops");

        assertThat(events).hasSize(1);
        assertThat(unparseable(events.get(0)).reason()).startsWith("body is not valid JSON (line 1");
        assertThat(unparseable(parser.parse("").get(0)).reason()).isEqualTo("body is empty");
        assertThat(unparseable(parser.parse("42").get(0)).reason())
                .isEqualTo("body is a number, expected an event or an array of events");
        assertThat(unparseable(new EventGridLifecycleParser(10).parse(DEVICE_CREATED).get(0)).reason())
                .contains("at most 10");
    }

    @Test
    void aBrokenElementIsUnparseableWhileTheOthersAreRead() {
        String batch = "[" + eventGrid("Microsoft.Devices.DeviceDeleted", "{\"deviceId\":\"dev-1\"}")
                + ", 7, " + eventGrid("Microsoft.Devices.DeviceDeleted", null)
                + ", {\"id\":\"no-type\"}"
                + ", " + eventGrid("Microsoft.Devices.DeviceDeleted", "{\"deviceId\":\"bad id\"}")
                + ", " + eventGrid("Microsoft.Devices.DeviceDeleted", "{\"deviceId\":\"dev-1\",\"twin\":{\"deviceId\":\"dev-2\"}}")
                + "]";

        List<ParsedEvent> events = parser.parseEventGridSchema(batch);

        assertThat(events).hasSize(6);
        assertThat(lifecycle(events.get(0)).deviceId()).isEqualTo("dev-1");
        assertThat(unparseable(events.get(1)).reason()).isEqualTo("event is a number, expected an object");
        assertThat(unparseable(events.get(1)).index()).isEqualTo(1);
        assertThat(unparseable(events.get(2)).reason()).isEqualTo("data is missing");
        assertThat(unparseable(events.get(2)).eventId()).isEqualTo("e-1");
        assertThat(unparseable(events.get(3)).reason()).contains("eventType is missing");
        assertThat(unparseable(events.get(4)).reason()).isEqualTo("deviceId is not a valid IoT Hub device id");
        assertThat(unparseable(events.get(5)).reason()).isEqualTo("data.twin.deviceId differs from data.deviceId");
    }

    @Test
    void readsASingleCloudEventAndABatch() {
        LifecycleEvent single = lifecycle(parser.parseCloudEvents(cloudEvent("Microsoft.Devices.DeviceDeleted",
                "{\"hubName\":\"cehub\",\"deviceId\":\"dev-1\",\"twin\":{\"tags\":{\"dtId\":\"t-1\"}}}")).get(0));

        assertThat(single.source()).isEqualTo(EventSourceKind.CLOUD_EVENTS);
        assertThat(single.eventId()).isEqualTo("ce-1");
        assertThat(single.isDeviceDeletion()).isTrue();
        assertThat(single.tagDtId()).isEqualTo("t-1");
        assertThat(single.operationTimestamp()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));

        List<ParsedEvent> batch = parser.parseCloudEvents("[" + cloudEvent("Microsoft.Devices.DeviceCreated", "{}")
                + "," + cloudEvent("Microsoft.Devices.DeviceConnected", "{\"deviceId\":\"dev-1\",\"moduleId\":\"m\"}")
                + "," + cloudEvent("Microsoft.Devices.DeviceDeleted", "{\"deviceId\":\"dev-1\",\"moduleId\":\"m\"}")
                + "]");
        assertThat(batch).hasSize(3);
        LifecycleEvent created = lifecycle(batch.get(0));
        assertThat(created.isDeviceCreation()).isTrue();
        assertThat(created.hubName()).isEqualTo("cehub");
        assertThat(created.deviceId()).isEqualTo("dev-1");
        assertThat(lifecycle(batch.get(1)).opType()).isNull();
        assertThat(lifecycle(batch.get(2)).isModuleEvent()).isTrue();
    }

    @Test
    void refusesCloudEventsOfAnotherSpecVersionOrWithBinaryData() {
        String old = cloudEvent("Microsoft.Devices.DeviceDeleted", "{}").replace("\"1.0\"", "\"0.3\"");
        assertThat(unparseable(parser.parseCloudEvents(old).get(0)).reason())
                .isEqualTo("specversion 0.3 is not supported (expected 1.0)");
        String binary = cloudEvent("Microsoft.Devices.DeviceDeleted", null).replace("}", ",\"data_base64\":\"e30=\"}");
        assertThat(unparseable(parser.parseCloudEvents(binary).get(0)).reason()).contains("data_base64");
        assertThat(unparseable(parser.parseCloudEvents(eventGrid("Microsoft.Devices.DeviceDeleted", "{}")).get(0))
                .reason()).isEqualTo("specversion is missing; not a CloudEvent");
        assertThat(unparseable(parser.parseEventGridSchema(cloudEvent("Microsoft.Devices.DeviceDeleted", "{}")).get(0))
                .reason()).contains("CloudEvent");
    }

    @Test
    void autoDetectionReadsEachElementInItsOwnSchema() {
        List<ParsedEvent> events = parser.parse("[" + eventGrid("Microsoft.Devices.DeviceDeleted", "{}") + ","
                + cloudEvent("Microsoft.Devices.DeviceDeleted", "{}") + "]");

        assertThat(events).extracting(ParsedEvent::source)
                .containsExactly(EventSourceKind.EVENT_GRID, EventSourceKind.CLOUD_EVENTS);
    }

    /** The sample event the Azure portal's Test/Run sends to an Event Grid triggered function (a storage event). */
    private static final String PORTAL_TEST_EVENT = """
            {"topic":"/subscriptions/{subscriptionid}/resourceGroups/eg0122/providers/Microsoft.Storage/storageAccounts/egblobstore",
             "subject":"/blobServices/default/containers/{containername}/blobs/blobname.jpg",
             "eventType":"Microsoft.Storage.BlobCreated","eventTime":"2018-01-23T17:02:19.6069787Z",
             "id":"{guid}","data":{"api":"PutBlockList","clientRequestId":"{guid}","requestId":"{guid}",
             "eTag":"0x8D562831044DDD0","contentType":"application/octet-stream","contentLength":2248,
             "blobType":"BlockBlob","url":"https://egblobstore.blob.core.windows.net/{containername}/blobname.jpg",
             "sequencer":"000000000000272D000000000003D60F","storageDiagnostics":{"batchId":"{guid}"}},
             "dataVersion":"","metadataVersion":"1"}
            """;

    @Test
    void thePortalsTestEventIsReadAsAnEventThatIsNotALifecycleEvent() {
        List<ParsedEvent> events = parser.parse(PORTAL_TEST_EVENT);

        assertThat(events).hasSize(1);
        LifecycleEvent event = lifecycle(events.get(0));
        assertThat(event.eventType()).isEqualTo("Microsoft.Storage.BlobCreated");
        assertThat(event.opType()).isNull();
        assertThat(event.isDeviceDeletion()).isFalse();
        assertThat(event.isDeviceCreation()).isFalse();
    }

    @Test
    void readsABodyThatStartsWithAUtf8ByteOrderMark() {
        LifecycleEvent event = lifecycle(parser.parse("\uFEFF" + DEVICE_CREATED).get(0));

        assertThat(event.deviceId()).isEqualTo("LogicAppTestDevice");
        assertThat(parser.subscriptionValidationCode("\uFEFF[{\"id\":\"v\",\"eventType\":"
                + "\"Microsoft.EventGrid.SubscriptionValidationEvent\",\"data\":{\"validationCode\":\"c-1\"}}]"))
                .contains("c-1");
    }

    @Test
    void anEmptyCloudEventsBatchIsNoEventsAndAnEmptyBodyIsRefused() {
        assertThat(parser.parseCloudEvents("[]")).isEmpty();
        assertThat(unparseable(parser.parseCloudEvents("").get(0)).reason()).isEqualTo("body is empty");
        assertThat(unparseable(parser.parseCloudEvents("\"x\"").get(0)).reason())
                .isEqualTo("body is a string, expected an event or an array of events");
    }
}
