package io.dpstwin.benchmarks;

import java.util.Locale;

/**
 * The last line of every run, for scripts and CI:
 * {@code RESULT allocation_overhead_us=<x> retire_limit_ratio=<x> baseline_speedup=<x> sdk_overhead_ratio=<x>
 * reconcile_limit_ratio=<x> reconcile_devices=<n> reconcile_peak_heap_mb=<m> cold_start_ratio=<x>
 * scaleout_min_ratio=<x> scaleout_max_429_share=<x> failures=<n>}. A number that was not measured (its part was
 * skipped) is {@code n/a}.
 *
 * @param allocationOverheadUs the largest JMH median of a re-registration with the default gateway stack, in µs
 * @param retireLimitRatio     the provision+retire run's achieved creates+deletes per second divided by the
 *                             limit-bound rate (see {@code LimitBound})
 * @param baselineSpeedup      the reference-sample baseline's time divided by the library's
 * @param sdkOverheadRatio     the library's median first-registration time divided by the bare SDK's
 * @param reconcileLimitRatio  the fleet reconcile's quota-bound minimum time divided by its measured time
 * @param reconcileDevices     the devices of that fleet
 * @param reconcilePeakHeapMb  the largest live heap during that reconcile, in MiB
 * @param coldStartRatio       a fresh JVM's median time to its first allocation through the Functions adapter divided
 *                             by a fresh JVM's median time to the same first call through the bare SDK
 * @param scaleOutMinRatio     the scale-out scenario's worst share of the limit-bound rate over its N and runs, of
 *                             the shared mode (adaptive limits divided by an instance registry) when it ran, else
 *                             of the adaptive mode, else of the static one
 * @param scaleOutMax429Share  the scale-out scenario's worst share of requests answered 429 over the same runs
 * @param failures             unexpected outcomes across all parts
 */
public record ResultLine(Double allocationOverheadUs, Double retireLimitRatio, Double baselineSpeedup,
                         Double sdkOverheadRatio, Double reconcileLimitRatio, Integer reconcileDevices,
                         Double reconcilePeakHeapMb, Double coldStartRatio, Double scaleOutMinRatio,
                         Double scaleOutMax429Share, int failures) {

    /**
     * This line with the fleet reconcile's figures.
     *
     * @param limitRatio  the fleet reconcile's quota-bound minimum time divided by its measured time
     * @param devices     the devices of that fleet
     * @param peakHeapMb  the largest live heap during that reconcile, in MiB
     * @param allFailures unexpected outcomes across all parts, the reconcile's included
     * @return a new line
     */
    public ResultLine withReconcile(Double limitRatio, Integer devices, Double peakHeapMb, int allFailures) {
        return new ResultLine(allocationOverheadUs, retireLimitRatio, baselineSpeedup, sdkOverheadRatio, limitRatio,
                devices, peakHeapMb, coldStartRatio, scaleOutMinRatio, scaleOutMax429Share, allFailures);
    }

    /**
     * This line with the cold-start figure.
     *
     * @param ratio       a fresh JVM's median time to its first allocation through dps-twin divided by the bare SDK's
     * @param allFailures unexpected outcomes across all parts, the cold starts' included
     * @return a new line
     */
    public ResultLine withColdStart(Double ratio, int allFailures) {
        return new ResultLine(allocationOverheadUs, retireLimitRatio, baselineSpeedup, sdkOverheadRatio,
                reconcileLimitRatio, reconcileDevices, reconcilePeakHeapMb, ratio, scaleOutMinRatio,
                scaleOutMax429Share, allFailures);
    }

    @Override
    public String toString() {
        return "RESULT allocation_overhead_us=" + format(allocationOverheadUs, 1)
                + " retire_limit_ratio=" + format(retireLimitRatio, 2)
                + " baseline_speedup=" + format(baselineSpeedup, 2)
                + " sdk_overhead_ratio=" + format(sdkOverheadRatio, 3)
                + " reconcile_limit_ratio=" + format(reconcileLimitRatio, 2)
                + " reconcile_devices=" + (reconcileDevices == null ? "n/a" : reconcileDevices.toString())
                + " reconcile_peak_heap_mb=" + format(reconcilePeakHeapMb, 0)
                + " cold_start_ratio=" + format(coldStartRatio, 3)
                + " scaleout_min_ratio=" + format(scaleOutMinRatio, 2)
                + " scaleout_max_429_share=" + format(scaleOutMax429Share, 3)
                + " failures=" + failures;
    }

    private static String format(Double value, int decimals) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
