package io.dpstwin.testkit.dps;

/**
 * The three reprovisioning policies of the DPS portal and the {@code reprovisionPolicy} booleans they map to.
 *
 * @see <a href="https://learn.microsoft.com/azure/iot-dps/concepts-device-reprovision">DPS reprovisioning</a>
 */
public enum ReprovisionPolicy {
    /** "Reprovision and migrate data" (the default): {@code updateHubAssignment=true, migrateDeviceData=true}. */
    REPROVISION_AND_MIGRATE_DATA,
    /** "Reprovision and reset to initial config": {@code updateHubAssignment=true, migrateDeviceData=false}. */
    REPROVISION_AND_RESET,
    /**
     * "Never reprovision": {@code updateHubAssignment=false} ({@code migrateDeviceData} is then ignored by DPS and
     * emitted as {@code false}). On re-registration DPS puts only the current hub in {@code linkedHubs}.
     */
    NEVER_REPROVISION;

    /** The {@code updateHubAssignment} flag. */
    public boolean updateHubAssignment() {
        return this != NEVER_REPROVISION;
    }

    /** The {@code migrateDeviceData} flag. */
    public boolean migrateDeviceData() {
        return this == REPROVISION_AND_MIGRATE_DATA;
    }
}
