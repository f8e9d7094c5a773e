package io.dpstwin.testkit.iothub.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A device-to-cloud message a hub received on {@code devices/{deviceId}/messages/events/{property bag}}.
 *
 * @param hubHostName          the hub that received it
 * @param deviceId             the sending device
 * @param moduleId             the sending module, or {@code null}
 * @param payload              the body as sent
 * @param properties           the application properties of the property bag (URL-decoded)
 * @param systemProperties     the system properties of the property bag, by their names without {@code $.}
 *                             (e.g. {@code mid}, {@code cid}, {@code ct}, {@code ce}, {@code cdid})
 * @param enqueuedTime         when the hub accepted it
 * @see <a href="https://learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub">Communicate with an IoT hub
 *         using the MQTT protocol</a>
 */
public record TelemetryMessage(String hubHostName, String deviceId, String moduleId, byte[] payload,
                               Map<String, String> properties, Map<String, String> systemProperties,
                               Instant enqueuedTime) {

    public TelemetryMessage {
        Objects.requireNonNull(hubHostName, "hubHostName");
        Objects.requireNonNull(deviceId, "deviceId");
        payload = payload == null ? new byte[0] : payload.clone();
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        systemProperties = systemProperties == null ? Map.of() : Map.copyOf(systemProperties);
        Objects.requireNonNull(enqueuedTime, "enqueuedTime");
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The body as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The module that sent it, if any. */
    public Optional<String> module() {
        return Optional.ofNullable(moduleId);
    }

    /** The message id ({@code $.mid}), if the device set one. */
    public Optional<String> messageId() {
        return Optional.ofNullable(systemProperties.get("mid"));
    }

    @Override
    public String toString() {
        return "TelemetryMessage[hub=" + hubHostName + ", deviceId=" + deviceId + ", bytes=" + payload.length
                + ", properties=" + properties + "]";
    }
}
