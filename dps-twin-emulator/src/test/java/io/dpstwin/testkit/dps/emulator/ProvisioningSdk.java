package io.dpstwin.testkit.dps.emulator;

import com.microsoft.azure.sdk.iot.provisioning.device.AdditionalData;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.device.internal.exceptions.ProvisioningDeviceClientException;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;

/**
 * Registers devices with the official {@code provisioning-device-client} 2.1.3 and {@code security-provider} 2.0.1,
 * exactly as an application does, trusting the emulator's CA through the security provider's SSL context (the
 * SDK's only trust hook besides the JVM trust store). MQTT dials {@code globalEndpoint}:8883, HTTPS takes
 * {@code host:port}.
 */
final class ProvisioningSdk {

    /** How long one registration may take before the test fails (the SDK's own default is 60 s). */
    static final int TIMEOUT_SECONDS = 20;

    private final DpsEmulator dps;
    private final SSLContext trust;

    ProvisioningSdk(DpsEmulator dps) {
        this.dps = dps;
        this.trust = dps.certificateAuthority().clientContext();
    }

    /** The device key the SDK derives from an enrollment group key for a registration id. */
    static String derivedKey(String groupKey, String registrationId) {
        try {
            byte[] derived = SecurityProviderSymmetricKey.ComputeDerivedSymmetricKey(
                    groupKey.getBytes(StandardCharsets.UTF_8), registrationId);
            return new String(derived, StandardCharsets.UTF_8);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Registers over {@code protocol}, signing with {@code deviceKey} (Base64, handed to the SDK as its text bytes,
     * as Microsoft's samples do); {@code payload} may be null.
     */
    ProvisioningDeviceClientRegistrationResult register(ProvisioningDeviceClientTransportProtocol protocol,
                                                        String registrationId, String deviceKey, String payload)
            throws ProvisioningDeviceClientException, InterruptedException {
        SecurityProviderSymmetricKey security = new TrustingSymmetricKey(
                deviceKey.getBytes(StandardCharsets.UTF_8), registrationId, trust);
        String endpoint = protocol == ProvisioningDeviceClientTransportProtocol.HTTPS
                ? dps.httpsHost() : dps.globalEndpoint();
        ProvisioningDeviceClient client = ProvisioningDeviceClient.create(endpoint, dps.idScope(), protocol, security);
        try {
            AdditionalData data = null;
            if (payload != null) {
                data = new AdditionalData();
                data.setProvisioningPayload(payload);
            }
            return client.registerDeviceSync(data, TIMEOUT_SECONDS);
        } finally {
            client.close();
        }
    }

    /** A symmetric-key provider whose TLS trusts the emulator's CA. */
    private static final class TrustingSymmetricKey extends SecurityProviderSymmetricKey {

        private final SSLContext trust;

        TrustingSymmetricKey(byte[] key, String registrationId, SSLContext trust) {
            super(key, registrationId);
            this.trust = trust;
        }

        @Override
        public SSLContext getSSLContext() {
            return trust;
        }
    }
}
