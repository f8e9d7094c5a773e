package io.dpstwin.testkit.junit;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The declarative {@link DpsEmulatorTest}: extra hubs and enrollment groups from the annotation, MQTT on a free port
 * (HTTPS registrations only), one set of emulators shared with {@code @Nested} classes.
 */
@DpsEmulatorTest(hubs = "hub-2.example.test", enrollmentGroups = {"first", "second"}, mqttPort = 0)
class DpsEmulatorTestAnnotationTest {

    static DpsEmulator seen;

    @Test
    void startsTheConfiguredHubsAndGroups(DpsEmulator dps, IotHubEmulator hubs, ProvisioningClientFactory provisioning) {
        seen = dps;
        assertThat(hubs.hubs()).extracting(EmulatedIotHub::hostName).hasSize(2).contains("hub-2.example.test");
        assertThat(dps.linkedHubs()).hasSize(2);
        assertThat(dps.enrollments().groups()).extracting(g -> g.id()).containsExactlyInAnyOrder("first", "second");
        assertThat(dps.mqttListener().port()).isNotEqualTo(8883);
        assertThat(provisioning.defaultGroup()).isEqualTo("first");
    }

    @Test
    void registersOverHttpsOnAHashedHub(ProvisioningClientFactory provisioning, IotHubEmulator hubs,
                                        DeviceTraffic traffic) {
        ProvisioningDeviceClientRegistrationResult result = provisioning.register("annotated-1");

        assertThat(hubs.hub(result.getIothubUri()).sharedAccessKeyName()).isEqualTo("iothubowner");
        assertThat(hubs.registry().device(result.getIothubUri(), "annotated-1")).isPresent();
        traffic.assertThatLifecycleEvents().containsCreated("annotated-1");
    }

    @Nested
    class WithinANestedClass {
        @Test
        void sharesTheEmulatorsWithNestedClasses(DpsEmulator dps) {
            assertThat(dps.enrollments().group("second")).isPresent();
            if (seen != null) {
                assertThat(dps).isSameAs(seen);
            }
        }
    }
}
