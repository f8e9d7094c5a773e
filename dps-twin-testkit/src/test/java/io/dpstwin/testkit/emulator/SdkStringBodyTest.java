package io.dpstwin.testkit.emulator;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.testkit.adt.AdtJson;
import io.dpstwin.testkit.contract.ContractModels;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.assertj.core.api.ThrowableAssert;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.dpstwin.testkit.emulator.AdtErrors.assertAdtError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * azure-digitaltwins-core 1.5.0 serialises a {@code String} twin or relationship body as a JSON string literal,
 * which ADT refuses with a 400. The emulator refuses it alike; core's gateway never hands the SDK a {@code String}.
 */
class SdkStringBodyTest extends OnAdtEmulator {

    private static final String TWIN_JSON = "{\"$dtId\":\"dev-1\",\"$metadata\":{\"$model\":\""
            + ContractModels.DEVICE_ID + "\"},\"serial\":\"S1\"}";

    /** Every JSON body the SDK puts on the wire for PUT, PATCH and POST. */
    private static final List<String> BODIES = new CopyOnWriteArrayList<>();
    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .models(ContractModels.ALL.toArray(String[]::new)).build();

    @BeforeEach
    void reset() {
        BODIES.clear();
    }

    private static final class RecordingBodies implements HttpPipelinePolicy {
        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            HttpMethod method = context.getHttpRequest().getHttpMethod();
            BinaryData body = context.getHttpRequest().getBodyAsBinaryData();
            if (body != null && (method == HttpMethod.PUT || method == HttpMethod.PATCH || method == HttpMethod.POST)) {
                BODIES.add(body.toString());
            }
            return next.process();
        }
    }

    private static void assertRefused(ThrowableAssert.ThrowingCallable call) {
        assertAdtError(call, 400, "InvalidArgument", "must be a JSON object");
    }

    @Test
    void aStringTwinOrRelationshipBodyIsRefusedWith400Sync() {
        assertRefused(() -> client.createOrReplaceDigitalTwin("dev-1", TWIN_JSON, String.class));

        client.createOrReplaceDigitalTwin("dev-1", AdtJson.parse(TWIN_JSON), JsonNode.class);
        client.createOrReplaceDigitalTwin("gw-1", new BasicDigitalTwin("gw-1").setMetadata(
                new BasicDigitalTwinMetadata().setModelId(ContractModels.GATEWAY_ID)), BasicDigitalTwin.class);
        assertRefused(() -> client.createOrReplaceRelationship("dev-1", "r1", "{\"$targetId\":\"gw-1\","
                + "\"$relationshipName\":\"connectedTo\"}", String.class));
        client.createOrReplaceRelationship("dev-1", "r1", Map.of("$targetId", "gw-1", "$relationshipName",
                "connectedTo"), Map.class);
        assertThat(emulator.engine().twinIds()).containsExactly("dev-1", "gw-1");
        assertThat(emulator.engine().relationshipCount()).isEqualTo(1);
    }

    @Test
    void aStringTwinBodyIsRefusedWith400Async() {
        assertRefused(() -> asyncClient.createOrReplaceDigitalTwin("dev-1", TWIN_JSON, String.class).block());

        assertThat(asyncClient.createOrReplaceDigitalTwin("dev-1", new BasicDigitalTwin("dev-1").setMetadata(
                new BasicDigitalTwinMetadata().setModelId(ContractModels.DEVICE_ID)), BasicDigitalTwin.class).block())
                .isNotNull();
        assertThat(emulator.engine().twinCount()).isEqualTo(1);
    }

    @Test
    void coresGatewayNeverSendsAJsonStringBody() {
        SdkDigitalTwinsGateway gateway = new SdkDigitalTwinsGateway(emulator.clientBuilder()
                .retryOptions(DigitalTwinsClients.noSdkRetries()).addPolicy(new RecordingBodies()).buildClient());

        gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", ContractModels.DEVICE_ID, Map.of("serial", "S1")));
        gateway.createOrReplaceTwin(DigitalTwin.of("gw-1", ContractModels.GATEWAY_ID, Map.of("name", "gateway")));
        gateway.updateTwin("dev-1", List.of(JsonPatchOperation.replace("/serial", "S2")), null);
        gateway.createRelationshipIfAbsent(Relationship.of("r1", "dev-1", "gw-1", "connectedTo"));
        gateway.createOrReplaceRelationship(Relationship.of("r2", "dev-1", "gw-1", "connectedTo"));
        gateway.query("SELECT * FROM DIGITALTWINS", null);
        gateway.createModels(List.of("{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"dtmi:com:example:Extra;1\","
                + "\"@type\":\"Interface\"}"));

        assertThat(BODIES).hasSize(7).allSatisfy(body -> {
            JsonNode json = AdtJson.parse(body);
            assertThat(json.isObject() || json.isArray()).as("body %s is an object or an array", body).isTrue();
        });
        assertThat(emulator.engine().relationshipCount()).isEqualTo(2);
    }
}
