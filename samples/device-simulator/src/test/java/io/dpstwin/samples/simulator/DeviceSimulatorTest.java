package io.dpstwin.samples.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.dps.DeviceKeys;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.dps.emulator.Enrollment;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.iothub.emulator.IotHubSpec;
import io.dpstwin.testkit.iothub.emulator.TelemetryMessage;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator registers through the DPS emulator with {@code provisioning-device-client} (MQTT on 8883 and HTTPS),
 * gets its hub from a custom allocation webhook, and sends telemetry the hub records, with {@code iot-device-client}:
 * the reference walkthrough's device side, offline. Each test class has a loopback address of its own, so that its
 * port 8883 does not collide with concurrent builds.
 */
class DeviceSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "dtmi:contosocom:DigitalTwins:Thermostat;1";

    static String groupKey = DeviceAuthentication.randomKey();
    static EmulatorCa ca;
    static DeviceMqttListener mqtt;
    static IotHubEmulator hubs;
    static EmulatedIotHub hub;
    static DpsEmulator dps;
    static HttpServer webhook;
    static final List<JsonNode> webhookRequests = new CopyOnWriteArrayList<>();
    @TempDir
    static Path dir;
    static Path caPem;

    @BeforeAll
    static void start() throws IOException {
        ca = EmulatorCa.generate();
        caPem = ca.writePem(dir.resolve("ca.pem"));
        mqtt = listenerOnOwnLoopback();
        String host = mqtt.host();
        hubs = IotHubEmulator.builder().hub(IotHubSpec.of(host).name("sim-hub")).certificateAuthority(ca).mqtt(mqtt)
                .start();
        hub = hubs.hub(host);
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/api/allocate", exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            webhookRequests.add(request);
            byte[] answer = JSON.writeValueAsBytes(Map.of("iotHubHostName", hub.hostName(),
                    "payload", Map.of("twinId", request.path("deviceRuntimeContext").path("registrationId").asText())));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(answer);
            }
        });
        webhook.start();
        dps = DpsEmulator.builder()
                .mqttListener(mqtt)
                .linkedHub(hub)
                .enrollment(Enrollment.group("thermostats", groupKey).iotHubs(hub.hostName())
                        .customAllocation("http://127.0.0.1:" + webhook.getAddress().getPort() + "/api/allocate?code=k",
                                "2021-10-01").build())
                .start();
    }

    @AfterAll
    static void stop() {
        if (dps != null) {
            dps.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
        if (hubs != null) {
            hubs.close();
        }
        if (mqtt != null) {
            mqtt.close();
        }
    }

    private static DeviceMqttListener listenerOnOwnLoopback() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            String host = "127." + random.nextInt(1, 255) + "." + random.nextInt(1, 255) + "." + random.nextInt(2, 255);
            try {
                return DeviceMqttListener.builder().host(host).certificateAuthority(ca).start();
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Map<String, String> environment(String provisioningHost, String registrationId, String key) {
        return Map.of("PROVISIONING_HOST", provisioningHost, "PROVISIONING_IDSCOPE", dps.idScope(),
                "PROVISIONING_REGISTRATION_ID", registrationId, "ADT_MODEL_ID", MODEL,
                "PROVISIONING_SYMMETRIC_KEY", key);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run simulate(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DeviceSimulator.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFleetRegistersOverMqttGetsItsHubFromTheWebhookAndSendsTelemetry() throws Exception {
        Run run = simulate(environment(dps.globalEndpoint(), "sim-mqtt", groupKey), "--count", "2", "--messages", "2",
                "--interval", "10ms", "--ca-certificate", caPem.toString(), "--env-file", dir.resolve("none").toString());

        assertThat(run.status()).as(run.err()).isZero();
        for (String id : List.of("sim-mqtt-1", "sim-mqtt-2")) {
            assertThat(run.out()).contains(id + ": assigned to " + hub.hostName() + " as device " + id
                    + "; payload {\"twinId\":\"" + id + "\"}");
            assertThat(hub.telemetry(id)).hasSize(2).allSatisfy(message -> {
                JsonNode body = JSON.readTree(message.payloadAsString());
                assertThat(body.path("Temperature").asDouble()).isBetween(20.0, 35.0);
                assertThat(message.systemProperties()).containsEntry("ct", "application/json");
            });
            JsonNode request = webhookRequests.stream()
                    .filter(r -> id.equals(r.path("deviceRuntimeContext").path("registrationId").asText()))
                    .findFirst().orElseThrow();
            // the Java SDK sends the payload as a JSON string holding the object, and DPS passes it on as received
            JsonNode payload = request.path("deviceRuntimeContext").path("payload");
            JsonNode modelId = payload.isTextual() ? JSON.readTree(payload.asText()).path("modelId")
                    : payload.path("modelId");
            assertThat(modelId.asText()).isEqualTo(MODEL);
        }
        assertThat(run.out()).contains("done: 2 registered and sending, 0 failed, 4 message(s) sent");
        assertThat(run.out() + run.err()).doesNotContain(groupKey)
                .doesNotContain(DeviceKeys.derive(groupKey, "sim-mqtt-1"));
    }

    @Test
    void oneDeviceRegistersOverHttpsOnTheEmulatorsPort() {
        Run run = simulate(environment(dps.httpsHost(), "sim-https", groupKey), "--transport", "https",
                "--messages", "1", "--ca-certificate", caPem.toString(), "--env-file", dir.resolve("none").toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("sim-https: assigned to " + hub.hostName() + " as device sim-https");
        assertThat(hub.telemetry("sim-https")).extracting(TelemetryMessage::payloadAsString).singleElement()
                .asString().startsWith("{\"Temperature\":");
    }

    @Test
    void aWrongGroupKeyFailsTheRegistrationWithExitStatusOneAndSendsNothing() {
        Run run = simulate(environment(dps.httpsHost(), "sim-wrong", DeviceAuthentication.randomKey()),
                "--transport", "https", "--messages", "1", "--ca-certificate", caPem.toString(),
                "--env-file", dir.resolve("none").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("sim-wrong: registration failed");
        assertThat(run.out()).contains("0 registered and sending, 1 failed, 0 message(s) sent");
        assertThat(hub.telemetry("sim-wrong")).isEmpty();
        assertThat(dps.registration("sim-wrong")).isEmpty();
    }

    @Test
    void theDerivedDeviceKeyIsTheOneDpsExpects() {
        assertThat(SimulatedDevice.deriveKey(groupKey, "sim-key")).isEqualTo(DeviceKeys.derive(groupKey, "sim-key"));
    }

    @Test
    void badSettingsExitWithStatusTwoNamingThem() {
        Run missing = simulate(Map.of("PROVISIONING_HOST", dps.httpsHost()), "--env-file", dir.resolve("none").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("PROVISIONING_IDSCOPE is not set", "PROVISIONING_REGISTRATION_ID is not set",
                "ADT_MODEL_ID is not set", "PROVISIONING_SYMMETRIC_KEY is not set");

        Run badTransport = simulate(environment(dps.httpsHost(), "sim-bad", groupKey), "--transport", "amqp",
                "--env-file", dir.resolve("none").toString());
        assertThat(badTransport.status()).isEqualTo(2);
        assertThat(badTransport.err()).contains("--transport must be mqtt or https, not 'amqp'");

        Run badInterval = simulate(environment(dps.httpsHost(), "sim-bad", groupKey), "--interval", "5",
                "--env-file", dir.resolve("none").toString());
        assertThat(badInterval.status()).isEqualTo(2);
        assertThat(badInterval.err()).contains("--interval '5' needs a unit");
        assertThat(dps.registration("sim-bad")).isEmpty();
    }
}
