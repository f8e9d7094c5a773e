package io.dpstwin.testkit.dps.emulator;

/**
 * What DPS does when a registered device registers again
 * (https://learn.microsoft.com/azure/iot-dps/concepts-device-reprovision).
 *
 * @param updateHubAssignment whether the device may move to another hub (false: "never reprovision", the device
 *                            stays on its hub and the webhook's {@code linkedHubs} holds only that hub)
 * @param migrateDeviceData   when it may: true migrates the twin to the new hub ("reprovision and migrate data",
 *                            DPS's default); false removes the device from its hub and writes the initial twin
 *                            ("reprovision and reset to initial config"), even when the hub stays the same
 */
public record ReprovisionPolicy(boolean updateHubAssignment, boolean migrateDeviceData) {

    /** Reprovision and migrate data (the default). */
    public static final ReprovisionPolicy MIGRATE = new ReprovisionPolicy(true, true);
    /** Reprovision and reset to initial config. */
    public static final ReprovisionPolicy RESET = new ReprovisionPolicy(true, false);
    /** Never reprovision. */
    public static final ReprovisionPolicy NEVER = new ReprovisionPolicy(false, false);
}
