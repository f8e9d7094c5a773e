package io.dpstwin.benchmarks.coldstart;

import java.util.List;
import java.util.Map;

/**
 * Medians of the cold starts (ms) and the class-loading breakdown.
 *
 * @param libraryMs       dps-twin through the Functions adapter: process launch to first answer, median
 * @param sdkMs           the bare SDK: process launch to first answer, median
 * @param libraryBuildMs  dps-twin: from {@code main} until the handler is installed (the factory only), median
 * @param libraryCallMs   dps-twin: the first {@code handle}: settings, {@code DpsTwin}, first allocation, median
 * @param sdkBuildMs      bare SDK: building the {@code DigitalTwinsClient}, median
 * @param sdkCallMs       bare SDK: the first request pair and answer, median
 * @param libraryCpuMs    dps-twin: the process's CPU time (all threads) until it answered, median
 * @param sdkCpuMs        bare SDK: the same, median
 * @param pairRatioMedian median of the pairs' own ratios (dps-twin / bare SDK)
 * @param pairRatioMin    smallest pair ratio
 * @param pairRatioMax    largest pair ratio
 * @param pairs           timed pairs
 * @param cds             whether each side used an AppCDS archive of its own
 * @param jvmArgs         extra options of every child JVM
 * @param libraryClasses  classes loaded by one dps-twin start, by library
 * @param sdkClasses      classes loaded by one bare-SDK start, by library
 * @param failures        starts that did not answer with the expected allocation
 * @param firstProblem    what went wrong first, or {@code null}
 */
public record ColdStartResult(double libraryMs, double sdkMs, double libraryBuildMs, double libraryCallMs,
                              double sdkBuildMs, double sdkCallMs, double libraryCpuMs, double sdkCpuMs,
                              double pairRatioMedian, double pairRatioMin,
                              double pairRatioMax, int pairs, boolean cds, List<String> jvmArgs,
                              Map<String, Integer> libraryClasses, Map<String, Integer> sdkClasses, int failures,
                              String firstProblem) {

    /** {@code cold_start_ratio}: the median dps-twin start over the median bare-SDK start. */
    public double ratio() {
        return libraryMs / sdkMs;
    }
}
