package io.dpstwin.core.reconcile;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the reconciler needs to know of one device in an IoT hub's identity registry.
 *
 * @param hubHostName the hub the device is registered in, e.g. {@code myhub.azure-devices.net}
 * @param deviceId    the device id
 * @param twinIdTag   the device twin's {@code tags.dtId} (the digital twin id the provision flow recorded), or
 *                    {@code null}
 * @param modelTag    the device twin's {@code tags.dtmi} (the twin's model the provision flow recorded), or
 *                    {@code null}
 * @param modelId     the device's IoT Plug and Play model id ({@code modelId}), or {@code null}
 * @param lastChanged the latest time the registry reports a change of the device (see
 *                    {@link IotHubDeviceInventory} for the fields it is taken from), or {@code null} when the
 *                    registry reports none
 */
public record DeviceRecord(String hubHostName, String deviceId, String twinIdTag, String modelTag, String modelId,
                           Instant lastChanged) {

    public DeviceRecord {
        Objects.requireNonNull(hubHostName, "hubHostName");
        Objects.requireNonNull(deviceId, "deviceId");
    }

    /** A device without tags, model or timestamps. */
    public static DeviceRecord of(String hubHostName, String deviceId) {
        return new DeviceRecord(hubHostName, deviceId, null, null, null, null);
    }

    /** The {@code tags.dtId} value, when present and not blank. */
    public Optional<String> twinIdTagValue() {
        return twinIdTag == null || twinIdTag.isBlank() ? Optional.empty() : Optional.of(twinIdTag);
    }

    /** When the device last changed, if the registry says. */
    public Optional<Instant> lastChangedTime() {
        return Optional.ofNullable(lastChanged);
    }
}
