package io.dpstwin.testkit.junit;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceClientException;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;
import io.dpstwin.testkit.dps.DeviceKeys;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.dps.emulator.Enrollment;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Ready official device SDK clients for a {@link DpsEmulatorExtension}'s emulators: a {@link ProvisioningDeviceClient}
 * for a registration id (its key derived from an enrollment group's key, its TLS trusting the emulators' CA), and the
 * {@link DeviceClient} of a device DPS assigned. Needs {@code provisioning-device-client} (and, for
 * {@link #deviceClient}, {@code iot-device-client}) on the test class path.
 *
 * <pre>{@code
 * ProvisioningDeviceClientRegistrationResult result = provisioning.register("thermo-1");   // HTTPS, then closed
 * DeviceClient device = provisioning.deviceClient(result);   // the assigned hub over MQTT (port 8883)
 * }</pre>
 */
public final class ProvisioningClientFactory {

    private final DpsEmulator dps;
    private final String defaultGroup;

    ProvisioningClientFactory(DpsEmulator dps, String defaultGroup) {
        this.dps = dps;
        this.defaultGroup = defaultGroup;
    }

    /** The enrollment group whose key {@link #create(String)} derives device keys from. */
    public String defaultGroup() {
        return defaultGroup;
    }

    /**
     * A device key for {@code registrationId} derived from the default group's primary key (HMAC-SHA256, Base64),
     * as a device of that group holds it.
     */
    public String deviceKey(String registrationId) {
        return deviceKey(registrationId, defaultGroup);
    }

    /** A device key for {@code registrationId} derived from {@code enrollmentGroupId}'s primary key. */
    public String deviceKey(String registrationId, String enrollmentGroupId) {
        Enrollment group = dps.enrollments().group(enrollmentGroupId).orElseThrow(() ->
                new IllegalArgumentException("no enrollment group " + enrollmentGroupId));
        return DeviceKeys.derive(group.primaryKey(), registrationId);
    }

    /** A symmetric-key security provider for {@code registrationId} whose TLS trusts the emulators' CA. */
    public SecurityProviderSymmetricKey securityProvider(String registrationId, String deviceKey) {
        SSLContext trusting = dps.certificateAuthority().clientContext();
        return new SecurityProviderSymmetricKey(deviceKey.getBytes(StandardCharsets.UTF_8), registrationId) {
            @Override
            public SSLContext getSSLContext() {
                return trusting;
            }
        };
    }

    /** A client registering {@code registrationId} of the default group over HTTPS (which works on any port). */
    public ProvisioningDeviceClient create(String registrationId) {
        return create(registrationId, ProvisioningDeviceClientTransportProtocol.HTTPS);
    }

    /**
     * A client registering {@code registrationId} of the default group over {@code protocol}. MQTT always dials port
     * 8883, so it needs the emulators' MQTT listener there ({@link DpsEmulatorExtension.Builder#mqttPort}).
     */
    public ProvisioningDeviceClient create(String registrationId, ProvisioningDeviceClientTransportProtocol protocol) {
        return create(registrationId, protocol, deviceKey(registrationId));
    }

    /** A client registering {@code registrationId} with {@code deviceKey} (e.g. a wrong one) over {@code protocol}. */
    public ProvisioningDeviceClient create(String registrationId, ProvisioningDeviceClientTransportProtocol protocol,
                                           String deviceKey) {
        Objects.requireNonNull(protocol, "protocol");
        String endpoint = protocol == ProvisioningDeviceClientTransportProtocol.HTTPS ? dps.httpsHost()
                : dps.globalEndpoint();
        try {
            return ProvisioningDeviceClient.create(endpoint, dps.idScope(), protocol,
                    securityProvider(registrationId, deviceKey));
        } catch (ProvisioningDeviceClientException e) {
            throw new IllegalStateException("cannot create a provisioning client for " + registrationId, e);
        }
    }

    /** Registers {@code registrationId} of the default group over HTTPS and closes the client. */
    public ProvisioningDeviceClientRegistrationResult register(String registrationId) {
        ProvisioningDeviceClient client = create(registrationId);
        try {
            return client.registerDeviceSync();
        } catch (ProvisioningDeviceClientException e) {
            throw new IllegalStateException("the registration of " + registrationId + " failed: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering " + registrationId, e);
        } finally {
            client.close();
        }
    }

    /**
     * A {@link DeviceClient} (MQTT, trusting the CA) for the device a registration of the default group assigned:
     * its hub, device id and derived key. Open it, send telemetry, close it.
     */
    public DeviceClient deviceClient(ProvisioningDeviceClientRegistrationResult result) {
        if (result.getIothubUri() == null || result.getDeviceId() == null) {
            throw new IllegalArgumentException("the registration of " + result.getRegistrationId()
                    + " assigned no hub (status " + result.getProvisioningDeviceClientStatus() + ")");
        }
        String connectionString = "HostName=" + result.getIothubUri() + ";DeviceId=" + result.getDeviceId()
                + ";SharedAccessKey=" + deviceKey(result.getRegistrationId());
        return new DeviceClient(connectionString, IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(dps.certificateAuthority().clientContext()).build());
    }
}
