package io.dpstwin.docs.functions;

import io.dpstwin.core.DpsTwinMeters;
import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.OutcomeReason;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.functions.FunctionsDpsTwinFactory;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.functions.testing.FakeHttpRequest;
import io.dpstwin.functions.testing.FakeHttpResponse;
import io.dpstwin.functions.testing.RecordingExecutionContext;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.iothub.FunctionsEventHubsBinding;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link DpsTwinApp} (docs/functions.md, "Customising beyond app settings"): its handlers called as the Functions host
 * calls them, over the testkit's HTTPS ADT emulator. The test installs a factory with the same customizer and meter
 * registry, but with settings, credential and HTTP client pointed at the emulator.
 */
class DpsTwinAppTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .modelResources("models/Thermostat.json", "models/Room.json")
            .build();

    @BeforeEach
    void pointTheAppAtTheEmulator() {
        TokenCredential credential = request ->
                Mono.just(new AccessToken("emulator-token", OffsetDateTime.now().plusHours(1)));
        DpsTwinApp.DPS_TWIN.install(FunctionsDpsTwinFactory.builder()
                .settings(Map.of(FunctionsSettings.ADT_SERVICE_URL, ADT.endpoint(),
                        "DPSTWIN_ALLOCATION_DEFAULTMODEL", THERMOSTAT,
                        "DPSTWIN_LIFECYCLE_MAXATTEMPTS", "1"))
                .credential(credential)
                .httpClient(ADT.emulator().httpClient())
                .meterRegistry(DpsTwinApp.METERS)
                .customizer(DpsTwinApp::customize)
                .build());
    }

    @AfterEach
    void backToTheAppSettings() {
        DpsTwinApp.DPS_TWIN.reset();
        ((ParkedEvents) DpsTwinApp.DEAD_LETTERS).clear();
    }

    @Test
    void newTwinsGetTheInitialPropertiesOfTheCustomizerAndTheMetricsGoToTheAppsRegistry() throws Exception {
        double before = allocated();
        RecordingExecutionContext context = new RecordingExecutionContext("DpsAdtAllocationFunc");

        FakeHttpResponse response = (FakeHttpResponse) DpsTwinApp.ALLOCATION.handle(FakeHttpRequest.post(
                DpsRequests.group("thermostats").registrationId("dev-1").toJson()), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.bodyAsString()).at("/initialTwin/tags/dtmi").asText())
                .as("DPSTWIN_ALLOCATION_DEFAULTMODEL still applies").isEqualTo(THERMOSTAT);
        JsonNode twin = ADT.emulator().engine().getTwin("dev-1");
        assertThat(twin.path("Temperature").asDouble(-1)).isEqualTo(0.0);
        assertThat(allocated()).isEqualTo(before + 1);
        assertThat(context.messages(Level.INFO)).containsExactly("DPS allocation answered 200");
    }

    @Test
    void aLifecycleEventTheFlowGivesUpOnIsParkedInTheAppsDeadLetterSink() {
        DpsTwinApp.ALLOCATION.handle(FakeHttpRequest.post(DpsRequests.group("thermostats").registrationId("dev-1")
                .toJson()), new RecordingExecutionContext("DpsAdtAllocationFunc"));
        ADT.emulator().faults().failNext(AdtOperation.DELETE_TWIN,
                new AdtException(403, "Forbidden", "the identity lacks a data role"));
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(IotHubEvents.deviceDeleted("hub-a", "dev-1"))
                .functionsBinding();

        BatchResult result = DpsTwinApp.EVENT_HUBS.handle(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray(), new RecordingExecutionContext("DeviceLifecycleEventHubFunc"));

        assertThat(result.count(LifecycleOutcome.DEAD_LETTERED)).isEqualTo(1);
        assertThat(((ParkedEvents) DpsTwinApp.DEAD_LETTERS).letters()).singleElement().satisfies(letter -> {
            assertThat(letter.twinId()).isEqualTo("dev-1");
            assertThat(letter.reason()).isEqualTo(OutcomeReason.PERMANENT_FAILURE);
            assertThat(letter.statusCode()).isEqualTo(403);
        });
    }

    @Test
    void theReconcileTimerOnlyWarnsWhileNoHubIsConfigured() {
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        assertThat(DpsTwinApp.RECONCILE.handle("{}", context)).isEmpty();

        assertThat(context.messages(Level.WARNING)).singleElement().asString()
                .contains("DPSTWIN_RECONCILE_HUBHOSTNAMES");
    }

    @Test
    void withoutTheTestsFactoryTheAppReadsItsAppSettingsAndAnswers503WhileOneIsMissing() throws Exception {
        assumeTrue(System.getenv(FunctionsSettings.ADT_SERVICE_URL) == null, "ADT_SERVICE_URL is set here");
        DpsTwinApp.DPS_TWIN.reset();
        RecordingExecutionContext context = new RecordingExecutionContext("DpsAdtAllocationFunc");

        FakeHttpResponse response = (FakeHttpResponse) DpsTwinApp.ALLOCATION.handle(FakeHttpRequest.post(
                DpsRequests.group("thermostats").registrationId("dev-1").toJson()), context);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.bodyAsString()).at("/error/code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(response.bodyAsString()).doesNotContain(FunctionsSettings.ADT_SERVICE_URL);
        assertThat(context.messages(Level.SEVERE)).singleElement().asString()
                .contains(FunctionsSettings.ADT_SERVICE_URL);
        assertThat(ADT.emulator().engine().twinCount()).isZero();
    }

    private static double allocated() {
        var counter = DpsTwinApp.METERS.find(DpsTwinMeters.ALLOCATIONS)
                .tags("outcome", "allocated").counter();
        return counter == null ? 0 : counter.count();
    }
}
