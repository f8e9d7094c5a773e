package io.dpstwin.testkit.junit;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceClientException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import io.dpstwin.testkit.dps.DeviceKeys;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.iothub.emulator.TelemetryMessage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The programmatic {@link DpsEmulatorExtension} on one class-level set of emulators: what it injects, a registration
 * through {@code provisioning-device-client} over HTTPS, telemetry through {@code iot-device-client} on the loopback
 * hub, a deletion through {@code RegistryClient}, and {@link DeviceTraffic} seeing only the current test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DpsEmulatorExtensionTest {

    // tag::extension[]
    @RegisterExtension
    static DpsEmulatorExtension emulators = DpsEmulatorExtension.newInstance()
            .enrollmentGroup("thermostats")
            .configureDps(dps -> dps.idScope("0ne0000EXT1"))
            .build();
    // end::extension[]

    @Test
    @Order(1)
    void injectsTheEmulatorsOnOneCaAndReadyClients(DpsEmulator dps, IotHubEmulator hubs, EmulatedIotHub hub,
                                                   RegistryClient registry, ProvisioningClientFactory provisioning,
                                                   DeviceTraffic traffic, EmulatorCa ca) {
        assertThat(dps).isSameAs(emulators.dps());
        assertThat(dps.idScope()).isEqualTo("0ne0000EXT1");
        assertThat(hubs.hubs()).containsExactly(hub);
        assertThat(hub.hostName()).as("a loopback IP the device client can dial").startsWith("127.");
        assertThat(dps.linkedHubs()).containsOnlyKeys(hub.hostName());
        assertThat(dps.certificateAuthority()).isSameAs(ca).isSameAs(hubs.certificateAuthority());
        assertThat(dps.mqttListener().port()).isEqualTo(8883);
        assertThat(registry).isSameAs(emulators.registryClient());
        assertThat(provisioning.defaultGroup()).isEqualTo("thermostats");
        assertThat(provisioning.deviceKey("dev-x")).isEqualTo(DeviceKeys.derive(
                dps.enrollments().group("thermostats").orElseThrow().primaryKey(), "dev-x"));
        assertThat(traffic.telemetry()).isEmpty();
        assertThat(traffic.lifecycleEvents()).isEmpty();
    }

    // tag::flow[]
    @Test
    @Order(2)
    void aDeviceRegistersOverHttpsSendsTelemetryAndIsDeleted(ProvisioningClientFactory provisioning,
                                                             RegistryClient registry, DeviceTraffic traffic)
            throws Exception {
        ProvisioningDeviceClientRegistrationResult result = provisioning.register("ext-thermo-1");

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(emulators.hub().hostName());
        assertThat(registry.getDevice("ext-thermo-1").getPrimaryKey())
                .isEqualTo(provisioning.deviceKey("ext-thermo-1"));
        traffic.assertThatLifecycleEvents().containsCreated("ext-thermo-1").hasSize(1);

        DeviceClient device = provisioning.deviceClient(result);
        device.open(false);
        try {
            for (double temperature : new double[]{21.5, 22.0}) {
                CompletableFuture<IotHubClientException> sent = new CompletableFuture<>();
                device.sendEventAsync(new Message(("{\"Temperature\":" + temperature + "}")
                        .getBytes(StandardCharsets.UTF_8)), (m, e, context) -> sent.complete(e), null);
                assertThat(sent.get(30, TimeUnit.SECONDS)).as("acknowledged").isNull();
            }
        } finally {
            device.close();
        }
        traffic.assertThatTelemetry("ext-thermo-1", 2)
                .extracting(TelemetryMessage::payloadAsString)
                .containsExactly("{\"Temperature\":21.5}", "{\"Temperature\":22.0}");

        registry.removeDevice("ext-thermo-1");
        traffic.assertThatLifecycleEvents()
                .containsExactlyInOrder("createDeviceIdentity:ext-thermo-1", "deleteDeviceIdentity:ext-thermo-1");
    }
    // end::flow[]

    @Test
    @Order(3)
    void trafficSeesOnlyTheCurrentTest(DeviceTraffic traffic, RegistryClient registry) throws Exception {
        assertThat(emulators.hub().telemetry("ext-thermo-1")).as("the hub keeps it").hasSize(2);
        assertThat(traffic.telemetry("ext-thermo-1")).isEmpty();
        traffic.assertThatLifecycleEvents().isEmpty();

        registry.addDevice(new Device("ext-plain-1"));
        traffic.assertThatLifecycleEvents().containsCreated("ext-plain-1").hasNoEventOf("ext-thermo-1");
    }

    @Test
    @Order(4)
    void theAssertionsFailWithTheEventsAndTelemetryTheyFound(DeviceTraffic traffic, RegistryClient registry)
            throws Exception {
        registry.addDevice(new Device("ext-plain-2"));

        assertThatThrownBy(() -> traffic.assertThatLifecycleEvents().containsDeleted("ext-plain-2"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("deleteDeviceIdentity").hasMessageContaining("createDeviceIdentity:ext-plain-2");
        assertThatThrownBy(() -> traffic.assertThatLifecycleEvents().hasNoEventOf("ext-plain-2"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("createDeviceIdentity");
        assertThatThrownBy(() -> traffic.assertThatTelemetry("ext-plain-2", 1, Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("telemetry of ext-plain-2");
    }

    @Test
    @Order(5)
    void aWrongKeyIsRefusedAndNoDeviceIsCreated(ProvisioningClientFactory provisioning, DeviceTraffic traffic) {
        ProvisioningDeviceClient client = provisioning.create("ext-intruder",
                ProvisioningDeviceClientTransportProtocol.HTTPS, provisioning.deviceKey("someone-else"));
        try {
            assertThatThrownBy(client::registerDeviceSync).isInstanceOf(ProvisioningDeviceClientException.class);
        } finally {
            client.close();
        }
        assertThat(emulators.dps().registration("ext-intruder")).isEmpty();
        assertThat(emulators.hubs().registry().device(emulators.hub().hostName(), "ext-intruder")).isEmpty();
        assertThat(traffic.lifecycleEvents()).isEmpty();
    }
}
