package io.dpstwin.benchmarks.reconcile;

import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.DeviceInventoryException;
import io.dpstwin.core.reconcile.MissingTwin;
import io.dpstwin.core.reconcile.OrphanTwin;
import io.dpstwin.core.reconcile.ReconcileAction;
import io.dpstwin.core.reconcile.ReconcilePlan;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.reconcile.UnresolvedDevice;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeneratedFleetTest {

    private static final Fleet SMALL = new Fleet(2_000, 2, 7, 100);
    private static final String DTDL = "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + Fleet.MODEL
            + "\",\"@type\":\"Interface\",\"contents\":[{\"@type\":\"Property\",\"name\":\"t\",\"schema\":\"double\"}]}";

    @Test
    void theGeneratedSidesGiveTheSamePlanAsTheTestkitsStoredFakesHoldingTheSameFleet() {
        InMemoryDeviceRegistry registry = InMemoryDeviceRegistry.builder().hubs(SMALL.hubNames())
                .pageSize(SMALL.pageSize()).queriesPerMinute(100_000).build();
        Instant longAgo = Instant.now().minus(Duration.ofDays(30));
        for (int i = 0; i < SMALL.devices(); i++) {
            var record = SMALL.record(i);
            registry.add(record.hubHostName(), record.deviceId(), Map.of(), record.modelId(), longAgo);
        }
        InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
        adt.createModels(List.of(DTDL));
        for (long slot = 0; slot < SMALL.twinSlots(); slot++) {
            String id = SMALL.twinAt(slot);
            if (id != null) {
                adt.createOrReplaceTwin(DigitalTwin.of(id, Fleet.MODEL));
            }
        }

        ReconcilePlan stored = plan(adt, registry);
        ReconcilePlan generated = plan(new GeneratedTwins(SMALL, 1e6), new GeneratedHubs(SMALL, 1, 1e6));

        assertThat(generated.devicesListed()).isEqualTo(stored.devicesListed()).isEqualTo(2_000);
        assertThat(generated.twinsListed()).isEqualTo(stored.twinsListed()).isEqualTo(SMALL.twins()).isEqualTo(1_980);
        assertThat(generated.orphans()).extracting(OrphanTwin::twinId)
                .containsExactlyInAnyOrderElementsOf(stored.orphans().stream().map(OrphanTwin::twinId).toList())
                .hasSize(20);
        assertThat(generated.missing()).containsExactlyInAnyOrderElementsOf(stored.missing()).hasSize(20);
        assertThat(generated.unresolved()).extracting(UnresolvedDevice::deviceId, UnresolvedDevice::reason)
                .containsExactlyInAnyOrderElementsOf(stored.unresolved().stream()
                        .map(u -> org.assertj.core.groups.Tuple.tuple(u.deviceId(), u.reason())).toList())
                .hasSize(20);
        assertThat(generated.actions()).extracting(ReconcileAction::action, ReconcileAction::twinId)
                .containsExactlyInAnyOrderElementsOf(stored.actions().stream()
                        .map(a -> org.assertj.core.groups.Tuple.tuple(a.action(), a.twinId())).toList());
        assertThat(FleetReconcile.compare(SMALL, stored)).isEmpty();
        assertThat(FleetReconcile.compare(SMALL, generated)).isEmpty();
    }

    private static ReconcilePlan plan(DigitalTwinsGateway gateway, DeviceInventory inventory) {
        return Reconciler.builder(gateway, inventory)
                .options(FleetReconcile.options(SMALL, 100_000))
                .meterRegistry(new SimpleMeterRegistry())
                .build()
                .plan();
    }

    @Test
    void aPlanThatMissesPlantedDriftIsReportedAsDifferent() {
        ReconcilePlan plan = plan(new GeneratedTwins(SMALL, 1e6), new GeneratedHubs(SMALL, 1, 1e6));
        ReconcilePlan short1 = new ReconcilePlan(plan.runId(), plan.startedAt(), plan.plannedAt(), plan.hubs(),
                plan.deviceModels(), plan.devicesListed(), plan.twinsListed(), plan.twinsOfOtherModels(),
                plan.orphans(), plan.missing().subList(1, plan.missing().size()), plan.unresolved(),
                plan.skippedRecent(), plan.actions(), plan.warnings(), plan.retirementsWithheld());

        assertThat(FleetReconcile.compare(SMALL, short1)).singleElement().asString()
                .startsWith("missing twins: 0 not planted").contains("1 planted but not found");
        assertThat(plan.missing()).extracting(MissingTwin::modelId).containsOnly(Fleet.MODEL);
    }

    @Test
    void aHubAnswersAPageRequestOverItsQueryQuotaWith429AndTheWaitItNeeds() {
        Fleet fleet = new Fleet(30_000, 1, 7, 1_000);
        GeneratedHubs hubs = new GeneratedHubs(fleet, 1, 1.0);
        DeviceCursor cursor = hubs.listDevices(fleet.hub(0));
        for (int i = 0; i < 20 * 1_000; i++) {
            assertThat(cursor.next()).isPresent();
        }
        assertThat(cursor.requestsSent()).isEqualTo(20);

        assertThatThrownBy(cursor::next)
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.retryAfter()).hasValueSatisfying(wait ->
                            assertThat(wait).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3)));
                });
        assertThat(hubs.throttled()).isEqualTo(1);
        assertThat(cursor.hasMorePages()).isTrue();
    }

    @Test
    void theQuotaBoundMinimumCountsTheBurstOfAFullBucket() {
        // 500 pages per hub at 20 per minute: 20 at once, then one every 3 s
        assertThat(FleetReconcile.registryMinimumSeconds(new Fleet(1_000_000, 2, 7, 1_000), 1)).isEqualTo(1440.0);
        assertThat(FleetReconcile.registryMinimumSeconds(new Fleet(1_000_000, 2, 7, 1_000), 2)).isEqualTo(690.0);
        // 1,000 requests and 1,001,000 query units: the units bind
        assertThat(FleetReconcile.adtMinimumSeconds(1_000, 1_001_000)).isEqualTo(249.25);
    }
}
