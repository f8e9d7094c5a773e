package io.dpstwin.testkit.dps;

import io.dpstwin.core.testing.TutorialRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocationRequestBuilderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The initial-registration example of the custom allocation concepts page. */
    private static final String CONCEPTS_INITIAL_REQUEST = """
            {"enrollmentGroup":{"enrollmentGroupId":"contoso-custom-allocated-devices",
              "attestation":{"type":"symmetricKey"},"capabilities":{"iotEdge":false},
              "etag":"\\"13003fea-0000-0300-0000-62d1d5e50000\\"","provisioningStatus":"enabled",
              "reprovisionPolicy":{"updateHubAssignment":true,"migrateDeviceData":true},
              "createdDateTimeUtc":"2022-07-05T21:27:16.8123235Z","lastUpdatedDateTimeUtc":"2022-07-15T21:02:29.5922255Z",
              "allocationPolicy":"custom",
              "iotHubs":["custom-allocation-toasters-hub.azure-devices.net","custom-allocation-heatpumps-hub.azure-devices.net"],
              "customAllocationDefinition":{"webhookUrl":"https://custom-allocation-function-app-3.azurewebsites.net/api/HttpTrigger1?****","apiVersion":"2021-10-01"}},
             "deviceRuntimeContext":{"registrationId":"breakroom499-contoso-tstrsd-007","symmetricKey":{}},
             "linkedHubs":["custom-allocation-toasters-hub.azure-devices.net","custom-allocation-heatpumps-hub.azure-devices.net"]}
            """;

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void reproducesTheRequestLoggedInTheTutorialFieldByFieldAndInOrder() throws Exception {
        String built = DpsRequests.tutorialToasterReRegistration().toJson();

        assertThat(json(built)).isEqualTo(json(TutorialRequest.LOGGED));
        assertThat(built).isEqualTo(MAPPER.writeValueAsString(json(TutorialRequest.LOGGED)));
    }

    @Test
    void reproducesTheInitialRegistrationExampleOfTheConceptsPage() throws Exception {
        String toasters = "custom-allocation-toasters-hub.azure-devices.net";
        String heatPumps = "custom-allocation-heatpumps-hub.azure-devices.net";
        String built = DpsRequests.group("contoso-custom-allocated-devices")
                .etag("\"13003fea-0000-0300-0000-62d1d5e50000\"")
                .createdAt(Instant.parse("2022-07-05T21:27:16.8123235Z"))
                .lastUpdatedAt(Instant.parse("2022-07-15T21:02:29.5922255Z"))
                .webhookUrl("https://custom-allocation-function-app-3.azurewebsites.net/api/HttpTrigger1?code=abc")
                .registrationId("breakroom499-contoso-tstrsd-007")
                .linkedHubs(toasters, heatPumps)
                .toJson();

        assertThat(json(built)).isEqualTo(json(CONCEPTS_INITIAL_REQUEST));
    }

    @Test
    void oneLinerProducesAGroupRequestWithSensibleDefaults() throws Exception {
        JsonNode request = json(DpsRequests.group("my-group").registrationId("dev-1")
                .linkedHubs("hub-a.azure-devices.net").modelId("dtmi:com:example:Thermostat;1").toJson());

        JsonNode group = request.get("enrollmentGroup");
        assertThat(group.get("enrollmentGroupId").asText()).isEqualTo("my-group");
        assertThat(group.get("attestation")).isEqualTo(json("{\"type\":\"symmetricKey\"}"));
        assertThat(group.get("capabilities")).isEqualTo(json("{\"iotEdge\":false}"));
        assertThat(group.get("provisioningStatus").asText()).isEqualTo("enabled");
        assertThat(group.get("reprovisionPolicy"))
                .isEqualTo(json("{\"updateHubAssignment\":true,\"migrateDeviceData\":true}"));
        assertThat(group.get("allocationPolicy").asText()).isEqualTo("custom");
        assertThat(group.get("iotHubs")).isEqualTo(json("[\"hub-a.azure-devices.net\"]"));
        assertThat(group.get("customAllocationDefinition").get("webhookUrl").asText()).endsWith("?****");
        assertThat(group.get("customAllocationDefinition").get("apiVersion").asText()).isEqualTo("2021-10-01");
        assertThat(group.get("etag").asText()).matches("\"[0-9a-f-]{36}\"");
        assertThat(group.get("createdDateTimeUtc").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z")
                .isEqualTo(group.get("lastUpdatedDateTimeUtc").asText());
        assertThat(Instant.parse(group.get("createdDateTimeUtc").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(group.has("initialTwin")).isFalse();

        JsonNode context = request.get("deviceRuntimeContext");
        assertThat(context.get("registrationId").asText()).isEqualTo("dev-1");
        assertThat(context.has("currentIotHubHostName")).isFalse();
        assertThat(context.has("currentDeviceId")).isFalse();
        assertThat(context.get("symmetricKey").isObject()).isTrue();
        assertThat(context.get("symmetricKey").isEmpty()).isTrue();
        assertThat(context.get("payload")).isEqualTo(json("{\"modelId\":\"dtmi:com:example:Thermostat;1\"}"));
        assertThat(request.get("linkedHubs")).isEqualTo(json("[\"hub-a.azure-devices.net\"]"));
        assertThat(request.has("individualEnrollment")).isFalse();
    }

    @Test
    void defaultsAreFixedWhenTheBuilderIsCreatedSoOneBuilderAlwaysRendersTheSameJson() {
        AllocationRequestBuilder builder = DpsRequests.group("g");

        assertThat(builder.toJson()).isEqualTo(builder.toJson());
        assertThat(builder.registrationId()).matches("device-[0-9a-f]{8}");
        assertThat(builder.effectiveLinkedHubs()).containsExactly(DpsRequests.DEFAULT_LINKED_HUB);
        assertThat(DpsRequests.group("g").registrationId()).isNotEqualTo(builder.registrationId());
    }

    @Test
    void everyMethodReturnsANewBuilderAndLeavesTheReceiverUnchanged() throws Exception {
        AllocationRequestBuilder base = DpsRequests.group("g").registrationId("dev-1").modelId("dtmi:a:b;1");
        String before = base.toJson();

        AllocationRequestBuilder derived = base.registrationId("dev-2").payloadField("extra", 1)
                .reRegistration("hub.azure-devices.net").initialTwinTag("t", "v").tpm();

        assertThat(base.toJson()).isEqualTo(before);
        assertThat(json(before).at("/deviceRuntimeContext/payload")).isEqualTo(json("{\"modelId\":\"dtmi:a:b;1\"}"));
        assertThat(json(derived.toJson()).at("/deviceRuntimeContext/payload"))
                .isEqualTo(json("{\"modelId\":\"dtmi:a:b;1\",\"extra\":1}"));
        derived.toObjectNode().withObject("/deviceRuntimeContext").put("registrationId", "mutated");
        assertThat(derived.registrationId()).isEqualTo("dev-2");
        assertThat(json(derived.toJson()).at("/deviceRuntimeContext/registrationId").asText()).isEqualTo("dev-2");
    }

    @Test
    void reRegistrationOfAGroupDeviceCarriesCurrentHubAndTheRegistrationIdAsCurrentDeviceId() throws Exception {
        JsonNode context = json(DpsRequests.group("g").registrationId("dev-1")
                .reRegistration("hub-a.azure-devices.net").toJson()).get("deviceRuntimeContext");

        assertThat(context.get("currentIotHubHostName").asText()).isEqualTo("hub-a.azure-devices.net");
        assertThat(context.get("currentDeviceId").asText()).isEqualTo("dev-1");
        assertThat(fieldNames(context)).containsExactly("registrationId", "currentIotHubHostName",
                "currentDeviceId", "symmetricKey");
    }

    @Test
    void firstRegistrationRemovesTheCurrentHubAgain() throws Exception {
        JsonNode context = json(DpsRequests.group("g").reRegistration("hub-a.azure-devices.net", "old-id")
                .firstRegistration().toJson()).get("deviceRuntimeContext");

        assertThat(context.has("currentIotHubHostName")).isFalse();
        assertThat(context.has("currentDeviceId")).isFalse();
    }

    @Test
    void individualEnrollmentCarriesRegistrationIdAndOptionalDeviceId() throws Exception {
        AllocationRequestBuilder builder = DpsRequests.individual("reg-7").deviceId("device-seven")
                .reRegistration("hub-b.azure-devices.net");
        JsonNode request = json(builder.toJson());

        assertThat(request.has("enrollmentGroup")).isFalse();
        JsonNode enrollment = request.get("individualEnrollment");
        assertThat(fieldNames(enrollment)).startsWith("registrationId", "deviceId", "attestation", "capabilities");
        assertThat(enrollment.get("registrationId").asText()).isEqualTo("reg-7");
        assertThat(enrollment.get("deviceId").asText()).isEqualTo("device-seven");
        assertThat(enrollment.get("allocationPolicy").asText()).isEqualTo("custom");
        assertThat(request.at("/deviceRuntimeContext/registrationId").asText()).isEqualTo("reg-7");
        assertThat(request.at("/deviceRuntimeContext/currentDeviceId").asText()).isEqualTo("device-seven");
        assertThat(builder.deviceIdInHub()).isEqualTo("device-seven");
        assertThat(DpsRequests.individual("reg-8").deviceIdInHub()).isEqualTo("reg-8");
        assertThat(json(DpsRequests.individual("reg-8").toJson()).get("individualEnrollment").has("deviceId"))
                .isFalse();
    }

    @Test
    void enrollmentSpecificSettersRejectTheOtherEnrollmentKind() {
        assertThatThrownBy(() -> DpsRequests.individual("r").enrollmentGroupId("g"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("group");
        assertThatThrownBy(() -> DpsRequests.group("g").deviceId("d"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("individual");
    }

    @Test
    void tpmAttestationCarriesEndorsementAndStorageRootKeys() throws Exception {
        JsonNode request = json(DpsRequests.individual("tpm-dev").tpm("RUtFSw==", "U1JLS0VZ").toJson());

        assertThat(request.at("/individualEnrollment/attestation"))
                .isEqualTo(json("{\"type\":\"tpm\"}"));
        assertThat(request.at("/deviceRuntimeContext/tpm"))
                .isEqualTo(json("{\"endorsementKey\":\"RUtFSw==\",\"storageRootKey\":\"U1JLS0VZ\"}"));
        assertThat(request.get("deviceRuntimeContext").has("symmetricKey")).isFalse();
    }

    @Test
    void tpmWithoutKeysGetsDeterministicBase64Placeholders() throws Exception {
        JsonNode tpm = json(DpsRequests.individual("tpm-dev").tpm().toJson()).at("/deviceRuntimeContext/tpm");
        JsonNode again = json(DpsRequests.individual("tpm-dev").attestation(Attestation.TPM).toJson())
                .at("/deviceRuntimeContext/tpm");

        assertThat(tpm).isEqualTo(again);
        assertThat(java.util.Base64.getDecoder().decode(tpm.get("endorsementKey").asText())).hasSize(256);
        assertThat(tpm.get("storageRootKey").asText()).isNotEqualTo(tpm.get("endorsementKey").asText());
    }

    @Test
    void x509AttestationOfAGroupCarriesDeviceAndSigningCertificateInfo() throws Exception {
        JsonNode request = json(DpsRequests.group("x509-group").registrationId("cert-dev").x509().toJson());

        assertThat(request.at("/enrollmentGroup/attestation")).isEqualTo(json("{\"type\":\"x509\"}"));
        JsonNode x509 = request.at("/deviceRuntimeContext/x509");
        assertThat(fieldNames(x509)).containsExactly("certificateInfo", "enrollmentGroupId", "signingCertificateInfo");
        assertThat(x509.get("enrollmentGroupId").asText()).isEqualTo("x509-group");
        JsonNode info = x509.get("certificateInfo");
        assertThat(fieldNames(info)).containsExactly("subjectName", "sha1Thumbprint", "sha256Thumbprint",
                "issuerName", "notBeforeUtc", "notAfterUtc", "serialNumber", "version");
        assertThat(info.get("subjectName").asText()).isEqualTo("CN=cert-dev");
        assertThat(info.get("issuerName").asText()).isEqualTo("CN=x509-group-ca");
        assertThat(info.get("sha1Thumbprint").asText()).matches("[0-9A-F]{40}");
        assertThat(info.get("sha256Thumbprint").asText()).matches("[0-9A-F]{64}");
        assertThat(info.get("version").asInt()).isEqualTo(3);
        assertThat(x509.at("/signingCertificateInfo/subjectName").asText()).isEqualTo("CN=x509-group-ca");
        assertThat(request.get("deviceRuntimeContext").has("symmetricKey")).isFalse();
    }

    @Test
    void x509OfAnIndividualEnrollmentHasNoGroupFieldsAndUsesGivenCertificateInfo() throws Exception {
        X509CertificateInfo cert = new X509CertificateInfo("CN=given", "CN=issuer", "AB".repeat(20),
                "CD".repeat(32), "0102", Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), 3);
        JsonNode x509 = json(DpsRequests.individual("given").x509(cert, null).toJson())
                .at("/deviceRuntimeContext/x509");

        assertThat(fieldNames(x509)).containsExactly("certificateInfo");
        assertThat(x509.at("/certificateInfo/sha1Thumbprint").asText()).isEqualTo("AB".repeat(20));
        assertThat(x509.at("/certificateInfo/notBeforeUtc").asText()).isEqualTo("2025-01-01T00:00:00.0000000Z");
    }

    @Test
    void reprovisionPoliciesMapToTheDocumentedFlags() throws Exception {
        assertThat(policyOf(ReprovisionPolicy.REPROVISION_AND_MIGRATE_DATA))
                .isEqualTo(json("{\"updateHubAssignment\":true,\"migrateDeviceData\":true}"));
        assertThat(policyOf(ReprovisionPolicy.REPROVISION_AND_RESET))
                .isEqualTo(json("{\"updateHubAssignment\":true,\"migrateDeviceData\":false}"));
        assertThat(policyOf(ReprovisionPolicy.NEVER_REPROVISION).get("updateHubAssignment").asBoolean()).isFalse();
    }

    private static JsonNode policyOf(ReprovisionPolicy policy) throws Exception {
        return json(DpsRequests.group("g").reprovisionPolicy(policy).toJson()).at("/enrollmentGroup/reprovisionPolicy");
    }

    @Test
    void neverReprovisionReRegistrationLinksOnlyTheCurrentHubLikeDps() throws Exception {
        AllocationRequestBuilder builder = DpsRequests.group("g")
                .iotHubs("hub-a.azure-devices.net", "hub-b.azure-devices.net")
                .reprovisionPolicy(ReprovisionPolicy.NEVER_REPROVISION)
                .reRegistration("hub-b.azure-devices.net");
        JsonNode request = json(builder.toJson());

        assertThat(request.get("linkedHubs")).isEqualTo(json("[\"hub-b.azure-devices.net\"]"));
        assertThat(request.at("/enrollmentGroup/iotHubs"))
                .isEqualTo(json("[\"hub-a.azure-devices.net\",\"hub-b.azure-devices.net\"]"));
        assertThat(json(builder.linkedHubs("hub-a.azure-devices.net").toJson()).get("linkedHubs"))
                .isEqualTo(json("[\"hub-a.azure-devices.net\"]"));
        assertThat(json(builder.firstRegistration().toJson()).get("linkedHubs"))
                .isEqualTo(json("[\"" + DpsRequests.DEFAULT_LINKED_HUB + "\"]"));
    }

    @Test
    void initialTwinAppearsOnlyWhenTagsOrDesiredPropertiesAreSet() throws Exception {
        JsonNode enrollment = json(DpsRequests.group("g").initialTwinTag("deviceType", "toaster")
                .initialTwinDesired("state", "ready").iotEdge(true).toJson()).get("enrollmentGroup");

        assertThat(enrollment.get("initialTwin")).isEqualTo(
                json("{\"tags\":{\"deviceType\":\"toaster\"},\"properties\":{\"desired\":{\"state\":\"ready\"}}}"));
        assertThat(enrollment.at("/capabilities/iotEdge").asBoolean()).isTrue();
    }

    @Test
    void webhookUrlIsRedactedLikeDpsSoTheFunctionKeyNeverAppears() {
        String json = DpsRequests.group("g").webhookUrl("https://app.azurewebsites.net/api/f?code=S3cr3t==&x=1")
                .toJson();

        assertThat(json).contains("\"webhookUrl\":\"https://app.azurewebsites.net/api/f?****\"")
                .doesNotContain("S3cr3t");
        assertThat(DpsRequests.group("g").webhookUrl("https://app/api/f").toJson())
                .contains("\"webhookUrl\":\"https://app/api/f\"");
    }

    @Test
    void payloadCanBeAnyJsonOrAbsent() throws Exception {
        AllocationRequestBuilder withMap = DpsRequests.group("g").payload(Map.of("list", List.of(1, 2)));
        assertThat(json(withMap.toJson()).at("/deviceRuntimeContext/payload")).isEqualTo(json("{\"list\":[1,2]}"));
        assertThat(json(withMap.withoutPayload().toJson()).get("deviceRuntimeContext").has("payload")).isFalse();

        AllocationRequestBuilder withArray = DpsRequests.group("g").payload(List.of("a"));
        assertThat(json(withArray.toJson()).at("/deviceRuntimeContext/payload")).isEqualTo(json("[\"a\"]"));
        assertThatThrownBy(() -> withArray.modelId("dtmi:a:b;1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void payloadAsJsonStringSendsTheObjectAsAStringLikeTheAzCli() throws Exception {
        AllocationRequestBuilder object = DpsRequests.group("g").modelId("dtmi:a:b;1").payloadField("n", 2);

        JsonNode payload = json(object.payloadAsJsonString().toJson()).at("/deviceRuntimeContext/payload");

        assertThat(payload.isTextual()).isTrue();
        assertThat(json(payload.textValue())).isEqualTo(json(object.toJson()).at("/deviceRuntimeContext/payload"));
        assertThatThrownBy(() -> DpsRequests.group("g").payloadAsJsonString())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void emptyLinkedHubsAreAllowedForNegativeTests() throws Exception {
        assertThat(json(DpsRequests.group("g").linkedHubs().toJson()).get("linkedHubs")).isEmpty();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
