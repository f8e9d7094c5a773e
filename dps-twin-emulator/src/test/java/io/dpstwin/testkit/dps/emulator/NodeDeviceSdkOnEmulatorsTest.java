package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import io.dpstwin.testkit.dps.emulator.ScriptedWebhook.Answer;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.iothub.emulator.TelemetryMessage;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Node.js device SDKs of the reference's device simulator, unchanged ({@code azure-iot-provisioning-device}
 * 1.9.1 with {@code azure-iot-provisioning-device-mqtt} 1.8.1 and {@code azure-iot-security-symmetric-key} 1.8.2;
 * {@code azure-iot-device} 1.18.4 with {@code azure-iot-device-mqtt} 1.16.4), run by {@code node} against the DPS
 * and IoT Hub emulators: the script {@code node-sdk/register-and-send.js} derives the device key from the group key,
 * registers over MQTT with the payload {@code {"modelId": ...}}, connects to the hub it was given with
 * {@code Client.fromConnectionString(..., Mqtt)}, sends one message and closes, trusting the emulator CA through
 * {@code NODE_EXTRA_CA_CERTS}. Two listeners show both ways Node can dial: DPS and one hub on a free port of
 * {@code 127.0.0.1} ({@code host:port} as the provisioning host; the hub through {@code GatewayHostName}), and a
 * hub named after a loopback IP of its own on port 8883 (the connection string exactly as DPS assigned it).
 * Skipped without node/npm (see {@link NodeDeviceSdk}).
 */
class NodeDeviceSdkOnEmulatorsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HUB = "hub-node.dps-sdk.test";
    static final String IP_HUB = "127.0.0.1";
    static final String MODEL = "dtmi:com:example:Thermostat;1";
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    static final Pattern RID = Pattern.compile("[?&]\\$rid=([^&]+)");

    static final String CUSTOM_KEY = DeviceAuthentication.randomKey();
    static final String STATIC_KEY = DeviceAuthentication.randomKey();

    @TempDir
    static Path temp;

    static NodeDeviceSdk node;
    static EmulatorCa ca;
    static Path caPem;
    static DeviceMqttListener freePort;
    static DeviceMqttListener on8883;
    static IotHubEmulator hubs;
    static IotHubEmulator loopbackHubs;
    static ScriptedWebhook webhook;
    static DpsEmulator dps;

    @BeforeAll
    static void start() {
        node = NodeDeviceSdk.install();
        ca = EmulatorCa.generate();
        caPem = ca.writePem(temp.resolve("emulator-ca.pem"));
        freePort = DeviceMqttListener.builder().host("127.0.0.1").port(0).certificateAuthority(ca).start();
        on8883 = DeviceMqttListener.builder().host(LoopbackHosts.withFree8883()).certificateAuthority(ca).start();
        // a hub named 127.0.0.1 on the free port, unless the 8883 listener fell back to that IP (not Linux)
        boolean ipHub = !IP_HUB.equals(on8883.host());
        IotHubEmulator.Builder hubsBuilder = IotHubEmulator.builder().hub(HUB).certificateAuthority(ca).mqtt(freePort);
        hubs = (ipHub ? hubsBuilder.hub(IP_HUB) : hubsBuilder).start();
        loopbackHubs = IotHubEmulator.builder().hub(on8883.host()).certificateAuthority(ca).mqtt(on8883).start();
        webhook = new ScriptedWebhook();
        DpsEmulator.Builder builder = DpsEmulator.builder()
                .mqttListener(freePort)
                .certificateAuthority(ca)
                .linkedHub(hubs.hub(HUB), loopbackHubs.hub(on8883.host()));
        if (ipHub) {
            builder.linkedHub(hubs.hub(IP_HUB));
        }
        dps = builder
                .pollRetryAfterSeconds(1)
                .enrollment(Enrollment.group("node-custom", CUSTOM_KEY)
                                .customAllocation(webhook.url(), "2021-10-01")
                                .iotHubs(ipHub ? new String[]{HUB, IP_HUB} : new String[]{HUB}).build(),
                        Enrollment.group("node-static", STATIC_KEY).staticHub(on8883.host()).build())
                .start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{dps, webhook, loopbackHubs, hubs, on8883, freePort}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // best effort: the next one still closes
                }
            }
        }
    }

    static Map<String, String> settings(String registrationId, String groupKey) {
        return Map.of("PROVISIONING_HOST", freePort.address(),
                "PROVISIONING_IDSCOPE", dps.idScope(),
                "PROVISIONING_REGISTRATION_ID", registrationId,
                "PROVISIONING_SYMMETRIC_KEY", groupKey,
                "ADT_MODEL_ID", MODEL);
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static String rid(String topic) {
        Matcher matcher = RID.matcher(topic);
        assertThat(matcher.find()).as("a $rid in %s", topic).isTrue();
        return matcher.group(1);
    }

    @Test
    void aNodeDeviceRegistersWithAnObjectPayloadThroughTheWebhookAndSendsTelemetry() throws Exception {
        String registrationId = "node-thermostat-1";
        webhook.script(registrationId, Answer.assign(HUB, "{\"tags\":{\"dtmi\":\"thermostat\"}}",
                "{\"twinId\":\"twin-node-1\"}"));
        Map<String, String> settings = new java.util.HashMap<>(settings(registrationId, CUSTOM_KEY));
        settings.put("IOTHUB_GATEWAY_HOST", freePort.address());

        JsonNode out = node.registerAndSend(caPem, settings);

        assertThat(out.path("error").isMissingNode()).as("no error: %s", out).isTrue();
        JsonNode registration = out.path("registration");
        assertThat(registration.path("assignedHub").asText()).isEqualTo(HUB);
        assertThat(registration.path("deviceId").asText()).isEqualTo(registrationId);
        assertThat(registration.path("status").asText()).isEqualTo("assigned");
        assertThat(registration.path("payload")).as("the webhook's payload, as an object")
                .isEqualTo(json("{\"twinId\":\"twin-node-1\"}"));

        List<JsonNode> requests = webhook.requests(registrationId);
        assertThat(requests).hasSize(1);
        JsonNode devicePayload = requests.get(0).path("deviceRuntimeContext").path("payload");
        assertThat(devicePayload.isObject()).as("Node sends the payload as an object; DPS forwards it so").isTrue();
        assertThat(devicePayload).isEqualTo(json("{\"modelId\":\"" + MODEL + "\"}"));

        assertThat(hubs.registry().device(HUB, registrationId).orElseThrow().authentication().primaryKey())
                .as("the device exists in its hub with the key derived from the group key")
                .isEqualTo(ProvisioningSdk.derivedKey(CUSTOM_KEY, registrationId));
        assertThat(hubs.registry().device(HUB, registrationId).orElseThrow().tags())
                .containsEntry("dtmi", "thermostat");

        assertThat(out.path("sent").asBoolean()).isTrue();
        assertThat(hubs.hub(HUB).telemetry(registrationId)).singleElement().satisfies(t -> {
            assertThat(t.payloadAsString()).isEqualTo("{\"Temperature\":21.5}");
            assertThat(t.properties()).containsEntry("source", "node simulator");
            assertThat(t.systemProperties()).containsEntry("ct", "application/json").containsEntry("ce", "utf-8");
            assertThat(t.hubHostName()).isEqualTo(HUB);
        });

        // Node's $rid is a uuid per request, and it drops any reply whose $rid it did not send
        List<String> sentRids = new ArrayList<>();
        for (JsonNode published : out.path("dpsPublished")) {
            String rid = rid(published.path("topic").asText());
            assertThat(rid).matches(UUID);
            sentRids.add(rid);
        }
        assertThat(out.path("dpsPublished").get(0).path("topic").asText())
                .startsWith("$dps/registrations/PUT/iotdps-register/?$rid=");
        List<JsonNode> polls = new ArrayList<>();
        out.path("dpsPublished").forEach(polls::add);
        assertThat(polls.remove(0).path("topic").asText()).contains("iotdps-register");
        assertThat(polls).isNotEmpty().allSatisfy(poll -> {
            assertThat(poll.path("topic").asText()).startsWith("$dps/registrations/GET/iotdps-get-operationstatus/");
            assertThat(poll.path("payload").asText()).as("Node polls with a one-space body").isEqualTo(" ");
        });
        List<String> receivedRids = new ArrayList<>();
        for (JsonNode received : out.path("dpsReceived")) {
            assertThat(received.asText()).matches("\\$dps/registrations/res/\\d{3}/\\?\\$rid=[^&]+(&retry-after=\\d+)?");
            receivedRids.add(rid(received.asText()));
        }
        // (the emulator may send a reply again after 3 s of silence, for the Java client; Node drops such copies)
        assertThat(new java.util.LinkedHashSet<>(receivedRids)).as("each reply echoes its request's $rid")
                .containsExactlyElementsOf(sentRids);
        assertThat(out.path("dpsReceived").get(0).asText()).contains("/res/202/").endsWith("&retry-after=1");
    }

    @Test
    void aNodeDeviceDialsTheAssignedHubOn8883ExactlyAsDpsNamedIt() throws Exception {
        String registrationId = "node-thermostat-2";

        JsonNode out = node.registerAndSend(caPem, settings(registrationId, STATIC_KEY));

        assertThat(out.path("error").isMissingNode()).as("no error: %s", out).isTrue();
        assertThat(out.path("registration").path("assignedHub").asText()).isEqualTo(on8883.host());
        assertThat(out.path("registration").has("payload")).as("no webhook, no payload").isFalse();
        assertThat(loopbackHubs.registry().device(on8883.host(), registrationId).orElseThrow()
                .authentication().primaryKey()).isEqualTo(ProvisioningSdk.derivedKey(STATIC_KEY, registrationId));
        assertThat(loopbackHubs.hub(on8883.host()).telemetry(registrationId))
                .extracting(TelemetryMessage::payloadAsString).containsExactly("{\"Temperature\":21.5}");
    }

    @Test
    void aNodeDeviceDialsHostNameWithAPortAndSignsForHostAndPort() throws Exception {
        assumeTrue(hubs.hubs().stream().anyMatch(h -> h.hostName().equals(IP_HUB)),
                "the 8883 listener took 127.0.0.1 (no loopback aliases on this OS)");
        String registrationId = "node-thermostat-3";
        webhook.script(registrationId, Answer.assign(IP_HUB, null, null));
        Map<String, String> settings = new java.util.HashMap<>(settings(registrationId, CUSTOM_KEY));
        settings.put("IOTHUB_PORT", Integer.toString(freePort.port()));

        JsonNode out = node.registerAndSend(caPem, settings);

        assertThat(out.path("error").isMissingNode()).as("no error: %s", out).isTrue();
        assertThat(out.path("registration").path("assignedHub").asText()).isEqualTo(IP_HUB);
        assertThat(hubs.hub(IP_HUB).telemetry(registrationId)).singleElement()
                .satisfies(t -> assertThat(t.hubHostName()).isEqualTo(IP_HUB));
    }

    @Test
    void aNodeDeviceKeepsPollingWhileDpsRetriesAThrottledWebhook() throws Exception {
        String registrationId = "node-thermostat-4";
        webhook.script(registrationId, Answer.of(429, "{\"message\":\"slow down\"}"),
                Answer.assign(HUB, null, "{\"attempt\":2}"));

        Map<String, String> settings = new java.util.HashMap<>(settings(registrationId, CUSTOM_KEY));
        settings.put("IOTHUB_GATEWAY_HOST", freePort.address());

        JsonNode out = node.registerAndSend(caPem, settings);

        assertThat(out.path("registration").path("assignedHub").asText()).as("%s", out).isEqualTo(HUB);
        assertThat(out.path("registration").path("payload")).isEqualTo(json("{\"attempt\":2}"));
        assertThat(webhook.rawRequests(registrationId)).hasSize(2);
        assertThat(out.path("dpsReceived")).last().satisfies(topic ->
                assertThat(topic.asText()).startsWith("$dps/registrations/res/200/?$rid="));
        assertThat(out.path("sent").asBoolean()).as("%s", out).isTrue();
        assertThat(hubs.hub(HUB).telemetry(registrationId)).hasSize(1);
    }

    @Test
    void aNodeDeviceWithAKeyNotDerivedFromTheGroupKeyIsRefusedWithUnauthorized() throws Exception {
        String registrationId = "node-intruder";
        webhook.script(registrationId, Answer.assign(HUB, null, null));

        JsonNode out = node.registerAndSend(caPem, settings(registrationId, DeviceAuthentication.randomKey()));

        assertThat(out.path("stage").asText()).isEqualTo("register");
        assertThat(out.path("error").path("name").asText()).isEqualTo("UnauthorizedError");
        assertThat(out.path("dpsReceived")).isNotEmpty().allSatisfy(topic ->
                assertThat(topic.asText()).startsWith("$dps/registrations/res/401/?$rid="));
        assertThat(webhook.rawRequests(registrationId)).isEmpty();
        assertThat(hubs.registry().device(HUB, registrationId)).isEmpty();
        assertThat(dps.registration(registrationId)).isEmpty();
    }
}
