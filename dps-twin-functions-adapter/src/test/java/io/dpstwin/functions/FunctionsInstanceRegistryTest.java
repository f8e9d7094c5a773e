package io.dpstwin.functions;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.twins.BlobInstanceRegistry;
import io.dpstwin.core.twins.InstanceRegistry;
import io.dpstwin.testkit.azurite.Azurite;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The instances of a Functions app divide ADT's limits through a {@link BlobInstanceRegistry} in the container the
 * app settings name, built once per factory (once per process); without one each instance keeps the whole limits.
 * Azurite's tests: {@link FunctionsInstanceRegistryOnAzuriteTest}.
 */
class FunctionsInstanceRegistryTest {

    static final String REGISTRY = "DPSTWIN_DIGITALTWINS_RATELIMITS_INSTANCEREGISTRY_";
    /** A storage account on a port nothing listens on: heartbeats fail at once and are only logged. */
    private static final String NOWHERE = Azurite.unreachableConnectionString();
    private static final String NOWHERE_KEY = NOWHERE.replaceAll(".*AccountKey=([^;]+);.*", "$1");

    static InstanceRegistry registryOf(FunctionsDpsTwinFactory factory, java.util.Map<String, String> settings) {
        return factory.instanceRegistry(FunctionsSettings.from(settings), TestCredentials::fixed);
    }

    @Test
    void withoutAContainerEachInstanceKeepsTheWholeLimits() {
        FunctionsDpsTwinFactory factory = UnreachableAdt.factory().build();
        InstanceRegistry registry = registryOf(factory, UnreachableAdt.settings());
        assertThat(registry).isNotInstanceOf(BlobInstanceRegistry.class);
        assertThat(registry.liveInstances()).isEqualTo(1);
        try (DpsTwin dpsTwin = factory.create()) {
            assertThat(dpsTwin).isNotNull();
        }
    }

    @Test
    void aContainerIsUsedOncePerFactoryUnlessSharingOrTheRateLimitsAreOff() {
        String[] container = {REGISTRY + "CONNECTIONSTRING", NOWHERE, REGISTRY + "CONTAINERNAME", "replicas",
                "DPSTWIN_DIGITALTWINS_RATELIMITS_INSTANCEHEARTBEAT", "1s"};
        FunctionsDpsTwinFactory factory = UnreachableAdt.factory(container).build();
        InstanceRegistry registry = registryOf(factory, UnreachableAdt.settings(container));
        try {
            assertThat(registry).isInstanceOfSatisfying(BlobInstanceRegistry.class, blob -> {
                assertThat(blob.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
                assertThat(blob.expiry()).isEqualTo(Duration.ofSeconds(3));
                assertThat(blob).hasToString("BlobInstanceRegistry[replicas/" + BlobInstanceRegistry.DEFAULT_PREFIX
                        + ", heartbeat PT1S, expiry PT3S]");
            });
            assertThat(registryOf(factory, UnreachableAdt.settings(container))).as("one per process")
                    .isSameAs(registry);
            try (DpsTwin dpsTwin = factory.create()) {
                assertThat(dpsTwin).isNotNull();
            }
            assertThat(registryOf(factory, UnreachableAdt.settings(container))).isSameAs(registry);

            InstanceRegistry unshared = registryOf(factory, UnreachableAdt.settings(container[0], container[1],
                    container[2], container[3], "DPSTWIN_DIGITALTWINS_RATELIMITS_SHAREBETWEENINSTANCES", "false"));
            InstanceRegistry unlimited = registryOf(factory, UnreachableAdt.settings(container[0], container[1],
                    container[2], container[3], "DPSTWIN_DIGITALTWINS_RATELIMITS_ENABLED", "false"));
            for (InstanceRegistry alone : new InstanceRegistry[]{unshared, unlimited}) {
                assertThat(alone).isNotInstanceOf(BlobInstanceRegistry.class);
                assertThat(alone.liveInstances()).isEqualTo(1);
            }

            InstanceRegistry moved = registryOf(factory, UnreachableAdt.settings(container[0], container[1],
                    container[2], "other-replicas"));
            assertThat(moved).as("new container settings, a new registry").isNotSameAs(registry)
                    .hasToString("BlobInstanceRegistry[other-replicas/" + BlobInstanceRegistry.DEFAULT_PREFIX
                            + ", heartbeat PT5S, expiry PT15S]");
            assertThatThrownBy(((BlobInstanceRegistry) registry)::start).as("the one it replaced is closed")
                    .isInstanceOf(IllegalStateException.class);
            ((BlobInstanceRegistry) moved).close();
        } finally {
            ((BlobInstanceRegistry) registry).close();
        }
    }

    @Test
    void containerSettingsThatContradictEachOtherOrDoNotParseAreRefusedWithoutQuotingTheSecret() {
        assertThatThrownBy(() -> UnreachableAdt.factory(REGISTRY + "CONNECTIONSTRING", NOWHERE,
                REGISTRY + "CONTAINERNAME", "replicas", REGISTRY + "CONTAINERURL",
                "https://contoso.blob.core.windows.net/replicas").build().create())
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> {
                    assertThat(e.settingNames()).containsExactly(REGISTRY + "CONNECTIONSTRING");
                    assertThat(e.getMessage()).contains("are both set").doesNotContain(NOWHERE_KEY);
                });
        assertThatThrownBy(() -> UnreachableAdt.factory(REGISTRY + "CONNECTIONSTRING", NOWHERE).build().create())
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> assertThat(e.settingNames())
                        .containsExactly(REGISTRY + "CONTAINERNAME"));
        assertThatThrownBy(() -> UnreachableAdt.factory(REGISTRY + "CONTAINERNAME", "replicas").build().create())
                .as("a container name alone names no account")
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> assertThat(e.settingNames())
                        .containsExactly(REGISTRY + "CONTAINERNAME"));
        assertThatThrownBy(() -> UnreachableAdt.factory(REGISTRY + "CONNECTIONSTRING", "AccountKey=c2VjcmV0;nonsense",
                REGISTRY + "CONTAINERNAME", "replicas").build().create())
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> {
                    assertThat(e.settingNames()).containsExactly(REGISTRY + "CONNECTIONSTRING");
                    assertThat(e.getMessage()).contains("is not a valid storage connection string")
                            .doesNotContain("c2VjcmV0");
                });
        assertThatThrownBy(() -> UnreachableAdt.factory("DPSTWIN_DIGITALTWINS_RATELIMITS_INSTANCEHEARTBEAT", "50ms")
                .build().create())
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> assertThat(e.getMessage())
                        .contains("DPSTWIN_DIGITALTWINS_RATELIMITS_INSTANCEHEARTBEAT is invalid: at least 100ms"));
    }
}
