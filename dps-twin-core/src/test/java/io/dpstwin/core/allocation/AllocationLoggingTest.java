package io.dpstwin.core.allocation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.LogCapture;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.HandFakeGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.dpstwin.core.allocation.Requests.HUB_A;
import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.context;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.payload;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Logs at TRACE carry ids and outcomes, never attestation data, keys, tokens or the raw body. */
class AllocationLoggingTest {

    private static final String ENDORSEMENT_KEY = "AToAAQALAAMAsgAgg3GXZ0SEs_ENDORSEMENT_SECRET";
    private static final String STORAGE_ROOT_KEY = "ARgAAQALAAMAsgAg_STORAGE_ROOT_SECRET";
    private static final String PRIMARY_KEY = "oiK77Oy7rBw8YB6IS6ukRChAw_PRIMARY_SECRET";
    private static final String SECONDARY_KEY = "JC8F96eayuQwwz_SECONDARY_SECRET";
    private static final String GROUP_KEY = "mMh6xR3Ak4d_GROUP_KEY_SECRET";
    private static final String CERTIFICATE = "MIIBszCCAVmgAwIBAgIQ_CERTIFICATE_SECRET";
    private static final String THUMBPRINT = "0F2D7E19C3_THUMBPRINT_SECRET";
    private static final String FUNCTION_KEY = "fK3yW9_FUNCTION_KEY_SECRET";
    private static final String SAS_SIGNATURE = "Zm9vYmFy_SAS_SIGNATURE_SECRET";
    private static final List<String> SECRETS = List.of(ENDORSEMENT_KEY, STORAGE_ROOT_KEY, PRIMARY_KEY,
            SECONDARY_KEY, GROUP_KEY, CERTIFICATE, THUMBPRINT, FUNCTION_KEY, SAS_SIGNATURE);

    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.dpstwin", Level.TRACE);

    /** A request carrying every kind of secret an allocation request might hold. */
    private static ObjectNode requestFullOfSecrets(String registrationId, String modelId) {
        ObjectNode request = group(registrationId, modelId);
        ObjectNode group = (ObjectNode) request.get("enrollmentGroup");
        ObjectNode attestation = group.putObject("attestation");
        attestation.put("type", "symmetricKey");
        attestation.putObject("symmetricKey").put("primaryKey", GROUP_KEY).put("secondaryKey", GROUP_KEY);
        group.putObject("customAllocationDefinition")
                .put("webhookUrl", "https://contoso.azurewebsites.net/api/allocate?code=" + FUNCTION_KEY)
                .put("apiVersion", "2021-10-01");
        ObjectNode context = context(request);
        context.putObject("tpm").put("endorsementKey", ENDORSEMENT_KEY).put("storageRootKey", STORAGE_ROOT_KEY);
        context.putObject("symmetricKey").put("primaryKey", PRIMARY_KEY).put("secondaryKey", SECONDARY_KEY);
        ObjectNode x509 = context.putObject("x509");
        x509.putObject("clientCertificate").put("certificate", CERTIFICATE).put("thumbprint", THUMBPRINT);
        payload(request).put("note", "SharedAccessSignature sr=hub%2Fdevices%2Fdev&sig=" + SAS_SIGNATURE
                + "&se=1700000000");
        return request;
    }

    private String everythingLogged() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            all.append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                all.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            }
            all.append(event.getMDCPropertyMap()).append('\n');
        }
        return all.toString();
    }

    @Test
    void noSecretOfASuccessfulAllocationReachesTheLogs() {
        DpsAllocationHandler handler = new DpsAllocationHandler(new HandFakeGateway(), AllocationOptions.defaults());

        assertThat(handler.handle(text(requestFullOfSecrets("dev-1", THERMOSTAT))).status()).isEqualTo(200);

        String logged = everythingLogged();
        assertThat(SECRETS).allSatisfy(secret -> assertThat(logged).doesNotContain(secret));
        // the test is meaningful: the redacted request was logged at TRACE, and the outcome at INFO
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.TRACE);
            assertThat(event.getFormattedMessage()).contains("registrationId", "\"tpm\":\"***\"", "code=***", "\"note\":\"***\"");
        });
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).contains("dev-1", HUB_A, THERMOSTAT, "created");
        });
    }

    @Test
    void aSecretInTheDevicePayloadUnderAnyKeyNameStaysOutOfTheTraceDump() {
        DpsAllocationHandler handler = new DpsAllocationHandler(new HandFakeGateway(), AllocationOptions.defaults());
        ObjectNode request = group("dev-2", THERMOSTAT);
        payload(request).put("wifiPassphrase", "hunter2_PAYLOAD_SECRET").putObject("site").put("pin", "4242_NESTED");

        assertThat(handler.handle(text(request)).status()).isEqualTo(200);

        String logged = everythingLogged();
        assertThat(logged).doesNotContain("hunter2_PAYLOAD_SECRET", "4242_NESTED");
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.TRACE);
            assertThat(event.getFormattedMessage())
                    .contains("\"wifiPassphrase\":\"***\"", "\"site\":\"***\"", "\"modelId\":\"" + THERMOSTAT + "\"");
        });
    }

    @Test
    void noSecretReachesTheLogsWhenTheRequestIsRejectedFailsOrBreaks() {
        HandFakeGateway adt = new HandFakeGateway();
        DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.defaults());

        // rejected: invalid model
        handler.handle(text(requestFullOfSecrets("dev-1", "not-a-dtmi")));
        // rejected: invalid registration id
        handler.handle(text(requestFullOfSecrets("dev 1", THERMOSTAT)));
        // malformed JSON that contains secrets
        handler.handle(text(requestFullOfSecrets("dev-1", THERMOSTAT)).replace("\"endorsementKey\":", "endorsementKey:"));
        // wrong type
        ObjectNode wrongType = requestFullOfSecrets("dev-1", THERMOSTAT);
        wrongType.put("linkedHubs", "hub");
        handler.handle(text(wrongType));
        // transient ADT failure, then a bug
        adt.failNext("getTwin", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));
        handler.handle(text(requestFullOfSecrets("dev-1", THERMOSTAT)));
        adt.failNext("getTwin", new IllegalStateException("bug"));
        handler.handle(text(requestFullOfSecrets("dev-1", THERMOSTAT)));

        String logged = everythingLogged();
        assertThat(logs.list).hasSizeGreaterThanOrEqualTo(6);
        assertThat(SECRETS).allSatisfy(secret -> assertThat(logged).doesNotContain(secret));
    }
}
