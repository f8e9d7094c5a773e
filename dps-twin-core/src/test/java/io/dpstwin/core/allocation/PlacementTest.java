package io.dpstwin.core.allocation;

import io.dpstwin.core.testing.Concurrently;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.Relationship;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.dpstwin.core.allocation.Requests.GROUP_ID;
import static io.dpstwin.core.allocation.Requests.SPACE;
import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.errorCode;
import static io.dpstwin.core.allocation.Requests.errorMessage;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.payload;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {

    private static final String ROOM = "room-101";
    private static final Placement FROM_PAYLOAD = Placement.under(ParentTwinResolver.payloadField("parentTwinId"));

    private HandFakeGateway adt = new HandFakeGateway();

    @BeforeEach
    void aRoomTwinExists() {
        adt.createOrReplaceTwin(DigitalTwin.of(ROOM, SPACE));
    }

    private WebhookResponse handle(Placement placement, JsonNode request) {
        return new DpsAllocationHandler(adt, AllocationOptions.builder().placement(placement).build())
                .handle(text(request));
    }

    private static ObjectNode deviceIn(String parent) {
        ObjectNode request = group("dev-1", THERMOSTAT);
        if (parent != null) {
            payload(request).put("parentTwinId", parent);
        }
        return request;
    }

    @Test
    void placesTheTwinUnderTheParentNamedInThePayload() {
        WebhookResponse response = handle(FROM_PAYLOAD, deviceIn(ROOM));

        assertThat(response.status()).isEqualTo(200);
        assertThat(adt.getRelationship(ROOM, "contains-dev-1")).hasValueSatisfying(relationship -> {
            assertThat(relationship.targetId()).isEqualTo("dev-1");
            assertThat(relationship.name()).isEqualTo("contains");
        });
    }

    @Test
    void placesTheTwinUnderTheParentMappedToItsEnrollment() {
        Placement placement = Placement.under(ParentTwinResolver.perEnrollment(
                Map.of(EnrollmentRef.group(GROUP_ID), ROOM)));

        assertThat(handle(placement, deviceIn(null)).status()).isEqualTo(200);

        assertThat(adt.getRelationship(ROOM, "contains-dev-1")).isPresent();
    }

    @Test
    void thePayloadParentCanTakePrecedenceOverTheEnrollmentMapping() {
        adt.createOrReplaceTwin(DigitalTwin.of("room-102", SPACE));
        Placement placement = Placement.under(ParentTwinResolver.payloadField("parentTwinId")
                .orElse(ParentTwinResolver.perEnrollment(Map.of(EnrollmentRef.group(GROUP_ID), ROOM))));

        handle(placement, deviceIn("room-102"));

        assertThat(adt.getRelationship("room-102", "contains-dev-1")).isPresent();
        assertThat(adt.getRelationship(ROOM, "contains-dev-1")).isEmpty();
    }

    @Test
    void theRelationshipNameIsConfigurableAndNamesTheRelationshipId() {
        handle(FROM_PAYLOAD.withRelationshipName("serves"), deviceIn(ROOM));

        assertThat(adt.getRelationship(ROOM, "serves-dev-1"))
                .hasValueSatisfying(relationship -> assertThat(relationship.name()).isEqualTo("serves"));
    }

    @Test
    void aDeviceWithoutParentIsNotPlaced() {
        assertThat(handle(FROM_PAYLOAD, deviceIn(null)).status()).isEqualTo(200);

        assertThat(adt.relationshipCount()).isZero();
        assertThat(adt.calls("createRelationshipIfAbsent")).isZero();
    }

    @Test
    void aReRegistrationFindsThePlacementWithoutWriting() {
        handle(FROM_PAYLOAD, deviceIn(ROOM));

        assertThat(handle(FROM_PAYLOAD, deviceIn(ROOM)).status()).isEqualTo(200);

        assertThat(adt.calls("createRelationshipIfAbsent")).isEqualTo(1);
        assertThat(adt.relationshipCount()).isEqualTo(1);
    }

    @Test
    void aRelationshipPutMeeting412IsVerifiedAndAccepted() {
        HandFakeGateway retried = new HandFakeGateway() {
            @Override
            public synchronized Relationship createRelationshipIfAbsent(Relationship relationship) {
                super.createRelationshipIfAbsent(relationship);
                throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED, "relationship exists");
            }
        };
        retried.createOrReplaceTwin(DigitalTwin.of(ROOM, SPACE));
        adt = retried;

        WebhookResponse response = handle(FROM_PAYLOAD, deviceIn(ROOM));

        assertThat(response.status()).isEqualTo(200);
        assertThat(adt.relationshipCount()).isEqualTo(1);
        assertThat(adt.calls("getRelationship")).isEqualTo(1);
    }

    @Test
    void aRelationshipIdTakenByAnotherTargetIsAConflict() {
        adt.createOrReplaceTwin(DigitalTwin.of("intruder", THERMOSTAT));
        adt.createOrReplaceRelationship(Relationship.of("contains-dev-1", ROOM, "intruder", "contains"));

        WebhookResponse response = handle(FROM_PAYLOAD, deviceIn(ROOM));

        assertThat(response.status()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.PLACEMENT_CONFLICT);
        assertThat(errorMessage(response)).isEqualTo("relationship 'contains-dev-1' of twin 'room-101' exists as"
                + " 'contains' to twin 'intruder', not as 'contains' to twin 'dev-1'");
        assertThat(adt.getRelationship(ROOM, "contains-dev-1").orElseThrow().targetId()).isEqualTo("intruder");
    }

    @Test
    void aMissingParentIsRejectedBeforeAnythingIsWritten() {
        WebhookResponse response = handle(FROM_PAYLOAD, deviceIn("room-999"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.PARENT_TWIN_NOT_FOUND);
        assertThat(errorMessage(response))
                .isEqualTo("parent twin 'room-999' does not exist; the missing-parent policy is REJECT");
        assertThat(adt.getTwin("dev-1")).isEmpty();
        assertThat(adt.calls("createTwinIfAbsent")).isZero();
        assertThat(adt.calls("createRelationshipIfAbsent")).isZero();
    }

    @Test
    void aMissingParentIsSkippedUnderSkip() {
        WebhookResponse response = handle(FROM_PAYLOAD.withMissingParentPolicy(MissingParentPolicy.SKIP),
                deviceIn("room-999"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(adt.getTwin("dev-1")).isPresent();
        assertThat(adt.relationshipCount()).isZero();
    }

    @Test
    void aParentDeletedWhileTheTwinIsCreatedIsRejectedNamingTheRace() {
        WebhookResponse response = refusedPlacement(new AdtException(404, AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND,
                "There is no digital twin instance that exists with the ID room-101."));

        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.PARENT_TWIN_NOT_FOUND);
        assertThat(errorMessage(response)).contains("deleted while the device twin was being created");
    }

    @Test
    void aPlacementAdtRefusesDeletesTheTwinThisRegistrationCreated() {
        WebhookResponse response = refusedPlacement(new AdtException(400, AdtErrorCodes.INVALID_RELATIONSHIP,
                "Relationship contains is not defined on the source twin's model."));

        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.ADT_REJECTED);
        assertThat(adt.calls("deleteTwin")).isEqualTo(1);
    }

    /** The answer when ADT refuses the placement relationship with {@code failure}: a 400 that leaves no twin. */
    private WebhookResponse refusedPlacement(AdtException failure) {
        adt.failNext("createRelationshipIfAbsent", failure);
        WebhookResponse response = handle(FROM_PAYLOAD, deviceIn(ROOM));
        assertThat(response.status()).isEqualTo(400);
        assertThat(adt.getTwin("dev-1")).as("the twin created for the refused registration is deleted again")
                .isEmpty();
        return response;
    }

    @Test
    void aPlacementRefusedForATwinThatExistedBeforeKeepsTheTwin() {
        adt.createOrReplaceTwin(DigitalTwin.of("dev-1", THERMOSTAT));
        adt.failNext("createRelationshipIfAbsent", new AdtException(400, AdtErrorCodes.INVALID_RELATIONSHIP,
                "Relationship contains is not defined on the source twin's model."));

        WebhookResponse response = handle(FROM_PAYLOAD, deviceIn(ROOM));

        assertThat(response.status()).isEqualTo(400);
        assertThat(adt.getTwin("dev-1")).isPresent();
        assertThat(adt.calls("deleteTwin")).isZero();
    }

    @Test
    void aTwinChangedSinceItWasCreatedIsKeptWhenItsPlacementIsRefused() {
        adt.failNext("createRelationshipIfAbsent", new AdtException(400, AdtErrorCodes.INVALID_RELATIONSHIP,
                "Relationship contains is not defined on the source twin's model."));
        adt.failNext("deleteTwin", new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED,
                "The etag does not match."));

        WebhookResponse response = handle(FROM_PAYLOAD, deviceIn(ROOM));

        assertThat(response.status()).as("the answer is the refusal, not the failed clean-up").isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.ADT_REJECTED);
        assertThat(adt.getTwin("dev-1")).isPresent();
    }

    @Test
    void aTransientFailureWhilePlacingIsRetriedByDpsAndThenSucceeds() {
        adt.failNext("createRelationshipIfAbsent", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE,
                "Service Unavailable"));

        WebhookResponse first = handle(FROM_PAYLOAD, deviceIn(ROOM));
        WebhookResponse retry = handle(FROM_PAYLOAD, deviceIn(ROOM));

        assertThat(first.status()).isEqualTo(503);
        assertThat(adt.calls("deleteTwin")).as("a transient failure keeps the twin for the retry").isZero();
        assertThat(retry.status()).isEqualTo(200);
        assertThat(adt.twinCount()).isEqualTo(2);
        assertThat(adt.getRelationship(ROOM, "contains-dev-1")).isPresent();
    }

    @Test
    void rejectsAParentTwinIdBreakingTheTwinIdRules() {
        for (String bad : List.of("a/b", "it's", "x\u0007y", " padded", "r".repeat(513), "q?x")) {
            WebhookResponse response = handle(FROM_PAYLOAD, deviceIn(bad));

            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(errorCode(response)).as(bad).isEqualTo(AllocationErrorCodes.INVALID_PARENT_TWIN_ID);
            assertThat(errorMessage(response)).as(bad).startsWith("parent twin id");
        }
        assertThat(adt.calls("getTwin")).isZero();
        assertThat(adt.twinCount()).isEqualTo(1);
    }

    @Test
    void rejectsAParentTwinIdThatIsNotAString() {
        ObjectNode request = deviceIn(null);
        payload(request).putObject("parentTwinId");

        WebhookResponse response = handle(FROM_PAYLOAD, request);

        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.INVALID_FIELD_TYPE);
        assertThat(errorMessage(response))
                .isEqualTo("deviceRuntimeContext.payload.parentTwinId must be a string, got an object");
    }

    @Test
    void rejectsTheDevicesOwnTwinAsParent() {
        WebhookResponse response = handle(FROM_PAYLOAD, deviceIn("dev-1"));

        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.INVALID_PARENT_TWIN_ID);
        assertThat(errorMessage(response)).isEqualTo("parent twin 'dev-1' is the device's own twin");
    }

    @Test
    void relationshipNamesMustBeDtdlNames() {
        assertThatThrownBy(() -> FROM_PAYLOAD.withRelationshipName("has-parts"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FROM_PAYLOAD.withRelationshipName("ends_"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FROM_PAYLOAD.withRelationshipName("isPartOf").relationshipIdFor("d")).isEqualTo("isPartOf-d");
    }

    @Test
    void concurrentRegistrationsCreateOneTwinAndOnePlacement() throws Exception {
        DpsAllocationHandler handler = new DpsAllocationHandler(adt,
                AllocationOptions.builder().placement(FROM_PAYLOAD).build());
        String body = text(deviceIn(ROOM));

        List<WebhookResponse> responses = Concurrently.startTogether(16, thread -> handler.handle(body));

        assertThat(responses).allSatisfy(response -> assertThat(response.status()).isEqualTo(200));
        assertThat(adt.twinCount()).isEqualTo(2);
        assertThat(adt.relationshipCount()).isEqualTo(1);
    }
}
