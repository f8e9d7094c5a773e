package io.dpstwin.core.allocation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax rules for the identifiers an allocation handles. Each check returns the problem as a sentence for the
 * error answer, or empty when the value is fine.
 *
 * <ul>
 *   <li><b>Registration id</b> (DPS): 1–128 characters, alphanumerics plus {@code - . _ :}, the last one
 *       alphanumeric or {@code -}. DPS calls registration ids case-insensitive while IoT Hub device ids and ADT twin
 *       ids are case-sensitive, and DPS rejected upper case for years; dps-twin therefore accepts lower case only
 *       unless {@link AllocationOptions.Builder#acceptUppercaseRegistrationIds(boolean)} is set.</li>
 *   <li><b>Device id</b> (IoT Hub): 1–128 ASCII alphanumerics plus {@code - . + % _ # * ? ! ( ) , = @ $ '}.</li>
 *   <li><b>Twin id</b> taken from device input (a parent twin id in the payload): 1–256 characters, no control
 *       characters, no leading or trailing white space, none of {@code ' " \ / ? #}. ADT documents no syntax for
 *       twin ids; this is dps-twin's rule, strict enough to keep device input out of paths and query literals.</li>
 * </ul>
 */
public final class DeviceIdentifiers {

    /** DPS accepts registration ids up to this length. */
    public static final int MAX_REGISTRATION_ID_LENGTH = 128;
    /** IoT Hub accepts device ids up to this length. */
    public static final int MAX_DEVICE_ID_LENGTH = 128;
    /** dps-twin's limit for twin ids taken from device input. */
    public static final int MAX_TWIN_ID_LENGTH = 256;

    private static final Pattern REGISTRATION_ID = Pattern.compile("[A-Za-z0-9._:-]*[A-Za-z0-9-]");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9\\-.+%_#*?!(),=@$']+");

    private DeviceIdentifiers() {
    }

    /** The problem with a registration id, if any. */
    public static Optional<String> registrationIdProblem(String id, boolean acceptUppercase) {
        if (id == null || id.isEmpty()) {
            return Optional.of("registrationId is missing or empty");
        }
        if (id.length() > MAX_REGISTRATION_ID_LENGTH) {
            return Optional.of("registrationId has " + id.length() + " characters; DPS allows at most "
                    + MAX_REGISTRATION_ID_LENGTH);
        }
        if (!REGISTRATION_ID.matcher(id).matches()) {
            return Optional.of("registrationId '" + abbreviate(id) + "' breaks the DPS rules: only alphanumerics and"
                    + " - . _ : are allowed, and the last character must be alphanumeric or -");
        }
        if (!acceptUppercase && !id.equals(id.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.of("registrationId '" + abbreviate(id) + "' contains upper-case letters; registration ids"
                    + " are case-insensitive in DPS but device and twin ids are case-sensitive, so only lower case"
                    + " is accepted (see the acceptUppercaseRegistrationIds option)");
        }
        return Optional.empty();
    }

    /** The problem with an IoT Hub device id, if any. */
    public static Optional<String> deviceIdProblem(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("deviceId is missing or empty");
        }
        if (id.length() > MAX_DEVICE_ID_LENGTH) {
            return Optional.of("deviceId has " + id.length() + " characters; IoT Hub allows at most "
                    + MAX_DEVICE_ID_LENGTH);
        }
        if (!DEVICE_ID.matcher(id).matches()) {
            return Optional.of("deviceId '" + abbreviate(id) + "' breaks the IoT Hub rules: only ASCII alphanumerics"
                    + " and - . + % _ # * ? ! ( ) , = @ $ ' are allowed");
        }
        return Optional.empty();
    }

    /** The problem with a twin id that comes from device input, if any. */
    public static Optional<String> twinIdProblem(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("twin id is missing or empty");
        }
        if (id.length() > MAX_TWIN_ID_LENGTH) {
            return Optional.of("twin id has " + id.length() + " characters; at most " + MAX_TWIN_ID_LENGTH
                    + " are accepted");
        }
        if (!id.equals(id.strip())) {
            return Optional.of("twin id '" + abbreviate(id) + "' starts or ends with white space");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c) || "'\"\\/?#".indexOf(c) >= 0) {
                return Optional.of("twin id '" + abbreviate(id) + "' contains a forbidden character"
                        + " (control characters and ' \" \\ / ? # are not accepted)");
            }
        }
        return Optional.empty();
    }

    /** Shortens a value for a message and replaces control characters, so device input cannot forge log lines. */
    static String abbreviate(String value) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), 80));
        for (int i = 0; i < value.length() && i < 80; i++) {
            char c = value.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        if (value.length() > 80) {
            sb.setLength(77);
            sb.append("...");
        }
        return sb.toString();
    }
}
