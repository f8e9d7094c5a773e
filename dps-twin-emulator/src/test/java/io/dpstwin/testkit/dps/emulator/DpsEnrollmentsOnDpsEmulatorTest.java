package io.dpstwin.testkit.dps.emulator;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceHubException;
import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol.HTTPS;
import static com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol.MQTT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Enrollments from a file in the DPS service API's shape and changed in code while the emulator runs, seen by
 * devices registering through the official Java SDK.
 */
@Execution(ExecutionMode.CONCURRENT)
class DpsEnrollmentsOnDpsEmulatorTest {

    @Test
    void enrollmentsFromAFileAndChangedInCodeDecideTheRegistrations(@TempDir Path dir) throws Exception {
        String groupKey = DeviceAuthentication.randomKey();
        String deviceKey = DeviceAuthentication.randomKey();
        Path file = dir.resolve("enrollments.json");
        Files.writeString(file, """
                {"enrollmentGroups": [{"enrollmentGroupId": "from-file",
                    "attestation": {"type": "symmetricKey", "symmetricKey": {"primaryKey": "%s"}},
                    "provisioningStatus": "enabled", "allocationPolicy": "static", "iotHubs": ["hub-b.file.test"],
                    "initialTwin": {"tags": {"source": "file"}}}],
                 "individualEnrollments": [{"registrationId": "file-device", "deviceId": "file-device-id",
                    "attestation": {"type": "symmetricKey", "symmetricKey": {"primaryKey": "%s"}},
                    "allocationPolicy": "hashed"}]}
                """.formatted(groupKey, deviceKey));
        InMemoryLinkedHub hubA = new InMemoryLinkedHub("hub-a.file.test");
        InMemoryLinkedHub hubB = new InMemoryLinkedHub("hub-b.file.test");
        try (DpsEmulator dps = DpsEmulator.builder().mqttHost(LoopbackHosts.withFree8883())
                .linkedHub(hubA, hubB).enrollmentsFile(file).start()) {
            ProvisioningSdk sdk = new ProvisioningSdk(dps);

            ProvisioningDeviceClientRegistrationResult grouped = sdk.register(MQTT, "grouped-1",
                    ProvisioningSdk.derivedKey(groupKey, "grouped-1"), null);
            ProvisioningDeviceClientRegistrationResult individual = sdk.register(HTTPS, "file-device", deviceKey,
                    null);

            assertThat(grouped.getIothubUri()).isEqualTo("hub-b.file.test");
            assertThat(hubB.twin("grouped-1")).hasValueSatisfying(
                    twin -> assertThat(twin.path("tags").path("source").asText()).isEqualTo("file"));
            assertThat(individual.getDeviceId()).isEqualTo("file-device-id");
            assertThat(individual.getIothubUri()).isIn("hub-a.file.test", "hub-b.file.test");

            dps.enrollments().setGroupEnabled("from-file", false);
            String codeKey = DeviceAuthentication.randomKey();
            dps.enrollments().put(Enrollment.group("from-code", codeKey).staticHub("hub-a.file.test").build());

            assertThatThrownBy(() -> sdk.register(MQTT, "grouped-2", ProvisioningSdk.derivedKey(groupKey,
                    "grouped-2"), null)).isInstanceOf(ProvisioningDeviceHubException.class);
            assertThat(dps.registration("grouped-2")).hasValueSatisfying(
                    r -> assertThat(r.status()).isEqualTo("disabled"));
            assertThat(sdk.register(MQTT, "coded-1", ProvisioningSdk.derivedKey(codeKey, "coded-1"), null)
                    .getIothubUri()).isEqualTo("hub-a.file.test");
        }
    }

    @Test
    void aBrokenFileIsRefusedNamingTheEnrollmentAndTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, """
                {"enrollmentGroups": [{"enrollmentGroupId": "two-static-hubs",
                    "attestation": {"type": "symmetricKey", "symmetricKey": {"primaryKey": "%s"}},
                    "allocationPolicy": "static", "iotHubs": ["a.test", "b.test"]}]}
                """.formatted(DeviceAuthentication.randomKey()));

        assertThatThrownBy(() -> DpsEmulator.builder().enrollmentsFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two-static-hubs")
                .hasMessageContaining("iotHubs");
    }
}
