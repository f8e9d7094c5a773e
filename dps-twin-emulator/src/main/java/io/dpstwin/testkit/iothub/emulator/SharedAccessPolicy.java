package io.dpstwin.testkit.iothub.emulator;

import io.dpstwin.testkit.device.SharedAccessSignature;
import io.dpstwin.testkit.registry.DeviceAuthentication;

import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A hub-level shared access policy (e.g. {@code iothubowner}) whose keys sign service SAS tokens. Every policy of the
 * emulator may use the whole service API and connect on behalf of devices (the rights of {@code iothubowner}).
 *
 * @param name         the policy name, the {@code skn} of its tokens
 * @param primaryKey   Base64 key
 * @param secondaryKey Base64 key
 */
public record SharedAccessPolicy(String name, String primaryKey, String secondaryKey) {

    /** The policy every IoT hub has, with all rights. */
    public static final String IOTHUBOWNER = "iothubowner";

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_\\-@.]{1,64}$");

    public SharedAccessPolicy {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid shared access policy name");
        }
        Base64.getDecoder().decode(Objects.requireNonNull(primaryKey, "primaryKey"));
        Base64.getDecoder().decode(Objects.requireNonNull(secondaryKey, "secondaryKey"));
    }

    /** A policy with new random keys. */
    public static SharedAccessPolicy generate(String name) {
        return new SharedAccessPolicy(name, DeviceAuthentication.randomKey(), DeviceAuthentication.randomKey());
    }

    boolean signed(SharedAccessSignature token) {
        return token.isSignedWith(primaryKey) || token.isSignedWith(secondaryKey);
    }

    @Override
    public String toString() {
        return "SharedAccessPolicy[" + name + "]";
    }
}
