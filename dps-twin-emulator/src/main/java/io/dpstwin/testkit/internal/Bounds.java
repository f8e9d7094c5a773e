package io.dpstwin.testkit.internal;

/**
 * The emulators' one check of a numeric option's lower bound, with one wording of the refusal ({@code name must be
 * at least min, was value}). Internal: not part of the testkit's API and may change without notice.
 */
public final class Bounds {

    private Bounds() {
    }

    /**
     * {@code value}, if at least {@code min}.
     *
     * @throws IllegalArgumentException naming the option, the bound and the value, if below
     */
    public static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }
}
