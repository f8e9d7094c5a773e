package io.dpstwin.testkit.iothub.emulator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

/**
 * Makes IoT Hub shared access signatures as the docs show them: {@code sr} URL-encoded, signed as sent, with
 * {@code skn} for policy tokens (checked with {@link io.dpstwin.testkit.device.SharedAccessSignature}). Public for
 * tools and tests that sign requests themselves, e.g. the standalone emulator's {@code sas} command.
 *
 * @see <a href="https://learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas">Control access to IoT Hub
 *         with shared access signatures</a>
 */
public final class SasTokens {

    private SasTokens() {
    }

    /** A token for {@code resource} signed with {@code base64Key}; {@code keyName} {@code null} for device keys. */
    public static String create(String resource, String keyName, String base64Key, Instant expiry) {
        String sr = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        long se = expiry.getEpochSecond();
        byte[] signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            signature = mac.doFinal((sr + "\n" + se).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
        }
        String sig = URLEncoder.encode(Base64.getEncoder().encodeToString(signature), StandardCharsets.UTF_8);
        return "SharedAccessSignature sr=" + sr + "&sig=" + sig + "&se=" + se
                + (keyName == null ? "" : "&skn=" + keyName);
    }
}
