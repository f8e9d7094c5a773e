package io.dpstwin.core.reconcile;

import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.TwinIdStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcileOptionsTest {

    private static final String THERMOSTAT = "dtmi:com:example:Thermostat;1";

    @Test
    void defaultsAreSafe() {
        ReconcileOptions options = ReconcileOptions.defaults();

        assertThat(options.gracePeriod()).isEqualTo(Duration.ofSeconds(120));
        assertThat(options.parallelism()).isEqualTo(4);
        assertThat(options.queriesPerMinute()).isEqualTo(10);
        assertThat(options.registryReadsPerMinute()).isEqualTo(50);
        assertThat(options.maxRetirements()).isEqualTo(1000);
        assertThat(options.maxRetirementShare()).isEqualTo(0.5);
        assertThat(options.maxPlanAge()).isEqualTo(Duration.ofMinutes(15));
        assertThat(options.retirementPolicy()).isEmpty();
        assertThat(options.registryGuard()).isEmpty();
        assertThat(options.effectiveDeviceModels()).isEmpty();
        assertThat(options.twinIdStrategy().twinIdFor("dev-1")).isEqualTo("dev-1");
        assertThat(options.deviceIdOfTwin().apply("dev-1")).isEqualTo("dev-1");
        assertThat(options.registryRetry().maxAttempts()).isEqualTo(8);
        assertThat(options.registryRetry().maxBackoff()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theDefaultModelCountsAsADeviceModel() {
        ReconcileOptions options = ReconcileOptions.builder()
                .deviceModels(List.of(THERMOSTAT))
                .defaultModel("dtmi:com:example:Sensor;1")
                .build();

        assertThat(options.deviceModels()).containsExactly(THERMOSTAT);
        assertThat(options.effectiveDeviceModels()).containsExactlyInAnyOrder(THERMOSTAT, "dtmi:com:example:Sensor;1");
    }

    @Test
    void modelIdsMustBeValidDtmis() {
        assertThatThrownBy(() -> ReconcileOptions.builder().deviceModels("dtmi:bad'; DROP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid DTMI");
        assertThatThrownBy(() -> ReconcileOptions.builder().defaultModel("thermostat"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> ReconcileOptions.builder().gracePeriod(Duration.ofSeconds(5)))
                .hasMessageContaining("gracePeriod");
        assertThatThrownBy(() -> ReconcileOptions.builder().parallelism(0)).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> ReconcileOptions.builder().queriesPerMinute(0))
                .hasMessageContaining("queriesPerMinute");
        assertThatThrownBy(() -> ReconcileOptions.builder().registryReadsPerMinute(0))
                .hasMessageContaining("registryReadsPerMinute");
        assertThatThrownBy(() -> ReconcileOptions.builder().maxRetirements(-1)).hasMessageContaining("maxRetirements");
        assertThatThrownBy(() -> ReconcileOptions.builder().maxRetirementShare(1.5))
                .hasMessageContaining("maxRetirementShare");
        assertThatThrownBy(() -> ReconcileOptions.builder().maxRetirementShare(Double.NaN))
                .hasMessageContaining("maxRetirementShare");
        assertThatThrownBy(() -> ReconcileOptions.builder().maxPlanAge(Duration.ZERO)).hasMessageContaining("maxPlanAge");
        assertThatThrownBy(() -> ReconcileOptions.builder().reportItemLimit(-1)).hasMessageContaining("reportItemLimit");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        ReconcileOptions options = ReconcileOptions.builder()
                .deviceModels(THERMOSTAT)
                .defaultModel(THERMOSTAT)
                .twinIdStrategy(TwinIdStrategy.prefixed("d-"))
                .retirementPolicy(RetirementPolicy.DETACH)
                .gracePeriod(Duration.ofMinutes(5))
                .parallelism(2)
                .queriesPerMinute(3)
                .registryReadsPerMinute(4)
                .maxRetirements(5)
                .maxRetirementShare(0.25)
                .maxPlanAge(Duration.ofMinutes(1))
                .reportItemLimit(7)
                .build();

        ReconcileOptions copy = options.toBuilder().build();

        assertThat(copy.toString()).isEqualTo(options.toString());
        assertThat(copy.twinIdStrategy().twinIdFor("x")).isEqualTo("d-x");
        assertThat(copy.retirementPolicy()).contains(RetirementPolicy.DETACH);
    }

    @Test
    void theDeviceOfATwinIsTheStrategysInverseUnlessSetExplicitly() {
        ReconcileOptions prefixed = ReconcileOptions.builder().twinIdStrategy(TwinIdStrategy.prefixed("d-")).build();
        assertThat(prefixed.deviceIdOfTwin().apply("d-x")).isEqualTo("x");
        assertThat(prefixed.deviceIdOfTwin().apply("other")).as("not of this strategy: the twin id").isEqualTo("other");

        TwinIdStrategy opaque = deviceId -> "t" + deviceId.hashCode();
        assertThat(ReconcileOptions.builder().twinIdStrategy(opaque).build().deviceIdOfTwin().apply("t42"))
                .as("a strategy without inverse: the twin id").isEqualTo("t42");

        ReconcileOptions explicit = prefixed.toBuilder().deviceIdOfTwin(id -> "dev:" + id).build();
        assertThat(explicit.deviceIdOfTwin().apply("d-x")).isEqualTo("dev:d-x");
        assertThat(explicit.toBuilder().twinIdStrategy(TwinIdStrategy.deviceId()).build().deviceIdOfTwin()
                .apply("d-x")).as("an explicit inverse survives a new strategy").isEqualTo("dev:d-x");
        assertThat(prefixed.toBuilder().twinIdStrategy(TwinIdStrategy.prefixed("e-")).build().deviceIdOfTwin()
                .apply("e-y")).as("a derived inverse follows the strategy").isEqualTo("y");
    }

    @Test
    void theBuiltInStrategiesKnowTheirInverse() {
        assertThat(TwinIdStrategy.deviceId()).isSameAs(TwinIdStrategy.deviceId());
        assertThat(TwinIdStrategy.deviceId().deviceIdOf("dev-1")).contains("dev-1");
        assertThat(TwinIdStrategy.prefixed("p-").deviceIdOf("p-dev-1")).contains("dev-1");
        assertThat(TwinIdStrategy.prefixed("p-").deviceIdOf("p-")).isEmpty();
        assertThat(TwinIdStrategy.prefixed("p-").deviceIdOf("dev-1")).isEmpty();
        assertThat(((TwinIdStrategy) id -> id).deviceIdOf("x")).isEmpty();
    }
}
