package io.dpstwin.benchmarks.load;

import java.util.Locale;

/** How the N processes of the scale-out run keep ADT's limits. */
public enum ScaleOutMode {

    /** Each process keeps the whole instance's limits as they are (the strict limiter). */
    STATIC(false, false),
    /** Each process takes the whole limits as ceilings and adapts to ADT's 429s, alone. */
    ADAPTIVE(true, false),
    /**
     * Adaptive, and each process knows from an instance registry how many share the limits, and its place among
     * them: it keeps its share of the limit, {@code limit / N} split by place, as its ceiling. The registry says so
     * from the start, as a {@code BlobInstanceRegistry} does once every instance has sent its first heartbeat.
     */
    SHARED(true, true);

    private final boolean adaptive;
    private final boolean shared;

    ScaleOutMode(boolean adaptive, boolean shared) {
        this.adaptive = adaptive;
        this.shared = shared;
    }

    public boolean adaptive() {
        return adaptive;
    }

    public boolean shared() {
        return shared;
    }

    /** The name in options and tables: {@code static}, {@code adaptive} or {@code shared}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode of that name.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ScaleOutMode of(String label) {
        for (ScaleOutMode mode : values()) {
            if (mode.label().equals(label.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("static, adaptive or shared, was " + label);
    }
}
