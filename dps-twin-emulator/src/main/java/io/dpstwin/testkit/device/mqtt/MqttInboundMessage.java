package io.dpstwin.testkit.device.mqtt;

import java.nio.charset.StandardCharsets;

/**
 * A PUBLISH received from a device.
 *
 * @param topic    the topic name, exactly as sent
 * @param qos      0 or 1
 * @param retain   the RETAIN flag
 * @param payload  the payload bytes (a copy the session may keep)
 */
public record MqttInboundMessage(String topic, int qos, boolean retain, byte[] payload) {

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "MqttInboundMessage[topic=" + topic + ", qos=" + qos + ", bytes=" + payload.length + "]";
    }
}
