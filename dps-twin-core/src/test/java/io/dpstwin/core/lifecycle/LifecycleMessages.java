package io.dpstwin.core.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * IoT Hub messages as message routing delivers them to Event Hubs (properties as in the
 * <a href="https://learn.microsoft.com/azure/iot-hub/iot-hub-non-telemetry-event-schema">IoT Hub non-telemetry
 * event schemas</a>, body = the device twin), parsed with the real {@link EventHubsLifecycleParser}.
 */
final class LifecycleMessages {

    static final String TIMESTAMP = "2026-11-26T10:15:30.4904785Z";
    private static final AtomicLong SEQUENCE = new AtomicLong(1000);
    private static final EventHubsLifecycleParser PARSER = new EventHubsLifecycleParser();

    private LifecycleMessages() {
    }

    static Map<String, Object> appProperties(String schema, String opType, String hub, String deviceId) {
        Map<String, Object> app = new LinkedHashMap<>();
        if (schema != null) {
            app.put("iothub-message-schema", schema);
        }
        if (opType != null) {
            app.put("opType", opType);
        }
        app.put("hubName", hub);
        app.put("deviceId", deviceId);
        app.put("operationTimestamp", TIMESTAMP);
        return app;
    }

    static Map<String, Object> systemProperties(String source, String deviceId) {
        Map<String, Object> sys = new LinkedHashMap<>();
        long sequence = SEQUENCE.incrementAndGet();
        sys.put("iothub-connection-device-id", deviceId);
        if (source != null) {
            sys.put("iothub-message-source", source);
        }
        sys.put("correlation-id", "corr-" + sequence);
        sys.put("x-opt-sequence-number", sequence);
        return sys;
    }

    static String twin(String deviceId, String tagsJson, String modelId) {
        return "{\"deviceId\":\"" + deviceId + "\",\"etag\":\"AAAAAAAAAAE=\",\"version\":2,"
                + (modelId == null ? "" : "\"modelId\":\"" + modelId + "\",")
                + (tagsJson == null ? "" : "\"tags\":" + tagsJson + ",")
                + "\"properties\":{\"desired\":{\"$metadata\":{\"$lastUpdated\":\"2026-11-26T10:15:30Z\"},\"$version\":1},"
                + "\"reported\":{\"$metadata\":{\"$lastUpdated\":\"2026-11-26T10:15:30Z\"},\"$version\":1}}}";
    }

    static ParsedEvent lifecycle(String opType, String hub, String deviceId, String body) {
        return PARSER.parse(appProperties("deviceLifecycleNotification", opType, hub, deviceId),
                systemProperties("deviceLifecycleEvents", deviceId), body);
    }

    static ParsedEvent deviceDeleted(String hub, String deviceId) {
        return lifecycle("deleteDeviceIdentity", hub, deviceId, twin(deviceId, null, null));
    }

    static ParsedEvent deviceCreated(String hub, String deviceId, String modelId) {
        return lifecycle("createDeviceIdentity", hub, deviceId, twin(deviceId, null, modelId));
    }

    static ParsedEvent moduleDeleted(String hub, String deviceId, String moduleId) {
        Map<String, Object> app = appProperties("deviceLifecycleNotification", "deleteDeviceIdentity", hub, deviceId);
        app.put("moduleId", moduleId);
        Map<String, Object> sys = systemProperties("deviceLifecycleEvents", deviceId);
        sys.put("iothub-connection-module-id", moduleId);
        return PARSER.parse(app, sys, "{\"deviceId\":\"" + deviceId + "\",\"moduleId\":\"" + moduleId + "\",\"version\":2}");
    }

    static ParsedEvent twinChanged(String hub, String deviceId) {
        return PARSER.parse(appProperties("twinChangeNotification", "updateTwin", hub, deviceId),
                systemProperties("twinChangeEvents", deviceId), "{\"version\":3,\"properties\":{}}");
    }

    static ParsedEvent connectionStateChanged(String hub, String deviceId) {
        return PARSER.parse(appProperties("deviceConnectionStateNotification", "deviceDisconnected", hub, deviceId),
                systemProperties("deviceConnectionStateEvents", deviceId), "{\"sequenceNumber\":\"0000000000000001\"}");
    }
}
