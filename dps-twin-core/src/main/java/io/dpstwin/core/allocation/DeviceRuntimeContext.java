package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code deviceRuntimeContext} of an allocation request: who registers, where the device is now (on
 * re-registration), how it attested, and the payload it sent. Property names are matched case-insensitively, so
 * every documented spelling of {@code currentIotHubHostName} ({@code currentIoTHubHostName},
 * {@code currentIoTHubHostname}) is read.
 *
 * <p>The attestation blocks ({@code symmetricKey}, {@code x509}, {@code tpm}) are kept as opaque JSON values
 * (their shape is not documented reliably) and are never printed: {@link #toString()} shows only which one is
 * present.
 *
 * @param registrationId        the registration id; always present in a valid request
 * @param currentIotHubHostName the device's current hub on re-registration, else {@code null}
 * @param currentDeviceId       the device's current device id on re-registration, else {@code null}
 * @param symmetricKey          symmetric-key attestation details (usually {@code {}}), or {@code null}
 * @param x509                  X.509 attestation details, or {@code null}
 * @param tpm                   TPM attestation details, or {@code null}
 * @param payload               the custom payload the device sent (a JSON object), or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record DeviceRuntimeContext(
        String registrationId,
        @JsonAlias({"currentIoTHubHostName", "currentIoTHubHostname"}) String currentIotHubHostName,
        String currentDeviceId,
        Object symmetricKey,
        Object x509,
        Object tpm,
        Map<String, Object> payload) {

    public DeviceRuntimeContext {
        symmetricKey = JsonValues.immutableCopy(symmetricKey);
        x509 = JsonValues.immutableCopy(x509);
        tpm = JsonValues.immutableCopy(tpm);
        payload = JsonValues.immutableMap(payload);
    }

    /** A context with only a registration id and an optional payload, e.g. for tests and builders. */
    public static DeviceRuntimeContext of(String registrationId, Map<String, Object> payload) {
        return new DeviceRuntimeContext(registrationId, null, null, null, null, null, payload);
    }

    /** The device's current hub when it re-registers. */
    public Optional<String> currentHub() {
        return Optional.ofNullable(currentIotHubHostName).filter(s -> !s.isBlank());
    }

    /** Whether the device is re-registering (DPS sends its current hub). */
    @JsonIgnore
    public boolean isReprovisioning() {
        return currentHub().isPresent();
    }

    /** {@code symmetricKey}, {@code x509}, {@code tpm} or {@code none}: which attestation block is present. */
    public String attestationType() {
        if (tpm != null) {
            return "tpm";
        }
        if (x509 != null) {
            return "x509";
        }
        if (symmetricKey != null) {
            return "symmetricKey";
        }
        return "none";
    }

    /** The payload, or an empty map. */
    public Map<String, Object> payloadOrEmpty() {
        return payload == null ? Map.of() : payload;
    }

    /** Shows ids and the attestation type only, never attestation details or payload values. */
    @Override
    public String toString() {
        return "DeviceRuntimeContext[registrationId=" + registrationId
                + ", currentIotHubHostName=" + currentIotHubHostName
                + ", currentDeviceId=" + currentDeviceId
                + ", attestation=" + attestationType()
                + ", payloadKeys=" + (payload == null ? "none" : payload.keySet()) + "]";
    }
}
