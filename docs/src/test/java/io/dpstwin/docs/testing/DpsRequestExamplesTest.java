package io.dpstwin.docs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.dps.AllocationRequestBuilder;
import io.dpstwin.testkit.dps.DeviceKeys;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.dps.RegistrationSasToken;
import io.dpstwin.testkit.dps.ReprovisionPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The DPS request builder examples of docs/testing.md. */
class DpsRequestExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void buildsTheRequestDpsSendsToAWebhook() throws IOException {
        // tag::dps-request[]
        String body = DpsRequests.group("my-group")
                .registrationId("dev-1")
                .linkedHubs("hub-a.azure-devices.net")
                .modelId("dtmi:com:example:Thermostat;1")
                .toJson();
        // end::dps-request[]

        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ObjectNode enrollment = (ObjectNode) request.get("enrollmentGroup");
        assertThat(enrollment.get("etag").asText()).matches("\"[0-9a-f-]{36}\"");            // a quoted random UUID
        Instant created = Instant.parse(enrollment.get("createdDateTimeUtc").asText());    // the builder's creation
        assertThat(created).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
        assertThat(enrollment.get("createdDateTimeUtc").asText()).matches(".*\\.\\d{7}Z");
        assertThat(enrollment.get("lastUpdatedDateTimeUtc")).isEqualTo(enrollment.get("createdDateTimeUtc"));

        JsonNode documented = JSON.readTree(Path.of("src/test/resources/testing/dps-allocation-request.json")
                .toFile());
        enrollment.set("etag", documented.at("/enrollmentGroup/etag"));
        enrollment.set("createdDateTimeUtc", documented.at("/enrollmentGroup/createdDateTimeUtc"));
        enrollment.set("lastUpdatedDateTimeUtc", documented.at("/enrollmentGroup/lastUpdatedDateTimeUtc"));
        assertThat(request).isEqualTo(documented);
        assertThat(fieldNames(request)).isEqualTo(fieldNames(documented));   // in the order DPS sends them
    }

    @Test
    void derivesWhatTheWebhookShouldExpect() {
        AllocationRequestBuilder reRegistration = DpsRequests.group("my-group").registrationId("dev-1")
                .linkedHubs("hub-a.azure-devices.net", "hub-b.azure-devices.net")
                .reRegistration("hub-b.azure-devices.net");

        assertThat(reRegistration.deviceIdInHub()).isEqualTo("dev-1");
        assertThat(reRegistration.effectiveLinkedHubs()).hasSize(2);
        AllocationRequestBuilder never = DpsRequests.group("my-group").registrationId("dev-1")
                .reprovisionPolicy(ReprovisionPolicy.NEVER_REPROVISION)
                .reRegistration("hub-b.azure-devices.net");
        assertThat(never.effectiveLinkedHubs()).containsExactly("hub-b.azure-devices.net");
        assertThat(DpsRequests.individual("dev-2").deviceId("device-two").deviceIdInHub()).isEqualTo("device-two");
    }

    @Test
    void bendsRequestsOutOfShapeForNegativeTests() {
        // tag::malformed[]
        InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
        DpsAllocationHandler webhook = new DpsAllocationHandler(adt, AllocationOptions.defaults());   // or yours
        AllocationRequestBuilder valid = DpsRequests.group("g").registrationId("dev-1").modelId("dtmi:com:example:T;1");

        for (String body : List.of(
                valid.malformed().withoutLinkedHubs().toJson(),            // no "linkedHubs"
                valid.linkedHubs().toJson(),                               // "linkedHubs": []
                valid.malformed().withPayloadAsArray().toJson(),           // "payload": [ ... ]
                valid.malformed().withRegistrationIdAsNumber().toJson(),   // "registrationId": 12345
                valid.malformed()
                     .remove("/deviceRuntimeContext/payload/modelId")      // any JSON Pointer
                     .set("/enrollmentGroup/allocationPolicy", null)
                     .toJson(),
                valid.malformed().toTruncatedJson())) {                    // not JSON at all
            WebhookResponse answer = webhook.handle(body);
            assertThat(answer.status()).as(body).isEqualTo(400);
        }
        assertThat(adt.engine().twinCount()).isZero();                     // and nothing changed
        // end::malformed[]
    }

    @Test
    void derivesDeviceKeysAndSignsRegistrationTokens() {
        // tag::device-keys[]
        String groupPrimaryKey =   // the enrollment group key of Microsoft's DPS custom allocation tutorial
                "oiK77Oy7rBw8YB6IS6ukRChAw+Yq6GC61RMrPLSTiOOtdI+XDu0LmLuNm11p+qv2I+adqGUdZHm46zXAQdZoOA==";
        String deviceKey = DeviceKeys.derive(groupPrimaryKey, "breakroom499-contoso-tstrsd-007");
        assertThat(deviceKey).isEqualTo("JC8F96eayuQwwz+PkE7IzjH2lIAjCUnAa61tDigBnSs=");   // the tutorial's result

        String authorization = RegistrationSasToken.forRegistration("0ne00000A0A", "dev-1")
                .groupKey(groupPrimaryKey)                  // or .deviceKey(a derived key)
                .expiresAt(Instant.parse("2030-01-01T00:00:00Z"))
                .toHeaderValue();
        assertThat(authorization).matches("SharedAccessSignature sr=0ne00000A0A%2Fregistrations%2Fdev-1"
                + "&sig=[A-Za-z0-9%]+&se=1893456000&skn=registration");
        // end::device-keys[]
        assertThat(RegistrationSasToken.forRegistration("0ne00000A0A", "dev-1").groupKey(groupPrimaryKey).toString())
                .doesNotContain(groupPrimaryKey).contains("key=****");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(field -> {
            names.add(field.getKey());
            if (field.getValue().isObject()) {
                fieldNames(field.getValue()).forEach(name -> names.add(field.getKey() + "." + name));
            }
        });
        return names;
    }
}
