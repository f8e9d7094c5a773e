package io.dpstwin.testkit.iothub;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an event sits in its Event Hubs partition, as the service stamps it on delivery.
 *
 * @param sequenceNumber {@code x-opt-sequence-number}
 * @param offset         {@code x-opt-offset} (a string; numeric for classic namespaces)
 * @param enqueuedTime   {@code x-opt-enqueued-time}
 * @param partitionKey   {@code x-opt-partition-key}, {@code null} when unset (IoT Hub routing does not set one)
 */
public record EventHubsPosition(long sequenceNumber, String offset, Instant enqueuedTime, String partitionKey) {

    public EventHubsPosition {
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(enqueuedTime, "enqueuedTime");
    }
}
