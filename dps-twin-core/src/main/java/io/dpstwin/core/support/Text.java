package io.dpstwin.core.support;

/**
 * The one way dps-twin shortens text and makes it safe for a log line or an error answer: {@link #clip} bounds the
 * length, {@link #printable} also replaces control characters, so that untrusted input (device ids, ADT messages,
 * request bodies) can neither flood a log nor forge log lines. Secrets are a separate concern: see
 * {@link Redaction}.
 */
public final class Text {

    /** What a shortened text ends with. */
    public static final String ELLIPSIS = "...";

    private Text() {
    }

    /**
     * {@code text} when it has at most {@code maxLength} characters, else its start followed by {@value #ELLIPSIS},
     * {@code maxLength} characters in all; {@code null} stays {@code null}.
     *
     * @throws IllegalArgumentException when {@code maxLength} is below the length of {@value #ELLIPSIS} plus one
     */
    public static String clip(String text, int maxLength) {
        if (maxLength <= ELLIPSIS.length()) {
            throw new IllegalArgumentException("maxLength must be above " + ELLIPSIS.length() + ", was " + maxLength);
        }
        if (text == null || text.length() <= maxLength) {
            return text;
        }
        return text.substring(0, maxLength - ELLIPSIS.length()) + ELLIPSIS;
    }

    /**
     * {@code text} {@linkplain #clip clipped} to {@code maxLength} characters with every control character (line
     * breaks included) replaced by {@code ?}; {@code "null"} for {@code null}.
     */
    public static String printable(String text, int maxLength) {
        if (text == null) {
            return "null";
        }
        String clipped = clip(text, maxLength);
        StringBuilder out = null;
        for (int i = 0; i < clipped.length(); i++) {
            char c = clipped.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(clipped);
                }
                out.setCharAt(i, '?');
            }
        }
        return out == null ? clipped : out.toString();
    }
}
