package io.dpstwin.testkit.registry;

import io.dpstwin.core.reconcile.DeviceRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A device identity as {@link InMemoryDeviceRegistry} holds it.
 *
 * @param hubHostName       the hub it is registered in
 * @param deviceId          its device id
 * @param tags              its device twin tags (JSON values: strings, numbers, booleans, maps, lists), unmodifiable
 * @param modelId           its IoT Plug and Play model id, or {@code null}
 * @param created           when it was registered
 * @param lastChanged       when its identity or twin tags last changed (what the registry reports as the device's
 *                          change time; see {@link io.dpstwin.core.reconcile.IotHubDeviceInventory} for IoT Hub's
 *                          fields)
 * @param authentication    how it authenticates (its symmetric keys, for {@code sas})
 * @param enabled           whether it may connect ({@code status} {@code enabled} / {@code disabled})
 * @param statusReason      why it is disabled, or {@code null}
 * @param generationId      the id IoT Hub gives each incarnation of a device id (a new one when it is created again)
 * @param version           the identity's version: 1 when created, +1 on every change; its etag is derived from it
 * @param desiredProperties its device twin's desired properties (e.g. from DPS's {@code initialTwin}), unmodifiable
 */
public record RegisteredDevice(String hubHostName, String deviceId, Map<String, Object> tags, String modelId,
                               Instant created, Instant lastChanged, DeviceAuthentication authentication,
                               boolean enabled, String statusReason, String generationId, long version,
                               Map<String, Object> desiredProperties) {

    public RegisteredDevice {
        requireIdentity(hubHostName, deviceId, created, lastChanged, authentication, generationId);
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        desiredProperties = desiredProperties == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(desiredProperties));
    }

    /** The device as the reconciler sees it: {@code tags.dtId} and {@code tags.dtmi} when they are strings. */
    public DeviceRecord toDeviceRecord() {
        return new DeviceRecord(hubHostName, deviceId, text(tags.get("dtId")), text(tags.get("dtmi")), modelId,
                lastChanged);
    }

    /** The identity's etag as IoT Hub's registry reports it (Base64, e.g. {@code MQ==}), without quotes. */
    public String etag() {
        return etagOf(version);
    }

    /** The device twin's etag (Base64 of an 8-byte counter, e.g. {@code AAAAAAAAAAE=}), without quotes. */
    public String twinEtag() {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(Long.BYTES).putLong(version).array());
    }

    /** The parts every identity of the registry has, device or module: none may be null. */
    static void requireIdentity(String hubHostName, String deviceId, Instant created, Instant lastChanged,
                                DeviceAuthentication authentication, String generationId) {
        Objects.requireNonNull(hubHostName, "hubHostName");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastChanged, "lastChanged");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(generationId, "generationId");
    }

    static String etagOf(long version) {
        return Base64.getEncoder().encodeToString(Long.toString(version).getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }

    @Override
    public String toString() {
        // the authentication renders without keys
        return "RegisteredDevice[hub=" + hubHostName + ", deviceId=" + deviceId + ", enabled=" + enabled
                + ", version=" + version + ", tags=" + tags.keySet() + ", " + authentication + "]";
    }
}
