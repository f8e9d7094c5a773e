package io.dpstwin.samples.spring.local;

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
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;
import com.microsoft.azure.sdk.iot.provisioning.security.exceptions.SecurityProviderException;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One thermostat of the demo fleet, on the official device SDKs exactly as a real one: it registers through DPS with
 * {@code provisioning-device-client} (its key derived from the enrollment group's key, as the reference walkthrough's
 * simulator does), then connects to the hub DPS assigned with {@code iot-device-client} over MQTT and sends one
 * {@code {"Temperature": …}} message. The only local twists: the TLS context trusts the emulators' CA, and the device
 * connection string names the shared MQTT listener as its {@code GatewayHostName} (an IoT Edge feature of the
 * connection string: the client dials the gateway while its user name and SAS token name the hub), because the
 * hubs' host names do not resolve here. Every wait is bounded.
 */
final class SdkThermostat {

    /** How long one DPS registration may take (the SDK polls every 2 s over HTTPS). */
    static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(40);
    /** How long the hub may take to acknowledge the message. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);

    /** What the device saw of its registration: the SDK's status, the hub and device id, the returned payload. */
    record Registration(String status, String hub, String deviceId, String payload, String error) {

        boolean assigned() {
            return "assigned".equals(status);
        }
    }

    private final DeviceSide side;
    private final String registrationId;
    private final String deviceKey;

    SdkThermostat(DeviceSide side, String registrationId) {
        this.side = side;
        this.registrationId = registrationId;
        this.deviceKey = deriveKey(side.groupKey(), registrationId);
    }

    /**
     * The device key DPS expects in an enrollment group: Base64(HMAC-SHA256(group key, registration id)), computed by
     * the SDK's own helper (https://learn.microsoft.com/azure/iot-dps/how-to-legacy-device-symm-key#derive-a-device-key).
     */
    static String deriveKey(String groupKey, String registrationId) {
        try {
            return new String(SecurityProviderSymmetricKey.ComputeDerivedSymmetricKey(
                    groupKey.getBytes(StandardCharsets.UTF_8), registrationId), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the device key: " + e.getMessage(), e);
        }
    }

    /** Registers through DPS with {@code payloadJson} as the device's payload; never throws for DPS's answers. */
    Registration register(String payloadJson) throws InterruptedException {
        boolean https = side.dpsTransport() == DemoProperties.DpsTransport.HTTPS;
        String host = https ? side.emulators().dps().httpsHost() : side.emulators().dps().globalEndpoint();
        ProvisioningDeviceClient client = null;
        try {
            client = ProvisioningDeviceClient.create(host, side.emulators().dps().idScope(), https
                            ? ProvisioningDeviceClientTransportProtocol.HTTPS
                            : ProvisioningDeviceClientTransportProtocol.MQTT,
                    new TrustingSymmetricKey(deviceKey, registrationId, side.emulators().ca().clientContext()));
            AdditionalData payload = new AdditionalData();
            payload.setProvisioningPayload(payloadJson);
            CompletableFuture<ProvisioningDeviceClientRegistrationResult> done = new CompletableFuture<>();
            client.registerDevice((result, error, context) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(result);
                }
            }, null, payload);
            ProvisioningDeviceClientRegistrationResult result =
                    done.get(REGISTRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (result.getProvisioningDeviceClientStatus()
                    == ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED) {
                return new Registration("assigned", result.getIothubUri(), result.getDeviceId(),
                        result.getProvisioningPayload(), null);
            }
            return new Registration(String.valueOf(result.getStatus()).toLowerCase(Locale.ROOT), null, null, null,
                    null);
        } catch (ExecutionException e) {
            return new Registration("failed", null, null, null, String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            return new Registration("timed out after " + REGISTRATION_TIMEOUT.toSeconds() + " s", null, null, null,
                    null);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // the SDK's ProvisioningDeviceClientException, which lives in an internal package of the SDK
            return new Registration("failed", null, null, null, e.getMessage());
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    /**
     * Connects to {@code hub} over MQTT through the gateway address and sends one {@code {"Temperature": t}};
     * returns {@code null} when the hub acknowledged it, else what went wrong.
     */
    String sendTemperature(String hub, String deviceId, double temperature) throws InterruptedException {
        String connectionString = "HostName=" + hub + ";DeviceId=" + deviceId + ";SharedAccessKey=" + deviceKey
                + ";GatewayHostName=" + side.gateway();
        DeviceClient client = new DeviceClient(connectionString, IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(side.emulators().ca().clientContext()).build());
        try {
            client.open(false);
            String body = String.format(Locale.ROOT, "{\"Temperature\":%.2f}", temperature);
            Message message = new Message(body.getBytes(StandardCharsets.UTF_8));
            message.setContentType("application/json");
            message.setContentEncoding("utf-8");
            CompletableFuture<IotHubClientException> acknowledged = new CompletableFuture<>();
            client.sendEventAsync(message, (m, error, context) -> acknowledged.complete(error), null);
            IotHubClientException error = acknowledged.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return error == null ? null : "refused: " + error.getStatusCode();
        } catch (IotHubClientException e) {
            return "cannot connect: " + e.getStatusCode();
        } catch (ExecutionException e) {
            return "failed: " + e.getCause().getClass().getSimpleName();
        } catch (TimeoutException e) {
            return "no acknowledgement within " + SEND_TIMEOUT.toSeconds() + " s";
        } finally {
            client.close();
        }
    }

    /** A symmetric-key security provider whose TLS context trusts the emulators' CA (the SDK's default: the JVM's). */
    private static final class TrustingSymmetricKey extends SecurityProviderSymmetricKey {
        private final SSLContext sslContext;

        TrustingSymmetricKey(String deviceKey, String registrationId, SSLContext sslContext) {
            super(deviceKey.getBytes(StandardCharsets.UTF_8), registrationId);
            this.sslContext = sslContext;
        }

        @Override
        public SSLContext getSSLContext() throws SecurityProviderException {
            return sslContext;
        }
    }
}
