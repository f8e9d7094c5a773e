package io.dpstwin.core.internal.support;

import io.dpstwin.core.support.Text;

import java.util.Locale;
import java.util.Optional;

/**
 * The syntax rules for every identifier dps-twin takes from DPS, IoT Hub or a device, in one place: the allocation
 * webhook, the lifecycle parsers and the reconciler all check with these methods. Each {@code ...Problem} method
 * returns the problem as a sentence fit for an error answer or a log line (the value is shortened and control
 * characters are replaced), or empty when the value is fine.
 *
 * <ul>
 *   <li><b>Registration id</b> (DPS): 1–{@value #MAX_REGISTRATION_ID_LENGTH} characters, alphanumerics plus
 *       {@code - . _ :}, the last one alphanumeric or {@code -}
 *       (<a href="https://learn.microsoft.com/azure/iot-dps/concepts-service#registration-id">DPS: registration
 *       ID</a>). DPS calls registration ids case-insensitive while IoT Hub device ids and ADT twin ids are
 *       case-sensitive, and DPS refused upper case for years; the allocation webhook therefore accepts lower case
 *       only unless asked otherwise.</li>
 *   <li><b>Device id and module id</b> (IoT Hub): 1–{@value #MAX_DEVICE_ID_LENGTH} ASCII alphanumerics plus
 *       {@code - : . + % _ # * ? ! ( ) , = @ ; $ '}
 *       (<a href="https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-identity-registry#device-identity-properties">IoT
 *       Hub identity registry</a>; the
 *       <a href="https://learn.microsoft.com/azure/event-grid/event-schema-iot-hub">IoT Hub event schema</a> lists
 *       the same set with {@code :} and {@code ;}). {@code :} must be accepted in any case: a DPS registration id,
 *       which may contain it, becomes the device id.</li>
 *   <li><b>Twin id</b>: ADT documents no syntax and no length limit for {@code $dtId}
 *       (<a href="https://learn.microsoft.com/azure/digital-twins/reference-service-limits">ADT service limits</a>).
 *       dps-twin accepts 1–{@value #MAX_TWIN_ID_LENGTH} characters, twice the longest id it makes itself (a
 *       128-character prefix plus a 128-character device id), without control characters and without leading or
 *       trailing white space. A twin id a device chooses (a parent twin in the payload) must in addition avoid
 *       {@code ' " \ / ? #}, which keeps device input out of paths and query literals.</li>
 * </ul>
 */
public final class Identifiers {

    /** DPS accepts registration ids up to this length. */
    public static final int MAX_REGISTRATION_ID_LENGTH = 128;
    /** IoT Hub accepts device and module ids up to this length. */
    public static final int MAX_DEVICE_ID_LENGTH = 128;
    /** dps-twin's limit for twin ids it takes from events, device input and ADT. */
    public static final int MAX_TWIN_ID_LENGTH = 512;

    /** Characters a device-chosen twin id must not contain, besides control characters. */
    static final String DEVICE_TWIN_ID_FORBIDDEN = "'\"\\/?#";

    private static final int SHOWN = 80;
    /** The characters besides ASCII letters and digits that DPS allows in a registration id. */
    private static final String REGISTRATION_ID_SPECIALS = "._:-";
    /** The characters besides ASCII letters and digits that IoT Hub allows in a device or module id. */
    private static final String DEVICE_ID_SPECIALS = "-:.+%_#*?!(),=@;$'";

    private Identifiers() {
    }

    /** The problem with a DPS registration id, if any; upper case is a problem unless {@code acceptUppercase}. */
    public static Optional<String> registrationIdProblem(String id, boolean acceptUppercase) {
        if (id == null || id.isEmpty()) {
            return Optional.of("registrationId is missing or empty");
        }
        if (id.length() > MAX_REGISTRATION_ID_LENGTH) {
            return Optional.of("registrationId has " + id.length() + " characters; DPS allows at most "
                    + MAX_REGISTRATION_ID_LENGTH);
        }
        if (!isRegistrationIdSyntax(id)) {
            return Optional.of("registrationId '" + shown(id) + "' breaks the DPS rules: only alphanumerics and"
                    + " - . _ : are allowed, and the last character must be alphanumeric or -");
        }
        if (!acceptUppercase && !id.equals(id.toLowerCase(Locale.ROOT))) {
            return Optional.of("registrationId '" + shown(id) + "' contains upper-case letters; registration ids"
                    + " are case-insensitive in DPS but device and twin ids are case-sensitive, so only lower case"
                    + " is accepted (see the acceptUppercaseRegistrationIds option)");
        }
        return Optional.empty();
    }

    /** The problem with an IoT Hub device id, if any. */
    public static Optional<String> deviceIdProblem(String id) {
        return hubIdProblem("deviceId", id);
    }

    /** The problem with an IoT Hub module id, if any (the device id rules). */
    public static Optional<String> moduleIdProblem(String id) {
        return hubIdProblem("moduleId", id);
    }

    /** Whether {@code id} is a valid IoT Hub device (or module) id. */
    public static boolean isDeviceId(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_DEVICE_ID_LENGTH && isDeviceIdSyntax(id);
    }

    /**
     * {@code [A-Za-z0-9._:-]*[A-Za-z0-9-]}, scanned by hand (every allocation checks its registration id): the DPS
     * characters, ending with an alphanumeric or {@code -}.
     */
    private static boolean isRegistrationIdSyntax(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isAsciiLetterOrDigit(c) && REGISTRATION_ID_SPECIALS.indexOf(c) < 0) {
                return false;
            }
        }
        char last = id.charAt(id.length() - 1);
        return isAsciiLetterOrDigit(last) || last == '-';
    }

    /** {@code [A-Za-z0-9\-:.+%_#*?!(),=@;$']+}, scanned by hand. */
    private static boolean isDeviceIdSyntax(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isAsciiLetterOrDigit(c) && DEVICE_ID_SPECIALS.indexOf(c) < 0) {
                return false;
            }
        }
        return !id.isEmpty();
    }

    /** Whether {@code c} is an ASCII letter (the identifier rules of DPS, IoT Hub and DTDL allow no other). */
    public static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Whether {@code c} is an ASCII letter or digit. */
    public static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9');
    }

    private static Optional<String> hubIdProblem(String what, String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of(what + " is missing or empty");
        }
        if (id.length() > MAX_DEVICE_ID_LENGTH) {
            return Optional.of(what + " has " + id.length() + " characters; IoT Hub allows at most "
                    + MAX_DEVICE_ID_LENGTH);
        }
        if (!isDeviceIdSyntax(id)) {
            return Optional.of(what + " '" + shown(id) + "' breaks the IoT Hub rules: only ASCII alphanumerics"
                    + " and - : . + % _ # * ? ! ( ) , = @ ; $ ' are allowed");
        }
        return Optional.empty();
    }

    /** The problem with a twin id taken from an event, a registry or ADT, if any. */
    public static Optional<String> twinIdProblem(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("twin id is missing or empty");
        }
        if (id.length() > MAX_TWIN_ID_LENGTH) {
            return Optional.of("twin id has " + id.length() + " characters; at most " + MAX_TWIN_ID_LENGTH
                    + " are accepted");
        }
        if (!id.equals(id.strip())) {
            return Optional.of("twin id '" + shown(id) + "' starts or ends with white space");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return Optional.of("twin id '" + shown(id) + "' contains a control character");
            }
        }
        return Optional.empty();
    }

    /** Whether {@code id} passes {@link #twinIdProblem}. */
    public static boolean isTwinId(String id) {
        return twinIdProblem(id).isEmpty();
    }

    /**
     * The problem with a twin id a device chose (a parent twin in its payload), if any: the {@link #twinIdProblem}
     * rules, and none of {@code ' " \ / ? #}.
     */
    public static Optional<String> deviceChosenTwinIdProblem(String id) {
        Optional<String> problem = twinIdProblem(id);
        if (problem.isPresent()) {
            return problem;
        }
        for (int i = 0; i < id.length(); i++) {
            if (DEVICE_TWIN_ID_FORBIDDEN.indexOf(id.charAt(i)) >= 0) {
                return Optional.of("twin id '" + shown(id) + "' contains a forbidden character"
                        + " (control characters and ' \" \\ / ? # are not accepted)");
            }
        }
        return Optional.empty();
    }

    /** How an identifier appears in a problem sentence: at most 80 characters, control characters replaced. */
    public static String shown(String id) {
        return Text.printable(id, SHOWN);
    }
}
