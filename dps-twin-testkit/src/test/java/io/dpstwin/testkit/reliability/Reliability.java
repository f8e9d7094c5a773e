package io.dpstwin.testkit.reliability;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.Assumptions;

/**
 * The switches of the reliability suites: fast by default (every build), faithful and longer with
 * {@code -Ddpstwin.reliability.heavy=true}; seeds are fixed unless {@code -Ddpstwin.reliability.seed=<n>} says
 * otherwise, and every suite prints the seed it used when it fails.
 */
public final class Reliability {

    /** The system property that switches the heavy mode on. */
    public static final String HEAVY_PROPERTY = "dpstwin.reliability.heavy";
    /** The system property that overrides the seeds of the fault and concurrency suites. */
    public static final String SEED_PROPERTY = "dpstwin.reliability.seed";
    /** The fixed jqwik seed of the fast fuzz run. */
    public static final String FUZZ_SEED = "20260501";

    private Reliability() {
    }

    /** Whether the heavy mode is on. */
    public static boolean heavy() {
        return Boolean.getBoolean(HEAVY_PROPERTY);
    }

    /** The seed to use: {@value #SEED_PROPERTY} when given, else {@code fixed}. */
    public static long seed(long fixed) {
        String given = System.getProperty(SEED_PROPERTY);
        return given == null || given.isBlank() ? fixed : Long.parseLong(given.trim());
    }

    /** Runs {@code body}; a failure names the seed and how to run again with it. */
    public static void reportingSeed(long seed, Runnable body) {
        try {
            body.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed with seed " + seed + " (run again with -D" + SEED_PROPERTY + "=" + seed
                    + (heavy() ? " -D" + HEAVY_PROPERTY + "=true" : "") + "): " + e.getMessage(), e);
        }
    }

    /** Skips a JUnit test unless the heavy mode is on. */
    public static void assumeHeavy() {
        Assumptions.assumeTrue(heavy(), "heavy mode only (-D" + HEAVY_PROPERTY + "=true)");
    }

    /** A jqwik hook that skips a property unless the heavy mode is on. */
    public static final class HeavyOnly implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return heavy() ? SkipResult.doNotSkip()
                    : SkipResult.skip("heavy mode only (-D" + HEAVY_PROPERTY + "=true)");
        }
    }
}
