package io.dpstwin.testkit.device;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed {@code SharedAccessSignature sr=...&sig=...&se=...[&skn=...]} token as devices present it to DPS and
 * IoT Hub (MQTT password, HTTPS {@code Authorization} header), checked the way that accepts every official SDK:
 * fields in any order; the signature is {@code HMAC-SHA256(key, sr + "\n" + se)} over the <em>literal</em>
 * {@code sr} as transmitted (the Java SDKs send it raw, Node and Python URL-encoded); the resource is compared after
 * URL-decoding, case-insensitively; {@code skn} may be missing or empty (the Java provisioning client sends
 * {@code skn=}). See "Control access to DPS with SAS tokens"
 * (https://learn.microsoft.com/azure/iot-dps/how-to-control-access) and "Control access to IoT Hub"
 * (https://learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas).
 *
 * <p>A token is a secret: {@link #toString()} shows neither the signature nor anything derived from it.
 */
public final class SharedAccessSignature {

    private static final String PREFIX = "SharedAccessSignature ";

    private final String rawResource;
    private final String resource;
    private final String signature;
    private final String rawExpiry;
    private final long expiry;
    private final String keyName;

    private SharedAccessSignature(String rawResource, String resource, String signature, String rawExpiry,
                                  long expiry, String keyName) {
        this.rawResource = rawResource;
        this.resource = resource;
        this.signature = signature;
        this.rawExpiry = rawExpiry;
        this.expiry = expiry;
        this.keyName = keyName;
    }

    /**
     * Parses a token.
     *
     * @throws IllegalArgumentException if it is not a SAS token with {@code sr}, {@code sig} and a numeric
     *                                  {@code se} (the message never quotes the token)
     */
    public static SharedAccessSignature parse(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a SharedAccessSignature token");
        }
        String sr = null;
        String sig = null;
        String se = null;
        String skn = null;
        for (String field : token.substring(PREFIX.length()).trim().split("&")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = field.substring(eq + 1);
            switch (field.substring(0, eq)) {
                case "sr" -> sr = value;
                case "sig" -> sig = value;
                case "se" -> se = value;
                case "skn" -> skn = value;
                default -> {
                    // unknown fields are ignored, as the services do
                }
            }
        }
        if (sr == null || sr.isEmpty() || sig == null || sig.isEmpty() || se == null) {
            throw new IllegalArgumentException("the token lacks sr, sig or se");
        }
        long expiry;
        try {
            expiry = Long.parseLong(se);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the token's se is not a number of seconds");
        }
        try {
            return new SharedAccessSignature(sr, URLDecoder.decode(sr, StandardCharsets.UTF_8),
                    URLDecoder.decode(sig, StandardCharsets.UTF_8), se, expiry,
                    skn == null ? null : URLDecoder.decode(skn, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the token holds a malformed percent-encoding");
        }
    }

    /** The resource ({@code sr}) URL-decoded, e.g. {@code 0ne00000001/registrations/dev-1}. */
    public String resource() {
        return resource;
    }

    /** Whether the decoded resource equals {@code expected}, ignoring case. */
    public boolean isFor(String expected) {
        return resource.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
    }

    /** The expiry ({@code se}). */
    public Instant expiry() {
        return Instant.ofEpochSecond(expiry);
    }

    /** Whether the token expired at {@code now}. */
    public boolean isExpired(Instant now) {
        return expiry <= now.getEpochSecond();
    }

    /** The policy or key name ({@code skn}), empty when missing or blank. */
    public Optional<String> keyName() {
        return keyName == null || keyName.isEmpty() ? Optional.empty() : Optional.of(keyName);
    }

    /**
     * Whether the signature is {@code HMAC-SHA256(Base64Decode(keyBase64), sr + "\n" + se)} with {@code sr} and
     * {@code se} exactly as transmitted; compared in constant time. A key that is not Base64 never matches.
     */
    public boolean isSignedWith(String keyBase64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(keyBase64);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        if (key.length == 0) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((rawResource + "\n" + rawExpiry).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, presented);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
        }
    }

    /** Describes the token without its signature. */
    @Override
    public String toString() {
        return "SharedAccessSignature[sr=" + resource + ", se=" + expiry + ", skn=" + keyName().orElse("") + "]";
    }
}
