package io.dpstwin.core.allocation;

import io.dpstwin.core.testing.TutorialRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocationRequestParsingTest {

    private static AllocationRequest parse(String json) {
        return AllocationRequestParser.parse(json.getBytes(StandardCharsets.UTF_8)).request();
    }

    private static AllocationRejectedException rejection(String json) {
        try {
            parse(json);
        } catch (AllocationRejectedException e) {
            return e;
        }
        throw new AssertionError("expected a rejection");
    }

    @Test
    void readsTheRequestTheTutorialLoggedFromARealRun() {
        AllocationRequest request = parse(TutorialRequest.LOGGED);

        assertThat(request.enrollmentGroup().enrollmentGroupId()).isEqualTo("contoso-custom-allocated-devices");
        assertThat(request.enrollmentGroup().attestation().type()).isEqualTo("symmetricKey");
        assertThat(request.enrollmentGroup().capabilities().iotEdge()).isFalse();
        assertThat(request.enrollmentGroup().reprovisionPolicy())
                .isEqualTo(new ReprovisionPolicy(true, true));
        assertThat(request.enrollmentGroup().allocationPolicy()).isEqualTo("custom");
        assertThat(request.enrollmentGroup().iotHubs()).hasSize(2);
        assertThat(request.enrollmentRef()).contains(EnrollmentRef.group("contoso-custom-allocated-devices"));
        assertThat(request.registrationId()).isEqualTo("breakroom499-contoso-tstrsd-007");
        assertThat(request.deviceId()).isEqualTo("breakroom499-contoso-tstrsd-007");
        assertThat(request.currentHub()).contains("contoso-toasters-hub-1098.azure-devices.net");
        assertThat(request.deviceRuntimeContext().currentDeviceId()).isEqualTo("breakroom499-contoso-tstrsd-007");
        assertThat(request.deviceRuntimeContext().isReprovisioning()).isTrue();
        assertThat(request.deviceRuntimeContext().attestationType()).isEqualTo("symmetricKey");
        assertThat(request.deviceRuntimeContext().payload())
                .containsEntry("MyDeviceFirmwareVersion", "12.0.2.5");
        assertThat(request.linkedHubs()).containsExactly("contoso-toasters-hub-1098.azure-devices.net",
                "contoso-heatpumps-hub-1098.azure-devices.net");
    }

    @ParameterizedTest
    @ValueSource(strings = {"currentIotHubHostName", "currentIoTHubHostName", "currentIoTHubHostname",
        "CURRENTIOTHUBHOSTNAME"})
    void readsEveryDocumentedSpellingOfTheCurrentHub(String spelling) {
        AllocationRequest request = parse("""
                {"deviceRuntimeContext":{"registrationId":"dev-1","%s":"hub-a.azure-devices.net"},
                 "linkedHubs":["hub-a.azure-devices.net"]}""".formatted(spelling));

        assertThat(request.currentHub()).contains("hub-a.azure-devices.net");
    }

    @Test
    void aFirstRegistrationHasNoCurrentHub() {
        AllocationRequest request = parse("""
                {"deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h"]}""");

        assertThat(request.currentHub()).isEmpty();
        assertThat(request.deviceRuntimeContext().isReprovisioning()).isFalse();
        assertThat(request.deviceRuntimeContext().attestationType()).isEqualTo("none");
        assertThat(request.enrollment()).isEmpty();
    }

    @Test
    void theDeviceIdOfAnIndividualEnrollmentIsItsDeviceIdElseTheRegistrationId() {
        String withDeviceId = """
                {"individualEnrollment":{"registrationId":"reg-1","deviceId":"Device-One",
                   "initialTwin":{"tags":{"site":"plant-1"},"properties":{"desired":{"mode":"eco"}}}},
                 "deviceRuntimeContext":{"registrationId":"reg-1","tpm":{"endorsementKey":"AToAAQ"}},
                 "linkedHubs":["h"]}""";
        String withoutDeviceId = """
                {"individualEnrollment":{"registrationId":"reg-2"},
                 "deviceRuntimeContext":{"registrationId":"reg-2"},"linkedHubs":["h"]}""";

        AllocationRequest first = parse(withDeviceId);
        AllocationRequest second = parse(withoutDeviceId);

        assertThat(first.deviceId()).isEqualTo("Device-One");
        assertThat(first.enrollmentRef()).contains(EnrollmentRef.individual("reg-1"));
        assertThat(first.individualEnrollment().initialTwin().tags()).containsEntry("site", "plant-1");
        assertThat(first.individualEnrollment().initialTwin().desiredProperties()).containsEntry("mode", "eco");
        assertThat(first.deviceRuntimeContext().attestationType()).isEqualTo("tpm");
        assertThat(second.deviceId()).isEqualTo("reg-2");
    }

    @Test
    void theModelIsImmutableDeepDown() {
        AllocationRequest request = parse("""
                {"deviceRuntimeContext":{"registrationId":"dev-1","payload":{"nested":{"list":[1,{"a":2}]}}},
                 "linkedHubs":["h"]}""");

        Map<String, Object> payload = request.deviceRuntimeContext().payload();
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) payload.get("nested");

        assertThatThrownBy(() -> payload.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> nested.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((java.util.List<?>) nested.get("list")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> request.linkedHubs().add("other")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringShowsNoAttestationDetailsNorPayloadValues() {
        AllocationRequest request = parse("""
                {"deviceRuntimeContext":{"registrationId":"dev-1",
                   "tpm":{"endorsementKey":"EK-SECRET-VALUE","storageRootKey":"SRK-SECRET-VALUE"},
                   "payload":{"token":"PAYLOAD-VALUE"}},
                 "linkedHubs":["h"]}""");

        assertThat(request.toString()).contains("dev-1", "tpm", "token")
                .doesNotContain("EK-SECRET-VALUE", "SRK-SECRET-VALUE", "PAYLOAD-VALUE");
    }

    @Test
    void anEnrollmentWithoutIdHasNoEnrollmentRef() {
        AllocationRequest request = parse("""
                {"enrollmentGroup":{"allocationPolicy":"custom"},
                 "deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h"]}""");

        assertThat(request.enrollment()).isPresent();
        assertThat(request.enrollmentRef()).isEmpty();
    }

    @Test
    void ignoresUnknownFieldsEverywhere() {
        AllocationRequest request = parse("""
                {"future":1,"enrollmentGroup":{"enrollmentGroupId":"g","newField":{"x":1}},
                 "deviceRuntimeContext":{"registrationId":"dev-1","somethingNew":[1,2]},
                 "linkedHubs":["h"]}""");

        assertThat(request.registrationId()).isEqualTo("dev-1");
    }

    @Test
    void keepsAnyShapeOfAttestationBlocksWithoutCheckingThem() {
        AllocationRequest request = parse("""
                {"deviceRuntimeContext":{"registrationId":"dev-1","x509":"opaque"},"linkedHubs":["h"]}""");

        assertThat(request.deviceRuntimeContext().attestationType()).isEqualTo("x509");
    }

    @Test
    void rejectsAnEmptyBody() {
        assertThat(rejection("").getMessage()).isEqualTo("request body is empty");
        assertThat(rejection("  \n ").code()).isEqualTo(AllocationErrorCodes.MALFORMED_JSON);
    }

    @Test
    void rejectsMalformedJsonNamingWhereButNotWhat() {
        AllocationRejectedException e = rejection("{\"deviceRuntimeContext\": {\"registrationId\": SECRETVALUE}}");

        assertThat(e.code()).isEqualTo(AllocationErrorCodes.MALFORMED_JSON);
        assertThat(e.getMessage()).startsWith("request body is not valid JSON (line 1, column")
                .doesNotContain("SECRETVALUE");
    }

    @Test
    void rejectsATruncatedBody() {
        assertThat(rejection("{\"linkedHubs\":[\"h\"").getMessage())
                .startsWith("request body ends before the JSON is complete");
    }

    @Test
    void rejectsDuplicateKeys() {
        AllocationRejectedException e = rejection("{\"linkedHubs\":[\"a\"],\"linkedHubs\":[\"b\"]}");

        assertThat(e.code()).isEqualTo(AllocationErrorCodes.MALFORMED_JSON);
        assertThat(e.getMessage()).startsWith("request body has a duplicate key");
    }

    @Test
    void rejectsContentAfterTheObject() {
        assertThat(rejection("{\"linkedHubs\":[\"a\"]} {}").getMessage())
                .startsWith("request body has content after the JSON object");
    }

    @Test
    void rejectsABodyThatIsNotAnObject() {
        assertThat(rejection("[1,2]").getMessage()).isEqualTo("request body must be a JSON object, got an array");
        assertThat(rejection("\"text\"").getMessage()).isEqualTo("request body must be a JSON object, got a string");
    }

    @Test
    void rejectsLinkedHubsGivenAsAString() {
        AllocationRejectedException e = rejection("""
                {"deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":"hub-a.azure-devices.net"}""");

        assertThat(e.code()).isEqualTo(AllocationErrorCodes.INVALID_FIELD_TYPE);
        assertThat(e.getMessage()).isEqualTo("linkedHubs must be an array, got a string");
    }

    @Test
    void rejectsAPayloadThatIsAnArray() {
        AllocationRejectedException e = rejection("""
                {"deviceRuntimeContext":{"registrationId":"dev-1","payload":[1]},"linkedHubs":["h"]}""");

        assertThat(e.getMessage()).isEqualTo("deviceRuntimeContext.payload must be a JSON object, got an array");
    }

    @Test
    void rejectsARegistrationIdThatIsANumber() {
        AllocationRejectedException e = rejection("""
                {"deviceRuntimeContext":{"registrationId":42},"linkedHubs":["h"]}""");

        assertThat(e.getMessage()).isEqualTo("deviceRuntimeContext.registrationId must be a string, got a number");
    }

    @Test
    void rejectsALinkedHubThatIsANumber() {
        assertThat(rejection("""
                {"deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h",7]}""").getMessage())
                .isEqualTo("linkedHubs[1] must be a string, got a number");
    }

    @Test
    void rejectsAReprovisionFlagGivenAsText() {
        assertThat(rejection("""
                {"enrollmentGroup":{"enrollmentGroupId":"g","reprovisionPolicy":{"updateHubAssignment":"true"}},
                 "deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h"]}""").getMessage())
                .isEqualTo("enrollmentGroup.reprovisionPolicy.updateHubAssignment must be true or false, got a string");
    }

    @Test
    void rejectsADeviceRuntimeContextThatIsNotAnObject() {
        assertThat(rejection("""
                {"deviceRuntimeContext":"dev-1","linkedHubs":["h"]}""").getMessage())
                .isEqualTo("deviceRuntimeContext must be a JSON object, got a string");
    }

    @Test
    void rejectsAnInitialTwinTagsArray() {
        assertThat(rejection("""
                {"enrollmentGroup":{"enrollmentGroupId":"g","initialTwin":{"tags":[]}},
                 "deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h"]}""").getMessage())
                .isEqualTo("enrollmentGroup.initialTwin.tags must be a JSON object, got an array");
    }

    @Test
    void rejectsAbsurdNestingWithoutCrashing() {
        String deep = "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);

        AllocationRejectedException e = rejection(deep);

        assertThat(e.code()).isEqualTo(AllocationErrorCodes.MALFORMED_JSON);
    }
}
