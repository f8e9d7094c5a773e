package io.dpstwin.testkit.iothub.emulator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * An IoT Hub shared access signature ({@code SharedAccessSignature sr=…&sig=…&se=…[&skn=…]}) as the SDKs send it,
 * validated the way every official SDK's spelling passes: fields in any order; the HMAC-SHA256 is computed over the
 * {@code sr} exactly as transmitted (Java sends it raw, Node and Python URL-encoded) + {@code "\n"} + {@code se};
 * the resource is compared URL-decoded and case-insensitively; {@code skn} may be absent or empty for device keys.
 *
 * @see <a href="https://learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas">Control access to IoT Hub
 *         with shared access signatures</a>
 */
final class SasToken {

    private static final String PREFIX = "SharedAccessSignature ";

    private final String literalResource;
    private final String resource;
    private final byte[] signature;
    private final long expiry;
    private final String keyName;

    private SasToken(String literalResource, String resource, byte[] signature, long expiry, String keyName) {
        this.literalResource = literalResource;
        this.resource = resource;
        this.signature = signature;
        this.expiry = expiry;
        this.keyName = keyName;
    }

    /** The token, or empty when the text is not a well-formed shared access signature. */
    static Optional<SasToken> parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String sr = null;
        String sig = null;
        String se = null;
        String skn = null;
        for (String field : text.substring(PREFIX.length()).trim().split("&")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            switch (name) {
                case "sr" -> sr = value;
                case "sig" -> sig = value;
                case "se" -> se = value;
                case "skn" -> skn = value;
                default -> {
                    // IoT Hub ignores fields it does not know
                }
            }
        }
        if (sr == null || sig == null || se == null || sr.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] signature = Base64.getDecoder().decode(URLDecoder.decode(sig, StandardCharsets.UTF_8));
            long expiry = Long.parseLong(se);
            String resource = URLDecoder.decode(sr, StandardCharsets.UTF_8);
            return Optional.of(new SasToken(sr, resource, signature, expiry,
                    skn == null || skn.isEmpty() ? null : URLDecoder.decode(skn, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A token for {@code resource} signed with {@code base64Key}, URL-encoding {@code sr} as the docs show. */
    static String create(String resource, String keyName, String base64Key, Instant expiry) {
        String sr = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        long se = expiry.getEpochSecond();
        String sig = URLEncoder.encode(Base64.getEncoder().encodeToString(hmac(base64Key, sr + "\n" + se)),
                StandardCharsets.UTF_8);
        return PREFIX + "sr=" + sr + "&sig=" + sig + "&se=" + se + (keyName == null ? "" : "&skn=" + keyName);
    }

    /** The resource URI, URL-decoded, lower case, without a trailing slash. */
    String resource() {
        String r = resource.toLowerCase(Locale.ROOT);
        return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    /** The policy name ({@code skn}), if any. */
    Optional<String> keyName() {
        return Optional.ofNullable(keyName);
    }

    boolean expiredAt(Instant now) {
        return expiry <= now.getEpochSecond();
    }

    /** Whether {@code base64Key} made this signature (constant-time comparison). */
    boolean signedBy(String base64Key) {
        if (base64Key == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(hmac(base64Key, literalResource + "\n" + expiry), signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] hmac(String base64Key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "SasToken[sr=" + resource + ", skn=" + keyName + ", se=" + expiry + "]";
    }
}
