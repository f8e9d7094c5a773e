package io.dpstwin.spring.webhook;

import io.dpstwin.spring.metrics.SpringMeters;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.iothub.CloudEvents;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.iothub.SubscriptionValidationEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhooks over real HTTP (Tomcat on a random port) against the testkit's HTTPS ADT emulator.
 */
@SpringBootTest(classes = WebhookTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "dps-twin.webhook.keys=new-key,old-key",
                "dps-twin.allocation.default-model=" + WebhookTestApplication.THERMOSTAT,
                "dps-twin.allocation.placement.enabled=true",
                "dps-twin.allocation.hub-selection.policy=consistent-hash",
                "dps-twin.digital-twins.allocation-retry.max-attempts=1",
                "dps-twin.lifecycle.max-attempts=1"})
class WebhookHttpTest {

    private static final String ALLOCATE = "/api/dps/allocate";
    private static final String EVENTS = "/api/iothub/events";
    private static final String[] HUBS = {"hub-a.azure-devices.net", "hub-b.azure-devices.net"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;
    @Autowired
    AdtEmulator adt;
    @Autowired
    DigitalTwinsClient client;
    @Autowired
    WebhookTestApplication.SwitchableDeadLetterSink deadLetters;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void freshGraph() {
        adt.resetKeepingModels();
        deadLetters.broken.set(false);
        WebhookTestApplication.createRoom(client, "room-1");
    }

    // ------------------------------------------------------------------ allocation

    @Test
    void allocatesADeviceCreatesItsTwinAndPlacesItInItsRoom() throws Exception {
        HttpResponse<String> answer = post(ALLOCATE + "?code=new-key", register("dev-1", "room-1"), Map.of());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("iotHubHostName").asText()).isIn((Object[]) HUBS);
        assertThat(body.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("dev-1");
        assertThat(body.path("initialTwin").path("tags").path("dtmi").asText()).isEqualTo(WebhookTestApplication.THERMOSTAT);
        assertThat(adt.engine().getTwin("dev-1").path("$metadata").path("$model").asText())
                .isEqualTo(WebhookTestApplication.THERMOSTAT);
        assertThat(adt.engine().getRelationship("room-1", "contains-dev-1").path("$targetId").asText())
                .isEqualTo("dev-1");
    }

    @Test
    void refusesACallWithoutAKeyWithAJson401() throws Exception {
        HttpResponse<String> answer = post(ALLOCATE, register("dev-1", null), Map.of());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).isEqualTo("Unauthorized");
        assertThat(adt.engine().twinIds()).containsExactly("room-1");
    }

    /** A wrong key is refused and writes nothing; the old key of a rotation is accepted, in the query and the header. */
    @ParameterizedTest(name = "key {0}: {1}")
    @CsvSource({"nope, 401, room-1", "old-key, 200, room-1 dev-1 dev-2"})
    void checksTheKeyInTheQueryAndTheHeaderAgainstTheRotation(String key, int status, String twins) throws Exception {
        assertThat(post(ALLOCATE + "?code=" + key, register("dev-1", null), Map.of()).statusCode()).isEqualTo(status);
        assertThat(post(ALLOCATE, register("dev-2", null), Map.of("x-functions-key", key)).statusCode())
                .isEqualTo(status);
        assertThat(adt.engine().twinIds()).containsExactlyInAnyOrder(twins.split(" "));
    }

    @Test
    void answersABadPayloadWith400AndWritesNothing() throws Exception {
        String body = DpsRequests.group("g").registrationId("dev-1").linkedHubs(HUBS)
                .modelId(WebhookTestApplication.THERMOSTAT).malformed().withModelIdAsNumber().toJson();

        assertRefusedAsInvalidFieldType(body, "modelId");
    }

    /** The webhook answers 400 {@code InvalidFieldType} naming the field, and writes no twin. */
    private void assertRefusedAsInvalidFieldType(String body, String message) throws Exception {
        HttpResponse<String> answer = post(ALLOCATE + "?code=new-key", body, Map.of());

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("InvalidFieldType");
        assertThat(error.path("message").asText()).contains(message);
        assertThat(adt.engine().twinIds()).containsExactly("room-1");
    }

    @Test
    void aPayloadSentAsAJsonStringLikeTheAzCliMakesTheSameTwinAsTheObject() throws Exception {
        var device = DpsRequests.group("thermostats").linkedHubs(HUBS).modelId(WebhookTestApplication.THERMOSTAT)
                .payloadField("parentTwinId", "room-1");

        HttpResponse<String> fromObject = post(ALLOCATE + "?code=new-key", device.registrationId("dev-1").toJson(),
                Map.of());
        HttpResponse<String> fromString = post(ALLOCATE + "?code=new-key",
                device.registrationId("dev-2").payloadAsJsonString().toJson(), Map.of());

        assertThat(fromString.statusCode()).as(fromString.body()).isEqualTo(200);
        JsonNode objectAnswer = JSON.readTree(fromObject.body());
        JsonNode stringAnswer = JSON.readTree(fromString.body());
        assertThat(stringAnswer.path("initialTwin").path("tags").path("dtmi"))
                .isEqualTo(objectAnswer.path("initialTwin").path("tags").path("dtmi"));
        assertThat(stringAnswer.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("dev-2");
        JsonNode twin1 = adt.engine().getTwin("dev-1");
        JsonNode twin2 = adt.engine().getTwin("dev-2");
        assertThat(twin2.path("$metadata").path("$model")).isEqualTo(twin1.path("$metadata").path("$model"));
        assertThat(adt.engine().getRelationship("room-1", "contains-dev-2").path("$targetId").asText())
                .isEqualTo("dev-2");
    }

    @Test
    void aPayloadStringThatHoldsNoObjectIsA400() throws Exception {
        String body = DpsRequests.group("g").registrationId("dev-1").linkedHubs(HUBS)
                .modelId(WebhookTestApplication.THERMOSTAT).malformed().withPayloadAsString().toJson();

        assertRefusedAsInvalidFieldType(body, "deviceRuntimeContext.payload must be a JSON object");
    }

    @Test
    void answersAnOversizedBodyWith413AsJson() throws Exception {
        String huge = "{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}";

        HttpResponse<String> announced = post(ALLOCATE + "?code=new-key", huge, Map.of());
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri(ALLOCATE + "?code=new-key"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> answer : List.of(announced, chunked)) {
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).isEqualTo("BodyTooLarge");
        }
    }

    @Test
    void answers429WithRetryAfterWhenAdtThrottlesSoThatDpsRetries() throws Exception {
        adt.faults().throttle(1.0, Duration.ofSeconds(3), Duration.ofSeconds(3));

        HttpResponse<String> answer = post(ALLOCATE + "?code=new-key", register("dev-1", null), Map.of());

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).contains("3");
        assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).isEqualTo("AdtThrottled");
    }

    @Test
    void answersOtherMethodsWithAJson405EvenForABrowser() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri(ALLOCATE + "?code=new-key"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.headers().firstValue("Allow")).contains("POST");
        assertThat(answer.body()).doesNotContain("Whitelabel").doesNotContain("<html");
        assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).isEqualTo("MethodNotAllowed");
    }

    // ------------------------------------------------------------------ Event Grid

    @Test
    void answersTheEventGridSchemaValidationHandshake() throws Exception {
        SubscriptionValidationEvent validation = EventGridEvents.subscriptionValidation();

        HttpResponse<String> answer = post(EVENTS + "?code=new-key", validation.toJson(), validation.headers());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body())).isEqualTo(JSON.readTree(validation.expectedResponseJson()));
    }

    @Test
    void answersTheCloudEventsValidationHandshake() throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(EVENTS + "?code=new-key"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        CloudEvents.validationRequestHeaders().forEach(request::header);

        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue(CloudEvents.ALLOWED_ORIGIN_HEADER)).contains(CloudEvents.EVENT_GRID_ORIGIN);
    }

    @Test
    void retiresADeletedDeviceThroughEventGridTwinAndRelationshipsIncluded() throws Exception {
        assertThat(post(ALLOCATE + "?code=new-key", register("dev-1", "room-1"), Map.of()).statusCode()).isEqualTo(200);
        assertThat(adt.engine().relationshipCount()).isEqualTo(1);

        HttpResponse<String> answer = post(EVENTS + "?code=new-key",
                IotHubEvents.deviceDeleted("hub-a", "dev-1").withDtId("dev-1").toEventGridJson(),
                EventGridEvents.notificationHeaders());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("outcomes").path("retired").asInt()).isEqualTo(1);
        assertThat(adt.engine().twinIds()).containsExactly("room-1");
        assertThat(adt.engine().relationshipCount()).isZero();
    }

    @Test
    void retiresDevicesFromACloudEventsBatch() throws Exception {
        post(ALLOCATE + "?code=new-key", register("dev-1", "room-1"), Map.of());
        post(ALLOCATE + "?code=new-key", register("dev-2", null), Map.of());

        HttpResponse<String> answer = post(EVENTS + "?code=new-key",
                CloudEvents.toBatchJson(IotHubEvents.deviceDeleted("hub-a", "dev-1"),
                        IotHubEvents.deviceDeleted("hub-b", "dev-2")),
                Map.of("Content-Type", CloudEvents.BATCH_CONTENT_TYPE));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("outcomes").path("retired").asInt()).isEqualTo(2);
        assertThat(adt.engine().twinIds()).containsExactly("room-1");
    }

    @Test
    void decoysRetireNothing() throws Exception {
        post(ALLOCATE + "?code=new-key", register("dev-1", "room-1"), Map.of());

        HttpResponse<String> answer = post(EVENTS + "?code=new-key", EventGridEvents.toJson(
                        IotHubEvents.moduleDeleted("hub-a", "dev-1", "edgeAgent"),
                        IotHubEvents.deviceConnected("hub-a", "dev-1"),
                        IotHubEvents.deviceDisconnected("hub-a", "dev-1")),
                EventGridEvents.notificationHeaders());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("outcomes").path("skipped").asInt()).isEqualTo(3);
        assertThat(adt.engine().twinIds()).contains("dev-1");
        assertThat(adt.engine().relationshipCount()).isEqualTo(1);
    }

    @Test
    void retiresFromABodyThatStartsWithAUtf8ByteOrderMark() throws Exception {
        post(ALLOCATE + "?code=new-key", register("dev-1", null), Map.of());
        byte[] json = IotHubEvents.deviceDeleted("hub-a", "dev-1").toEventGridJson()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(EVENTS + "?code=new-key"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(withBom));
        EventGridEvents.notificationHeaders().forEach(request::setHeader);

        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("outcomes").path("retired").asInt()).isEqualTo(1);
        assertThat(adt.engine().twinIds()).containsExactly("room-1");
    }

    @Test
    void thePortalsTestEventIsAnsweredAndSkipped() throws Exception {
        String storageEvent = "{\"topic\":\"/subscriptions/{subscriptionid}/resourceGroups/eg0122/providers/"
                + "Microsoft.Storage/storageAccounts/egblobstore\",\"subject\":\"/blobServices/default/containers/"
                + "{containername}/blobs/blobname.jpg\",\"eventType\":\"Microsoft.Storage.BlobCreated\","
                + "\"eventTime\":\"2018-01-23T17:02:19.6069787Z\",\"id\":\"{guid}\",\"data\":{\"api\":\"PutBlockList\"},"
                + "\"dataVersion\":\"\",\"metadataVersion\":\"1\"}";

        HttpResponse<String> answer = post(EVENTS + "?code=new-key", storageEvent,
                EventGridEvents.notificationHeaders());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("outcomes").path("skipped").asInt()).isEqualTo(1);
    }

    @Test
    void anEmptyCloudEventsBatchIsAnswered200WithNoEvents() throws Exception {
        HttpResponse<String> answer = post(EVENTS + "?code=new-key", "[]",
                Map.of("Content-Type", CloudEvents.BATCH_CONTENT_TYPE));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("events").asInt()).isZero();
    }

    @Test
    void answers400ForAnEnvelopeThatIsNotAnEventOrAnArrayOfEvents() throws Exception {
        for (String body : new String[] {"not json", "\"a string\"", "", "[1,2] trailing"}) {
            HttpResponse<String> answer = post(EVENTS + "?code=new-key", body, Map.of());
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).path("error").path("code").asText()).isEqualTo("MalformedJson");
        }
    }

    @Test
    void answers503WhenAnEventFailedSoThatEventGridRedeliversAndTheRedeliverySucceeds() throws Exception {
        post(ALLOCATE + "?code=new-key", register("dev-1", "room-1"), Map.of());
        deadLetters.broken.set(true);
        adt.faults().failNext(AdtOperation.LIST_RELATIONSHIPS, new AdtException(403, "Forbidden", "no data role"));
        String delivery = IotHubEvents.deviceDeleted("hub-a", "dev-1").toEventGridJson();

        HttpResponse<String> failed = post(EVENTS + "?code=new-key", delivery, EventGridEvents.notificationHeaders());

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(failed.body()).path("error").path("code").asText()).isEqualTo("EventsNotSettled");
        assertThat(adt.engine().twinIds()).contains("dev-1");

        deadLetters.broken.set(false);
        HttpResponse<String> redelivered = post(EVENTS + "?code=new-key", delivery,
                EventGridEvents.notificationHeaders());
        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(adt.engine().twinIds()).containsExactly("room-1");
    }

    @Test
    void answersADeadLetteredEventWith200BecauseItIsSettled() throws Exception {
        post(ALLOCATE + "?code=new-key", register("dev-1", null), Map.of());
        adt.faults().failNext(AdtOperation.LIST_RELATIONSHIPS, new AdtException(403, "Forbidden", "no data role"));

        HttpResponse<String> answer = post(EVENTS + "?code=new-key",
                IotHubEvents.deviceDeleted("hub-a", "dev-1").toEventGridJson(), EventGridEvents.notificationHeaders());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("outcomes").path("dead_lettered").asInt()).isEqualTo(1);
        assertThat(deadLetters.parked).singleElement().satisfies(letter -> assertThat(letter.twinId()).isEqualTo("dev-1"));
    }

    @Test
    void theLifecycleEndpointChecksTheKeyToo() throws Exception {
        HttpResponse<String> answer = post(EVENTS + "?code=wrong",
                IotHubEvents.deviceDeleted("hub-a", "dev-1").toEventGridJson(), EventGridEvents.notificationHeaders());
        HttpRequest.Builder options = HttpRequest.newBuilder(uri(EVENTS))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        CloudEvents.validationRequestHeaders().forEach(options::header);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(http.send(options.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void countsEveryAnswerOnTheApplicationsMeterRegistry() throws Exception {
        double before = meters.counter(SpringMeters.WEBHOOK_REQUESTS, "endpoint", "allocation", "status", "401").count();

        post(ALLOCATE, register("dev-1", null), Map.of());

        assertThat(meters.counter(SpringMeters.WEBHOOK_REQUESTS, "endpoint", "allocation", "status", "401").count())
                .isEqualTo(before + 1);
        assertThat(meters.find("dpstwin.adt.requests").timers()).as("the core's meters share the registry")
                .isNotEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static String register(String device, String room) {
        var request = DpsRequests.group("thermostats").registrationId(device).linkedHubs(HUBS)
                .modelId(WebhookTestApplication.THERMOSTAT);
        return (room == null ? request : request.payloadField("parentTwinId", room)).toJson();
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::setHeader);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
