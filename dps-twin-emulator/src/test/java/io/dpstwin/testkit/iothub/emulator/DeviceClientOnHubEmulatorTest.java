package io.dpstwin.testkit.iothub.emulator;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Devices connect with the official {@code iot-device-client} 2.5.0 over MQTT to a hub on the shared MQTT listener
 * (port 8883, which the Java device client always dials) and send telemetry; bad credentials are refused and the hub
 * keeps serving other devices. The hub's host name is a loopback IP of its own (the Java device client needs a host
 * name with a dot, and concurrent builds need their own port 8883).
 */
class DeviceClientOnHubEmulatorTest {

    static EmulatorCa ca;
    static DeviceMqttListener mqtt;
    static IotHubEmulator emulator;
    static EmulatedIotHub hub;

    @BeforeAll
    static void start() {
        String host = LoopbackHosts.withFree8883();
        ca = EmulatorCa.generate();
        mqtt = DeviceMqttListener.builder().host(host).certificateAuthority(ca).start();
        emulator = IotHubEmulator.builder()
                .hub(IotHubSpec.of(host).name("loopback-hub"))
                .certificateAuthority(ca)
                .mqtt(mqtt)
                .start();
        hub = emulator.hub(host);
    }

    @AfterAll
    static void stop() {
        emulator.close();
        mqtt.close();
    }

    private static DeviceClient client(String connectionString) {
        return new DeviceClient(connectionString, IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(ca.clientContext()).build());
    }

    @Test
    void aDeviceOpensAndSendsTelemetryThatTheHubRecords() throws Exception {
        emulator.registry().createDevice(hub.hostName(), "thermo-1", null, true, null, null, null, null);
        DeviceClient device = client(hub.deviceConnectionString("thermo-1"));
        Message message = new Message("{\"Temperature\":21.5}".getBytes(StandardCharsets.UTF_8));
        message.setContentType("application/json");
        message.setContentEncoding("utf-8");
        message.setProperty("unit", "°C and more");

        device.open(false);
        try {
            assertThat(hub.isConnected("thermo-1", null)).isTrue();
            CompletableFuture<IotHubClientException> sent = new CompletableFuture<>();
            device.sendEventAsync(message, (m, e, context) -> sent.complete(e), null);
            assertThat(sent.get(30, TimeUnit.SECONDS)).as("acknowledged without error").isNull();
        } finally {
            device.close();
        }

        assertThat(hub.telemetry("thermo-1")).singleElement().satisfies(t -> {
            assertThat(t.payloadAsString()).isEqualTo("{\"Temperature\":21.5}");
            assertThat(t.properties()).containsEntry("unit", "°C and more");
            assertThat(t.systemProperties()).containsEntry("ct", "application/json").containsEntry("ce", "utf-8")
                    .containsEntry("cdid", "thermo-1");
            assertThat(t.messageId()).contains(message.getMessageId());
            assertThat(t.hubHostName()).isEqualTo(hub.hostName());
        });
    }

    @Test
    void aWrongKeyOrAnUnknownOrDisabledDeviceIsRefusedAndOthersStillConnect() throws Exception {
        emulator.registry().createDevice(hub.hostName(), "thermo-2", null, true, null, null, null, null);
        emulator.registry().createDevice(hub.hostName(), "thermo-off", null, false, "retired", null, null, null);
        String wrongKey = "HostName=" + hub.hostName() + ";DeviceId=thermo-2;SharedAccessKey="
                + DeviceAuthentication.randomKey();
        String unknown = "HostName=" + hub.hostName() + ";DeviceId=ghost;SharedAccessKey="
                + DeviceAuthentication.randomKey();

        for (String connectionString : new String[]{wrongKey, unknown,
                hub.deviceConnectionString("thermo-off")}) {
            DeviceClient intruder = client(connectionString);
            assertThatThrownBy(() -> intruder.open(false)).isInstanceOf(IotHubClientException.class);
            intruder.close();
        }

        DeviceClient device = client(hub.deviceConnectionString("thermo-2"));
        device.open(false);
        try {
            CompletableFuture<IotHubClientException> sent = new CompletableFuture<>();
            device.sendEventAsync(new Message("ok"), (m, e, context) -> sent.complete(e), null);
            assertThat(sent.get(30, TimeUnit.SECONDS)).isNull();
        } finally {
            device.close();
        }
        assertThat(hub.telemetry("thermo-2")).extracting(TelemetryMessage::payloadAsString).containsExactly("ok");
        assertThat(hub.telemetry("ghost")).isEmpty();
    }
}
