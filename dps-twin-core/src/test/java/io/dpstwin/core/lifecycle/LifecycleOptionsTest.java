package io.dpstwin.core.lifecycle;

import io.dpstwin.core.retirement.FakeDeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleOptionsTest {

    @Test
    void hasSafeDefaults() {
        LifecycleOptions options = LifecycleOptions.defaults();

        assertThat(options.retirementPolicy()).isSameAs(RetirementPolicy.DELETE);
        assertThat(options.createDeviceIdentity()).isTrue();
        assertThat(options.servedHubs()).isEmpty();
        assertThat(options.serves("any-hub")).isTrue();
        assertThat(options.serves(null)).isTrue();
        assertThat(options.deviceRegistry()).isEmpty();
        assertThat(options.twinIdStrategy().twinIdFor("dev-1")).isEqualTo("dev-1");
        assertThat(options.defaultModelId()).isEmpty();
        assertThat(options.parallelism()).isEqualTo(16);
        assertThat(options.eventBudget()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.maxAttempts()).isEqualTo(30);
    }

    @Test
    void servedHubsAreNormalizedAndAnUnnamedHubIsNotServed() {
        LifecycleOptions options = LifecycleOptions.builder().servedHubs(List.of("Hub-A.azure-devices.net", "hub-b")).build();

        assertThat(options.servedHubs()).containsExactly("hub-a", "hub-b");
        assertThat(options.serves("HUB-B.azure-devices.net")).isTrue();
        assertThat(options.serves("hub-c")).isFalse();
        assertThat(options.serves(null)).isFalse();
    }

    @Test
    void refusesInvalidSettings() {
        assertThatThrownBy(() -> LifecycleOptions.builder().parallelism(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifecycleOptions.builder().eventBudget(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifecycleOptions.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifecycleOptions.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifecycleOptions.builder().defaultModelId("not-a-dtmi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid DTMI");
        assertThatThrownBy(() -> LifecycleOptions.builder().servedHubs(List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toBuilderCopiesEverySetting() {
        FakeDeviceRegistry registry = new FakeDeviceRegistry("hub-a.azure-devices.net");
        LifecycleOptions options = LifecycleOptions.builder().retirementPolicy(RetirementPolicy.DETACH)
                .createDeviceIdentity(false).servedHubs(List.of("hub-a")).deviceRegistry(registry)
                .defaultModelId("dtmi:com:example:Device;1").parallelism(2).eventBudget(Duration.ofSeconds(5))
                .maxAttempts(4).backoff(Duration.ofMillis(10), Duration.ofMillis(20)).build();

        LifecycleOptions copy = options.toBuilder().build();

        assertThat(copy.toString()).isEqualTo(options.toString());
        assertThat(copy.deviceRegistry()).containsSame(registry);
        assertThat(copy.toString()).contains("DETACH").contains("hub-a").contains("parallelism=2");
    }
}
