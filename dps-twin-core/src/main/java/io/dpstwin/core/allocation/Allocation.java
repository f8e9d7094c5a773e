package io.dpstwin.core.allocation;

import io.dpstwin.core.twins.EnsuredTwin;

import java.util.Objects;

/**
 * The outcome of a successful allocation, as {@link DevicePayloadProvider} and logs see it.
 *
 * @param registrationId the device's registration id
 * @param deviceId       the IoT Hub device id DPS registers
 * @param iotHubHostName the chosen hub (the spelling of {@code linkedHubs})
 * @param twinId         the device twin's id
 * @param modelId        the model of the device twin as it stands (the existing one under KEEP)
 * @param twinOutcome    how find-or-create reached the twin
 * @param parentTwinId   the parent twin of the placement, or {@code null} when the twin was not placed
 */
public record Allocation(String registrationId, String deviceId, String iotHubHostName, String twinId,
                         String modelId, EnsuredTwin.Outcome twinOutcome, String parentTwinId) {

    public Allocation {
        Objects.requireNonNull(registrationId, "registrationId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(iotHubHostName, "iotHubHostName");
        Objects.requireNonNull(twinId, "twinId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(twinOutcome, "twinOutcome");
    }
}
