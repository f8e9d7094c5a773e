package io.dpstwin.docs.security;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.support.Redaction;
import io.dpstwin.spring.webhook.WebhookKeys;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.dps.DpsRequests;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java examples of docs/security.md, run. */
class SecurityExamplesTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String THERMOSTAT_MODEL = """
            {
              "@context": "dtmi:dtdl:context;2",
              "@id": "dtmi:contosocom:DigitalTwins:Thermostat;1",
              "@type": "Interface",
              "contents": [ { "@type": "Property", "name": "Temperature", "schema": "double" } ]
            }""";

    @Test
    void everyKeyOfARotationIsAcceptedInTheQueryOrTheHeaderAndNothingElse() {
        // tag::rotation[]
        // dps-twin.webhook.keys=new-7f3e9c,old-0c21d4: the starter builds its WebhookKeys bean like this
        WebhookKeys keys = WebhookKeys.of(List.of("new-7f3e9c", "old-0c21d4"));

        MockHttpServletRequest dpsWithTheOldUrl = new MockHttpServletRequest("POST", "/api/dps/allocate");
        dpsWithTheOldUrl.setQueryString("code=old-0c21d4");
        MockHttpServletRequest toolWithTheNewKey = new MockHttpServletRequest("POST", "/api/dps/allocate");
        toolWithTheNewKey.addHeader("x-functions-key", "new-7f3e9c");
        MockHttpServletRequest guess = new MockHttpServletRequest("POST", "/api/dps/allocate");
        guess.setQueryString("code=new-7f3e9");

        assertThat(keys.accepts(dpsWithTheOldUrl)).isTrue();
        assertThat(keys.accepts(toolWithTheNewKey)).isTrue();
        assertThat(keys.accepts(guess)).isFalse();                      // a prefix of a key is no key
        assertThat(keys).hasToString("WebhookKeys[2 key(s)]");          // only SHA-256 digests are kept
        // end::rotation[]
    }

    @Test
    void redactionMasksKeysTokensAndConnectionStringsInTextAndJson() {
        // tag::redaction[]
        String url = "https://contoso-dps-twin.azurewebsites.net/api/DpsAdtAllocationFunc?code=q3Jd8fXk&trace=1";
        String connectionString = "HostName=contoso-hub.azure-devices.net;SharedAccessKeyName=registryRead;"
                + "SharedAccessKey=c2VjcmV0LWtleQ==";
        String request = "{\"deviceRuntimeContext\":{\"registrationId\":\"thermostat-67\","
                + "\"symmetricKey\":{\"primaryKey\":\"a2V5LWtleQ==\"}}}";

        assertThat(Redaction.redactText(url))
                .isEqualTo("https://contoso-dps-twin.azurewebsites.net/api/DpsAdtAllocationFunc?code=***&trace=1");
        assertThat(Redaction.redactText(connectionString))
                .isEqualTo("HostName=contoso-hub.azure-devices.net;SharedAccessKeyName=registryRead;"
                        + "SharedAccessKey=***");
        assertThat(Redaction.redactJson(request))                         // the whole attestation block goes
                .isEqualTo("{\"deviceRuntimeContext\":{\"registrationId\":\"thermostat-67\","
                        + "\"symmetricKey\":\"***\"}}");
        assertThat(Redaction.redactText("Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi"))
                .isEqualTo("Authorization: Bearer ***");
        // end::redaction[]
    }

    @Test
    void badInputGetsACodeAndChangesNothingInAdt() {
        InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
        adt.uploadModels(THERMOSTAT_MODEL);
        adt.counters().reset();

        // tag::validation[]
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).defaultModelId(THERMOSTAT).build()) {
            DpsAllocationHandler allocation = dpsTwin.allocation();
            String valid = DpsRequests.group("thermostats").registrationId("thermostat-67")
                    .linkedHubs("contoso-hub.azure-devices.net").toJson();

            WebhookResponse truncated = allocation.handle(valid.substring(0, valid.length() / 2));
            WebhookResponse upperCase = allocation.handle(valid.replace("thermostat-67", "Thermostat-67"));
            WebhookResponse wrongType = allocation.handle(valid.replace(         // a string, not a list
                    "\"linkedHubs\":[\"contoso-hub.azure-devices.net\"]",
                    "\"linkedHubs\":\"contoso-hub.azure-devices.net\""));
            WebhookResponse tooLarge = allocation.handle(valid + " ".repeat(96 * 1024));

            assertThat(truncated.status()).isEqualTo(400);
            assertThat(truncated.body()).contains("\"code\":\"MalformedJson\"");
            assertThat(upperCase.status()).isEqualTo(400);
            assertThat(upperCase.body()).contains("\"code\":\"InvalidRegistrationId\"");
            assertThat(wrongType.status()).isEqualTo(400);
            assertThat(wrongType.body()).contains("\"code\":\"InvalidFieldType\"", "linkedHubs");
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("\"code\":\"BodyTooLarge\"");
            assertThat(List.of(truncated, upperCase, wrongType, tooLarge))
                    .allSatisfy(answer -> assertThat(answer.body()).contains("\"correlationId\"")
                            .doesNotContain("Exception", "\tat "));          // no class name, no stack trace
            assertThat(adt.counters().total()).isZero();           // rejected before any ADT call

            assertThat(allocation.handle(valid).status()).isEqualTo(200);
            assertThat(adt.getTwin("thermostat-67")).isPresent();
        }
        // end::validation[]
    }
}
