package io.dpstwin.testkit.dps;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Immutable builder of the SAS token a symmetric-key device presents to DPS when it registers
 * ({@code Authorization} header over HTTPS, password over MQTT):
 * {@code SharedAccessSignature sr={url-encoded idScope/registrations/registrationId}&sig={url-encoded
 * Base64(HMAC-SHA256(deviceKey, sr + "\n" + se))}&se={expiry epoch seconds}&skn=registration}.
 *
 * <p>The token is a secret: {@link #toString()} never shows it or the key; do not log {@link #toHeaderValue()}.
 *
 * <pre>{@code
 * String authorization = RegistrationSasToken.forRegistration("0ne00000A0A", "dev-1")
 *         .groupKey(groupPrimaryKey)               // or .deviceKey(derivedKey)
 *         .expiresAt(Instant.parse("2030-01-01T00:00:00Z"))
 *         .toHeaderValue();
 * }</pre>
 */
public final class RegistrationSasToken {

    /** The policy name DPS expects for device registration tokens. */
    public static final String KEY_NAME = "registration";

    private final String idScope;
    private final String registrationId;
    private final String deviceKey;
    private final Instant expiry;

    private RegistrationSasToken(String idScope, String registrationId, String deviceKey, Instant expiry) {
        this.idScope = idScope;
        this.registrationId = registrationId;
        this.deviceKey = deviceKey;
        this.expiry = expiry;
    }

    /** A token for {@code registrationId} in the DPS instance with ID scope {@code idScope}; expires in one hour. */
    public static RegistrationSasToken forRegistration(String idScope, String registrationId) {
        return new RegistrationSasToken(Objects.requireNonNull(idScope, "idScope"),
                Objects.requireNonNull(registrationId, "registrationId"), null,
                Instant.now().plus(Duration.ofHours(1)));
    }

    /** Signs with the device's own key (individual enrollment key, or an already derived group device key). */
    public RegistrationSasToken deviceKey(String deviceKeyBase64) {
        DeviceKeys.decodeKey(deviceKeyBase64, "device key");
        return new RegistrationSasToken(idScope, registrationId, deviceKeyBase64, expiry);
    }

    /** Signs with the key derived from the enrollment group key ({@link DeviceKeys#derive}). */
    public RegistrationSasToken groupKey(String groupKeyBase64) {
        return deviceKey(DeviceKeys.derive(groupKeyBase64, registrationId));
    }

    /** The expiry ({@code se}, truncated to whole seconds). */
    public RegistrationSasToken expiresAt(Instant expiresAt) {
        return new RegistrationSasToken(idScope, registrationId, deviceKey,
                Objects.requireNonNull(expiresAt, "expiresAt"));
    }

    /** The expiry as a duration from now. */
    public RegistrationSasToken validFor(Duration validity) {
        return expiresAt(Instant.now().plus(Objects.requireNonNull(validity, "validity")));
    }

    /** The resource URI before URL encoding: {@code {idScope}/registrations/{registrationId}}. */
    public String resourceUri() {
        return idScope + "/registrations/" + registrationId;
    }

    /** The expiry in epoch seconds ({@code se}). */
    public long expiryEpochSeconds() {
        return expiry.getEpochSecond();
    }

    /**
     * The complete token, {@code SharedAccessSignature sr=...&sig=...&se=...&skn=registration}.
     *
     * @throws IllegalStateException if no key was given
     */
    public String toHeaderValue() {
        if (deviceKey == null) {
            throw new IllegalStateException("no key: call deviceKey(...) or groupKey(...) first");
        }
        String sr = URLEncoder.encode(resourceUri(), StandardCharsets.UTF_8);
        long se = expiryEpochSeconds();
        byte[] signature = DeviceKeys.hmacSha256(DeviceKeys.decodeKey(deviceKey, "device key"), sr + "\n" + se);
        String sig = URLEncoder.encode(Base64.getEncoder().encodeToString(signature), StandardCharsets.UTF_8);
        return "SharedAccessSignature sr=" + sr + "&sig=" + sig + "&se=" + se + "&skn=" + KEY_NAME;
    }

    /** Describes the token without its signature or key. */
    @Override
    public String toString() {
        return "RegistrationSasToken[sr=" + resourceUri() + ", se=" + expiryEpochSeconds()
                + ", key=" + (deviceKey == null ? "none" : "****") + "]";
    }
}
