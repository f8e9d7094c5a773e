package io.dpstwin.testkit.dps.emulator;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;
import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The DPS emulator example of docs/testing.md: the official Java SDK over MQTT and over HTTPS. */
@Execution(ExecutionMode.CONCURRENT)
class DpsEmulatorExampleTest {

    @Test
    void theJavaSdkRegistersOverMqttAndHttps() throws Exception {
        String groupKey = DeviceAuthentication.randomKey();
        String loopback = LoopbackHosts.withFree8883();   // "127.0.0.1", or a 127.x.y.z of this test's own on Linux
        // tag::dps-emulator[]
        InMemoryLinkedHub hub = new InMemoryLinkedHub("hub-1.azure-devices.net");
        try (DpsEmulator dps = DpsEmulator.builder()
                .mqttHost(loopback)                      // MQTT on <loopback>:8883, the port the Java SDK dials
                .linkedHub(hub)                          // or the IoT hub emulator's hubs
                .enrollment(Enrollment.group("thermostats", groupKey).hashed().build())
                .start()) {                              // HTTPS on a free port
            String registrationId = "thermostat-1";
            byte[] deviceKey = SecurityProviderSymmetricKey.ComputeDerivedSymmetricKey(
                    groupKey.getBytes(StandardCharsets.UTF_8), registrationId);
            SSLContext trust = dps.certificateAuthority().clientContext();
            SecurityProviderSymmetricKey security = new SecurityProviderSymmetricKey(deviceKey, registrationId) {
                @Override
                public SSLContext getSSLContext() {
                    return trust;                        // the SDK's hook to trust the emulator's CA
                }
            };

            ProvisioningDeviceClient overMqtt = ProvisioningDeviceClient.create(dps.globalEndpoint(),
                    dps.idScope(), ProvisioningDeviceClientTransportProtocol.MQTT, security);
            ProvisioningDeviceClientRegistrationResult first = overMqtt.registerDeviceSync();
            overMqtt.close();
            ProvisioningDeviceClient overHttps = ProvisioningDeviceClient.create(dps.httpsHost(),   // host:port
                    dps.idScope(), ProvisioningDeviceClientTransportProtocol.HTTPS, security);
            ProvisioningDeviceClientRegistrationResult again = overHttps.registerDeviceSync();
            overHttps.close();

            assertThat(first.getIothubUri()).isEqualTo("hub-1.azure-devices.net");
            assertThat(again.getDeviceId()).isEqualTo("thermostat-1");
            assertThat(hub.device("thermostat-1")).isPresent();  // created with the derived key
            assertThat(dps.registration("thermostat-1")).hasValueSatisfying(r -> assertThat(r.isAssigned()).isTrue());
        }
        // end::dps-emulator[]
    }
}
