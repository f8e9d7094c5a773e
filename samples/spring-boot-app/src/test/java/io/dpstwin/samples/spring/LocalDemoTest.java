package io.dpstwin.samples.spring;

import io.dpstwin.samples.spring.local.DemoReport;
import io.dpstwin.samples.spring.local.DemoRunner;
import io.dpstwin.samples.spring.local.DemoStep;
import io.dpstwin.samples.spring.local.ReconcileDemo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
                .run("--spring.profiles.active=local", "--demo.fleet-size=20", DemoHosts.mqttHostArgument());
        try {
            DemoReport report = context.getBean(DemoRunner.class).report();
            assertThat(report.mismatches()).isEmpty();
            assertThat(report.steps()).extracting(DemoStep::step)
                    .contains("Event Grid validation", "CloudEvents handshake", "register (wrong key)",
                            "register in room-101", "re-register", "register (model id is a number)",
                            "register in room-999", "delete (RegistryClient, Event Grid push)",
                            "decoy: module (RegistryClient)", "decoys (CloudEvents)",
                            "check graph", "drift: registration failed", "drift: device older than the subscription",
                            "reconcile dry run (POST, GET actuator)", "  found orphaned twin", "  found missing twin",
                            "reconcile apply (POST actuator)", "reconcile apply (scheduled-run path)",
                            "  retire orphaned twin", "  create missing twin", "reconcile dry run again (POST, GET)");
            assertThat(report.steps()).filteredOn(step -> step.step().startsWith("reconcile dry run"))
                    .extracting(DemoStep::actual)
                    .containsExactly("202, 200 ok: 1 orphan, 1 missing, no change", "202, 200 ok: no drift, no change");
            assertThat(report.steps()).filteredOn(step -> step.step().startsWith("register"))
                    .hasSize(23);
            assertThat(report.steps()).filteredOn(step -> step.step().startsWith("register")
                            && step.device().matches("thermostat-0\\d\\d"))
                    .extracting(DemoStep::actual).allMatch(actual -> actual.startsWith("assigned, linked hub, twin ")
                            && actual.endsWith(", telemetry recorded"));
            assertThat(report.steps()).filteredOn(step -> step.step().startsWith("delete"))
                    .extracting(DemoStep::actual).containsExactly("5 removed, 5 pushed, 5 retired");
            assertThat(output).contains("RESULT: all " + report.steps().size() + " outcomes as expected")
                    .contains("Webhook key:   " + DemoRunner.DEMO_KEY)
                    .contains("ADT emulator:  https://localhost:")
                    .contains("moved the demo clock (ADT emulator, simulated hubs, reconciler) 130 s forward")
                    .as("azure-core-http-jdk-httpclient's warning on every write, turned down in application.yml")
                    .doesNotContain("The header is restricted by 'java.net.http.HttpClient'");

            // the graph, read directly from the emulator's engine: 3 rooms + 15 of 20 thermostats (every
            // fourth was deleted) + the twin the reconciler created; the one it retired is gone; placements of
            // 3, 6, 9, 15 and 18 remain (12 was placed and deleted)
            AdtEmulator emulator = context.getBean(AdtEmulator.class);
            assertThat(emulator.engine().twinCount()).isEqualTo(19);
            assertThat(emulator.engine().relationshipCount()).isEqualTo(5);
            assertThat(emulator.engine().twinIds()).doesNotContain("thermostat-004", "thermostat-012",
                    "thermostat-bad-payload", "thermostat-lost", ReconcileDemo.UNFINISHED)
                    .contains("thermostat-001", "room-101", ReconcileDemo.UNMIRRORED);

            // the emulated hubs hold what DPS registered minus what RegistryClient deleted, plus the unmirrored
            // device; each thermostat sent one temperature through iot-device-client
            InMemoryDeviceRegistry hubs = context.getBean(InMemoryDeviceRegistry.class);
            IotHubEmulator emulatedHubs = context.getBean(IotHubEmulator.class);
            assertThat(emulatedHubs.registry()).isSameAs(hubs);
            assertThat(emulatedHubs.hubs()).flatExtracting(EmulatedIotHub::telemetry).hasSize(20)
                    .allSatisfy(message -> assertThat(message.payloadAsString()).startsWith("{\"Temperature\":"));
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
    void withoutAFleetItOnlyServesAndTheEndpointsAnswer(CapturedOutput output, @TempDir Path dir) throws Exception {
        Path connectionFile = dir.resolve("demo.json");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DpsTwinSampleApplication.class)
                .run("--spring.profiles.active=local", "--demo.fleet-size=0", DemoHosts.mqttHostArgument(),
                        "--demo.connection-file=" + connectionFile);
        try {
            assertThat(context.getBean(DemoRunner.class).report().steps()).isEmpty();
            assertThat(output).doesNotContain("RESULT:").contains("Serving until you stop it");

            // the connection file: what a device simulator needs, and the enrollment group DPS really has
            JsonNode connection = new ObjectMapper().readTree(connectionFile.toFile());
            DpsEmulator dps = context.getBean(DpsEmulator.class);
            assertThat(Path.of(connection.path("caCertificatePem").asText())).exists();
            assertThat(connection.path("adt").path("endpoint").asText())
                    .isEqualTo(context.getBean(AdtEmulator.class).endpoint());
            assertThat(connection.path("dps").path("idScope").asText()).isEqualTo(dps.idScope());
            assertThat(connection.path("dps").path("globalEndpoint").asText()).isEqualTo(dps.globalEndpoint());
            assertThat(connection.path("dps").path("httpsEndpoint").asText()).isEqualTo(dps.httpsEndpoint());
            JsonNode group = connection.path("dps").path("enrollmentGroups").path(0);
            assertThat(group.path("enrollmentGroupId").asText()).isEqualTo("contoso-thermostats");
            assertThat(dps.enrollments().group("contoso-thermostats")).hasValueSatisfying(enrollment ->
                    assertThat(enrollment.primaryKey()).isEqualTo(group.path("primaryKey").asText()));
            assertThat(connection.path("iotHubs")).extracting(hub -> hub.path("hostName").asText())
                    .containsExactly("contoso-hub-1.azure-devices.net", "contoso-hub-2.azure-devices.net");
            assertThat(connection.path("iotHubs").path(0).path("sharedAccessKey").asText())
                    .isEqualTo(context.getBean(IotHubEmulator.class).hub("contoso-hub-1").sharedAccessKey());
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
