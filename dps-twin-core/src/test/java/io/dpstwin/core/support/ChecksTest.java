package io.dpstwin.core.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Checks}: a value within its bounds comes back as it is; any other is refused naming the option. */
class ChecksTest {

    @Test
    void returnsAValueWithinItsBoundsIncludingTheBoundsThemselves() {
        assertThat(Checks.atLeast(1, 1, "n")).isEqualTo(1);
        assertThat(Checks.within(64, 1, 64, "n")).isEqualTo(64);
        assertThat(Checks.within(0.0, 0.0, 1.0, "share")).isZero();
        assertThat(Checks.notNegative(Duration.ZERO, "d")).isZero();
        assertThat(Checks.positive(Duration.ofNanos(1), "d")).isEqualTo(Duration.ofNanos(1));
        assertThat(Checks.atLeast(Duration.ofSeconds(10), Duration.ofSeconds(10), "d")).hasSeconds(10);
    }

    @Test
    void refusesAValueOutsideItsBoundsNamingTheOptionAndTheValue() {
        assertThatThrownBy(() -> Checks.atLeast(0, 1, "queriesPerMinute"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("queriesPerMinute must be at least 1, was 0");
        assertThatThrownBy(() -> Checks.within(65, 1, 64, "parallelism"))
                .hasMessage("parallelism must be within 1..64, was 65");
        assertThatThrownBy(() -> Checks.within(Double.NaN, 0.0, 1.0, "share")).hasMessageContaining("share");
        assertThatThrownBy(() -> Checks.notNegative(Duration.ofMillis(-1), "maxWait"))
                .hasMessage("maxWait must be at least PT0S, was PT-0.001S");
        assertThatThrownBy(() -> Checks.positive(Duration.ZERO, "maxPlanAge"))
                .hasMessage("maxPlanAge must be positive, was PT0S");
        assertThatThrownBy(() -> Checks.atLeast(Duration.ofSeconds(9), Duration.ofSeconds(10), "gracePeriod"))
                .hasMessageContaining("gracePeriod");
    }

    @Test
    void refusesNoDurationWithANullPointerNamingTheOption() {
        assertThatThrownBy(() -> Checks.positive(null, "eventBudget"))
                .isInstanceOf(NullPointerException.class).hasMessage("eventBudget");
        assertThatThrownBy(() -> Checks.atLeast(null, Duration.ZERO, "maxWait")).hasMessage("maxWait");
    }
}
