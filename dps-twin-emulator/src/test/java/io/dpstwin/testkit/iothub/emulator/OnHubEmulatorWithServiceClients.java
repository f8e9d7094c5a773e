package io.dpstwin.testkit.iothub.emulator;

import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The set-up of the tests that drive the hub emulator with the official service clients: two hubs, the emulator's
 * CA trusted by the service clients, and {@link #hub} ({@link #HUB}) to talk to.
 */
abstract class OnHubEmulatorWithServiceClients {

    static final String HUB = "contoso-hub-1.azure-devices.net";
    static final String OTHER_HUB = "contoso-hub-2.azure-devices.net";

    static IotHubEmulator emulator;
    static EmulatedIotHub hub;
    RegistryClient registry;

    @BeforeAll
    static void start() {
        emulator = IotHubEmulator.builder().hub(HUB).hub(OTHER_HUB).start();
        emulator.trustForServiceClients();
        hub = emulator.hub(HUB);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }
}
