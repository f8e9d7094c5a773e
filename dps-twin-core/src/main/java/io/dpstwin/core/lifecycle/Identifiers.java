package io.dpstwin.core.lifecycle;

import java.util.regex.Pattern;

/** Syntax checks for the identifiers lifecycle events carry. */
final class Identifiers {

    /**
     * IoT Hub device and module ids: up to 128 ASCII characters, alphanumerics plus {@code - . + % _ # * ? ! ( ) , : = @ $ '}
     * ({@code :} because DPS registration ids, which become device ids, may contain it).
     */
    private static final Pattern IOT_HUB_ID = Pattern.compile("^[A-Za-z0-9\\-.+%_#*?!(),:=@$']{1,128}$");

    /** A digital twin id longer than this is refused (ADT documents no limit; this bounds what a tag can inject). */
    static final int MAX_TWIN_ID_LENGTH = 512;

    private Identifiers() {
    }

    static boolean isValidDeviceId(String value) {
        return value != null && IOT_HUB_ID.matcher(value).matches();
    }

    /** Same syntax as device ids. */
    static boolean isValidModuleId(String value) {
        return isValidDeviceId(value);
    }

    /**
     * A usable digital twin id: not blank, at most {@value #MAX_TWIN_ID_LENGTH} characters, no control characters and
     * no leading or trailing white space.
     */
    static boolean isValidTwinId(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_TWIN_ID_LENGTH) {
            return false;
        }
        if (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1))) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
