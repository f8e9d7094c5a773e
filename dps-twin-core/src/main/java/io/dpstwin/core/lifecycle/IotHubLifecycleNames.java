package io.dpstwin.core.lifecycle;

/**
 * The names and values IoT Hub uses on device lifecycle notifications (see the
 * <a href="https://learn.microsoft.com/azure/iot-hub/iot-hub-non-telemetry-event-schema">IoT Hub non-telemetry
 * event schemas</a>),
 * and the Event Grid event types that carry the same information.
 */
public final class IotHubLifecycleNames {

    // application properties
    public static final String OP_TYPE = "opType";
    public static final String HUB_NAME = "hubName";
    public static final String DEVICE_ID = "deviceId";
    public static final String MODULE_ID = "moduleId";
    public static final String OPERATION_TIMESTAMP = "operationTimestamp";
    public static final String MESSAGE_SCHEMA = "iothub-message-schema";

    // system properties (AMQP annotations / properties as the Event Hubs SDK and the Functions binding expose them)
    public static final String CONNECTION_DEVICE_ID = "iothub-connection-device-id";
    public static final String CONNECTION_MODULE_ID = "iothub-connection-module-id";
    public static final String MESSAGE_SOURCE = "iothub-message-source";
    public static final String CORRELATION_ID = "correlation-id";
    public static final String USER_ID = "user-id";
    /** The Event Hubs SDK's name of the sequence number ({@code EventData#getSystemProperties()}). */
    public static final String SDK_SEQUENCE_NUMBER = "x-opt-sequence-number";
    /** The Azure Functions binding's name of the sequence number ({@code SystemPropertiesArray}). */
    public static final String FUNCTIONS_SEQUENCE_NUMBER = "SequenceNumber";

    // values
    public static final String SCHEMA_DEVICE_LIFECYCLE = "deviceLifecycleNotification";
    /** Legacy schema of module lifecycle notifications (removed from the docs in 2021); tolerated, never acted on. */
    public static final String SCHEMA_MODULE_LIFECYCLE = "moduleLifecycleNotification";
    public static final String SOURCE_DEVICE_LIFECYCLE = "deviceLifecycleEvents";
    public static final String OP_CREATE_DEVICE = "createDeviceIdentity";
    public static final String OP_DELETE_DEVICE = "deleteDeviceIdentity";
    /** Legacy module operation names; tolerated, never acted on. */
    public static final String OP_CREATE_MODULE = "createModuleIdentity";
    public static final String OP_DELETE_MODULE = "deleteModuleIdentity";

    // Event Grid / CloudEvents types
    public static final String EVENT_GRID_DEVICE_CREATED = "Microsoft.Devices.DeviceCreated";
    public static final String EVENT_GRID_DEVICE_DELETED = "Microsoft.Devices.DeviceDeleted";
    public static final String EVENT_GRID_SUBSCRIPTION_VALIDATION = "Microsoft.EventGrid.SubscriptionValidationEvent";

    // twin body
    /** The device-twin tag holding the digital twin id (written by the provision flow). */
    public static final String TAG_DT_ID = "dtId";
    /** The device-twin tag holding the digital twin's model (written by the provision flow). */
    public static final String TAG_DTMI = "dtmi";

    private IotHubLifecycleNames() {
    }
}
