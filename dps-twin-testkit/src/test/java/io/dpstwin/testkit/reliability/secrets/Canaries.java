package io.dpstwin.testkit.reliability.secrets;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.dpstwin.testkit.dps.DeviceKeys;
import io.dpstwin.testkit.dps.RegistrationSasToken;
import reactor.core.publisher.Mono;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fake secrets made when the test JVM starts, never written to a file: the tests put them where secrets travel
 * (attestation data, enrollment keys, SAS tokens, function keys, connection strings, the SDK's bearer token) and the
 * log capture ({@link CapturingAppender}) flags any log event that contains one. Being random, they cannot match
 * anything by chance, and no real-looking key is ever committed.
 */
public final class Canaries {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** An enrollment group's symmetric key (base64 of 64 random bytes, like DPS's). */
    public static final String GROUP_KEY = base64(64);
    /** A device's symmetric key derived from {@link #GROUP_KEY}, as a device simulator holds it. */
    public static final String DEVICE_KEY = DeviceKeys.derive(GROUP_KEY, "canary-device");
    /** A TPM endorsement key (base64 of 280 random bytes, the size of an RSA 2048 EK blob). */
    public static final String TPM_ENDORSEMENT_KEY = base64(280);
    /** A TPM storage root key. */
    public static final String TPM_STORAGE_ROOT_KEY = base64(280);
    /** A device registration SAS token signed with {@link #GROUP_KEY}. */
    public static final String SAS_TOKEN = RegistrationSasToken.forRegistration("0ne00CANARY", "canary-device")
            .groupKey(GROUP_KEY).expiresAt(Instant.parse("2035-01-01T00:00:00Z")).toHeaderValue();
    /** The signature inside {@link #SAS_TOKEN}, URL-decoded. */
    public static final String SAS_SIGNATURE = URLDecoder.decode(
            SAS_TOKEN.replaceAll(".*&sig=([^&]+)&.*", "$1"), StandardCharsets.UTF_8);
    /** An Azure Functions key, as sent in {@code code=} or {@code x-functions-key}. */
    public static final String FUNCTION_KEY = base64Url(40);
    /** The key inside {@link #IOT_HUB_CONNECTION_STRING}. */
    public static final String SHARED_ACCESS_KEY = base64(32);
    /** An IoT Hub shared access policy connection string (host on the reserved {@code .invalid} TLD). */
    public static final String IOT_HUB_CONNECTION_STRING = "HostName=canary-hub.invalid;"
            + "SharedAccessKeyName=registryRead;SharedAccessKey=" + SHARED_ACCESS_KEY;
    /** A storage account key, as in an Event Hubs checkpoint store connection string. */
    public static final String ACCOUNT_KEY = base64(64);
    /** An Event Hubs / storage connection string. */
    public static final String STORAGE_CONNECTION_STRING = "DefaultEndpointsProtocol=https;AccountName=canary;"
            + "AccountKey=" + ACCOUNT_KEY + ";EndpointSuffix=core.windows.net";
    /** The bearer token every emulator client of this test suite sends (see {@link #credential()}). */
    public static final String BEARER_TOKEN = "eyJ" + base64Url(120);
    /** A password a careless device puts into its payload. */
    public static final String PAYLOAD_PASSWORD = base64Url(24);

    private static final Map<String, String> ALL = build();

    private Canaries() {
    }

    /** Every canary by name. */
    public static Map<String, String> all() {
        return ALL;
    }

    private static Map<String, String> build() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("group key", GROUP_KEY);
        all.put("device key", DEVICE_KEY);
        all.put("TPM endorsement key", TPM_ENDORSEMENT_KEY);
        all.put("TPM storage root key", TPM_STORAGE_ROOT_KEY);
        all.put("SAS signature", SAS_SIGNATURE);
        all.put("function key", FUNCTION_KEY);
        all.put("IoT Hub shared access key", SHARED_ACCESS_KEY);
        all.put("storage account key", ACCOUNT_KEY);
        all.put("bearer token", BEARER_TOKEN);
        all.put("payload password", PAYLOAD_PASSWORD);
        return Map.copyOf(all);
    }

    /**
     * The fragments searched for in log lines: each canary, its first and last 16 characters (a truncated or
     * abbreviated secret is still a leak) and its URL-encoded form.
     */
    public static List<Fragment> fragments() {
        return FRAGMENTS;
    }

    private static final List<Fragment> FRAGMENTS = ALL.entrySet().stream()
            .flatMap(e -> {
                String value = e.getValue();
                String encoded = java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
                return java.util.stream.Stream.of(
                        new Fragment(e.getKey(), value),
                        new Fragment(e.getKey() + " (start)", value.substring(0, 16)),
                        new Fragment(e.getKey() + " (end)", value.substring(value.length() - 16)),
                        new Fragment(e.getKey() + " (URL-encoded)", encoded));
            })
            .distinct()
            .toList();

    /** A piece of a canary and the canary it comes from. */
    public record Fragment(String name, String text) {
    }

    /** The name of the first canary fragment {@code text} contains, or {@code null}. */
    public static String leakIn(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        for (Fragment fragment : FRAGMENTS) {
            if (text.contains(fragment.text())) {
                return fragment.name();
            }
        }
        return null;
    }

    /** A credential that hands out {@link #BEARER_TOKEN}, valid for an hour. */
    public static TokenCredential credential() {
        return request -> Mono.fromSupplier(() -> new AccessToken(BEARER_TOKEN, OffsetDateTime.now().plusHours(1)));
    }

    private static String base64(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    private static String base64Url(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
