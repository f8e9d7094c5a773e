package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The enrollment's {@code reprovisionPolicy}: {@code true/true} is "reprovision and migrate data" (the DPS default),
 * {@code true/false} "reprovision and reset to initial config", {@code false} "never reprovision" (then
 * {@code linkedHubs} holds only the device's current hub).
 *
 * @param updateHubAssignment whether a re-registering device may move to another hub; {@code null} when absent
 * @param migrateDeviceData   whether the device's data moves with it; {@code null} when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReprovisionPolicy(Boolean updateHubAssignment, Boolean migrateDeviceData) {
}
