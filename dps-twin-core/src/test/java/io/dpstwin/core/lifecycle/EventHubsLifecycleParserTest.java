package io.dpstwin.core.lifecycle;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.dpstwin.core.lifecycle.LifecycleMessages.appProperties;
import static io.dpstwin.core.lifecycle.LifecycleMessages.systemProperties;
import static io.dpstwin.core.lifecycle.LifecycleMessages.twin;
import static io.dpstwin.core.lifecycle.ParsedEvents.lifecycle;
import static io.dpstwin.core.lifecycle.ParsedEvents.unparseable;
import static org.assertj.core.api.Assertions.assertThat;

class EventHubsLifecycleParserTest {

    private final EventHubsLifecycleParser parser = new EventHubsLifecycleParser();

    @SafeVarargs
    @SuppressWarnings("varargs")
    private static Map<String, Object>[] maps(Map<String, Object>... maps) {
        return maps;
    }

    private static Map<String, Object> deleteProps(String deviceId) {
        return appProperties("deviceLifecycleNotification", "deleteDeviceIdentity", "hub-a", deviceId);
    }

    @Test
    void readsADeviceDeletionWithItsTwinTags() {
        Map<String, Object> sys = systemProperties("deviceLifecycleEvents", "dev-1");
        String body = twin("dev-1", "{\"dtId\":\"twin-of-dev-1\",\"dtmi\":\"dtmi:com:example:Thermostat;1\"}",
                "dtmi:com:example:PnpThermostat;2");

        LifecycleEvent event = lifecycle(parser.parse(deleteProps("dev-1"), sys, body));

        assertThat(event.source()).isEqualTo(EventSourceKind.EVENT_HUBS);
        assertThat(event.opType()).isEqualTo("deleteDeviceIdentity");
        assertThat(event.isDeviceDeletion()).isTrue();
        assertThat(event.messageSchema()).isEqualTo("deviceLifecycleNotification");
        assertThat(event.messageSource()).isEqualTo("deviceLifecycleEvents");
        assertThat(event.hubName()).isEqualTo("hub-a");
        assertThat(event.deviceId()).isEqualTo("dev-1");
        assertThat(event.moduleId()).isNull();
        assertThat(event.operationTimestamp()).isEqualTo(Instant.parse("2026-11-26T10:15:30.4904785Z"));
        assertThat(event.tagDtId()).isEqualTo("twin-of-dev-1");
        assertThat(event.tagDtmi()).isEqualTo("dtmi:com:example:Thermostat;1");
        assertThat(event.modelId()).isEqualTo("dtmi:com:example:PnpThermostat;2");
        assertThat(event.eventId()).isEqualTo(sys.get("correlation-id"));
        assertThat(event.sequenceNumber()).isEqualTo(sys.get("x-opt-sequence-number"));
        assertThat(event.describe()).contains("dev-1").contains("hub-a").doesNotContain("$metadata");
    }

    @Test
    void takesTheDeviceIdFromTheSystemPropertyWhenTheApplicationPropertyIsAbsent() {
        Map<String, Object> app = deleteProps("dev-1");
        app.remove("deviceId");

        assertThat(lifecycle(parser.parse(app, systemProperties("deviceLifecycleEvents", "dev-1"), (String) null))
                .deviceId()).isEqualTo("dev-1");
    }

    @Test
    void refusesConflictingDeviceIds() {
        UnparseableEvent event = unparseable(parser.parse(deleteProps("dev-1"),
                systemProperties("deviceLifecycleEvents", "dev-2"), twin("dev-1", null, null)));

        assertThat(event.reason()).contains("deviceId").contains("differ");
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), systemProperties("deviceLifecycleEvents", "dev-1"),
                twin("dev-9", null, null))).reason()).isEqualTo("body.deviceId differs from the deviceId property");
    }

    @Test
    void recognisesAModuleByPropertyOrBody() {
        Map<String, Object> sys = systemProperties("deviceLifecycleEvents", "dev-1");
        sys.put("iothub-connection-module-id", "edgeHub");
        assertThat(lifecycle(parser.parse(deleteProps("dev-1"), sys, (String) null)).moduleId()).isEqualTo("edgeHub");

        LifecycleEvent fromBody = lifecycle(parser.parse(deleteProps("dev-1"),
                systemProperties("deviceLifecycleEvents", "dev-1"), "{\"deviceId\":\"dev-1\",\"moduleId\":\"m1\"}"));
        assertThat(fromBody.moduleId()).isEqualTo("m1");
        assertThat(fromBody.isModuleEvent()).isTrue();

        Map<String, Object> legacy = appProperties("deviceLifecycleNotification", "deleteModuleIdentity", "hub-a", "dev-1");
        assertThat(lifecycle(parser.parse(legacy, Map.of(), (String) null)).isModuleEvent()).isTrue();
    }

    @Test
    void doesNotReadTheBodyOfOtherNotifications() {
        Map<String, Object> app = appProperties("twinChangeNotification", "updateTwin", "hub-a", "dev-1");

        LifecycleEvent event = lifecycle(parser.parse(app, systemProperties("twinChangeEvents", "dev-1"),
                "binary telemetry \u0001 not json"));

        assertThat(event.messageSchema()).isEqualTo("twinChangeNotification");
        assertThat(event.tagDtId()).isNull();
    }

    @Test
    void aLifecycleNotificationWithABrokenBodyIsUnparseableAndTheReasonDoesNotQuoteIt() {
        UnparseableEvent event = unparseable(parser.parse(deleteProps("dev-1"),
                systemProperties("deviceLifecycleEvents", "dev-1"), "{\"deviceId\":\"dev-1\", SECRET-TOKEN-VALUE}"));

        assertThat(event.reason()).startsWith("body is not valid JSON (line 1, column");
        assertThat(event.reason()).doesNotContain("SECRET");
        assertThat(event.deviceId()).isEqualTo("dev-1");
        assertThat(event.eventId()).startsWith("corr-");
        assertThat(event.describe()).doesNotContain("SECRET");
    }

    @Test
    void refusesBodiesWithWrongTypesDuplicateKeysOrTooMuchNesting() {
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), Map.of(), "{\"tags\":{\"dtId\":42}}")).reason())
                .isEqualTo("body.tags.dtId is a number, expected a string");
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), Map.of(), "{\"tags\":[]}")).reason())
                .isEqualTo("body.tags is an array, expected an object");
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), Map.of(), "[1,2]")).reason())
                .isEqualTo("body is an array, expected a device twin object");
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), Map.of(),
                "{\"deviceId\":\"dev-1\",\"deviceId\":\"dev-2\"}")).reason()).contains("not valid JSON");
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), Map.of(), deep)).reason()).contains("not valid JSON");
    }

    @Test
    void refusesOversizedAndNonUtf8Bodies() {
        EventHubsLifecycleParser small = new EventHubsLifecycleParser(64);
        String big = twin("dev-1", "{\"note\":\"" + "x".repeat(100) + "\"}", null);
        assertThat(unparseable(small.parse(deleteProps("dev-1"), Map.of(), big)).reason())
                .contains("characters; at most 64");
        assertThat(unparseable(small.parse(deleteProps("dev-1"), Map.of(), big.getBytes(StandardCharsets.UTF_8)))
                .reason()).contains("bytes; at most 64");
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), Map.of(), new byte[]{'{', (byte) 0xC3, '}'}))
                .reason()).isEqualTo("body is not valid UTF-8");
        assertThat(lifecycle(parser.parse(deleteProps("dev-1"), Map.of(),
                twin("dev-1", "{\"dtId\":\"t\u00e9\"}", null).getBytes(StandardCharsets.UTF_8))).tagDtId())
                .isEqualTo("t\u00e9");
    }

    @Test
    void refusesDeviceIdsThatBreakIotHubRules() {
        assertThat(unparseable(parser.parse(deleteProps("dev 1"), Map.of(), (String) null)).reason())
                .isEqualTo("deviceId is not a valid IoT Hub device id");
        assertThat(unparseable(parser.parse(deleteProps("d".repeat(129)), Map.of(), (String) null)).reason())
                .isEqualTo("deviceId is not a valid IoT Hub device id");
        Map<String, Object> noDevice = deleteProps("dev-1");
        noDevice.remove("deviceId");
        assertThat(unparseable(parser.parse(noDevice, Map.of(), (String) null)).reason())
                .startsWith("lifecycle notification without deviceId");
    }

    @Test
    void readsScalarPropertyValuesOfAnyTypeButRefusesStructures() {
        Map<String, Object> app = deleteProps("dev-1");
        app.put("operationTimestamp", OffsetDateTime.of(2026, 11, 26, 10, 0, 0, 0, ZoneOffset.ofHours(2)));
        Map<String, Object> sys = new HashMap<>();
        sys.put("SequenceNumber", 42.0);
        sys.put("correlation-id", new byte[]{0x0a, (byte) 0xff});

        LifecycleEvent event = lifecycle(parser.parse(app, sys, (String) null));
        assertThat(event.operationTimestamp()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(event.sequenceNumber()).isEqualTo(42L);
        assertThat(event.eventId()).isEqualTo("0aff");

        Map<String, Object> structured = deleteProps("dev-1");
        structured.put("hubName", List.of("hub-a"));
        assertThat(unparseable(parser.parse(structured, Map.of(), (String) null)).reason())
                .isEqualTo("property hubName is a list, expected a string");
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), Map.of("SequenceNumber", 4.5), (String) null))
                .reason()).isEqualTo("property SequenceNumber is not a whole number");
        Map<String, Object> badTime = deleteProps("dev-1");
        badTime.put("operationTimestamp", "yesterday");
        assertThat(unparseable(parser.parse(badTime, Map.of(), (String) null)).reason())
                .isEqualTo("property operationTimestamp is not an ISO-8601 timestamp");
    }

    @Test
    void matchesPropertyNamesCaseInsensitivelyAsIotHubDoes() {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("IOTHUB-MESSAGE-SCHEMA", "deviceLifecycleNotification");
        app.put("optype", "deleteDeviceIdentity");
        app.put("HubName", "hub-a");
        app.put("DEVICEID", "dev-1");

        LifecycleEvent event = lifecycle(parser.parse(app, null, (String) null));

        assertThat(event.isDeviceDeletion()).isTrue();
        assertThat(event.deviceId()).isEqualTo("dev-1");
    }

    @Test
    void parsesAFunctionsBatchWithIndexAlignedArrays() {
        String[] bodies = {twin("dev-1", "{\"dtId\":\"t-1\"}", null), null, "{}"};
        Map<String, Object>[] properties = maps(
                deleteProps("dev-1"),
                appProperties("deviceLifecycleNotification", "createDeviceIdentity", "hub-a", "dev-2"),
                appProperties("twinChangeNotification", "replaceTwin", "hub-a", "dev-3"));
        Map<String, Object>[] system = maps(
                Map.of("SequenceNumber", 7, "iothub-connection-device-id", "dev-1"),
                Map.of("SequenceNumber", "8", "EnqueuedTimeUtc", "2026-11-26T10:00:00Z"),
                null);

        List<ParsedEvent> events = parser.parseFunctionsBatch(bodies, properties, system);

        assertThat(events).hasSize(3);
        assertThat(lifecycle(events.get(0)).tagDtId()).isEqualTo("t-1");
        assertThat(events.get(0).sequenceNumber()).isEqualTo(7L);
        assertThat(lifecycle(events.get(1)).isDeviceCreation()).isTrue();
        assertThat(events.get(1).sequenceNumber()).isEqualTo(8L);
        assertThat(lifecycle(events.get(2)).messageSchema()).isEqualTo("twinChangeNotification");
    }

    @Test
    void misalignedFunctionsArraysMakeEveryMessageUnparseable() {
        String[] bodies = {"{}", "{}"};
        Map<String, Object>[] one = maps(deleteProps("dev-1"));
        Map<String, Object>[] two = maps(deleteProps("dev-1"), deleteProps("dev-2"));

        List<ParsedEvent> shortProperties = parser.parseFunctionsBatch(bodies, one, null);
        assertThat(shortProperties).hasSize(2).allSatisfy(e -> assertThat(unparseable(e).reason())
                .isEqualTo("PropertiesArray has 1 entries for 2 messages; messages cannot be matched to their properties"));
        assertThat(((UnparseableEvent) shortProperties.get(1)).index()).isEqualTo(1);

        assertThat(parser.parseFunctionsBatch(bodies, two, one)).allSatisfy(e -> assertThat(unparseable(e).reason())
                .startsWith("SystemPropertiesArray has 1 entries for 2 messages"));
        assertThat(parser.parseFunctionsBatch(bodies, null, null)).allSatisfy(e -> assertThat(unparseable(e).reason())
                .startsWith("PropertiesArray is missing"));
        assertThat(parser.parseFunctionsBatch((String[]) null, null, null)).isEmpty();
    }

    @Test
    void parsesABinaryFunctionsBatch() {
        byte[][] bodies = {twin("dev-1", "{\"dtId\":\"t-1\"}", null).getBytes(StandardCharsets.UTF_8)};
        Map<String, Object>[] properties = maps(deleteProps("dev-1"));

        List<ParsedEvent> events = parser.parseFunctionsBatch(bodies, properties, null);

        assertThat(lifecycle(events.get(0)).tagDtId()).isEqualTo("t-1");
    }

    @Test
    void readsAnApplicationJsonBodyThatStartsWithAUtf8ByteOrderMark() {
        String json = twin("dev-1", "{\"dtId\":\"t-1\"}", null);
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[utf8.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);
        Map<String, Object> sys = systemProperties("deviceLifecycleEvents", "dev-1");
        sys.put("content-type", "application/json");

        assertThat(lifecycle(parser.parse(deleteProps("dev-1"), sys, withBom)).tagDtId()).isEqualTo("t-1");
        assertThat(lifecycle(parser.parse(deleteProps("dev-1"), sys, "\uFEFF" + json)).tagDtId()).isEqualTo("t-1");
        assertThat(lifecycle(parser.parseFunctionsBatch(new String[] {"\uFEFF" + json}, maps(deleteProps("dev-1")),
                null).get(0)).tagDtId()).isEqualTo("t-1");
    }

    @Test
    void aBodyThatIsOnlyAByteOrderMarkOrHasTwoIsRefusedClearly() {
        Map<String, Object> sys = systemProperties("deviceLifecycleEvents", "dev-1");

        assertThat(unparseable(parser.parse(deleteProps("dev-1"), sys, "\uFEFF")).reason()).isEqualTo("body is empty");
        assertThat(unparseable(parser.parse(deleteProps("dev-1"), sys, "\uFEFF\uFEFF{}")).reason())
                .startsWith("body is not valid JSON");
    }
}
