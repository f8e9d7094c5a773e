package io.dpstwin.testkit.device.mqtt;

/** The connection of one device, for the service that accepted it to answer on. Thread-safe. */
public interface MqttDeviceChannel {

    /** The client identifier of the CONNECT. */
    String clientId();

    /**
     * Sends a PUBLISH to the device. QoS 1 publishes get a fresh packet identifier; the device's PUBACK is consumed
     * by the listener (no redelivery: the Azure SDKs do not need it). Does nothing once the connection is closed.
     */
    void publish(String topic, byte[] payload, int qos);

    /** Closes the connection (e.g. a newer connection of the same device replaces it). */
    void close();

    /** Whether the connection is still open. */
    boolean isOpen();
}
