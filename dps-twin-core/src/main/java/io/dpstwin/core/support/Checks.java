package io.dpstwin.core.support;

import java.time.Duration;
import java.util.Objects;

/**
 * The one way the option builders check a value: each method returns the value when it is within its bounds, else
 * throws an {@link IllegalArgumentException} naming the option and the value, so that a builder setter checks its
 * argument in one line. A {@code null} value is refused with a {@link NullPointerException} naming the option.
 */
public final class Checks {

    private Checks() {
    }

    /** {@code value} when it is at least {@code min}. */
    public static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /** {@code value} when it is within {@code min..max}, both included. */
    public static int within(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** {@code value} when it is within {@code min..max}, both included (never NaN). */
    public static double within(double value, double min, double max, String name) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** {@code value} when it is not negative (zero included). */
    public static Duration notNegative(Duration value, String name) {
        return atLeast(value, Duration.ZERO, name);
    }

    /** {@code value} when it is longer than zero. */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /** {@code value} when it is at least {@code min}. */
    public static Duration atLeast(Duration value, Duration min, String name) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }
}
