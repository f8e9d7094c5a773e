package io.dpstwin.testkit.registry;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * How a device or module authenticates to its IoT hub, as IoT Hub's identity registry stores it: {@code sas} with a
 * primary and secondary symmetric key (Base64), X.509 with certificate thumbprints ({@code selfSigned}), a CA-signed
 * certificate ({@code certificateAuthority}), or {@code none}.
 *
 * @param type                one of {@code sas}, {@code selfSigned}, {@code certificateAuthority}, {@code none}
 * @param primaryKey          the primary symmetric key (Base64) of {@code sas}, else {@code null}
 * @param secondaryKey        the secondary symmetric key (Base64) of {@code sas}, else {@code null}
 * @param primaryThumbprint   the primary X.509 thumbprint of {@code selfSigned}, else {@code null}
 * @param secondaryThumbprint the secondary X.509 thumbprint of {@code selfSigned}, else {@code null}
 * @see <a href="https://learn.microsoft.com/rest/api/iothub/service/devices/create-or-update-identity">Devices -
 *         Create Or Update Identity</a>
 */
public record DeviceAuthentication(String type, String primaryKey, String secondaryKey, String primaryThumbprint,
                                   String secondaryThumbprint) {

    /** Symmetric-key authentication. */
    public static final String SAS = "sas";
    /** X.509 self-signed (thumbprint) authentication. */
    public static final String SELF_SIGNED = "selfSigned";
    /** X.509 CA-signed authentication. */
    public static final String CERTIFICATE_AUTHORITY = "certificateAuthority";
    /** No device credential (e.g. a module that authenticates through its device). */
    public static final String NONE = "none";

    private static final SecureRandom RANDOM = new SecureRandom();

    public DeviceAuthentication {
        Objects.requireNonNull(type, "type");
        if (!type.equals(SAS) && !type.equals(SELF_SIGNED) && !type.equals(CERTIFICATE_AUTHORITY)
                && !type.equals(NONE)) {
            throw new IllegalArgumentException("authentication type '" + type + "' is not one of sas, selfSigned, "
                    + "certificateAuthority, none");
        }
        if (type.equals(SAS)) {
            requireKey(primaryKey, "primaryKey");
            requireKey(secondaryKey, "secondaryKey");
        }
    }

    /** Symmetric keys as given (Base64 of 16 to 64 bytes, as IoT Hub requires). */
    public static DeviceAuthentication symmetricKeys(String primaryKey, String secondaryKey) {
        return new DeviceAuthentication(SAS, primaryKey, secondaryKey, null, null);
    }

    /** New random 32-byte symmetric keys, as IoT Hub generates when a create request leaves them empty. */
    public static DeviceAuthentication generatedKeys() {
        return symmetricKeys(randomKey(), randomKey());
    }

    /** A new random 32-byte key in Base64. */
    public static String randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Whether this is symmetric-key ({@code sas}) authentication. */
    public boolean isSas() {
        return SAS.equals(type);
    }

    private static void requireKey(String key, String name) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(name + " is required for sas authentication");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not valid Base64");
        }
        if (bytes.length < 16 || bytes.length > 64) {
            throw new IllegalArgumentException(name + " must be 16 to 64 bytes long, was " + bytes.length);
        }
    }

    @Override
    public String toString() {
        // never the keys
        return "DeviceAuthentication[type=" + type + "]";
    }
}
