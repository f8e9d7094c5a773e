package io.dpstwin.benchmarks.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SdkOverheadTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleSampleInMilliseconds() {
        assertThat(SdkOverhead.medianMs(new long[]{3_000_000, 1_000_000, 2_000_000})).isEqualTo(2.0);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleSamplesAndLeavesTheInputUnsorted() {
        long[] samples = {4_000_000, 1_000_000, 2_000_000, 3_000_000};

        assertThat(SdkOverhead.medianMs(samples)).isEqualTo(2.5);
        assertThat(samples).containsExactly(4_000_000, 1_000_000, 2_000_000, 3_000_000);
    }

    @Test
    void aComparisonDividesDpsTwinsTimesByTheBareSdks() {
        SdkComparison comparison = new SdkComparison(1.2, 1.0, 0.5, 0.4, 0, 0, 0, 0,
                new SdkComparison.CallingThread(0, 0, 0, 0, 0, 0, 0, 0), 10, 0, null);

        assertThat(comparison.newDeviceRatio()).isEqualTo(1.2);
        assertThat(comparison.reRegistrationRatio()).isEqualTo(1.25);
    }
}
