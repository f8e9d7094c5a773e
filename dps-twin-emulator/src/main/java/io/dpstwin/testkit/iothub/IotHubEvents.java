package io.dpstwin.testkit.iothub;

import java.util.Objects;

/**
 * Entry point for IoT Hub non-telemetry events: device and module lifecycle events, and the decoys a lifecycle
 * consumer must ignore (twin changes, connection state, legacy module opTypes).
 *
 * <pre>{@code
 * IotHubEvent deleted = IotHubEvents.deviceDeleted("my-hub", "dev-1").withDtId("twin-dev-1");
 * Map<String, Object> props = deleted.applicationProperties();   // opType=deleteDeviceIdentity, hubName, ...
 * String eventGridBody = deleted.toEventGridJson();               // [{"eventType":"Microsoft.Devices.DeviceDeleted",...}]
 * }</pre>
 *
 * <p>{@code hubName} is the hub's short name ({@code my-hub}), as IoT Hub puts it in {@code hubName}; use
 * {@link #hubNameOf(String)} to get it from a host name such as {@code my-hub.azure-devices.net}.
 */
public final class IotHubEvents {

    private IotHubEvents() {
    }

    /** {@code createDeviceIdentity} for a device. */
    public static IotHubEvent deviceCreated(String hubName, String deviceId) {
        return IotHubEvent.of(IotHubEventType.DEVICE_CREATED, hubName, deviceId, null);
    }

    /** {@code deleteDeviceIdentity} for a device. */
    public static IotHubEvent deviceDeleted(String hubName, String deviceId) {
        return IotHubEvent.of(IotHubEventType.DEVICE_DELETED, hubName, deviceId, null);
    }

    /** {@code createDeviceIdentity} with a {@code moduleId}: how IoT Hub reports a module creation. */
    public static IotHubEvent moduleCreated(String hubName, String deviceId, String moduleId) {
        return IotHubEvent.of(IotHubEventType.DEVICE_CREATED, hubName, deviceId, requireModule(moduleId));
    }

    /** {@code deleteDeviceIdentity} with a {@code moduleId}: a module deletion, which must not retire the device. */
    public static IotHubEvent moduleDeleted(String hubName, String deviceId, String moduleId) {
        return IotHubEvent.of(IotHubEventType.DEVICE_DELETED, hubName, deviceId, requireModule(moduleId));
    }

    /** The older {@code createModuleIdentity} opType (schema {@code moduleLifecycleNotification}). */
    public static IotHubEvent legacyModuleCreated(String hubName, String deviceId, String moduleId) {
        return IotHubEvent.of(IotHubEventType.LEGACY_MODULE_CREATED, hubName, deviceId, requireModule(moduleId));
    }

    /** The older {@code deleteModuleIdentity} opType (schema {@code moduleLifecycleNotification}). */
    public static IotHubEvent legacyModuleDeleted(String hubName, String deviceId, String moduleId) {
        return IotHubEvent.of(IotHubEventType.LEGACY_MODULE_DELETED, hubName, deviceId, requireModule(moduleId));
    }

    /** A twin patch ({@code updateTwin}, schema {@code twinChangeNotification}). */
    public static IotHubEvent twinUpdated(String hubName, String deviceId) {
        return IotHubEvent.of(IotHubEventType.TWIN_UPDATED, hubName, deviceId, null);
    }

    /** A twin replacement ({@code replaceTwin}, schema {@code twinChangeNotification}). */
    public static IotHubEvent twinReplaced(String hubName, String deviceId) {
        return IotHubEvent.of(IotHubEventType.TWIN_REPLACED, hubName, deviceId, null);
    }

    /** {@code deviceConnected} (schema {@code deviceConnectionStateNotification}). */
    public static IotHubEvent deviceConnected(String hubName, String deviceId) {
        return IotHubEvent.of(IotHubEventType.DEVICE_CONNECTED, hubName, deviceId, null);
    }

    /** {@code deviceDisconnected} (schema {@code deviceConnectionStateNotification}). */
    public static IotHubEvent deviceDisconnected(String hubName, String deviceId) {
        return IotHubEvent.of(IotHubEventType.DEVICE_DISCONNECTED, hubName, deviceId, null);
    }

    /** Any event type for a device. */
    public static IotHubEvent of(IotHubEventType type, String hubName, String deviceId) {
        return IotHubEvent.of(type, hubName, deviceId, null);
    }

    /** The hub name of a host name: {@code my-hub.azure-devices.net} becomes {@code my-hub}. */
    public static String hubNameOf(String hostName) {
        Objects.requireNonNull(hostName, "hostName");
        int dot = hostName.indexOf('.');
        return dot < 0 ? hostName : hostName.substring(0, dot);
    }

    private static String requireModule(String moduleId) {
        return Objects.requireNonNull(moduleId, "moduleId");
    }
}
