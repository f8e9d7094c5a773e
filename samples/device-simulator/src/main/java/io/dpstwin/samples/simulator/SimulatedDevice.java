package io.dpstwin.samples.simulator;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.provisioning.device.AdditionalData;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceClientException;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;
import com.microsoft.azure.sdk.iot.provisioning.security.exceptions.SecurityProviderException;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One simulated device: registers through DPS with {@code provisioning-device-client} (its key derived from the
 * enrollment group's key), then connects to the assigned hub with {@code iot-device-client} over MQTT and sends
 * telemetry. The code path is the same against Azure and against the emulators; only the trusted CA differs
 * ({@code sslContext} null means the JVM's trust store).
 */
public final class SimulatedDevice {

    /** How DPS is dialled: MQTT over TLS on port 8883 (the SDK's fixed port), or HTTPS. */
    public enum Transport {
        MQTT(ProvisioningDeviceClientTransportProtocol.MQTT),
        HTTPS(ProvisioningDeviceClientTransportProtocol.HTTPS);

        private final ProvisioningDeviceClientTransportProtocol protocol;

        Transport(ProvisioningDeviceClientTransportProtocol protocol) {
            this.protocol = protocol;
        }
    }

    /** What DPS answered: the hub, the device id and the allocation webhook's payload (JSON, or null). */
    public record Assignment(String registrationId, String hubHostName, String deviceId, String payload) {
    }

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final SimulatorSettings settings;
    private final String registrationId;
    private final SSLContext sslContext;
    private final String deviceKey;

    /**
     * @param settings       where DPS is and the group key
     * @param registrationId this device's registration id
     * @param sslContext     the TLS context trusting the services' CA, or null for the JVM's trust store
     */
    public SimulatedDevice(SimulatorSettings settings, String registrationId, SSLContext sslContext) {
        this.settings = settings;
        this.registrationId = registrationId;
        this.sslContext = sslContext;
        this.deviceKey = deriveKey(settings.groupKey(), registrationId);
    }

    /**
     * The device key DPS expects for {@code registrationId} in an enrollment group with key {@code groupKey}:
     * Base64(HMAC-SHA256(Base64Decode(groupKey), registrationId)), computed by the SDK's own helper
     * (https://learn.microsoft.com/azure/iot-dps/how-to-legacy-device-symm-key#derive-a-device-key).
     */
    public static String deriveKey(String groupKey, String registrationId) {
        try {
            return new String(SecurityProviderSymmetricKey.ComputeDerivedSymmetricKey(
                    groupKey.getBytes(StandardCharsets.UTF_8), registrationId), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the device key: " + e.getMessage(), e);
        }
    }

    /** This device's registration id. */
    public String registrationId() {
        return registrationId;
    }

    /**
     * Registers through DPS over {@code transport}, sending the payload {@code {"modelId": …}}.
     *
     * @throws SimulatorException when DPS refuses or fails the registration, with DPS's message
     */
    public Assignment register(Transport transport) throws InterruptedException {
        SecurityProviderSymmetricKey security = new TrustingSymmetricKey(deviceKey, registrationId, sslContext);
        ProvisioningDeviceClient client = null;
        try {
            client = ProvisioningDeviceClient.create(settings.provisioningHost(), settings.idScope(),
                    transport.protocol, security);
            AdditionalData payload = new AdditionalData();
            payload.setProvisioningPayload(settings.payloadJson());
            ProvisioningDeviceClientRegistrationResult result = client.registerDeviceSync(payload);
            if (result.getProvisioningDeviceClientStatus() != ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED) {
                throw new SimulatorException(registrationId + ": DPS answered status "
                        + String.valueOf(result.getStatus()).toLowerCase(Locale.ROOT));
            }
            return new Assignment(registrationId, result.getIothubUri(), result.getDeviceId(),
                    result.getProvisioningPayload());
        } catch (ProvisioningDeviceClientException e) {
            throw new SimulatorException(registrationId + ": registration failed: " + e.getMessage(), e);
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    /**
     * Connects to the assigned hub over MQTT and sends {@code messages} messages {@code {"Temperature": t}}, one per
     * {@code interval}; {@code messages} 0 sends until the thread is interrupted.
     *
     * @return the number of messages the hub acknowledged
     */
    public long sendTelemetry(Assignment assignment, long messages, Duration interval, TelemetryListener listener)
            throws InterruptedException {
        DeviceClient client = new DeviceClient(connectionString(assignment), IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(sslContext).build());
        long sent = 0;
        try {
            client.open(false);
            Temperatures temperatures = new Temperatures(registrationId.hashCode());
            while (messages == 0 || sent < messages) {
                if (sent > 0) {
                    TimeUnit.MILLISECONDS.sleep(interval.toMillis());
                }
                String body = "{\"Temperature\":" + temperatures.next() + "}";
                Message message = new Message(body.getBytes(StandardCharsets.UTF_8));
                message.setContentType("application/json");
                message.setContentEncoding("utf-8");
                CompletableFuture<IotHubClientException> acknowledged = new CompletableFuture<>();
                client.sendEventAsync(message, (m, error, context) -> acknowledged.complete(error), null);
                IotHubClientException error = acknowledged.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (error != null) {
                    throw new SimulatorException(assignment.deviceId() + ": the hub refused a message: "
                            + error.getMessage(), error);
                }
                sent++;
                listener.sent(assignment.deviceId(), body);
            }
            return sent;
        } catch (IotHubClientException e) {
            throw new SimulatorException(assignment.deviceId() + ": cannot connect to " + assignment.hubHostName()
                    + ": " + e.getMessage(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new SimulatorException(assignment.deviceId() + ": no acknowledgement from "
                    + assignment.hubHostName() + " within " + SEND_TIMEOUT.toSeconds() + " s", e);
        } finally {
            client.close();
        }
    }

    private String connectionString(Assignment assignment) {
        return "HostName=" + assignment.hubHostName() + ";DeviceId=" + assignment.deviceId()
                + ";SharedAccessKey=" + deviceKey;
    }

    /** Told about every message the hub acknowledged. */
    @FunctionalInterface
    public interface TelemetryListener {
        void sent(String deviceId, String body);
    }

    /** A symmetric-key security provider whose TLS context trusts the given CA (the SDK's default is the JVM's). */
    private static final class TrustingSymmetricKey extends SecurityProviderSymmetricKey {
        private final SSLContext sslContext;

        TrustingSymmetricKey(String deviceKey, String registrationId, SSLContext sslContext) {
            super(deviceKey.getBytes(StandardCharsets.UTF_8), registrationId);
            this.sslContext = sslContext;
        }

        @Override
        public SSLContext getSSLContext() throws SecurityProviderException {
            return sslContext != null ? sslContext : super.getSSLContext();
        }
    }

    /** Temperatures as the reference simulator sends them: 20 °C plus up to 15, two decimals. */
    private static final class Temperatures {
        private final Random random;

        Temperatures(long seed) {
            this.random = new Random(seed);
        }

        String next() {
            return String.format(Locale.ROOT, "%.2f", 20 + random.nextDouble() * 15);
        }
    }
}
