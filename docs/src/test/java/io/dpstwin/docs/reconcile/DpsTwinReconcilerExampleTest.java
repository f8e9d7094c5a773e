package io.dpstwin.docs.reconcile;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.reconcile.ActionResult;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.docs.retirement.Contoso;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.dpstwin.docs.retirement.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * reconciliation.md §9: the reconciler of a {@link DpsTwin}, over the official SDK and the HTTPS ADT emulator, sharing
 * the retire flow's registry guard and the builder's default model.
 */
class DpsTwinReconcilerExampleTest {

    /** The emulator writes an hour in the past, so that nothing seeded is inside the grace window. */
    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .models(Contoso.MODELS)
            .configure(emulator -> emulator.engine(AdtEngine.builder()
                    .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1))).build()))
            .build();

    static final String HUB = "contoso-hub-1.azure-devices.net";

    @Test
    void theReconcilerOfDpsTwinRetiresOrphansAndCreatesMissingTwinsOfTheDefaultModel() {
        InMemoryDigitalTwins seed = new InMemoryDigitalTwins(ADT.emulator().engine());
        seed.createOrReplaceTwin(DigitalTwin.of("thermostat-1", THERMOSTAT));
        seed.createOrReplaceTwin(DigitalTwin.of("thermostat-17", THERMOSTAT));
        InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.of(HUB);
        Instant longAgo = Instant.now().minus(Duration.ofDays(2));
        hubs.add(HUB, "thermostat-1", Map.of("dtId", "thermostat-1"), null, longAgo);
        hubs.add(HUB, "new-5", Map.of(), null, longAgo);
        DigitalTwinsClient client = ADT.client();
        DeviceRegistry registry = hubs;
        DeviceInventory inventory = hubs;
        MeterRegistry meterRegistry = new SimpleMeterRegistry();

        // tag::dps-twin[]
        DpsTwin dpsTwin = DpsTwin.builder()
                .digitalTwinsClient(client)
                .defaultModelId("dtmi:com:contoso:Thermostat;1")
                .lifecycleOptions(LifecycleOptions.builder()
                        .deviceRegistry(registry)        // e.g. IotHubDeviceRegistry.fromCredential(hubs, credential)
                        .build())
                .deviceInventory(inventory)              // e.g. IotHubDeviceInventory.fromCredential(hubs, credential)
                .reconcileOptions(ReconcileOptions.builder()
                        .deviceModels("dtmi:com:contoso:Thermostat;1", "dtmi:com:contoso:Sensor;1")
                        .build())
                .meterRegistry(meterRegistry)
                .build();

        ReconcileReport report = dpsTwin.reconciler().orElseThrow().run(false);
        // end::dps-twin[]

        try {
            assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
            assertThat(report.applied()).extracting(a -> a.action().twinId(), ActionResult::outcome)
                    .containsExactlyInAnyOrder(tuple("thermostat-17", ActionResult.Outcome.RETIRED),
                            tuple("new-5", ActionResult.Outcome.CREATED));
            assertThat(seed.getTwin("new-5")).map(DigitalTwin::modelId).contains(THERMOSTAT);
            assertThat(seed.getTwin("thermostat-17")).isEmpty();
            assertThat(hubs.registryReads(HUB)).isEqualTo(1);                      // the shared guard asked
            assertThat(dpsTwin.reconciler().orElseThrow().options().registryGuard()).containsSame(registry);
            assertThat(meterRegistry.get("dpstwin.reconcile.runs").tag("mode", "apply").tag("status", "ok")
                    .counter().count()).isEqualTo(1.0);
            assertThat(meterRegistry.get("dpstwin.adt.requests").timers()).isNotEmpty();
        } finally {
            dpsTwin.close();
        }
        try (DpsTwin withoutInventory = DpsTwin.builder().digitalTwinsClient(client).build()) {
            assertThat(withoutInventory.reconciler()).isEmpty();
        }
    }
}
