package io.dpstwin.testkit.device.mqtt;

/**
 * The dispatch SPI of the {@link DeviceMqttListener}: one implementation per emulated service (the DPS emulator,
 * each IoT hub). For every CONNECT the listener asks the registered services in registration order; the first that
 * does not answer {@link MqttConnectDecision#notMine()} owns the connection for its whole life.
 *
 * <p>How to plug a service in:
 * <pre>{@code
 * listener.register(connect -> {
 *     if (!connect.username().startsWith(hostName + "/")) {
 *         return MqttConnectDecision.notMine();           // e.g. DPS's "{idScope}/registrations/..." username
 *     }
 *     if (!tokenValid(connect.password())) {
 *         return MqttConnectDecision.refuse(MqttConnectRefusal.NOT_AUTHORIZED);
 *     }
 *     return MqttConnectDecision.accept(channel -> new MyDeviceSession(channel));
 * });
 * }</pre>
 *
 * <p>Threading: {@link #connect} and every {@link MqttDeviceSession} callback run on the connection's I/O thread,
 * one at a time per connection; they must not block (hand slow work, such as a webhook call, to an executor and
 * answer later with {@link MqttDeviceChannel#publish}). An exception thrown by a callback closes only that
 * connection. Malformed packets, oversized messages, QoS 2 publishes, a second CONNECT and idle clients (no packet
 * for 1.5 × keep-alive) are handled by the listener before any callback is called.
 */
@FunctionalInterface
public interface MqttDeviceService {

    /** Decides about one CONNECT: not this service's, refused with a CONNACK code, or accepted with a session. */
    MqttConnectDecision connect(MqttConnectRequest request);
}
