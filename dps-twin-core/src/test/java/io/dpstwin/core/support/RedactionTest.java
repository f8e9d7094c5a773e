package io.dpstwin.core.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"symmetricKey", "primaryKey", "secondaryKey", "x509", "tpm", "endorsementKey",
        "storageRootKey", "sig", "SharedAccessKey", "SharedAccessSignature", "AccountKey", "connectionString",
        "EVENTHUB_CONNECTIONSTRING", "code", "x-functions-key", "X-Functions-Key", "attestation", "password",
        "client_secret", "accessToken", "Authorization", "certificate"})
    void treatsTheseKeysAsSensitive(String key) {
        assertThat(Redaction.isSensitiveKey(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"registrationId", "modelId", "iotHubHostName", "linkedHubs", "enrollmentGroupId",
        "type", "apiVersion", "webhookUrl", "payload"})
    void leavesOrdinaryKeysAlone(String key) {
        assertThat(Redaction.isSensitiveKey(key)).isFalse();
    }

    @Test
    void masksWholeAttestationBlocksAndKeyValuesDeepInJson() throws Exception {
        JsonNode original = JSON.readTree("""
                {"registrationId":"dev-1",
                 "tpm":{"endorsementKey":"EK123","storageRootKey":"SRK456"},
                 "nested":[{"symmetricKey":{"primaryKey":"PK789"}},{"primaryKey":"PK000"}],
                 "count":3}""");

        JsonNode redacted = Redaction.redact(original);

        assertThat(redacted.path("registrationId").asText()).isEqualTo("dev-1");
        assertThat(redacted.path("tpm").asText()).isEqualTo(Redaction.MASK);
        assertThat(redacted.path("nested").get(0).path("symmetricKey").asText()).isEqualTo(Redaction.MASK);
        assertThat(redacted.path("nested").get(1).path("primaryKey").asText()).isEqualTo(Redaction.MASK);
        assertThat(redacted.path("count").asInt()).isEqualTo(3);
        assertThat(redacted.toString()).doesNotContain("EK123", "SRK456", "PK789", "PK000");
        assertThat(original.path("tpm").path("endorsementKey").asText()).isEqualTo("EK123");
    }

    @Test
    void masksSecretsInsideStringValues() throws Exception {
        JsonNode redacted = Redaction.redact(JSON.readTree("""
                {"webhookUrl":"https://app.azurewebsites.net/api/fn?code=FUNCKEY&x=1"}"""));

        assertThat(redacted.path("webhookUrl").asText()).isEqualTo("https://app.azurewebsites.net/api/fn?code=***&x=1");
    }

    @Test
    void masksConnectionStrings() {
        assertThat(Redaction.redactText(
                "HostName=hub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=abc/DEF+ghi="))
                .isEqualTo("HostName=hub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=***");
        assertThat(Redaction.redactText("DefaultEndpointsProtocol=https;AccountName=st;AccountKey=KEY==;"
                + "EndpointSuffix=core.windows.net"))
                .isEqualTo("DefaultEndpointsProtocol=https;AccountName=st;AccountKey=***;"
                        + "EndpointSuffix=core.windows.net");
        assertThat(Redaction.redactText("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;"
                + "SharedAccessKey=SECRET;EntityPath=lifecycle"))
                .doesNotContain("SECRET").contains("EntityPath=lifecycle");
    }

    @Test
    void masksSasTokensAndAuthorizationHeaders() {
        String sas = "SharedAccessSignature sr=hub.azure-devices.net%2Fdevices%2Fd1&sig=SIGNATURE%3D&se=1700000000"
                + "&skn=registration";
        assertThat(Redaction.redactText(sas))
                .isEqualTo("SharedAccessSignature sr=hub.azure-devices.net%2Fdevices%2Fd1&sig=***&se=1700000000"
                        + "&skn=registration");
        assertThat(Redaction.redactText("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig"))
                .isEqualTo("Authorization: Bearer ***");
        assertThat(Redaction.redactText("x-functions-key: FUNCKEY")).isEqualTo("x-functions-key: ***");
    }

    @Test
    void redactsJsonTextAndFallsBackToTextRedaction() {
        assertThat(Redaction.redactJson("{\"primaryKey\":\"PK\",\"a\":1}")).isEqualTo("{\"primaryKey\":\"***\",\"a\":1}");
        assertThat(Redaction.redactJson("not json code=KEY")).isEqualTo("not json code=***");
        assertThat(Redaction.redactJson(null)).isNull();
    }

    @Test
    void redactsHeaderValuesByName() {
        assertThat(Redaction.redactValue("x-functions-key", "KEY")).isEqualTo(Redaction.MASK);
        assertThat(Redaction.redactValue("Content-Type", "application/json")).isEqualTo("application/json");
        assertThat(Redaction.redactValue("Referer", "https://x/api?code=KEY")).isEqualTo("https://x/api?code=***");
    }

    @Test
    void leavesTextWithoutSecretsUnchanged() {
        String text = "Allocated registration dev-1 to hub contoso.azure-devices.net";
        assertThat(Redaction.redactText(text)).isEqualTo(text);
        assertThat(Redaction.redactText(null)).isNull();
    }
}
