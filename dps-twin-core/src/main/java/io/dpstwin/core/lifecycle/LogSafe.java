package io.dpstwin.core.lifecycle;

/** Makes untrusted identifiers safe to put into a log line: bounded length, no control characters. */
final class LogSafe {

    private static final int MAX = 160;

    private LogSafe() {
    }

    static String id(String value) {
        if (value == null) {
            return "null";
        }
        String bounded = value.length() <= MAX ? value : value.substring(0, MAX - 3) + "...";
        StringBuilder out = new StringBuilder(bounded.length());
        for (int i = 0; i < bounded.length(); i++) {
            char c = bounded.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
