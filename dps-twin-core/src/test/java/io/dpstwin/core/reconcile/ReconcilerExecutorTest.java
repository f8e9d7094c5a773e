package io.dpstwin.core.reconcile;

import io.dpstwin.core.testing.ReconcileTesting;
import io.dpstwin.core.ManualClock;
import io.dpstwin.core.support.HostExecutor;
import io.dpstwin.core.twins.DigitalTwin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconciler on a host's executor: its listings and actions run there, at most parallelism at a time. */
class ReconcilerExecutorTest {

    private static final String HUB_A = "hub-a.azure-devices.net";
    private static final String HUB_B = "hub-b.azure-devices.net";
    private static final String HUB_C = "hub-c.azure-devices.net";
    private static final String THERMOSTAT = "dtmi:com:example:Thermostat;1";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final QueryingFakeGateway adt = new QueryingFakeGateway(clock, 10);
    private final FakeInventory hubs = new FakeInventory(10, HUB_A, HUB_B, HUB_C);
    private final HostExecutor host = new HostExecutor();

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void theHostsExecutorListsTheHubsAndAppliesThePlanAtMostParallelismAtATime() throws Exception {
        Instant longAgo = clock.instant().minus(Duration.ofDays(2));
        for (int i = 0; i < 30; i++) {
            String hub = i % 3 == 0 ? HUB_A : i % 3 == 1 ? HUB_B : HUB_C;
            hubs.add(new DeviceRecord(hub, "dev-" + i, null, THERMOSTAT, null, longAgo));
        }
        for (int i = 0; i < 6; i++) {
            adt.createOrReplaceTwin(DigitalTwin.of("gone-" + i, THERMOSTAT));
        }
        clock.advance(Duration.ofHours(1));
        Reconciler reconciler = Reconciler.builder(adt, hubs)
                .options(ReconcileTesting.unthrottled(THERMOSTAT, clock)
                        .maxRetirementShare(1.0)
                        .parallelism(2)
                        .build())
                .executor(host)
                .build();

        ReconcileReport report = reconciler.run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.counts().devices()).isEqualTo(30);
        assertThat(report.counts().outcomes()).containsEntry("created", 30).containsEntry("retired", 6);
        assertThat(adt.twinIds()).hasSize(30).doesNotContain("gone-0");
        // three hubs listed and 36 actions: all on the host's threads, never more than two at once
        assertThat(host.tasks()).isPositive();
        assertThat(host.threadNames()).allSatisfy(name -> assertThat(name).startsWith(HostExecutor.THREAD_PREFIX));
        assertThat(host.maxRunning()).isBetween(1, 2);
        // the reconciler stops using the host's executor after each run; it does not shut it down
        assertThat(host.isShutdown()).isFalse();
        assertThat(host.stillRuns()).isTrue();
    }
}
