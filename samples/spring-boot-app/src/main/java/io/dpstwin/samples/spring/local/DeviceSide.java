package io.dpstwin.samples.spring.local;

import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;

import java.util.Objects;

/**
 * The device side of the local demo, as a device and an operator see it: the DPS emulator with the fleet's
 * enrollment group, the two emulated IoT hubs (their registry API over HTTPS for {@code RegistryClient}), the address
 * devices dial on port 8883 ({@code GatewayHostName}), how devices talk to DPS, the CA every emulator's TLS
 * certificate comes from, and the enrollment group's key (devices derive theirs from it).
 *
 * @param dps         the DPS emulator
 * @param hubs        the IoT hub emulator
 * @param ca          the CA of the DPS and hub certificates
 * @param gateway     the address of the shared MQTT listener (port 8883)
 * @param dpsTransport how the fleet registers: HTTPS or MQTT
 * @param groupKey    the primary key of the enrollment group (Base64)
 */
public record DeviceSide(DpsEmulator dps, IotHubEmulator hubs, EmulatorCa ca, String gateway,
                         DemoProperties.DpsTransport dpsTransport, String groupKey) {

    public DeviceSide {
        Objects.requireNonNull(dps, "dps");
        Objects.requireNonNull(hubs, "hubs");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(dpsTransport, "dpsTransport");
        Objects.requireNonNull(groupKey, "groupKey");
    }

    /** The emulated hub with that host name. */
    public EmulatedIotHub hub(String hostName) {
        return hubs.hub(hostName);
    }
}
