package io.dpstwin.benchmarks;

/**
 * One JMH result: a benchmark at a thread count, its sampled per-operation time percentiles and, with the {@code gc}
 * profiler, the bytes it allocated per operation ({@code NaN} without it).
 */
public record JmhRow(String benchmark, int threads, boolean rateLimited, double p50Us, double p90Us, double p99Us,
                     long samples, double bytesPerOp) {
}
