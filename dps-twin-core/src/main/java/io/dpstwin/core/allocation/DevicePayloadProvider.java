package io.dpstwin.core.allocation;

import java.util.Map;

/**
 * The {@code payload} returned to the device in the allocation answer (the device reads it at
 * {@code registrationState.payload}). DPS returns it on every assignment, first or not.
 */
@FunctionalInterface
public interface DevicePayloadProvider {

    /** The payload for the device, or {@code null} / an empty map to send none. */
    Map<String, Object> payloadFor(Allocation allocation, AllocationRequest request);

    /** No payload (the reference behaviour). */
    static DevicePayloadProvider none() {
        return (allocation, request) -> null;
    }

    /** {@code {"twinId": "<the device twin id>"}}. */
    static DevicePayloadProvider twinId() {
        return (allocation, request) -> Map.of("twinId", allocation.twinId());
    }
}
