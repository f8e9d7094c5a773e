package io.dpstwin.core.allocation;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.LogCapture;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.HandFakeGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.body;
import static io.dpstwin.core.allocation.Requests.context;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.payload;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device payload as a JSON string holding the object, as {@code az iot device registration create --payload} and
 * the Java provisioning device SDK send it, is read as that object; any other string payload is a 400.
 */
class StringPayloadTest {

    @RegisterExtension
    final LogCapture logs = LogCapture.of(DpsAllocationHandler.class, Level.DEBUG);

    /** The same request with its payload encoded as a JSON string. */
    private static ObjectNode withPayloadAsJsonString(ObjectNode request) {
        ObjectNode copy = request.deepCopy();
        context(copy).put("payload", payload(request).toString());
        return copy;
    }

    private static ObjectNode request(String registrationId) {
        ObjectNode request = group(registrationId, THERMOSTAT);
        payload(request).put("parentTwinId", "room-1").put("firmware", "1.2.3");
        return request;
    }

    @Test
    void aStringHoldingAnObjectIsReadAsThatObject() {
        ObjectNode object = request("dev-1");
        AllocationRequest fromString = AllocationRequestParser.parse(
                text(withPayloadAsJsonString(object)).getBytes(StandardCharsets.UTF_8)).request();
        AllocationRequest fromObject = AllocationRequestParser.parse(
                text(object).getBytes(StandardCharsets.UTF_8)).request();

        assertThat(fromString.deviceRuntimeContext().payload())
                .isEqualTo(fromObject.deviceRuntimeContext().payload())
                .containsEntry("modelId", THERMOSTAT)
                .containsEntry("parentTwinId", "room-1");
    }

    @Test
    void producesTheSameAnswerAndTwinAsTheObjectPayloadAndLogsTheLeniencyAtDebug() {
        HandFakeGateway objectAdt = new HandFakeGateway();
        HandFakeGateway stringAdt = new HandFakeGateway();
        AllocationOptions options = AllocationOptions.builder()
                .initialProperties(THERMOSTAT, java.util.Map.of("Temperature", 20.0)).build();

        WebhookResponse fromObject = new DpsAllocationHandler(objectAdt, options).handle(text(request("dev-1")));
        WebhookResponse fromString = new DpsAllocationHandler(stringAdt, options)
                .handle(text(withPayloadAsJsonString(request("dev-1"))));

        assertThat(fromString.status()).as(fromString.body()).isEqualTo(200);
        assertThat(body(fromString)).isEqualTo(body(fromObject));
        assertThat(stringAdt.getTwin("dev-1")).isPresent();
        assertThat(stringAdt.getTwin("dev-1").get().modelId()).isEqualTo(THERMOSTAT);
        assertThat(stringAdt.getTwin("dev-1").get().properties())
                .isEqualTo(objectAdt.getTwin("dev-1").get().properties());
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(event.getFormattedMessage())
                    .contains("dev-1", "arrived as a JSON string holding an object")
                    .doesNotContain("1.2.3");
        });
    }

    @Test
    void anObjectPayloadLogsNoLeniency() {
        new DpsAllocationHandler(new HandFakeGateway(), AllocationOptions.defaults()).handle(text(request("dev-1")));

        assertThat(logs.list).noneSatisfy(event ->
                assertThat(event.getFormattedMessage()).contains("arrived as a JSON string"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SharedAccessSignature sr=x&sig=SECRET", "[1,2]", "42", "\"nested\"", "", "{\"a\":1"})
    void anyOtherStringIsA400ThatNamesTheFieldAndNeverEchoesTheValue(String payload) {
        HandFakeGateway adt = new HandFakeGateway();
        ObjectNode request = group("dev-1", null);
        context(request).put("payload", payload);

        WebhookResponse answer = new DpsAllocationHandler(adt, AllocationOptions.builder().defaultModel(THERMOSTAT)
                .build()).handle(text(request));

        assertThat(answer.status()).isEqualTo(400);
        JsonNode error = body(answer).path("error");
        assertThat(error.path("code").asText()).isEqualTo(AllocationErrorCodes.INVALID_FIELD_TYPE);
        assertThat(error.path("message").asText())
                .startsWith("deviceRuntimeContext.payload must be a JSON object (or a string holding one), got a"
                        + " string");
        if (!payload.isEmpty()) {
            assertThat(error.path("message").asText()).doesNotContain(payload);
        }
        assertThat(adt.getTwin("dev-1")).isEmpty();
    }

    @Test
    void aBodyWithAUtf8ByteOrderMarkIsReadLikeOneWithout() {
        HandFakeGateway adt = new HandFakeGateway();
        byte[] json = text(request("dev-1")).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);

        WebhookResponse answer = new DpsAllocationHandler(adt, AllocationOptions.defaults()).handle(withBom);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(adt.getTwin("dev-1")).isPresent();
    }
}
