package io.dpstwin.core.twins;

import io.dpstwin.core.support.Text;

import static io.dpstwin.core.internal.support.Identifiers.isAsciiLetter;
import static io.dpstwin.core.internal.support.Identifiers.isAsciiLetterOrDigit;

/**
 * Syntax checks for Digital Twin Model Identifiers ({@code dtmi:<path>;<version>}), as DTDL v2 and v3 define
 * them: path segments start with a letter, contain letters, digits and underscores and do not end with an
 * underscore; the version is {@code 1..999999999}, optionally {@code .minor} (v3), and may be omitted (v3).
 * DTMIs are case-sensitive.
 */
public final class Dtmi {

    /** DTDL v3 caps a DTMI at 2048 characters (v2 at 4096); we hold every DTMI to the stricter one. */
    public static final int MAX_LENGTH = 2048;

    private static final String SCHEME = "dtmi:";
    private static final int MAX_MAJOR_DIGITS = 9;
    private static final int MAX_MINOR_DIGITS = 6;

    private Dtmi() {
    }

    /** Whether {@code value} is a syntactically valid DTMI. */
    public static boolean isValid(String value) {
        if (value == null || value.length() > MAX_LENGTH || !value.startsWith(SCHEME)) {
            return false;
        }
        // dtmi:<segment>(:<segment>)*(;<major>(.<minor>)?)? scanned by hand: this check runs on every allocation
        int end = value.length();
        int i = SCHEME.length();
        while (true) {
            i = segmentEnd(value, i);
            if (i < 0) {
                return false;
            }
            if (i == end) {
                return true;
            }
            char next = value.charAt(i);
            if (next == ';') {
                break;
            }
            if (next != ':') {
                return false;
            }
            i++;
        }
        int minorAt = value.indexOf('.', i + 1);
        if (minorAt < 0) {
            return isVersionNumber(value, i + 1, end, MAX_MAJOR_DIGITS);
        }
        return isVersionNumber(value, i + 1, minorAt, MAX_MAJOR_DIGITS)
                && isVersionNumber(value, minorAt + 1, end, MAX_MINOR_DIGITS);
    }

    /** Where the segment starting at {@code start} ends, or -1 when none starts there. */
    private static int segmentEnd(String value, int start) {
        if (start >= value.length() || !isAsciiLetter(value.charAt(start))) {
            return -1;
        }
        int i = start + 1;
        while (i < value.length() && (isAsciiLetterOrDigit(value.charAt(i)) || value.charAt(i) == '_')) {
            i++;
        }
        return value.charAt(i - 1) == '_' ? -1 : i;
    }

    /** {@code [1-9][0-9]{0,maxDigits-1}} exactly from {@code start} to {@code end}. */
    private static boolean isVersionNumber(String value, int start, int end, int maxDigits) {
        int digits = end - start;
        if (digits < 1 || digits > maxDigits || value.charAt(start) == '0') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
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
