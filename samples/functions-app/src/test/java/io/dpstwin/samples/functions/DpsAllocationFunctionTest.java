package io.dpstwin.samples.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.functions.DpsTwinFunctions;
import io.dpstwin.functions.testing.FakeHttpRequest;
import io.dpstwin.functions.testing.FakeHttpResponse;
import io.dpstwin.functions.testing.RecordingExecutionContext;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;

import static io.dpstwin.samples.functions.EmulatedApp.HUB_A;
import static io.dpstwin.samples.functions.EmulatedApp.HUB_B;
import static io.dpstwin.samples.functions.EmulatedApp.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/** The sample's allocation function, called as the Functions host calls it, against the HTTPS ADT emulator. */
class DpsAllocationFunctionTest {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = EmulatedApp.emulator();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DpsAllocationFunction function = new DpsAllocationFunction();
    private final RecordingExecutionContext context = new RecordingExecutionContext("DpsAdtAllocationFunc");

    @BeforeEach
    void installTheAppOverTheEmulator() {
        DpsTwinFunctions.install(EmulatedApp.factory(ADT, Map.of()));
    }

    @AfterEach
    void backToAppSettings() {
        DpsTwinFunctions.reset();
    }

    private FakeHttpResponse allocate(String body) {
        return (FakeHttpResponse) function.run(FakeHttpRequest.post(body), context);
    }

    private static JsonNode json(FakeHttpResponse response) throws Exception {
        return JSON.readTree(response.bodyAsString());
    }

    @Test
    void aNewDeviceGetsItsHubAndATwinOfItsModel() throws Exception {
        String body = DpsRequests.group("thermostats").registrationId("dev-1").linkedHubs(HUB_A, HUB_B)
                .modelId(THERMOSTAT).toJson();

        FakeHttpResponse response = allocate(body);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        JsonNode answer = json(response);
        assertThat(answer.get("iotHubHostName").asText()).isEqualTo(HUB_A);
        assertThat(answer.at("/initialTwin/tags/dtId").asText()).isEqualTo("dev-1");
        assertThat(answer.at("/initialTwin/tags/dtmi").asText()).isEqualTo(THERMOSTAT);
        assertThat(answer.at("/payload/twinId").asText()).isEqualTo("dev-1");
        assertThat(ADT.emulator().engine().twinIds()).containsExactly("dev-1");
        assertThat(ADT.emulator().engine().getTwin("dev-1").at("/$metadata/$model").asText()).isEqualTo(THERMOSTAT);
        assertThat(context.messages(Level.INFO)).containsExactly("DPS allocation answered 200");
        assertThat(context.transcript()).doesNotContain("symmetricKey");
    }

    @Test
    void itsMetricsGoToMicrometersGlobalRegistryWhichTheApplicationInsightsAgentCollects() {
        SimpleMeterRegistry agent = new SimpleMeterRegistry();   // the Java agent reads the global registry
        Metrics.addRegistry(agent);
        try {
            allocate(DpsRequests.group("thermostats").registrationId("dev-m").linkedHubs(HUB_A)
                    .modelId(THERMOSTAT).toJson());
        } finally {
            Metrics.removeRegistry(agent);
        }

        assertThat(agent.get("dpstwin.allocations").tag("outcome", "allocated").counter().count()).isEqualTo(1.0);
        assertThat(agent.get("dpstwin.allocation.duration").timer().count()).isEqualTo(1);
        assertThat(agent.find("dpstwin.adt.requests").timers()).isNotEmpty();
    }

    @Test
    void aReRegisteringDeviceGetsTheSameTwinWithoutASecondCreate() throws Exception {
        String first = DpsRequests.group("thermostats").registrationId("dev-1").linkedHubs(HUB_A, HUB_B)
                .modelId(THERMOSTAT).toJson();
        String again = DpsRequests.group("thermostats").registrationId("dev-1").linkedHubs(HUB_A, HUB_B)
                .modelId(THERMOSTAT).reRegistration(HUB_A).toJson();

        FakeHttpResponse created = allocate(first);
        FakeHttpResponse found = allocate(again);

        assertThat(created.getStatusCode()).isEqualTo(200);
        assertThat(found.getStatusCode()).isEqualTo(200);
        assertThat(json(found).at("/initialTwin/tags/dtId").asText()).isEqualTo("dev-1");
        assertThat(json(found).get("iotHubHostName").asText()).isEqualTo(HUB_A);
        assertThat(ADT.emulator().engine().twinIds()).containsExactly("dev-1");
        assertThat(ADT.journal().count("PUT", "/digitaltwins/dev-1")).isEqualTo(1);
    }

    @Test
    void aDeviceWithoutModelIsRejectedWith400AndNothingIsWritten() throws Exception {
        FakeHttpResponse response = allocate(DpsRequests.group("thermostats").registrationId("dev-2").toJson());

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("NoModel");
        assertThat(error.get("message").asText()).contains("no model");
        assertThat(ADT.journal().count("PUT", "/digitaltwins/.*")).isZero();
        assertThat(ADT.emulator().engine().twinCount()).isZero();
    }

    @Test
    void aModelAdtDoesNotKnowIsRejectedWithAdtsReason() throws Exception {
        FakeHttpResponse response = allocate(DpsRequests.group("thermostats").registrationId("dev-3")
                .modelId("dtmi:com:example:Unknown;1").toJson());

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("AdtRejected");
        assertThat(error.get("message").asText()).contains("Azure Digital Twins refused the request");
        assertThat(response.bodyAsString()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(ADT.emulator().engine().twinCount()).isZero();
    }

    @Test
    void whenAdtThrottlesDpsIsAskedToRetryWith429AndRetryAfter() throws Exception {
        // one attempt per ADT call, so that the test does not wait out the webhook's retry budget
        DpsTwinFunctions.install(EmulatedApp.factory(ADT, Map.of(),
                (builder, settings) -> builder.allocationRetry(RetryBudget.none())));
        ADT.emulator().faults().throttle(1.0, Duration.ofSeconds(3), Duration.ofSeconds(3));

        FakeHttpResponse response = allocate(DpsRequests.group("thermostats").registrationId("dev-4")
                .modelId(THERMOSTAT).toJson());

        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(response.getHeader("Retry-After")).isEqualTo("3");
        assertThat(json(response).at("/error/code").asText()).isEqualTo("AdtThrottled");
        assertThat(ADT.emulator().engine().twinCount()).isZero();
    }

    @Test
    void whenAdtIsUnavailableDpsIsAskedToRetryWith503() throws Exception {
        DpsTwinFunctions.install(EmulatedApp.factory(ADT, Map.of(),
                (builder, settings) -> builder.allocationRetry(RetryBudget.none())));
        ADT.emulator().faults().unavailable(1.0);

        FakeHttpResponse response = allocate(DpsRequests.group("thermostats").registrationId("dev-5")
                .modelId(THERMOSTAT).toJson());

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("AdtUnavailable");
        assertThat(ADT.emulator().engine().twinCount()).isZero();
    }

    @Test
    void aSingleThrottledCallIsRetriedWithinTheWebhooksBudget() throws Exception {
        ADT.emulator().faults().throttleNext(Duration.ofSeconds(1));

        FakeHttpResponse response = allocate(DpsRequests.group("thermostats").registrationId("dev-6")
                .modelId(THERMOSTAT).toJson());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(ADT.journal().countStatus(429)).isEqualTo(1);
        assertThat(ADT.emulator().engine().twinIds()).containsExactly("dev-6");
    }

    @Test
    void settingsChooseHubTwinIdAndPlacement() throws Exception {
        DpsTwinFunctions.install(EmulatedApp.factory(ADT, Map.of(
                "DPSTWIN_HUB_SELECTION", "weighted",
                "DPSTWIN_HUB_WEIGHTS", HUB_A + "=0," + HUB_B + "=1",
                "DPSTWIN_TWIN_ID_PREFIX", "device-",
                "DPSTWIN_PLACEMENT_PAYLOAD_FIELD", "room")));
        EmulatedApp.createTwin(ADT, "room-1", EmulatedApp.ROOM);

        FakeHttpResponse response = allocate(DpsRequests.group("thermostats").registrationId("dev-7")
                .linkedHubs(HUB_A, HUB_B).modelId(THERMOSTAT).payloadField("room", "room-1").toJson());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response).get("iotHubHostName").asText()).isEqualTo(HUB_B);
        assertThat(json(response).at("/initialTwin/tags/dtId").asText()).isEqualTo("device-dev-7");
        assertThat(ADT.emulator().engine().getRelationship("room-1", "contains-device-dev-7")
                .get("$targetId").asText()).isEqualTo("device-dev-7");
    }
}
