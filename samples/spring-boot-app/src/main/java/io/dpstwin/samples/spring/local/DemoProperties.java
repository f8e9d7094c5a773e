package io.dpstwin.samples.spring.local;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code demo.*} settings of the local profile, bound through the constructor.
 *
 * @param emulatorPort   the port of the in-process ADT emulator; 0 picks a free one (printed at start)
 * @param fleetSize      how many simulated devices register; 0 runs no simulation and just serves
 * @param exit           whether the application exits when the simulation is done (status 0 only if every outcome
 *                       matched)
 * @param mqttHost       the address of the devices' MQTT listener (DPS and both hubs), port 8883: the Java device
 *                       SDKs always dial 8883. Another loopback address (e.g. {@code 127.0.0.2} on Linux) when
 *                       127.0.0.1:8883 is taken
 * @param dpsTransport   how the fleet's thermostats talk to DPS: {@code https} (the default) or {@code mqtt}
 * @param connectionFile where to write the connection file (JSON: CA, ADT, DPS, hubs) once everything listens;
 *                       unset: none
 */
@ConfigurationProperties(prefix = "demo")
public record DemoProperties(int emulatorPort, @DefaultValue("20") int fleetSize, boolean exit,
                             @DefaultValue("127.0.0.1") String mqttHost,
                             @DefaultValue("HTTPS") DpsTransport dpsTransport, String connectionFile) {

    /** How DPS is dialled by the fleet's devices. */
    public enum DpsTransport {
        /** HTTPS on the DPS emulator's own port. */
        HTTPS,
        /** MQTT over TLS on the shared listener, port 8883. */
        MQTT
    }
}
