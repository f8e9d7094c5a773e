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

    public boolean isExit() {
        return exit;
    }

    public void setExit(boolean exit) {
        this.exit = exit;
    }
}
