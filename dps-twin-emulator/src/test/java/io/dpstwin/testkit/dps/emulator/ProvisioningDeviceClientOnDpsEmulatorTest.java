package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientSubstatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceClientException;
import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceHubException;
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import io.dpstwin.testkit.dps.emulator.ScriptedWebhook.Answer;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.iothub.emulator.TelemetryMessage;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import io.dpstwin.testkit.registry.RegisteredDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The DPS emulator driven only through the official {@code provisioning-device-client} 2.1.3 with
 * {@code security-provider} 2.0.1, over MQTT (the shared listener on port 8883, which the Java client always dials,
 * on a loopback IP of this class's own) and over HTTPS ({@code host:port} as the global endpoint). The linked hubs
 * are IoT Hub emulator hubs on the same listener; the custom allocation webhook is a scripted HTTP server that
 * records what DPS sent it. Every registration takes at least the 2 s the Java client sleeps before each status
 * poll, so the tests run concurrently, each with registration ids of its own.
 */
@Execution(ExecutionMode.CONCURRENT)
class ProvisioningDeviceClientOnDpsEmulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HUB_1 = "hub-1.dps-sdk.test";
    static final String HUB_2 = "hub-2.dps-sdk.test";
    static final String HUB_3 = "hub-3.dps-sdk.test";
    static final String MODEL = "dtmi:com:example:Thermostat;1";

    static final String CUSTOM_KEY = DeviceAuthentication.randomKey();
    static final String RESET_KEY = DeviceAuthentication.randomKey();
    static final String NEVER_KEY = DeviceAuthentication.randomKey();
    static final String HASHED_KEY = DeviceAuthentication.randomKey();
    static final String STATIC_KEY = DeviceAuthentication.randomKey();
    static final String DISABLED_KEY = DeviceAuthentication.randomKey();
    static final String INDIVIDUAL_KEY = DeviceAuthentication.randomKey();
    static final String DIALABLE_KEY = DeviceAuthentication.randomKey();

    static EmulatorCa ca;
    static DeviceMqttListener mqtt;
    static IotHubEmulator hubs;
    static ScriptedWebhook webhook;
    static DpsEmulator dps;
    static ProvisioningSdk sdk;

    @BeforeAll
    static void start() {
        ca = EmulatorCa.generate();
        mqtt = DeviceMqttListener.builder().host(LoopbackHosts.withFree8883()).certificateAuthority(ca).start();
        // a fourth hub named after the listener's loopback IP: a host name the Java device client can dial
        hubs = IotHubEmulator.builder().hub(HUB_1).hub(HUB_2).hub(HUB_3).hub(mqtt.host()).certificateAuthority(ca)
                .mqtt(mqtt).start();
        webhook = new ScriptedWebhook();
        DpsEmulator.Builder builder = DpsEmulator.builder()
                .mqttListener(mqtt)
                .certificateAuthority(ca)
                .linkedHub(hubs.hub(HUB_1), hubs.hub(HUB_2), hubs.hub(HUB_3), hubs.hub(mqtt.host()))
                .webhookRetry(new DpsEmulator.WebhookRetry(2, Duration.ofMillis(100), Duration.ofMillis(100)))
                .enrollment(Enrollment.group("custom-migrate", CUSTOM_KEY)
                                .customAllocation(webhook.url(), "2021-10-01").iotHubs(HUB_1, HUB_2)
                                .reprovisionPolicy(ReprovisionPolicy.MIGRATE)
                                .initialTwin(json("{\"tags\":{\"source\":\"enrollment\"}}")).build(),
                        Enrollment.group("custom-reset", RESET_KEY)
                                .customAllocation(webhook.url(), "2021-10-01").iotHubs(HUB_1, HUB_2)
                                .reprovisionPolicy(ReprovisionPolicy.RESET).build(),
                        Enrollment.group("custom-never", NEVER_KEY)
                                .customAllocation(webhook.url(), "2021-10-01").iotHubs(HUB_1, HUB_2)
                                .reprovisionPolicy(ReprovisionPolicy.NEVER).build(),
                        Enrollment.group("hashed", HASHED_KEY).hashed().iotHubs(HUB_1, HUB_2, HUB_3).build(),
                        Enrollment.group("static", STATIC_KEY).staticHub(HUB_3)
                                .initialTwin(json("{\"tags\":{\"room\":\"lab\"},"
                                        + "\"properties\":{\"desired\":{\"interval\":30}}}")).build(),
                        Enrollment.group("disabled", DISABLED_KEY).hashed().enabled(false).build(),
                        Enrollment.group("dialable", DIALABLE_KEY).staticHub(mqtt.host()).build());
        for (ProvisioningDeviceClientTransportProtocol protocol : List.of(
                ProvisioningDeviceClientTransportProtocol.MQTT, ProvisioningDeviceClientTransportProtocol.HTTPS)) {
            builder.enrollment(Enrollment.individual(id("single", protocol), INDIVIDUAL_KEY)
                    .deviceId(id("single-device", protocol)).staticHub(HUB_2).build());
        }
        dps = builder.start();
        sdk = new ProvisioningSdk(dps);
    }

    @AfterAll
    static void stop() {
        dps.close();
        webhook.close();
        hubs.close();
        mqtt.close();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String id(String name, ProvisioningDeviceClientTransportProtocol protocol) {
        return name + "-" + protocol.name().toLowerCase(Locale.ROOT);
    }

    static ProvisioningDeviceClientRegistrationResult register(ProvisioningDeviceClientTransportProtocol protocol,
                                                               String registrationId, String groupKey,
                                                               String payload) throws Exception {
        return sdk.register(protocol, registrationId, ProvisioningSdk.derivedKey(groupKey, registrationId), payload);
    }

    static ProvisioningDeviceHubException registrationFailure(ProvisioningDeviceClientTransportProtocol protocol,
                                                              String registrationId, String groupKey) {
        return catchThrowableOfType(ProvisioningDeviceHubException.class,
                () -> register(protocol, registrationId, groupKey, null));
    }

    static Optional<RegisteredDevice> device(String hub, String deviceId) {
        return hubs.registry().device(hub, deviceId);
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void aFirstRegistrationWithAKeyDerivedFromTheGroupKeyIsAllocatedByTheWebhook(
            ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
        String registrationId = id("first", protocol);
        String devicePayload = "{\"modelId\":\"" + MODEL + "\"}";
        webhook.script(registrationId, Answer.assign(HUB_2,
                "{\"tags\":{\"dtmi\":\"thermostat\"},\"properties\":{\"desired\":{\"interval\":5}}}",
                "{\"twinId\":\"twin-1\",\"nested\":{\"n\":1}}"));

        ProvisioningDeviceClientRegistrationResult result = register(protocol, registrationId, CUSTOM_KEY,
                devicePayload);

        assertThat(result.getIothubUri()).isEqualTo(HUB_2);
        assertThat(result.getDeviceId()).isEqualTo(registrationId);
        assertThat(result.getRegistrationId()).isEqualTo(registrationId);
        assertThat(result.getStatus()).isEqualTo("assigned");
        assertThat(result.getSubstatus()).isEqualTo(ProvisioningDeviceClientSubstatus.INITIAL_ASSIGNMENT);
        assertThat(json(result.getProvisioningPayload()))
                .as("the webhook's payload in registrationState.payload")
                .isEqualTo(json("{\"twinId\":\"twin-1\",\"nested\":{\"n\":1}}"));

        RegisteredDevice device = device(HUB_2, registrationId).orElseThrow();
        assertThat(device.authentication().primaryKey())
                .isEqualTo(ProvisioningSdk.derivedKey(CUSTOM_KEY, registrationId));
        assertThat(device.tags()).containsEntry("dtmi", "thermostat");
        assertThat(device.desiredProperties()).containsEntry("interval", 5);
        assertThat(device(HUB_1, registrationId)).isEmpty();

        List<byte[]> raw = webhook.rawRequests(registrationId);
        assertThat(raw).hasSize(1);
        String body = new String(raw.get(0), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain(CUSTOM_KEY).doesNotContain("function-key");
        JsonNode request = json(body);
        assertThat(request.path("deviceRuntimeContext").path("payload").isTextual())
                .as("the Java SDK sends the payload as a JSON string; DPS forwards it as received").isTrue();
        assertThat(request.path("deviceRuntimeContext").path("payload").asText()).isEqualTo(devicePayload);
        assertThat(request.path("deviceRuntimeContext").path("registrationId").asText()).isEqualTo(registrationId);
        assertThat(request.path("deviceRuntimeContext").has("currentIotHubHostName")).isFalse();
        assertThat(request.path("enrollmentGroup").path("enrollmentGroupId").asText()).isEqualTo("custom-migrate");
        assertThat(request.path("linkedHubs")).containsExactlyInAnyOrder(
                JSON.getNodeFactory().textNode(HUB_1), JSON.getNodeFactory().textNode(HUB_2));
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void theAssignedDeviceConnectsToItsHubWithTheDerivedKeyAndSendsTelemetry(
            ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
        String registrationId = id("telemetry", protocol);
        String deviceKey = ProvisioningSdk.derivedKey(DIALABLE_KEY, registrationId);

        ProvisioningDeviceClientRegistrationResult result = sdk.register(protocol, registrationId, deviceKey, null);

        // what a device does next: dial the hub it was given, signing with the key it registered with
        DeviceClient device = new DeviceClient("HostName=" + result.getIothubUri() + ";DeviceId="
                + result.getDeviceId() + ";SharedAccessKey=" + deviceKey, IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(ca.clientContext()).build());
        device.open(false);
        try {
            CompletableFuture<IotHubClientException> sent = new CompletableFuture<>();
            device.sendEventAsync(new Message("{\"Temperature\":21.5}"), (m, e, context) -> sent.complete(e), null);
            assertThat(sent.get(30, TimeUnit.SECONDS)).as("acknowledged without error").isNull();
        } finally {
            device.close();
        }
        assertThat(hubs.hub(mqtt.host()).telemetry(registrationId)).extracting(TelemetryMessage::payloadAsString)
                .containsExactly("{\"Temperature\":21.5}");
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void anIndividualEnrollmentAssignsItsDeviceIdWithTheEnrollmentsKey(
            ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
        String registrationId = id("single", protocol);

        ProvisioningDeviceClientRegistrationResult result = sdk.register(protocol, registrationId, INDIVIDUAL_KEY,
                null);

        assertThat(result.getIothubUri()).isEqualTo(HUB_2);
        assertThat(result.getDeviceId()).isEqualTo(id("single-device", protocol));
        assertThat(result.getProvisioningPayload()).isNull();
        assertThat(device(HUB_2, id("single-device", protocol)).orElseThrow().authentication().primaryKey())
                .isEqualTo(INDIVIDUAL_KEY);
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void staticAndHashedPoliciesAssignWithoutAWebhookAndTheInitialTwinReachesTheHub(
            ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
        String fixed = id("static", protocol);
        String hashed = id("hashed", protocol);

        ProvisioningDeviceClientRegistrationResult onStatic = register(protocol, fixed, STATIC_KEY, null);
        ProvisioningDeviceClientRegistrationResult onHashed = register(protocol, hashed, HASHED_KEY, null);
        ProvisioningDeviceClientRegistrationResult again = register(protocol, hashed, HASHED_KEY, null);

        assertThat(onStatic.getIothubUri()).isEqualTo(HUB_3);
        RegisteredDevice device = device(HUB_3, fixed).orElseThrow();
        assertThat(device.tags()).containsEntry("room", "lab");
        assertThat(device.desiredProperties()).containsEntry("interval", 30);
        assertThat(onHashed.getIothubUri()).isIn(HUB_1, HUB_2, HUB_3);
        assertThat(again.getIothubUri()).as("hashing is stable").isEqualTo(onHashed.getIothubUri());
        assertThat(device(onHashed.getIothubUri(), hashed)).isPresent();
        assertThat(webhook.rawRequests(fixed)).isEmpty();
        assertThat(webhook.rawRequests(hashed)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void reRegistrationOnTheSameHubCallsTheWebhookWithTheCurrentAssignment(
            ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
        String registrationId = id("again", protocol);
        webhook.script(registrationId, Answer.assign(HUB_1, null, null));

        register(protocol, registrationId, CUSTOM_KEY, null);
        ProvisioningDeviceClientRegistrationResult second = register(protocol, registrationId, CUSTOM_KEY, null);

        assertThat(second.getIothubUri()).isEqualTo(HUB_1);
        assertThat(second.getSubstatus()).isEqualTo(ProvisioningDeviceClientSubstatus.INITIAL_ASSIGNMENT);
        assertThat(device(HUB_1, registrationId)).isPresent();
        assertThat(device(HUB_2, registrationId)).isEmpty();
        List<JsonNode> requests = webhook.requests(registrationId);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).path("deviceRuntimeContext").path("currentIotHubHostName").asText())
                .isEqualTo(HUB_1);
        assertThat(requests.get(1).path("deviceRuntimeContext").path("currentDeviceId").asText())
                .isEqualTo(registrationId);
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void movingHubUnderMigrateTakesTheTwinAlong(ProvisioningDeviceClientTransportProtocol protocol)
            throws Exception {
        String registrationId = id("migrate", protocol);
        webhook.script(registrationId, Answer.assign(HUB_1, "{\"tags\":{\"v\":\"first\"}}", null),
                Answer.assign(HUB_2, "{\"tags\":{\"v\":\"ignored on migration\"}}", null));

        register(protocol, registrationId, CUSTOM_KEY, null);
        hubs.registry().replaceTwin(HUB_1, registrationId, Map.of("v", "changed on hub 1"), Map.of("d", 1));
        ProvisioningDeviceClientRegistrationResult moved = register(protocol, registrationId, CUSTOM_KEY, null);

        assertThat(moved.getIothubUri()).isEqualTo(HUB_2);
        assertThat(moved.getSubstatus()).isEqualTo(ProvisioningDeviceClientSubstatus.DEVICE_DATA_MIGRATED);
        assertThat(device(HUB_1, registrationId)).as("gone from the old hub").isEmpty();
        RegisteredDevice device = device(HUB_2, registrationId).orElseThrow();
        assertThat(device.tags()).containsEntry("v", "changed on hub 1");
        assertThat(device.desiredProperties()).containsEntry("d", 1);
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void movingHubUnderResetWritesTheInitialTwin(ProvisioningDeviceClientTransportProtocol protocol)
            throws Exception {
        String registrationId = id("reset", protocol);
        webhook.script(registrationId, Answer.assign(HUB_1, "{\"tags\":{\"v\":\"first\"}}", null),
                Answer.assign(HUB_2, "{\"tags\":{\"v\":\"initial again\"}}", null));

        register(protocol, registrationId, RESET_KEY, null);
        hubs.registry().replaceTwin(HUB_1, registrationId, Map.of("v", "changed on hub 1"), Map.of());
        ProvisioningDeviceClientRegistrationResult moved = register(protocol, registrationId, RESET_KEY, null);

        assertThat(moved.getIothubUri()).isEqualTo(HUB_2);
        assertThat(moved.getSubstatus()).isEqualTo(ProvisioningDeviceClientSubstatus.DEVICE_DATA_RESET);
        assertThat(device(HUB_1, registrationId)).isEmpty();
        assertThat(device(HUB_2, registrationId).orElseThrow().tags()).containsEntry("v", "initial again");
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void neverReprovisionKeepsTheDeviceOnItsHubAndOffersTheWebhookOnlyThatHub(
            ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
        String registrationId = id("never", protocol);
        // the webhook picks the last linked hub it is offered
        webhook.script(registrationId, new Answer(200, request -> {
            JsonNode linked = request.path("linkedHubs");
            return "{\"iotHubHostName\":\"" + linked.get(linked.size() - 1).asText() + "\"}";
        }));

        ProvisioningDeviceClientRegistrationResult first = register(protocol, registrationId, NEVER_KEY, null);
        ProvisioningDeviceClientRegistrationResult second = register(protocol, registrationId, NEVER_KEY, null);

        assertThat(first.getIothubUri()).isEqualTo(HUB_2);
        assertThat(second.getIothubUri()).isEqualTo(HUB_2);
        List<JsonNode> requests = webhook.requests(registrationId);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).path("linkedHubs")).containsExactly(JSON.getNodeFactory().textNode(HUB_2));
        assertThat(device(HUB_1, registrationId)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void aWrongKeyIsRefusedAndRegistersNothing(ProvisioningDeviceClientTransportProtocol protocol) {
        String registrationId = id("intruder", protocol);
        webhook.script(registrationId, Answer.assign(HUB_1, null, null));

        assertThatThrownBy(() -> sdk.register(protocol, registrationId, DeviceAuthentication.randomKey(), null))
                .isInstanceOf(ProvisioningDeviceClientException.class)
                .satisfies(e -> assertThat(causes(e)).contains("401"));

        assertThat(dps.registration(registrationId)).isEmpty();
        assertThat(webhook.rawRequests(registrationId)).isEmpty();
        assertThat(device(HUB_1, registrationId)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void aDisabledEnrollmentEndsDisabled(ProvisioningDeviceClientTransportProtocol protocol) {
        String registrationId = id("off", protocol);

        ProvisioningDeviceHubException e = registrationFailure(protocol, registrationId, DISABLED_KEY);

        assertThat(e).isNotNull();
        assertThat(dps.registration(registrationId)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo("disabled");
            assertThat(r.isAssigned()).isFalse();
        });
        assertThat(hubs.hubs()).allSatisfy(hub -> assertThat(device(hub.hostName(), registrationId)).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void aWebhookAnswering400FailsTheRegistrationWithoutRetry(ProvisioningDeviceClientTransportProtocol protocol) {
        String registrationId = id("webhook-400", protocol);
        webhook.script(registrationId, Answer.of(400, "{\"error\":\"no model\"}"));

        ProvisioningDeviceHubException e = registrationFailure(protocol, registrationId, CUSTOM_KEY);

        assertThat(e).isNotNull();
        assertThat(e.getErrorCode()).isEqualTo(400207);
        assertThat(webhook.rawRequests(registrationId)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void aWebhookAnswering429ThenOkIsRetriedAndAssigns(ProvisioningDeviceClientTransportProtocol protocol)
            throws Exception {
        String registrationId = id("webhook-429", protocol);
        webhook.script(registrationId, Answer.of(429, "{\"error\":\"throttled\"}"),
                Answer.assign(HUB_1, null, "{\"ok\":true}"));

        ProvisioningDeviceClientRegistrationResult result = register(protocol, registrationId, CUSTOM_KEY, null);

        assertThat(result.getIothubUri()).isEqualTo(HUB_1);
        assertThat(json(result.getProvisioningPayload())).isEqualTo(json("{\"ok\":true}"));
        assertThat(webhook.rawRequests(registrationId)).hasSize(2);
        assertThat(webhook.rawRequests(registrationId).get(1)).isEqualTo(webhook.rawRequests(registrationId).get(0));
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void aWebhookAnswering500UntilTheRetriesRunOutFailsTheRegistration(
            ProvisioningDeviceClientTransportProtocol protocol) {
        String registrationId = id("webhook-500", protocol);
        webhook.script(registrationId, Answer.of(500, "{\"error\":\"down\"}"));

        ProvisioningDeviceHubException e = registrationFailure(protocol, registrationId, CUSTOM_KEY);

        assertThat(e).isNotNull();
        assertThat(e.getErrorCode()).isEqualTo(400207);
        assertThat(webhook.rawRequests(registrationId)).as("the first call and 2 retries").hasSize(3);
        assertThat(device(HUB_1, registrationId)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void aWebhookNamingAHubOutsideLinkedHubsFailsTheRegistration(
            ProvisioningDeviceClientTransportProtocol protocol) {
        String registrationId = id("webhook-foreign", protocol);
        webhook.script(registrationId, Answer.assign(HUB_3, null, null));

        ProvisioningDeviceHubException e = registrationFailure(protocol, registrationId, CUSTOM_KEY);

        assertThat(e).isNotNull();
        assertThat(e.getErrorCode()).isEqualTo(400207);
        assertThat(device(HUB_3, registrationId)).as("HUB_3 is linked to DPS, not to the enrollment").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void aWebhookAnswering401OrNoHubFailsWithDpsCodes(ProvisioningDeviceClientTransportProtocol protocol) {
        String unauthorized = id("webhook-401", protocol);
        String noHub = id("webhook-nohub", protocol);
        webhook.script(unauthorized, Answer.of(401, ""));
        webhook.script(noHub, Answer.of(200, "{\"initialTwin\":{}}"));

        assertThat(registrationFailure(protocol, unauthorized, CUSTOM_KEY).getErrorCode()).isEqualTo(400209);
        assertThat(registrationFailure(protocol, noHub, CUSTOM_KEY).getErrorCode()).isEqualTo(400208);
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append(" | ");
        }
        return all.toString();
    }
}
