package io.dpstwin.testkit.device.mqtt;

/**
 * One accepted device connection, as seen by the service that accepted it (see {@link MqttDeviceService}).
 * Callbacks run on the connection's I/O thread, one at a time, and must not block.
 */
public interface MqttDeviceSession {

    /** The QoS to answer in a SUBACK for a filter the service does not allow (MQTT 3.1.1: 0x80, failure). */
    int SUBSCRIPTION_FAILURE = 0x80;

    /**
     * A SUBSCRIBE of one topic filter. Returns the granted QoS (0 or 1; a QoS 2 request is usually granted 1, as
     * DPS and IoT Hub do) or {@link #SUBSCRIPTION_FAILURE}. The listener answers all filters of the packet in one
     * SUBACK.
     */
    int subscribe(String topicFilter, int requestedQos);

    /** An UNSUBSCRIBE of one filter; the listener always answers UNSUBACK (Node's DPS client waits for it). */
    default void unsubscribe(String topicFilter) {
    }

    /**
     * A PUBLISH from the device (QoS 0 or 1; QoS 2 closes the connection before this is called, as IoT Hub does).
     * Return {@code true} to accept it (a QoS 1 publish is then PUBACKed) or {@code false} to refuse it, which
     * closes the connection as the Azure services do for a topic the device may not publish to.
     */
    boolean publish(MqttInboundMessage message);

    /** The connection is gone (DISCONNECT, network loss, refusal, idle timeout or listener shutdown). Called once. */
    default void closed() {
    }
}
