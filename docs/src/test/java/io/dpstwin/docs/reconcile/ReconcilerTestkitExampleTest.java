package io.dpstwin.docs.reconcile;

import io.dpstwin.core.reconcile.ActionResult;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.reconcile.SkippedItem;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.docs.retirement.Contoso;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.ManualClock;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * reconciliation.md §10: the reconciler on the testkit's in-memory hubs and ADT, one test clock for all of them, and
 * a sleeper that moves the clock instead of waiting.
 */
class ReconcilerTestkitExampleTest {

    static final String THERMOSTAT = Contoso.THERMOSTAT;

    @Test
    void throttledPagesAreRepeatedAfterTheirRetryAfterAndTheGraceWindowMovesWithTheClock() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
        String[] models = Contoso.MODELS;

        // tag::testkit[]
        InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.builder()
                .hubs("hub-a.azure-devices.net", "hub-b.azure-devices.net")
                .clock(clock)
                .pageSize(100)
                .build();
        hubs.add("hub-a.azure-devices.net", "dev-1", Map.of("dtId", "dev-1", "dtmi", THERMOSTAT), null);
        hubs.throttleQueries("hub-a.azure-devices.net", 2, Duration.ofSeconds(3));

        InMemoryDigitalTwins adt = new InMemoryDigitalTwins(AdtEngine.builder().clock(clock).build());
        adt.uploadModels(models);                               // your DTDL
        Reconciler reconciler = Reconciler.builder(adt, hubs)
                .options(ReconcileOptions.builder().deviceModels(THERMOSTAT).clock(clock).build())
                .sleeper(duration -> clock.advance(duration))    // your test clock: no real waiting in tests
                .build();
        // end::testkit[]

        ReconcileReport fresh = reconciler.run(false);

        assertThat(fresh.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(hubs.queryRequests("hub-a.azure-devices.net")).isEqualTo(3);   // two 429s, then the page
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-26T10:00:06Z"));   // Retry-After: 3 s, twice
        assertThat(fresh.skippedRecent()).extracting(SkippedItem::side, SkippedItem::id)
                .containsExactly(tuple("device", "dev-1"));
        assertThat(adt.getTwin("dev-1")).isEmpty();

        clock.advance(Duration.ofMinutes(3));
        ReconcileReport later = reconciler.run(false);

        assertThat(later.applied()).extracting(a -> a.action().twinId(), ActionResult::outcome)
                .containsExactly(tuple("dev-1", ActionResult.Outcome.CREATED));
        assertThat(adt.getTwin("dev-1")).map(DigitalTwin::modelId).contains(THERMOSTAT);
    }
}
