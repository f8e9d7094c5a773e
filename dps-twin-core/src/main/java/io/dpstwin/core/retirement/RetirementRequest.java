package io.dpstwin.core.retirement;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link RetirementPolicy} is asked to retire: the digital twin and the device deletion that led to it.
 *
 * @param twinId             the digital twin to retire
 * @param deviceId           the IoT Hub device that was deleted
 * @param hubName            the hub the device was deleted from, when the event named it
 * @param operationTimestamp when IoT Hub deleted the device, when known
 * @param eventId            the id of the lifecycle event, when known (for logs and audit properties)
 */
public record RetirementRequest(String twinId, String deviceId, String hubName, Instant operationTimestamp,
                                String eventId) {

    public RetirementRequest {
        Objects.requireNonNull(twinId, "twinId");
        Objects.requireNonNull(deviceId, "deviceId");
    }

    /** A request for {@code twinId} of {@code deviceId}, without event details. */
    public static RetirementRequest of(String twinId, String deviceId) {
        return new RetirementRequest(twinId, deviceId, null, null, null);
    }
}
