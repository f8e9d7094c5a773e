package io.dpstwin.testkit.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A device or module identity was created or deleted in an {@link InMemoryDeviceRegistry}: what IoT Hub reports as
 * a lifecycle event ({@code createDeviceIdentity} / {@code deleteDeviceIdentity}, with a {@code moduleId} for
 * modules).
 *
 * @param created     {@code true} for a creation, {@code false} for a deletion
 * @param hubHostName the hub's host name
 * @param deviceId    the device id
 * @param moduleId    the module id, or {@code null} for a device
 * @param tags        the device twin's tags at that moment (empty for modules)
 * @param twinEtag    the twin's etag at that moment
 * @param version     the identity's version at that moment
 * @param when        when it happened
 */
public record IdentityChange(boolean created, String hubHostName, String deviceId, String moduleId,
                             Map<String, Object> tags, String twinEtag, long version, Instant when) {

    public IdentityChange {
        Objects.requireNonNull(hubHostName, "hubHostName");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(when, "when");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** The module id of a module change. */
    public Optional<String> module() {
        return Optional.ofNullable(moduleId);
    }

    /** Receives identity changes, synchronously and in order, under the registry's lock: return quickly. */
    @FunctionalInterface
    public interface Listener {
        void identityChanged(IdentityChange change);
    }
}
