package io.dpstwin.benchmarks.load;

/**
 * Medians of end-to-end allocation times through dps-twin and through the bare SDK making the same requests.
 *
 * @param libraryNewMs   dps-twin, first registration (GET 404, PUT {@code If-None-Match: *}), ms
 * @param sdkNewMs       bare SDK, first registration, ms
 * @param libraryFoundMs dps-twin, re-registration (GET 200), ms
 * @param sdkFoundMs     bare SDK, re-registration, ms
 * @param libraryNewCpuUs   dps-twin, first registration, mean process CPU time (client and emulator), µs
 * @param sdkNewCpuUs       bare SDK, first registration, mean process CPU time, µs
 * @param libraryFoundCpuUs dps-twin, re-registration, mean process CPU time, µs
 * @param sdkFoundCpuUs     bare SDK, re-registration, mean process CPU time, µs
 * @param samples        measured allocations per path and kind
 * @param failures       allocations that did not answer the expected assignment
 * @param firstProblem   what went wrong first, or {@code null}
 */
public record SdkComparison(double libraryNewMs, double sdkNewMs, double libraryFoundMs, double sdkFoundMs,
                            double libraryNewCpuUs, double sdkNewCpuUs, double libraryFoundCpuUs,
                            double sdkFoundCpuUs, int samples, int failures, String firstProblem) {

    /** dps-twin's median first-registration time over the bare SDK's. */
    public double newDeviceRatio() {
        return libraryNewMs / sdkNewMs;
    }

    /** dps-twin's median re-registration time over the bare SDK's. */
    public double reRegistrationRatio() {
        return libraryFoundMs / sdkFoundMs;
    }
}
