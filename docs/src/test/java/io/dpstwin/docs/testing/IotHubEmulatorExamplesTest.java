package io.dpstwin.docs.testing;

import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.iothub.emulator.IotHubSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The IoT hub emulator examples of docs/testing.md. */
class IotHubEmulatorExamplesTest {

    @Test
    void registryClientAndLifecycleEvents() throws Exception {
        // tag::hub-emulator[]
        List<IotHubEvent> events = new CopyOnWriteArrayList<>();
        try (IotHubEmulator hubs = IotHubEmulator.builder()
                .hub("contoso-hub-1.azure-devices.net")                  // HTTPS on a free port, random owner key
                .hub(IotHubSpec.of("127.0.0.1").name("local-hub"))       // a host the Java device client can dial
                .start()) {
            hubs.trustForServiceClients();           // iot-service-client trusts only the JVM default
            hubs.onLifecycleEvent(events::add);       // Event Hubs-shaped and Event Grid renderings of each event
            EmulatedIotHub hub = hubs.hub("contoso-hub-1");
            RegistryClient registry = hub.registryClient();   // new RegistryClient("localhost:<port>", SAS credential)

            registry.addDevice(new Device("thermo-1"));
            registry.removeDevice("thermo-1");

            assertThat(hubs.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(events).extracting(e -> e.applicationProperties().get("opType"))
                    .containsExactly("createDeviceIdentity", "deleteDeviceIdentity");
            assertThat(events.get(1).eventGridEvent().get("eventType").asText())
                    .isEqualTo("Microsoft.Devices.DeviceDeleted");
        }
        // end::hub-emulator[]
    }
}
