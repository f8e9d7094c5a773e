package io.dpstwin.core.twins;

import io.dpstwin.core.support.Text;
import java.util.regex.Pattern;

/**
 * Syntax checks for Digital Twin Model Identifiers ({@code dtmi:<path>;<version>}), as DTDL v2 and v3 define
 * them: path segments start with a letter, contain letters, digits and underscores and do not end with an
 * underscore; the version is {@code 1..999999999}, optionally {@code .minor} (v3), and may be omitted (v3).
 * DTMIs are case-sensitive.
 */
public final class Dtmi {

    /** DTDL v3 caps a DTMI at 2048 characters (v2 at 4096); we hold every DTMI to the stricter one. */
    public static final int MAX_LENGTH = 2048;

    private static final String SEGMENT = "[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?";
    private static final Pattern PATTERN = Pattern.compile(
            "^dtmi:" + SEGMENT + "(?::" + SEGMENT + ")*(?:;[1-9][0-9]{0,8}(?:\\.[1-9][0-9]{0,5})?)?$");

    private Dtmi() {
    }

    /** Whether {@code value} is a syntactically valid DTMI. */
    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && PATTERN.matcher(value).matches();
    }

    /**
     * Returns {@code value} when it is a valid DTMI.
     *
     * @throws IllegalArgumentException naming the problem otherwise
     */
    public static String requireValid(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("model id is missing");
        }
        if (!isValid(value)) {
            throw new IllegalArgumentException("'" + Text.printable(value, 80) + "' is not a valid DTMI "
                    + "(expected dtmi:<segment>[:<segment>...];<version>, e.g. dtmi:com:example:Thermostat;1)");
        }
        return value;
    }
}
