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
 * @param callingThread  CPU time and heap allocation of the thread that sends the request (the caller's own work)
 * @param samples        measured allocations per path and kind
 * @param failures       allocations that did not answer the expected assignment
 * @param firstProblem   what went wrong first, or {@code null}
 */
public record SdkComparison(double libraryNewMs, double sdkNewMs, double libraryFoundMs, double sdkFoundMs,
                            double libraryNewCpuUs, double sdkNewCpuUs, double libraryFoundCpuUs,
                            double sdkFoundCpuUs, CallingThread callingThread, int samples, int failures,
                            String firstProblem) {

    /**
     * What the calling thread itself spent per allocation (mean): CPU time, which neither the emulator's threads nor
     * other processes add to, and bytes allocated on the heap. Measured outside the wall-time window.
     *
     * @param libraryNewCpuUs   dps-twin, first registration, µs
     * @param sdkNewCpuUs       bare SDK, first registration, µs
     * @param libraryFoundCpuUs dps-twin, re-registration, µs
     * @param sdkFoundCpuUs     bare SDK, re-registration, µs
     * @param libraryNewKb      dps-twin, first registration, KiB allocated
     * @param sdkNewKb          bare SDK, first registration, KiB allocated
     * @param libraryFoundKb    dps-twin, re-registration, KiB allocated
     * @param sdkFoundKb        bare SDK, re-registration, KiB allocated
     */
    public record CallingThread(double libraryNewCpuUs, double sdkNewCpuUs, double libraryFoundCpuUs,
                                double sdkFoundCpuUs, double libraryNewKb, double sdkNewKb, double libraryFoundKb,
                                double sdkFoundKb) {
    }

    /** dps-twin's median first-registration time over the bare SDK's. */
    public double newDeviceRatio() {
        return libraryNewMs / sdkNewMs;
    }

    /** dps-twin's median re-registration time over the bare SDK's. */
    public double reRegistrationRatio() {
        return libraryFoundMs / sdkFoundMs;
    }
}
