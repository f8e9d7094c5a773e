package io.dpstwin.samples.spring.local;

import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;

import java.util.Objects;

/**
 * The device side of the local demo, as a device and an operator see it: the DPS emulator with the fleet's
 * enrollment group, the two emulated IoT hubs (their registry API over HTTPS for {@code RegistryClient}), the address
 * devices dial on port 8883 ({@code GatewayHostName}), how devices talk to DPS, the CA every emulator's TLS
 * certificate comes from, and the enrollment group's key (devices derive theirs from it).
 *
 * @param emulators    the DPS emulator, the IoT hub emulator and the CA of their certificates
 * @param gateway      the address of the shared MQTT listener (port 8883)
 * @param dpsTransport how the fleet registers: HTTPS or MQTT
 * @param groupKey     the primary key of the enrollment group (Base64)
 */
public record DeviceSide(DemoRunner.Emulators emulators, String gateway, DemoProperties.DpsTransport dpsTransport,
                         String groupKey) {

    public DeviceSide {
        Objects.requireNonNull(emulators, "emulators");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(dpsTransport, "dpsTransport");
        Objects.requireNonNull(groupKey, "groupKey");
    }

    /** The emulated hub with that host name. */
    public EmulatedIotHub hub(String hostName) {
        return emulators.hubs().hub(hostName);
    }
}
