package io.dpstwin.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultLineTest {

    @Test
    void printsEveryNumberWithAFixedNumberOfDecimalsWhateverTheLocale() {
        java.util.Locale previous = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.GERMANY);
        try {
            assertThat(new ResultLine(7.6543, 0.91234, 4.5678, 1.04321, 0.9876, 1_000_000, 136.4, 1.0876, 0.8765,
                    0.01234, 0).toString())
                    .isEqualTo("RESULT allocation_overhead_us=7.7 retire_limit_ratio=0.91 baseline_speedup=4.57 "
                            + "sdk_overhead_ratio=1.043 reconcile_limit_ratio=0.99 reconcile_devices=1000000 "
                            + "reconcile_peak_heap_mb=136 cold_start_ratio=1.088 scaleout_min_ratio=0.88 "
                            + "scaleout_max_429_share=0.012 failures=0");
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    @Test
    void marksNumbersThatWereNotMeasuredAsNotAvailable() {
        assertThat(new ResultLine(null, Double.NaN, null, 1.0, null, null, null, null, null, null, 3).toString())
                .isEqualTo("RESULT allocation_overhead_us=n/a retire_limit_ratio=n/a baseline_speedup=n/a "
                        + "sdk_overhead_ratio=1.000 reconcile_limit_ratio=n/a reconcile_devices=n/a "
                        + "reconcile_peak_heap_mb=n/a cold_start_ratio=n/a scaleout_min_ratio=n/a "
                        + "scaleout_max_429_share=n/a failures=3");
    }

    @Test
    void carriesTheFleetReconcileColdStartAndScaleOutFigures() {
        ResultLine line = new ResultLine(1.0, null, null, null, null, null, null, null, 0.5, 0.02, 1)
                .withReconcile(0.9876, 1_000_000, 136.4, 2)
                .withColdStart(1.2345, 3);
        assertThat(line.toString())
                .contains(" reconcile_limit_ratio=0.99 reconcile_devices=1000000 reconcile_peak_heap_mb=136 "
                        + "cold_start_ratio=1.235 scaleout_min_ratio=0.50 scaleout_max_429_share=0.020 failures=3")
                .startsWith("RESULT allocation_overhead_us=1.0 ");
    }

    @Test
    void isOneLine() {
        assertThat(new ResultLine(1.0, 1.0, 1.0, 1.0, 1.0, 1, 1.0, 1.0, 1.0, 0.0, 0).toString()).doesNotContain("\n")
                .startsWith("RESULT ");
    }
}
