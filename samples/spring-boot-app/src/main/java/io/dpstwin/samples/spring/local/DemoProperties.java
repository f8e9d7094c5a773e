package io.dpstwin.samples.spring.local;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code demo.*} settings of the local profile. */
@ConfigurationProperties(prefix = "demo")
public class DemoProperties {

    /** The port of the in-process ADT emulator; 0 picks a free one (printed at start). */
    private int emulatorPort;

    /** How many simulated devices register; 0 runs no simulation and just serves. */
    private int fleetSize = 20;

    /** Whether the application exits when the simulation is done (status 0 only if every outcome matched). */
    private boolean exit;

    /**
     * The address of the devices' MQTT listener (DPS and both hubs), port 8883: the Java device SDKs always dial
     * 8883. Another loopback address (e.g. {@code 127.0.0.2} on Linux) when 127.0.0.1:8883 is taken.
     */
    private String mqttHost = "127.0.0.1";

    /** How the fleet's thermostats talk to DPS: {@code https} (the default) or {@code mqtt}. */
    private DpsTransport dpsTransport = DpsTransport.HTTPS;

    /** Where to write the connection file (JSON: CA, ADT, DPS, hubs) once everything listens; unset: none. */
    private String connectionFile;

    /** How DPS is dialled by the fleet's devices. */
    public enum DpsTransport {
        /** HTTPS on the DPS emulator's own port. */
        HTTPS,
        /** MQTT over TLS on the shared listener, port 8883. */
        MQTT
    }

    public int getEmulatorPort() {
        return emulatorPort;
    }

    public void setEmulatorPort(int emulatorPort) {
        this.emulatorPort = emulatorPort;
    }

    public int getFleetSize() {
        return fleetSize;
    }

    public void setFleetSize(int fleetSize) {
        this.fleetSize = fleetSize;
    }

    public String getMqttHost() {
        return mqttHost;
    }

    public void setMqttHost(String mqttHost) {
        this.mqttHost = mqttHost;
    }

    public DpsTransport getDpsTransport() {
        return dpsTransport;
    }

    public void setDpsTransport(DpsTransport dpsTransport) {
        this.dpsTransport = dpsTransport;
    }

    public String getConnectionFile() {
        return connectionFile;
    }

    public void setConnectionFile(String connectionFile) {
        this.connectionFile = connectionFile;
    }

    public boolean isExit() {
        return exit;
    }

    public void setExit(boolean exit) {
        this.exit = exit;
    }
}
