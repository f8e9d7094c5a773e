package io.dpstwin.testkit.registry;

import io.dpstwin.core.reconcile.DeviceRecord;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A device identity as {@link InMemoryDeviceRegistry} holds it.
 *
 * @param hubHostName the hub it is registered in
 * @param deviceId    its device id
 * @param tags        its device twin tags (JSON values: strings, numbers, booleans, maps, lists), unmodifiable
 * @param modelId     its IoT Plug and Play model id, or {@code null}
 * @param created     when it was registered
 * @param lastChanged when its identity or twin tags last changed (what the registry reports as the device's change
 *                    time; see {@link io.dpstwin.core.reconcile.IotHubDeviceInventory} for IoT Hub's fields)
 */
public record RegisteredDevice(String hubHostName, String deviceId, Map<String, Object> tags, String modelId,
                               Instant created, Instant lastChanged) {

    public RegisteredDevice {
        Objects.requireNonNull(hubHostName, "hubHostName");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastChanged, "lastChanged");
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** The device as the reconciler sees it: {@code tags.dtId} and {@code tags.dtmi} when they are strings. */
    public DeviceRecord toDeviceRecord() {
        return new DeviceRecord(hubHostName, deviceId, text(tags.get("dtId")), text(tags.get("dtmi")), modelId,
                lastChanged);
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }
}
