package io.dpstwin.benchmarks;

import java.util.Locale;

/**
 * The last line of every run, for scripts and CI:
 * {@code RESULT allocation_overhead_us=<x> retire_limit_ratio=<x> baseline_speedup=<x> sdk_overhead_ratio=<x>
 * cold_start_ratio=<x> failures=<n>}. A number that was not measured (its part was skipped) is {@code n/a}.
 *
 * @param allocationOverheadUs the largest JMH median of a re-registration with the default gateway stack, in µs
 * @param retireLimitRatio     the provision+retire run's achieved creates+deletes per second divided by the
 *                             limit-bound rate (see {@code LimitBound})
 * @param baselineSpeedup      the reference-sample baseline's time divided by the library's
 * @param sdkOverheadRatio     the library's median first-registration time divided by the bare SDK's
 * @param coldStartRatio       a fresh JVM's median time to its first allocation through the Functions adapter divided
 *                             by a fresh JVM's median time to the same first call through the bare SDK
 * @param failures             unexpected outcomes across all parts
 */
public record ResultLine(Double allocationOverheadUs, Double retireLimitRatio, Double baselineSpeedup,
                         Double sdkOverheadRatio, Double coldStartRatio, int failures) {

    @Override
    public String toString() {
        return "RESULT allocation_overhead_us=" + format(allocationOverheadUs, 1)
                + " retire_limit_ratio=" + format(retireLimitRatio, 2)
                + " baseline_speedup=" + format(baselineSpeedup, 2)
                + " sdk_overhead_ratio=" + format(sdkOverheadRatio, 3)
                + " cold_start_ratio=" + format(coldStartRatio, 3)
                + " failures=" + failures;
    }

    private static String format(Double value, int decimals) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
