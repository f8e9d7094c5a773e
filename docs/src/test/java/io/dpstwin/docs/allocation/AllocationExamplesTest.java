package io.dpstwin.docs.allocation;

import io.dpstwin.core.DpsTwinMeters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.allocation.EnrollmentRef;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.MissingParentPolicy;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.junit.InMemoryDigitalTwinsExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/allocation.md, run against the testkit's in-memory ADT with the Contoso models. */
class AllocationExamplesTest {

    static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    static final String ROOM = "dtmi:contosocom:DigitalTwins:Room;1";
    static final String HUB_1 = "contoso-hub-1.azure-devices.net";
    static final String HUB_2 = "contoso-hub-2.azure-devices.net";

    @RegisterExtension
    static final InMemoryDigitalTwinsExtension ADT = InMemoryDigitalTwinsExtension.newInstance()
            .modelResources("models/Thermostat.json", "models/Room.json")
            .build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theQuickStartAllocatesPlacesAndAnswersAsItsCommentsSay(InMemoryDigitalTwins adt) throws Exception {
        adt.createOrReplaceTwin(DigitalTwin.of("room-101", ROOM));
        DigitalTwinsGateway gateway = adt;
        MeterRegistry meters = new SimpleMeterRegistry();
        // a re-registration of dev-1, currently on hub 2, naming no model and its room in the payload
        byte[] requestBodyBytes = DpsRequests.group("contoso-thermostats").registrationId("dev-1")
                .linkedHubs(HUB_1, HUB_2).reRegistration(HUB_2)
                .payloadField("parentTwinId", "room-101")
                .toJson().getBytes(StandardCharsets.UTF_8);

        // tag::quick-start[]
        AllocationOptions options = AllocationOptions.builder()
                // keep re-registering devices on their hub; spread new ones by consistent hashing
                .hubSelection(HubSelectionPolicy.sticky(HubSelectionPolicy.consistentHashing()))
                // model: payload.modelId, else the enrollment's default, else the global default
                .defaultModel(EnrollmentRef.group("contoso-thermostats"), "dtmi:contosocom:DigitalTwins:Thermostat;1")
                .defaultModel("dtmi:contosocom:DigitalTwins:Thermostat;1")
                .allowedModels(EnrollmentRef.group("contoso-thermostats"),
                        List.of("dtmi:contosocom:DigitalTwins:Thermostat;1"))
                .initialProperties("dtmi:contosocom:DigitalTwins:Thermostat;1", Map.of("Temperature", 0.0))
                .modelMismatchPolicy(ModelMismatchPolicy.REJECT)
                .twinIdStrategy(TwinIdStrategy.deviceId())
                // place the twin under the room the device names in its payload: room-101 -contains-> dev-1
                .placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId"))
                        .withRelationshipName("contains")
                        .withMissingParentPolicy(MissingParentPolicy.REJECT))
                .initialTwinTags(Map.of("provisionedBy", "dps-twin"))
                .returnTwinIdInPayload(true)
                .build();

        DpsAllocationHandler handler = new DpsAllocationHandler(gateway, options, meters);

        WebhookResponse answer = handler.handle(requestBodyBytes);
        // answer.status(), answer.body(), answer.headers()  (Content-Type: WebhookResponse.CONTENT_TYPE)
        // end::quick-start[]

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("iotHubHostName").asText()).as("sticky: stays on its hub").isEqualTo(HUB_2);
        assertThat(body.at("/initialTwin/tags/dtId").asText()).isEqualTo("dev-1");
        assertThat(body.at("/initialTwin/tags/dtmi").asText()).as("the enrollment's default model")
                .isEqualTo(THERMOSTAT);
        assertThat(body.at("/initialTwin/tags/provisionedBy").asText()).isEqualTo("dps-twin");
        assertThat(body.at("/payload/twinId").asText()).isEqualTo("dev-1");
        DigitalTwin twin = adt.getTwin("dev-1").orElseThrow();
        assertThat(twin.modelId()).isEqualTo(THERMOSTAT);
        assertThat(twin.properties()).containsEntry("Temperature", 0.0);
        assertThat(adt.getRelationship("room-101", "contains-dev-1")).hasValueSatisfying(relationship -> {
            assertThat(relationship.targetId()).isEqualTo("dev-1");
            assertThat(relationship.name()).isEqualTo("contains");
        });
        assertThat(meters.get(DpsTwinMeters.ALLOCATIONS)
                .tags("outcome", "allocated", "reason", "created").counter().count()).isEqualTo(1.0);

        // a new device is spread by consistent hashing over the linked hubs, whatever their order
        String dev2 = DpsRequests.group("contoso-thermostats").registrationId("dev-2").linkedHubs(HUB_1, HUB_2)
                .payloadField("parentTwinId", "room-101").toJson();
        String dev2Reordered = DpsRequests.group("contoso-thermostats").registrationId("dev-2")
                .linkedHubs(HUB_2, HUB_1).payloadField("parentTwinId", "room-101").toJson();
        assertThat(hubOf(handler.handle(dev2))).isEqualTo(hubOf(handler.handle(dev2Reordered))).isIn(HUB_1, HUB_2);

        // the allow-list of the enrollment refuses another model, and nothing is written
        WebhookResponse otherModel = handler.handle(DpsRequests.group("contoso-thermostats").registrationId("dev-3")
                .linkedHubs(HUB_1).modelId(ROOM).toJson());
        assertThat(otherModel.status()).isEqualTo(400);
        assertThat(errorCode(otherModel)).isEqualTo("ModelNotAllowed");

        // REJECT: a room that does not exist refuses the device, and nothing is written
        WebhookResponse noRoom = handler.handle(DpsRequests.group("contoso-thermostats").registrationId("dev-4")
                .linkedHubs(HUB_1).payloadField("parentTwinId", "room-999").toJson());
        assertThat(noRoom.status()).isEqualTo(400);
        assertThat(errorCode(noRoom)).isEqualTo("ParentTwinNotFound");
        assertThat(adt.engine().twinIds()).containsExactlyInAnyOrder("room-101", "dev-1", "dev-2");
    }

    @Test
    void bothHandleMethodsAnswerTheSameAndCountTheBodyInUtf8Bytes(InMemoryDigitalTwins adt) throws Exception {
        DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.defaults());
        byte[] body = DpsRequests.group("contoso-thermostats").registrationId("dev-1").modelId(THERMOSTAT)
                .toJson().getBytes(StandardCharsets.UTF_8);

        // tag::handle[]
        WebhookResponse fromBytes = handler.handle(body);                                  // the raw body as received
        WebhookResponse fromText = handler.handle(new String(body, StandardCharsets.UTF_8)); // the same, as text
        // end::handle[]

        assertThat(fromBytes.status()).isEqualTo(200);
        assertThat(fromText).isEqualTo(fromBytes);
        assertThat(fromBytes.headers()).isEmpty();

        // 40,000 characters of 3 bytes each are 120,000 bytes: over the 98,304-byte limit as text too
        String large = "{\"x\":\"" + "€".repeat(40_000) + "\"}";
        assertThat(large.length()).isLessThan(AllocationOptions.DEFAULT_MAX_BODY_BYTES);
        WebhookResponse tooLarge = handler.handle(large);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(errorCode(tooLarge)).isEqualTo("BodyTooLarge");
    }

    @Test
    void theDefaultsAreTheReferenceFlows(InMemoryDigitalTwins adt) throws Exception {
        DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.defaults());

        WebhookResponse answer = handler.handle(DpsRequests.group("contoso-thermostats").registrationId("dev-1")
                .linkedHubs(HUB_2, HUB_1).modelId(THERMOSTAT).payloadField("parentTwinId", "room-101").toJson());

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("iotHubHostName").asText()).as("the first linked hub").isEqualTo(HUB_2);
        assertThat(body.at("/initialTwin/tags/dtId").asText()).as("twin id = registration id").isEqualTo("dev-1");
        assertThat(body.has("payload")).as("no payload back").isFalse();
        assertThat(adt.getTwin("dev-1").orElseThrow().properties()).as("no Temperature added").isEmpty();
        assertThat(adt.engine().relationshipCount()).as("no placement").isZero();

        WebhookResponse noModel = handler.handle(DpsRequests.group("contoso-thermostats").registrationId("dev-2")
                .toJson());
        assertThat(noModel.status()).as("a missing model is a 400, not a 500").isEqualTo(400);
        assertThat(errorCode(noModel)).isEqualTo("NoModel");
    }

    private static String hubOf(WebhookResponse answer) throws Exception {
        assertThat(answer.status()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("iotHubHostName").asText();
    }

    private static String errorCode(WebhookResponse answer) throws Exception {
        return JSON.readTree(answer.body()).at("/error/code").asText();
    }
}
