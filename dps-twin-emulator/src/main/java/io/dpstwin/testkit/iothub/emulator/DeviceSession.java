package io.dpstwin.testkit.iothub.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One device's (or module's) open MQTT session on an emulated hub, as {@link DeviceSessions#connect} opened it. The
 * transport hands it the device's SUBSCRIBEs and PUBLISHes and acts on the answers; it tells the session when the
 * connection ends ({@link #close()}), and learns through {@link #onDisplaced(Runnable)} when IoT Hub would close it.
 *
 * <p>Telemetry: {@code devices/{deviceId}/messages/events/{property bag}} (or
 * {@code devices/{deviceId}/modules/{moduleId}/messages/events/…}) at QoS 0 or 1, at most 256 KiB; the bag is
 * query-string encoded; keys and values are URL-decoded ({@code $.mid}, {@code %24.ct} …).
 *
 * @see <a href="https://learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub">Communicate with an IoT hub
 *         using the MQTT protocol</a>
 */
public final class DeviceSession {

    /** IoT Hub's largest device-to-cloud message. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** SUBACK code of a refused subscription. */
    public static final int SUBSCRIPTION_FAILED = 0x80;

    /** What the transport does with a PUBLISH. */
    public enum PublishResult {
        /** Accepted: PUBACK it when its QoS is 1. */
        ACCEPTED,
        /** IoT Hub closes the connection (unknown topic, another identity's topic, QoS 2, too large). */
        DISCONNECT
    }

    private final DeviceSessions sessions;
    private final EmulatedIotHub hub;
    private final String deviceId;
    private final String moduleId;
    private final Clock clock;
    private final String eventsTopic;
    private volatile Runnable onDisplaced = () -> { };
    private volatile boolean closed;

    DeviceSession(DeviceSessions sessions, EmulatedIotHub hub, String deviceId, String moduleId, Clock clock) {
        this.sessions = sessions;
        this.hub = hub;
        this.deviceId = deviceId;
        this.moduleId = moduleId;
        this.clock = clock;
        this.eventsTopic = "devices/" + deviceId + (moduleId == null ? "" : "/modules/" + moduleId)
                + "/messages/events/";
    }

    /** The hub. */
    public EmulatedIotHub hub() {
        return hub;
    }

    public String deviceId() {
        return deviceId;
    }

    /** The module id, or {@code null} for a device session. */
    public String moduleId() {
        return moduleId;
    }

    /**
     * The QoS granted to a SUBSCRIBE topic filter: the requested QoS (at most 1) for the device's cloud-to-device
     * topic and IoT Hub's methods and twin topics, {@link #SUBSCRIPTION_FAILED} for anything else.
     */
    public int subscribe(String topicFilter, int requestedQos) {
        int granted = Math.min(Math.max(requestedQos, 0), 1);
        String devicebound = "devices/" + deviceId + (moduleId == null ? "" : "/modules/" + moduleId)
                + "/messages/devicebound/#";
        if (topicFilter.equals(devicebound) || topicFilter.equals("$iothub/methods/POST/#")
                || topicFilter.equals("$iothub/twin/res/#")
                || topicFilter.equals("$iothub/twin/PATCH/properties/desired/#")) {
            return granted;
        }
        return SUBSCRIPTION_FAILED;
    }

    /** Handles a PUBLISH from the device: telemetry is recorded; anything IoT Hub would not accept disconnects. */
    public PublishResult publish(String topic, byte[] payload, int qos) {
        if (closed || qos > 1 || topic == null || !topic.startsWith(eventsTopic)) {
            return PublishResult.DISCONNECT;
        }
        if (payload != null && payload.length > MAX_MESSAGE_BYTES) {
            return PublishResult.DISCONNECT;
        }
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> system = new LinkedHashMap<>();
        String bag = topic.substring(eventsTopic.length());
        if (!bag.isEmpty()) {
            for (String pair : bag.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key;
                String value;
                try {
                    key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return PublishResult.DISCONNECT;
                }
                if (key.startsWith("$.")) {
                    system.put(key.substring(2), value);
                } else {
                    properties.put(key, value);
                }
            }
        }
        hub.received(new TelemetryMessage(hub.hostName(), deviceId, moduleId, payload, properties, system,
                clock.instant()));
        return PublishResult.ACCEPTED;
    }

    /** Called by the transport with what to do when IoT Hub would close this session (a newer one displaced it). */
    public void onDisplaced(Runnable action) {
        this.onDisplaced = action == null ? () -> { } : action;
    }

    /** The connection ended. Idempotent. */
    public void close() {
        if (!closed) {
            closed = true;
            sessions.closed(this);
        }
    }

    void displace() {
        if (!closed) {
            closed = true;
            hub.connected(deviceId, moduleId, false);
            onDisplaced.run();
        }
    }

    @Override
    public String toString() {
        return "DeviceSession[" + hub.hostName() + "/" + deviceId + (moduleId == null ? "" : "/" + moduleId) + "]";
    }
}
