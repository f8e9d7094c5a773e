package io.dpstwin.benchmarks;

import io.dpstwin.benchmarks.load.LoadScenarios;
import io.dpstwin.benchmarks.load.ScaleOutMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void theDefaultsAreTheQuickRun() {
        BenchOptions options = BenchOptions.parse();

        assertThat(options.integer("devices")).isEqualTo(300);
        assertThat(options.integer("instance-rate")).isEqualTo(100);
        assertThat(options.integer("twin-rate")).isEqualTo(10);
        assertThat(options.latency()).isEqualTo(Duration.ofMillis(20));
        assertThat(options.parallelism()).containsExactly(16);
        assertThat(options.jmhThreads()).containsExactly(1, 2);
        assertThat(options.jmhProfilers()).containsExactly("gc");
        assertThat(options.flag("skip-jmh")).isFalse();
        assertThat(options.nonDefaults()).isEqualTo("(defaults)");
    }

    @Test
    void coldStartJvmOptionsAreSplitOnWhitespaceAndNoneByDefault() {
        assertThat(BenchOptions.parse().coldStartJvmArgs()).isEmpty();
        assertThat(BenchOptions.parse().integer("cold-start-pairs")).isEqualTo(10);
        assertThat(BenchOptions.parse("--cold-start-jvm-args", " -Xshare:off  -XX:TieredStopAtLevel=1 ")
                .coldStartJvmArgs()).containsExactly("-Xshare:off", "-XX:TieredStopAtLevel=1");
        assertThatThrownBy(() -> BenchOptions.parse("--cold-start-pairs=0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsValuesAfterAnEqualsSignOrAsTheNextArgumentAndFlagsWithoutValue() {
        BenchOptions options = BenchOptions.parse("--devices=1000", "--twin-rate", "2", "--skip-baseline",
                "--jmh-profilers", "gc,stack:lines=3", "--parallelism=32", "--jmh-rate-limited", "true,false");

        assertThat(options.integer("devices")).isEqualTo(1000);
        assertThat(options.integer("twin-rate")).isEqualTo(2);
        assertThat(options.flag("skip-baseline")).isTrue();
        assertThat(options.jmhProfilers()).isEqualTo(List.of("gc", "stack:lines=3"));
        assertThat(options.parallelism()).containsExactly(32);
        assertThat(options.jmhRateLimited()).containsExactly("true", "false");
        assertThat(options.nonDefaults()).contains("--devices=1000", "--twin-rate=2", "--skip-baseline=true");
    }

    @Test
    void refusesUnknownOptionsMissingValuesAndNonsense() {
        assertThatThrownBy(() -> BenchOptions.parse("--device=3")).hasMessageContaining("unknown option --device");
        assertThatThrownBy(() -> BenchOptions.parse("--devices")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--devices=0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> BenchOptions.parse("--devices=many")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> BenchOptions.parse("--jmh-threads=1,x")).hasMessageContaining("positive");
        assertThatThrownBy(() -> BenchOptions.parse("--jmh-rate-limited=maybe")).hasMessageContaining("true");
        assertThatThrownBy(() -> BenchOptions.parse("devices")).hasMessageContaining("options start with --");
    }

    @Test
    void theScaleOutRunsEachNOnceUnlessToldToRepeatIt() {
        assertThat(BenchOptions.parse().integer("scaleout-repeats")).isEqualTo(1);
        assertThat(BenchOptions.parse("--scaleout-repeats=3").integer("scaleout-repeats")).isEqualTo(3);
        assertThatThrownBy(() -> BenchOptions.parse("--scaleout-repeats=0")).hasMessageContaining("at least 1");
    }

    @Test
    void theScaleOutRunsEveryModeByDefaultAndReportsTheSharedOneInResult() {
        assertThat(BenchOptions.parse().scaleOutModes())
                .containsExactly(ScaleOutMode.STATIC, ScaleOutMode.ADAPTIVE, ScaleOutMode.SHARED);
        assertThat(BenchOptions.parse("--scaleout-modes", "shared, adaptive").scaleOutModes())
                .containsExactly(ScaleOutMode.SHARED, ScaleOutMode.ADAPTIVE);
        assertThatThrownBy(() -> BenchOptions.parse("--scaleout-modes=fair").scaleOutModes())
                .hasMessageContaining("--scaleout-modes: static, adaptive or shared, was fair");

        assertThat(Main.resultMode(List.of(run(ScaleOutMode.STATIC), run(ScaleOutMode.SHARED),
                run(ScaleOutMode.ADAPTIVE)))).isEqualTo(ScaleOutMode.SHARED);
        assertThat(Main.resultMode(List.of(run(ScaleOutMode.ADAPTIVE), run(ScaleOutMode.STATIC))))
                .isEqualTo(ScaleOutMode.ADAPTIVE);
        assertThat(Main.resultMode(List.of(run(ScaleOutMode.STATIC)))).isEqualTo(ScaleOutMode.STATIC);
    }

    private static LoadScenarios.ScaleOut run(ScaleOutMode mode) {
        return new LoadScenarios.ScaleOut(2, mode, 1, 1, 10, 0, 1, 0, List.of());
    }

    @Test
    void theHelpListsEveryOption() {
        assertThat(BenchOptions.usage()).contains("--devices", "--twin-rate", "--jmh-profilers", "--skip-sdk",
                "--help");
    }
}
