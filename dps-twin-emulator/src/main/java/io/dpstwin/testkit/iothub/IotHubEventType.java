package io.dpstwin.testkit.iothub;

import java.util.Optional;

/**
 * The IoT Hub non-telemetry events the builders produce, with the {@code opType}, {@code iothub-message-schema},
 * {@code iothub-message-source} and Event Grid event type IoT Hub uses for each.
 *
 * <p>Only {@link #DEVICE_CREATED} and {@link #DEVICE_DELETED} are lifecycle events of the current schema; for
 * modules IoT Hub uses the same opTypes plus a {@code moduleId}. The others are decoys a lifecycle consumer must
 * ignore: twin changes, connection state, and the {@code *ModuleIdentity} opTypes of the older module lifecycle
 * notifications.
 */
public enum IotHubEventType {
    /** A device (or, with a module id, a module) was created: {@code createDeviceIdentity}. */
    DEVICE_CREATED("createDeviceIdentity", Names.LIFECYCLE_SCHEMA, "Microsoft.Devices.DeviceCreated"),
    /** A device (or, with a module id, a module) was deleted: {@code deleteDeviceIdentity}. */
    DEVICE_DELETED("deleteDeviceIdentity", Names.LIFECYCLE_SCHEMA, "Microsoft.Devices.DeviceDeleted"),
    /** The older module opType {@code createModuleIdentity} (schema {@code moduleLifecycleNotification}). */
    LEGACY_MODULE_CREATED("createModuleIdentity", "moduleLifecycleNotification", null),
    /** The older module opType {@code deleteModuleIdentity} (schema {@code moduleLifecycleNotification}). */
    LEGACY_MODULE_DELETED("deleteModuleIdentity", "moduleLifecycleNotification", null),
    /** A twin patch: {@code updateTwin}, schema {@code twinChangeNotification}, source {@code twinChangeEvents}. */
    TWIN_UPDATED("updateTwin", "twinChangeNotification", null),
    /** A twin replacement: {@code replaceTwin}. */
    TWIN_REPLACED("replaceTwin", "twinChangeNotification", null),
    /** {@code deviceConnected}, schema {@code deviceConnectionStateNotification}. */
    DEVICE_CONNECTED("deviceConnected", "deviceConnectionStateNotification", "Microsoft.Devices.DeviceConnected"),
    /** {@code deviceDisconnected}, schema {@code deviceConnectionStateNotification}. */
    DEVICE_DISCONNECTED("deviceDisconnected", "deviceConnectionStateNotification", "Microsoft.Devices.DeviceDisconnected");

    private final String opType;
    private final String messageSchema;
    private final String eventGridType;

    IotHubEventType(String opType, String messageSchema, String eventGridType) {
        this.opType = opType;
        this.messageSchema = messageSchema;
        this.eventGridType = eventGridType;
    }

    /** The {@code opType} application property. */
    public String opType() {
        return opType;
    }

    /** The {@code iothub-message-schema} application property. */
    public String messageSchema() {
        return messageSchema;
    }

    /** The {@code iothub-message-source} system property: the schema's {@code *Notification} as {@code *Events}. */
    public String messageSource() {
        return messageSchema.replace("Notification", "Events");
    }

    /** The Event Grid / CloudEvents type, if IoT Hub publishes this event through Event Grid. */
    public Optional<String> eventGridType() {
        return Optional.ofNullable(eventGridType);
    }

    /** Whether this is a device lifecycle event of the current schema. */
    public boolean isLifecycle() {
        return this == DEVICE_CREATED || this == DEVICE_DELETED;
    }

    /** Constant names shared with the event classes. */
    static final class Names {
        static final String LIFECYCLE_SCHEMA = "deviceLifecycleNotification";

        private Names() {
        }
    }
}
