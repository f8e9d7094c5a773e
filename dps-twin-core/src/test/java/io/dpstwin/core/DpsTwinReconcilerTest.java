package io.dpstwin.core;

import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.DeviceRecord;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.FakeDeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpsTwinReconcilerTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String HUB = "hub-a.azure-devices.net";

    private final HandFakeGateway adt = new HandFakeGateway();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** One device, one page, no queries to ADT needed beyond what the test checks. */
    static DeviceInventory inventory(String... deviceIds) {
        return new DeviceInventory() {
            @Override
            public Set<String> hubHostNames() {
                return Set.of(HUB);
            }

            @Override
            public DeviceCursor listDevices(String hubHostName) {
                Iterator<String> ids = List.of(deviceIds).iterator();
                return new DeviceCursor() {
                    private int sent;

                    @Override
                    public Optional<DeviceRecord> next() {
                        sent = 1;
                        return ids.hasNext() ? Optional.of(DeviceRecord.of(HUB, ids.next())) : Optional.empty();
                    }

                    @Override
                    public int requestsSent() {
                        return sent;
                    }

                    @Override
                    public boolean hasMorePages() {
                        return sent == 0;
                    }
                };
            }
        };
    }

    @Test
    void withoutADeviceInventoryThereIsNoReconciler() {
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).noRateLimits().build()) {
            assertThat(dpsTwin.reconciler()).isEmpty();
        }
    }

    @Test
    void theReconcilerSharesTheDefaultModelStrategyPolicyAndRegistryGuardOfTheOtherFlows() {
        DeviceRegistry guard = FakeDeviceRegistry.answering(Set.of(HUB), (hub, deviceId) -> false);
        try (DpsTwin dpsTwin = DpsTwin.builder()
                .gateway(adt)
                .noRateLimits()
                .defaultModelId(THERMOSTAT)
                .twinIdStrategy(TwinIdStrategy.prefixed("device-"))
                .lifecycleOptions(LifecycleOptions.builder()
                        .retirementPolicy(RetirementPolicy.DETACH)
                        .deviceRegistry(guard)
                        .build())
                .deviceInventory(inventory("dev-1"))
                .meterRegistry(meters)
                .build()) {

            Reconciler reconciler = dpsTwin.reconciler().orElseThrow();

            assertThat(reconciler.options().effectiveDeviceModels()).containsExactly(THERMOSTAT);
            assertThat(reconciler.options().twinIdStrategy().twinIdFor("x")).isEqualTo("device-x");
            assertThat(reconciler.options().retirementPolicy()).contains(RetirementPolicy.DETACH);
            assertThat(reconciler.options().registryGuard()).contains(guard);
        }
    }

    @Test
    void reconcileOptionsOfTheirOwnWinOverTheRetireFlows() {
        try (DpsTwin dpsTwin = DpsTwin.builder()
                .gateway(adt)
                .noRateLimits()
                .lifecycleOptions(LifecycleOptions.builder().defaultModelId(THERMOSTAT)
                        .retirementPolicy(RetirementPolicy.DETACH).build())
                .reconcileOptions(ReconcileOptions.builder().retirementPolicy(RetirementPolicy.DELETE).build())
                .deviceInventory(inventory())
                .build()) {

            ReconcileOptions options = dpsTwin.reconciler().orElseThrow().options();

            assertThat(options.retirementPolicy()).contains(RetirementPolicy.DELETE);
            assertThat(options.defaultModel()).contains(THERMOSTAT);
        }
    }

    /** A DpsTwin with an inventory whose retire flow names twins {@code device-<device id>}. */
    private DpsTwin.Builder retireFlowPrefixingDevices() {
        return DpsTwin.builder()
                .gateway(adt)
                .noRateLimits()
                .lifecycleOptions(LifecycleOptions.builder().defaultModelId(THERMOSTAT)
                        .twinIdStrategy(TwinIdStrategy.prefixed("device-")).build())
                .deviceInventory(inventory());
    }

    @Test
    void aTwinIdStrategySetOnlyForTheRetireFlowIsTheReconcilersToo() {
        try (DpsTwin dpsTwin = retireFlowPrefixingDevices().build()) {

            ReconcileOptions options = dpsTwin.reconciler().orElseThrow().options();
            assertThat(options.twinIdStrategy().twinIdFor("x")).isEqualTo("device-x");
            assertThat(options.deviceIdOfTwin().apply("device-x")).as("the registry guard is asked about x")
                    .isEqualTo("x");
        }
    }

    @Test
    void aTwinIdStrategyOfTheReconcileOptionsOwnWinsOverTheRetireFlows() {
        try (DpsTwin dpsTwin = retireFlowPrefixingDevices()
                .reconcileOptions(ReconcileOptions.builder().twinIdStrategy(TwinIdStrategy.prefixed("t-")).build())
                .build()) {

            assertThat(dpsTwin.reconciler().orElseThrow().options().twinIdStrategy().twinIdFor("x"))
                    .isEqualTo("t-x");
        }
    }

    @Test
    void aDeviceInventoryWithoutAnyDeviceModelIsRefusedAtBuild() {
        assertThatThrownBy(() -> DpsTwin.builder().gateway(adt).noRateLimits().deviceInventory(inventory()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device models");
    }

    @Test
    void aRunThroughDpsTwinReportsAndIsMetered() {
        try (DpsTwin dpsTwin = DpsTwin.builder()
                .gateway(adt)
                .noRateLimits()
                .defaultModelId(THERMOSTAT)
                .deviceInventory(inventory("dev-1"))
                .meterRegistry(meters)
                .build()) {

            adt.failNext("query", new AdtException(403, "Forbidden", "no data reader role"));
            ReconcileReport report = dpsTwin.reconciler().orElseThrow().run(true);

            assertThat(report.status()).isEqualTo(ReconcileStatus.FAILED);
            assertThat(report.error()).contains("Azure Digital Twins could not list").contains("403 Forbidden");
            assertThat(meters.get(DpsTwinMeters.RECONCILE_RUNS).tag("status", "failed").counter().count()).isEqualTo(1.0);
            assertThat(adt.calls("query")).isEqualTo(1);
        }
    }

    @Test
    void withoutARegistryReconcileRunsAreMeteredInMicrometersGlobalRegistry() {
        SimpleMeterRegistry exported = new SimpleMeterRegistry();
        Metrics.addRegistry(exported);
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).noRateLimits().defaultModelId(THERMOSTAT)
                .deviceInventory(inventory("dev-1")).build()) {
            adt.failNext("query", new AdtException(403, "Forbidden", "no data reader role"));
            dpsTwin.reconciler().orElseThrow().run(true);
        } finally {
            Metrics.removeRegistry(exported);
        }

        assertThat(exported.get(io.dpstwin.core.DpsTwinMeters.RECONCILE_RUNS).tag("status", "failed").counter().count()).isEqualTo(1.0);
    }
}
