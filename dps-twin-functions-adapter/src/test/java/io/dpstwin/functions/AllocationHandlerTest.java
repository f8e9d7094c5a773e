package io.dpstwin.functions;

import io.dpstwin.core.testing.Concurrently;
import io.dpstwin.core.WebhookErrorCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpStatus;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.functions.testing.BuiltDpsTwins;
import io.dpstwin.functions.testing.FakeHttpRequest;
import io.dpstwin.functions.testing.FakeHttpResponse;
import io.dpstwin.functions.testing.RecordingExecutionContext;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.dps.DpsRequests;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

class AllocationHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final BuiltDpsTwins built = new BuiltDpsTwins();

    private LazyDpsTwin holder(DpsTwinFactory factory) {
        return built.holder(factory);
    }

    private static FakeHttpResponse call(AllocationHandler handler, FakeHttpRequest request,
                                         RecordingExecutionContext context) {
        return (FakeHttpResponse) handler.handle(request, context);
    }

    @Test
    void coresRejectionComesBackAsA400WithItsJsonBody() throws Exception {
        AllocationHandler handler = new AllocationHandler(holder(UnreachableAdt.factory().build()));
        RecordingExecutionContext context = new RecordingExecutionContext("DpsAdtAllocationFunc");

        FakeHttpResponse response = call(handler, FakeHttpRequest.post("{\"deviceRuntimeContext\":"), context);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeader("content-type")).isEqualTo("application/json; charset=utf-8");
        JsonNode error = JSON.readTree(response.bodyAsString()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("MalformedJson");
        assertThat(error.get("correlationId").asText()).isNotBlank();
        assertThat(context.messages(Level.INFO)).containsExactly("DPS allocation answered 400");
    }

    @Test
    void aPayloadSentAsAJsonStringLikeTheAzCliMakesTheSameTwinAsTheObject() throws Exception {
        String thermostat = "dtmi:com:example:Thermostat;1";
        InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
        adt.uploadModels("{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + thermostat
                + "\",\"@type\":\"Interface\",\"contents\":[]}");
        AllocationHandler handler = new AllocationHandler(holder(() -> DpsTwin.builder().gateway(adt).noRateLimits()
                .build()));
        var device = DpsRequests.group("g").linkedHubs("hub-a.azure-devices.net").modelId(thermostat);

        FakeHttpResponse fromObject = call(handler, FakeHttpRequest.post(device.registrationId("dev-1").toJson()),
                new RecordingExecutionContext("DpsAdtAllocationFunc"));
        FakeHttpResponse fromString = call(handler, FakeHttpRequest.post(device.registrationId("dev-2")
                .payloadAsJsonString().toJson()), new RecordingExecutionContext("DpsAdtAllocationFunc"));

        assertThat(fromString.getStatusCode()).as(fromString.bodyAsString()).isEqualTo(200);
        JsonNode objectTags = JSON.readTree(fromObject.bodyAsString()).at("/initialTwin/tags");
        JsonNode stringTags = JSON.readTree(fromString.bodyAsString()).at("/initialTwin/tags");
        assertThat(stringTags.path("dtmi")).isEqualTo(objectTags.path("dtmi"));
        assertThat(stringTags.path("dtId").asText()).isEqualTo("dev-2");
        assertThat(adt.getTwin("dev-2")).hasValueSatisfying(twin -> assertThat(twin.modelId()).isEqualTo(thermostat));
        assertThat(adt.getTwin("dev-2").get().properties()).isEqualTo(adt.getTwin("dev-1").get().properties());
    }

    @Test
    void aRequestWithoutBodyIsA400AndNotACrash() throws Exception {
        AllocationHandler handler = new AllocationHandler(holder(UnreachableAdt.factory().build()));

        FakeHttpResponse response = call(handler, FakeHttpRequest.post(null),
                new RecordingExecutionContext("DpsAdtAllocationFunc"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.bodyAsString()).at("/error/code").asText()).isEqualTo("MalformedJson");
    }

    @Test
    void anythingButPostIsA405WithAllowHeader() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        AllocationHandler handler = new AllocationHandler(holder(() -> {
            builds.incrementAndGet();
            return UnreachableAdt.dpsTwin();
        }));

        FakeHttpResponse response = call(handler, FakeHttpRequest.post("{}").withMethod(HttpMethod.GET),
                new RecordingExecutionContext("DpsAdtAllocationFunc"));

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeader("Allow")).isEqualTo("POST");
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(response.bodyAsString()).at("/error/code").asText())
                .isEqualTo(WebhookErrorCodes.METHOD_NOT_ALLOWED);
        assertThat(builds).hasValue(0);
    }

    @Test
    void invalidSettingsAnswer503WithAGenericMessageAndLogTheSettingName() throws Exception {
        AllocationHandler handler = new AllocationHandler(new LazyDpsTwin(FunctionsDpsTwinFactory.builder()
                .settings(Map.of("DPSTWIN_LIFECYCLE_PARALLELISM", "many"))
                .credential(TestCredentials.fixed())
                .build()));
        RecordingExecutionContext context = new RecordingExecutionContext("DpsAdtAllocationFunc");

        FakeHttpResponse response = call(handler, FakeHttpRequest.post(DpsRequests.group("g")
                .registrationId("dev-1").toJson()), context);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        JsonNode error = JSON.readTree(response.bodyAsString()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(WebhookErrorCodes.SERVICE_UNAVAILABLE);
        assertThat(error.get("message").asText()).contains("not available").contains("DPS retries");
        assertThat(response.bodyAsString()).doesNotContain("ADT_SERVICE_URL", "DPSTWIN", "Exception", "at io.");
        String correlationId = error.get("correlationId").asText();
        assertThat(context.messages(Level.SEVERE)).singleElement().asString()
                .contains("answered 503", correlationId, "ADT_SERVICE_URL is missing",
                        "DPSTWIN_LIFECYCLE_PARALLELISM is invalid")
                .doesNotContain("\tat ");
    }

    @Test
    void aFailedBuildIsRetriedByTheNextInvocation() {
        Map<String, String> settings = new java.util.concurrent.ConcurrentHashMap<>();
        AllocationHandler handler = new AllocationHandler(holder(FunctionsDpsTwinFactory.builder()
                .settings(() -> Map.copyOf(settings))
                .credential(TestCredentials.fixed())
                .build()));
        String body = "not json";

        assertThat(call(handler, FakeHttpRequest.post(body), null).getStatusCode()).isEqualTo(503);
        settings.putAll(UnreachableAdt.settings());
        assertThat(call(handler, FakeHttpRequest.post(body), null).getStatusCode()).isEqualTo(400);
    }

    @Test
    void extraHeadersAndStatusesWithoutAFunctionsConstantAreCopied() {
        FakeHttpRequest request = FakeHttpRequest.post("{}");

        FakeHttpResponse throttled = (FakeHttpResponse) AllocationHandler.respond(request,
                new WebhookResponse(429, "{\"error\":{}}", Map.of("Retry-After", "2")));
        FakeHttpResponse unusual = (FakeHttpResponse) AllocationHandler.respond(request,
                new WebhookResponse(599, "{}"));

        assertThat(throttled.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(throttled.getHeader("Retry-After")).isEqualTo("2");
        assertThat(throttled.getHeader("Content-Type")).isEqualTo(WebhookResponse.CONTENT_TYPE);
        assertThat(throttled.bodyAsString()).isEqualTo("{\"error\":{}}");
        assertThat(unusual.getStatusCode()).isEqualTo(599);
    }

    @Test
    void manyConcurrentFirstInvocationsBuildDpsTwinOnce() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AllocationHandler handler = new AllocationHandler(holder(() -> {
            builds.incrementAndGet();
            return UnreachableAdt.factory().meterRegistry(meters).build().create();
        }));
        int invocations = 24;

        List<Integer> statuses = Concurrently.startTogether(invocations,
                thread -> call(handler, FakeHttpRequest.post("[]"), null).getStatusCode());

        assertThat(statuses).containsOnly(400);

        assertThat(builds).hasValue(1);
        assertThat(meters.get("dpstwin.allocations").counter().count()).isEqualTo(invocations);
    }
}
