package io.dpstwin.samples.spring;

import io.dpstwin.samples.spring.local.DemoReport;
import io.dpstwin.samples.spring.local.DemoRunner;
import io.dpstwin.samples.spring.local.DemoStep;
import io.dpstwin.samples.spring.local.ReconcileDemo;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's demo, run in-process exactly as {@code java -jar ... --spring.profiles.active=local --demo.exit=true}
 * runs it, except that the test reads the exit code instead of letting the JVM exit.
 */
@ExtendWith(OutputCaptureExtension.class)
class LocalDemoTest {

    @Test
    void theLocalDemoMeetsEveryExpectedOutcomeAndWouldExitWithZero(CapturedOutput output) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DpsTwinSampleApplication.class)
                .run("--spring.profiles.active=local", "--demo.fleet-size=20");
        try {
            DemoReport report = context.getBean(DemoRunner.class).report();
            assertThat(report.mismatches()).isEmpty();
            assertThat(report.steps()).extracting(DemoStep::step)
                    .contains("Event Grid validation", "CloudEvents handshake", "register (wrong key)",
                            "register in room-101", "re-register", "register (model id is a number)",
                            "register in room-999", "delete (Event Grid, 1 delivery)", "decoys (CloudEvents)",
                            "check graph", "drift: registration failed", "drift: creation event lost",
                            "reconcile dry run (POST, GET actuator)", "  found orphaned twin", "  found missing twin",
                            "reconcile apply (POST actuator)", "reconcile apply (scheduled-run path)",
                            "  retire orphaned twin", "  create missing twin", "reconcile dry run again (POST, GET)");
            assertThat(report.steps()).filteredOn(step -> step.step().startsWith("reconcile dry run"))
                    .extracting(DemoStep::actual)
                    .containsExactly("202, 200 ok: 1 orphan, 1 missing, no change", "202, 200 ok: no drift, no change");
            assertThat(report.steps()).filteredOn(step -> step.step().startsWith("register"))
                    .hasSize(23);
            assertThat(output).contains("RESULT: all " + report.steps().size() + " outcomes as expected")
                    .contains("Webhook key:   " + DemoRunner.DEMO_KEY)
                    .contains("ADT emulator:  https://localhost:")
                    .contains("moved the demo clock (ADT emulator, simulated hubs, reconciler) 130 s forward");

            // the graph, read directly from the emulator's engine: 3 rooms + 15 of 20 thermostats (every
            // fourth was deleted) + the twin the reconciler created; the one it retired is gone; placements of
            // 3, 6, 9, 15 and 18 remain (12 was placed and deleted)
            AdtEmulator emulator = context.getBean(AdtEmulator.class);
            assertThat(emulator.engine().twinCount()).isEqualTo(19);
            assertThat(emulator.engine().relationshipCount()).isEqualTo(5);
            assertThat(emulator.engine().twinIds()).doesNotContain("thermostat-004", "thermostat-012",
                    "thermostat-bad-payload", "thermostat-lost", ReconcileDemo.UNFINISHED)
                    .contains("thermostat-001", "room-101", ReconcileDemo.UNMIRRORED);

            // the simulated hubs hold what DPS registered minus what IoT Hub deleted, plus the unmirrored device
            InMemoryDeviceRegistry hubs = context.getBean(InMemoryDeviceRegistry.class);
            assertThat(hubs.deviceCount()).isEqualTo(16);
            assertThat(hubs.device("contoso-hub-1.azure-devices.net", "thermostat-004")).isEmpty();
            assertThat(hubs.device("contoso-hub-1.azure-devices.net", "thermostat-001")).hasValueSatisfying(
                    device -> assertThat(device.tags()).containsEntry("dtId", "thermostat-001"));
            assertThat(hubs.device(ReconcileDemo.UNMIRRORED_HUB, ReconcileDemo.UNMIRRORED)).isPresent();
        } finally {
            assertThat(SpringApplication.exit(context)).as("the --demo.exit=true exit status").isZero();
        }
    }

    @Test
    void withoutAFleetItOnlyServesAndTheEndpointsAnswer(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DpsTwinSampleApplication.class)
                .run("--spring.profiles.active=local", "--demo.fleet-size=0");
        try {
            assertThat(context.getBean(DemoRunner.class).report().steps()).isEmpty();
            assertThat(output).doesNotContain("RESULT:").contains("Serving until you stop it");
            String port = context.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"dpsTwin\"").contains("\"defaultModelUploaded\":true");
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/api/dps/allocate"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            URI reconcile = URI.create("http://localhost:" + port + "/actuator/dpstwinreconcile");
            HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(reconcile)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).isEqualTo(202);
            assertThat(started.body()).contains("\"dryRun\":true");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(reconcile).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(status.statusCode()).isEqualTo(200);
                assertThat(status.body()).contains("\"running\":false").contains("\"dryRun\":true")
                        .contains("\"status\":\"ok\"").contains("\"hubs\":[\"contoso-hub-1.azure-devices.net\","
                                + "\"contoso-hub-2.azure-devices.net\"]");
            });
        } finally {
            SpringApplication.exit(context);
        }
    }
}
