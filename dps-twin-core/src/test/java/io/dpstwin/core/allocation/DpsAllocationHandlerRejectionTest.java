package io.dpstwin.core.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.dpstwin.core.allocation.Requests.GROUP_ID;
import static io.dpstwin.core.allocation.Requests.SPACE;
import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.context;
import static io.dpstwin.core.allocation.Requests.errorCode;
import static io.dpstwin.core.allocation.Requests.errorMessage;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.individual;
import static io.dpstwin.core.allocation.Requests.payload;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Every permanent rejection: 400, a specific code and message, and no write to ADT. */
class DpsAllocationHandlerRejectionTest {

    private final HandFakeGateway adt = new HandFakeGateway();
    /** Twin creations the test itself makes or that ADT refuses; everything else must stay at zero. */
    private int expectedCreateOrReplace;
    private int expectedCreateIfAbsent;

    private WebhookResponse handle(AllocationOptions options, JsonNode request) {
        return new DpsAllocationHandler(adt, options).handle(text(request));
    }

    private WebhookResponse handle(JsonNode request) {
        return handle(AllocationOptions.defaults(), request);
    }

    private WebhookResponse handle(String body) {
        return new DpsAllocationHandler(adt, AllocationOptions.defaults()).handle(body);
    }

    private static void assertRejected(WebhookResponse response, String code, String message) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(code);
        assertThat(errorMessage(response)).isEqualTo(message);
        assertThat(Requests.body(response).path("error").path("correlationId").asText()).isNotBlank();
    }

    @AfterEach
    void nothingWasWrittenToAdt() {
        assertThat(adt.calls("createTwinIfAbsent")).isEqualTo(expectedCreateIfAbsent);
        assertThat(adt.calls("createOrReplaceTwin")).isEqualTo(expectedCreateOrReplace);
        assertThat(adt.calls("updateTwin")).isZero();
        assertThat(adt.calls("createRelationshipIfAbsent")).isZero();
        assertThat(adt.calls("query")).isZero();
    }

    @Test
    void rejectsMalformedJson() {
        WebhookResponse response = handle("{\"deviceRuntimeContext\":");

        assertThat(response.status()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.MALFORMED_JSON);
        assertThat(errorMessage(response)).startsWith("request body ends before the JSON is complete");
        assertThat(response.headers()).isEmpty();
    }

    @Test
    void rejectsANullOrEmptyBody() {
        assertRejected(handle((String) null), AllocationErrorCodes.MALFORMED_JSON, "request body is empty");
        assertRejected(new DpsAllocationHandler(adt, AllocationOptions.defaults()).handle((byte[]) null),
                AllocationErrorCodes.MALFORMED_JSON, "request body is empty");
    }

    /** A request of a THERMOSTAT device (no model where the case needs none), changed into a malformed one. */
    static List<Arguments> malformedRequests() {
        String context = "deviceRuntimeContext";
        String invalidType = AllocationErrorCodes.INVALID_FIELD_TYPE;
        return List.of(
                malformed("linkedHubs is a string", THERMOSTAT, r -> r.put("linkedHubs", "hub-a"),
                        invalidType, "linkedHubs must be an array, got a string"),
                malformed("the payload is an array", null, r -> context(r).putArray("payload").add("modelId"),
                        invalidType, context + ".payload must be a JSON object, got an array"),
                malformed("the modelId is a number", null, r -> payload(r).put("modelId", 1),
                        invalidType, context + ".payload.modelId must be a string, got a number"),
                malformed("the registrationId is a number", THERMOSTAT, r -> context(r).put("registrationId", 42),
                        invalidType, context + ".registrationId must be a string, got a number"),
                malformed("no deviceRuntimeContext", THERMOSTAT, r -> r.remove(context),
                        AllocationErrorCodes.MISSING_FIELD, context + " is missing"),
                malformed("no registrationId", THERMOSTAT, r -> context(r).remove("registrationId"),
                        AllocationErrorCodes.MISSING_FIELD, context + ".registrationId is missing"),
                malformed("a null registrationId", THERMOSTAT, r -> context(r).putNull("registrationId"),
                        AllocationErrorCodes.MISSING_FIELD, context + ".registrationId is missing"),
                malformed("no linkedHubs", THERMOSTAT, r -> r.remove("linkedHubs"),
                        AllocationErrorCodes.MISSING_FIELD, "linkedHubs is missing"),
                malformed("empty linkedHubs", THERMOSTAT, r -> r.putArray("linkedHubs"),
                        AllocationErrorCodes.NO_LINKED_HUBS, "linkedHubs is empty: no IoT hub is linked to the "
                                + "enrollment, so the device cannot be assigned"));
    }

    private static Arguments malformed(String change, String modelId, Consumer<ObjectNode> malform, String code,
                                       String message) {
        return Arguments.of(change, modelId, malform, code, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void rejectsAMalformedRequest(String change, String modelId, Consumer<ObjectNode> malform, String code,
                                  String message) {
        ObjectNode request = group("dev-1", modelId);
        malform.accept(request);

        assertRejected(handle(request), code, message);
    }

    @Test
    void rejectsABlankOrNullLinkedHub() {
        ObjectNode blank = group("dev-1", THERMOSTAT);
        blank.putArray("linkedHubs").add("hub-a").add(" ");
        ObjectNode withNull = group("dev-1", THERMOSTAT);
        withNull.putArray("linkedHubs").addNull();

        assertRejected(handle(blank), AllocationErrorCodes.INVALID_LINKED_HUB,
                "linkedHubs[1] must be an IoT hub host name, got ' '");
        assertRejected(handle(withNull), AllocationErrorCodes.INVALID_LINKED_HUB,
                "linkedHubs[0] must be an IoT hub host name, got null");
    }

    @Test
    void rejectsARegistrationIdWithForbiddenCharacters() {
        WebhookResponse response = handle(group("dev 1", THERMOSTAT));

        assertRejected(response, AllocationErrorCodes.INVALID_REGISTRATION_ID,
                "registrationId 'dev 1' breaks the DPS rules: only alphanumerics and - . _ : are allowed,"
                        + " and the last character must be alphanumeric or -");
    }

    @Test
    void rejectsARegistrationIdEndingWithADotUnderscoreOrColon() {
        for (String id : List.of("dev.", "dev_", "dev:")) {
            assertThat(errorCode(handle(group(id, THERMOSTAT))))
                    .as(id).isEqualTo(AllocationErrorCodes.INVALID_REGISTRATION_ID);
        }
    }

    @Test
    void rejectsARegistrationIdLongerThan128Characters() {
        assertRejected(handle(group("a".repeat(129), THERMOSTAT)), AllocationErrorCodes.INVALID_REGISTRATION_ID,
                "registrationId has 129 characters; DPS allows at most 128");
    }

    @Test
    void rejectsAnUppercaseRegistrationIdByDefault() {
        WebhookResponse response = handle(group("Dev-1", THERMOSTAT));

        assertThat(response.status()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.INVALID_REGISTRATION_ID);
        assertThat(errorMessage(response)).contains("'Dev-1' contains upper-case letters",
                "acceptUppercaseRegistrationIds");
    }

    @Test
    void rejectsAnIndividualEnrollmentDeviceIdBreakingIotHubRules() {
        assertRejected(handle(individual("reg-1", "device/1", THERMOSTAT)), AllocationErrorCodes.INVALID_DEVICE_ID,
                "individualEnrollment.deviceId 'device/1' breaks the IoT Hub rules: only ASCII alphanumerics and"
                        + " - : . + % _ # * ? ! ( ) , = @ ; $ ' are allowed");
    }

    @Test
    void rejectsAnEnrollmentGroupWithoutId() {
        ObjectNode request = group("dev-1", THERMOSTAT);
        ((ObjectNode) request.get("enrollmentGroup")).remove("enrollmentGroupId");

        assertRejected(handle(request), AllocationErrorCodes.MISSING_FIELD,
                "enrollmentGroup.enrollmentGroupId is missing");
    }

    @Test
    void rejectsARequestNamingBothKindsOfEnrollment() {
        ObjectNode request = individual("dev-1", null, THERMOSTAT);
        request.putObject("enrollmentGroup").put("enrollmentGroupId", GROUP_ID);

        assertRejected(handle(request), AllocationErrorCodes.AMBIGUOUS_ENROLLMENT,
                "the request names both an enrollmentGroup and an individualEnrollment; DPS sends exactly one");
    }

    @Test
    void rejectsADeviceWithoutModelWhenTheEnrollmentHasNoDefault() {
        assertRejected(handle(group("dev-1", null)), AllocationErrorCodes.NO_MODEL,
                "no model for the device: the payload has no modelId and enrollment group " + GROUP_ID
                        + " has no default model configured");
    }

    @Test
    void rejectsAnInvalidDtmi() {
        assertRejected(handle(group("dev-1", "dtmi:com:example:Thermostat_;1")), AllocationErrorCodes.INVALID_MODEL_ID,
                "'dtmi:com:example:Thermostat_;1' is not a valid DTMI (expected dtmi:<segment>[:<segment>...];"
                        + "<version>, e.g. dtmi:com:example:Thermostat;1)");
    }

    @Test
    void rejectsAModelOutsideTheEnrollmentsAllowList() {
        AllocationOptions options = AllocationOptions.builder()
                .allowedModels(EnrollmentRef.group(GROUP_ID), List.of(THERMOSTAT))
                .build();

        assertRejected(handle(options, group("dev-1", SPACE)), AllocationErrorCodes.MODEL_NOT_ALLOWED,
                "model " + SPACE + " is not allowed for enrollment group " + GROUP_ID + "; allowed: [" + THERMOSTAT
                        + "]");
    }

    @Test
    void rejectsATwinOfAnotherModelUnderRejectAndLeavesItUnchanged() {
        DigitalTwin existing = adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of("name", "kept")));
        expectedCreateOrReplace = 1; // the arrangement above; the flow itself must write nothing
        AllocationOptions options = AllocationOptions.builder()
                .modelMismatchPolicy(ModelMismatchPolicy.REJECT).build();

        WebhookResponse response = handle(options, group("dev-1", THERMOSTAT));

        assertRejected(response, AllocationErrorCodes.MODEL_MISMATCH, "twin 'dev-1' exists with model " + SPACE
                + ", not " + THERMOSTAT + "; the model mismatch policy is REJECT");
        assertThat(adt.getTwin("dev-1")).contains(existing);
    }

    @Test
    void rejectsWithTheAdtCodeAndMessageWhenAdtRefusesPermanently() {
        adt.failNext("createTwinIfAbsent", new AdtException(400, AdtErrorCodes.VALIDATION_FAILED,
                "Invalid twin specified"));
        expectedCreateIfAbsent = 1; // the attempt ADT refused

        WebhookResponse response = handle(group("dev-1", THERMOSTAT));

        assertRejected(response, AllocationErrorCodes.ADT_REJECTED,
                "Azure Digital Twins refused the request: 400 ValidationFailed: Invalid twin specified");
        assertThat(adt.twinCount()).isZero();
    }

    @Test
    void aCustomPolicyCanRejectWithItsOwnCode() {
        AllocationOptions options = AllocationOptions.builder()
                .hubSelection(request -> {
                    throw new AllocationRejectedException("DeviceBlocked", "device is on the block list");
                })
                .build();

        assertRejected(handle(options, group("dev-1", THERMOSTAT)), "DeviceBlocked", "device is on the block list");
    }
}
