package io.dpstwin.benchmarks.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpreadTest {

    @Test
    void givesTheLeastTheMiddleAndTheGreatestOfAnOddCountInAnyOrder() {
        assertThat(Spread.of(List.of(0.91, 0.79, 0.84))).isEqualTo(new Spread(0.79, 0.84, 0.91));
    }

    @Test
    void takesTheMeanOfTheTwoMiddleValuesOfAnEvenCount() {
        assertThat(Spread.of(List.of(0.5, 1.0, 0.25, 0.75))).isEqualTo(new Spread(0.25, 0.625, 1.0));
    }

    @Test
    void theMedianAloneIsTheSpreadsMedian() {
        assertThat(Spread.median(List.of(0.5, 1.0, 0.25, 0.75))).isEqualTo(0.625);
        assertThat(Spread.median(List.of(0.91, 0.79, 0.84))).isEqualTo(0.84);
    }

    @Test
    void oneRunIsItsOwnSpread() {
        assertThat(Spread.of(List.of(0.97))).isEqualTo(new Spread(0.97, 0.97, 0.97));
    }

    @Test
    void refusesNoValues() {
        assertThatThrownBy(() -> Spread.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }
}
