package io.dpstwin.testkit.dps;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;

/**
 * Derived device keys of symmetric-key enrollment groups:
 * {@code Base64(HMAC-SHA256(key = Base64Decode(groupKey), message = UTF-8(registrationId)))}, as in Microsoft's
 * "derive unique device keys" procedure. DPS never sends keys to the webhook; these are for device simulators.
 * Keys are secrets: never log them (this class does not).
 */
public final class DeviceKeys {

    private DeviceKeys() {
    }

    /**
     * The device key a device with {@code registrationId} uses in the group whose (primary or secondary) key is
     * {@code groupKeyBase64}.
     *
     * @throws IllegalArgumentException if the group key is not Base64 (the message does not contain the key)
     */
    public static String derive(String groupKeyBase64, String registrationId) {
        Objects.requireNonNull(registrationId, "registrationId");
        return Base64.getEncoder().encodeToString(
                hmacSha256(decodeKey(groupKeyBase64, "group key"), registrationId));
    }

    static byte[] decodeKey(String keyBase64, String what) {
        Objects.requireNonNull(keyBase64, what);
        byte[] key;
        try {
            key = Base64.getDecoder().decode(keyBase64);
        } catch (IllegalArgumentException e) {
            // the cause's message could quote the offending characters of the key: drop it
            throw new IllegalArgumentException(what + " is not valid Base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return key;
    }

    static byte[] hmacSha256(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
        }
    }
}
