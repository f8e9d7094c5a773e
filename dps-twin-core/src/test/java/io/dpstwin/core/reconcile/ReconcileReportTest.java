package io.dpstwin.core.reconcile;

import io.dpstwin.core.DpsTwinMeters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.ManualClock;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcileReportTest {

    private static final String HUB = "hub-a.azure-devices.net";
    private static final String THERMOSTAT = "dtmi:com:example:Thermostat;1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final QueryingFakeGateway adt = new QueryingFakeGateway(clock, 100);
    private final FakeInventory hubs = new FakeInventory(100, HUB);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private Reconciler reconciler(ReconcileOptions.Builder options) {
        return Reconciler.builder(adt, hubs)
                .options(options.deviceModels(THERMOSTAT).clock(clock).queriesPerMinute(100_000).build())
                .meterRegistry(meters)
                .sleeper(d -> { })
                .build();
    }

    private void drift() {
        adt.createOrReplaceTwin(DigitalTwin.of("orphan-1", THERMOSTAT));
        adt.createOrReplaceTwin(DigitalTwin.of("kept", THERMOSTAT));
        adt.createOrReplaceTwin(DigitalTwin.of("kept-2", THERMOSTAT));
        hubs.add(new DeviceRecord(HUB, "kept", null, null, null, null));
        hubs.add(new DeviceRecord(HUB, "kept-2", null, null, null, null));
        hubs.add(new DeviceRecord(HUB, "new-1", null, THERMOSTAT, null, null));
        hubs.add(new DeviceRecord(HUB, "new-2", null, THERMOSTAT, null, null));
        hubs.add(new DeviceRecord(HUB, "no-model", null, null, null, null));
        clock.advance(Duration.ofHours(1));
        adt.createOrReplaceTwin(DigitalTwin.of("fresh", THERMOSTAT));
    }

    @Test
    void aDryRunReportSerialisesCountsItemsAndPlannedActions() throws Exception {
        drift();

        JsonNode json = JSON.readTree(reconciler(ReconcileOptions.builder()).run(true).toJson());

        assertThat(json.get("dryRun").asBoolean()).isTrue();
        assertThat(json.get("status").asText()).isEqualTo("ok");
        assertThat(json.get("runId").asText()).isNotBlank();
        assertThat(Instant.parse(json.get("startedAt").asText())).isEqualTo(clock.instant());
        assertThat(json.get("hubs").get(0).asText()).isEqualTo(HUB);
        assertThat(json.get("deviceModels").get(0).asText()).isEqualTo(THERMOSTAT);
        assertThat(json.get("gracePeriodSeconds").asLong()).isEqualTo(120);
        JsonNode counts = json.get("counts");
        assertThat(counts.get("devices").asInt()).isEqualTo(5);
        assertThat(counts.get("twins").asInt()).isEqualTo(4);
        assertThat(counts.get("orphans").asInt()).isEqualTo(1);
        assertThat(counts.get("missing").asInt()).isEqualTo(2);
        assertThat(counts.get("unresolved").asInt()).isEqualTo(1);
        assertThat(counts.get("skippedRecent").asInt()).isEqualTo(1);
        assertThat(counts.get("planned").asInt()).isEqualTo(3);
        assertThat(counts.get("applied").asInt()).isZero();
        assertThat(json.get("orphans").get(0).get("twinId").asText()).isEqualTo("orphan-1");
        assertThat(json.get("orphans").get(0).get("modelId").asText()).isEqualTo(THERMOSTAT);
        assertThat(json.get("missing").get(0).get("modelSource").asText()).isEqualTo("tag");
        assertThat(json.get("unresolved").get(0).get("reason").asText()).isEqualTo("no_model");
        assertThat(json.get("skippedRecent").get(0).get("side").asText()).isEqualTo("twin");
        assertThat(json.get("planned").get(0).get("action").asText()).isEqualTo("retire");
        assertThat(json.get("planned").get(1).get("action").asText()).isEqualTo("create");
        assertThat(json.get("applied")).isEmpty();
        assertThat(json.get("failures")).isEmpty();
        assertThat(json.get("truncated").asBoolean()).isFalse();
        assertThat(json.has("error")).isFalse();
    }

    @Test
    void anAppliedReportListsOutcomesAndFailuresFlat() throws Exception {
        drift();
        adt.failNext("createTwinIfAbsent", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down"));

        JsonNode json = JSON.readTree(reconciler(ReconcileOptions.builder()).run(false).toJson());

        assertThat(json.get("status").asText()).isEqualTo("partial");
        assertThat(json.get("counts").get("outcomes").get("retired").asInt()).isEqualTo(1);
        assertThat(json.get("counts").get("outcomes").get("created").asInt()).isEqualTo(1);
        assertThat(json.get("counts").get("outcomes").get("failed").asInt()).isEqualTo(1);
        JsonNode failure = json.get("failures").get(0);
        assertThat(failure.get("action").asText()).isEqualTo("create");
        assertThat(failure.get("outcome").asText()).isEqualTo("failed");
        assertThat(failure.get("detail").asText()).startsWith("429 TooManyRequests");
        assertThat(failure.get("twinId").asText()).startsWith("new-");
        assertThat(json.get("applied")).hasSize(2);
    }

    @Test
    void itemListsAreCutToTheLimitButCountsStayComplete() throws Exception {
        for (int i = 0; i < 5; i++) {
            hubs.add(new DeviceRecord(HUB, "new-" + i, null, THERMOSTAT, null, null));
        }

        ReconcileReport report = reconciler(ReconcileOptions.builder().reportItemLimit(2)).run(false);
        JsonNode json = JSON.readTree(report.toJson());

        assertThat(json.get("truncated").asBoolean()).isTrue();
        assertThat(json.get("missing")).hasSize(2);
        assertThat(json.get("applied")).hasSize(2);
        assertThat(json.get("counts").get("missing").asInt()).isEqualTo(5);
        assertThat(json.get("counts").get("applied").asInt()).isEqualTo(5);
    }

    @Test
    void aFailedRunReportsTheErrorAndNoItems() throws Exception {
        hubs.failNext(1, new DeviceInventoryException(HUB, 401, false, null,
                "IoT hub 'hub-a.azure-devices.net' could not list its devices: IotHubUnauthorizedException", null));

        JsonNode json = JSON.readTree(reconciler(ReconcileOptions.builder()).run(true).toJson());

        assertThat(json.get("status").asText()).isEqualTo("failed");
        assertThat(json.get("error").asText()).contains("IotHubUnauthorizedException");
        assertThat(json.get("counts").get("planned").asInt()).isZero();
        assertThat(json.get("planned")).isEmpty();
    }

    @Test
    void runsAreCountedAndTimedByModeAndStatus() {
        drift();
        Reconciler reconciler = reconciler(ReconcileOptions.builder());

        reconciler.run(true);
        reconciler.run(false);
        hubs.failNext(1, new DeviceInventoryException(HUB, 403, false, null, "forbidden", null));
        reconciler.run(true);

        assertThat(meters.get(DpsTwinMeters.RECONCILE_RUNS).tag("mode", "dry_run").tag("status", "ok").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_RUNS).tag("mode", "apply").tag("status", "ok").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_RUNS).tag("mode", "dry_run").tag("status", "failed").counter()
                .count()).isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_DURATION).tag("mode", "dry_run").timer().count()).isEqualTo(2);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_DURATION).tag("mode", "apply").timer().count()).isEqualTo(1);
    }

    @Test
    void driftGaugesShowTheLastComparisonAndActionsAreCountedByOutcome() {
        drift();
        Reconciler reconciler = reconciler(ReconcileOptions.builder());

        reconciler.run(true);

        assertThat(meters.get(DpsTwinMeters.RECONCILE_DRIFT).tag("kind", "orphan").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_DRIFT).tag("kind", "missing").gauge().value()).isEqualTo(2.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_DRIFT).tag("kind", "unresolved").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_DRIFT).tag("kind", "skipped_recent").gauge().value()).isEqualTo(1.0);
        assertThat(meters.find(DpsTwinMeters.RECONCILE_ACTIONS).counters()).isEmpty();

        reconciler.run(false);
        clock.advance(Duration.ofHours(1));
        reconciler.run(true);

        assertThat(meters.get(DpsTwinMeters.RECONCILE_ACTIONS).tag("action", "retire").tag("outcome", "retired").counter()
                .count()).isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_ACTIONS).tag("action", "create").tag("outcome", "created").counter()
                .count()).isEqualTo(2.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_DRIFT).tag("kind", "orphan").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.RECONCILE_DRIFT).tag("kind", "missing").gauge().value()).isZero();
        assertThat(meters.get(DpsTwinMeters.RECONCILE_DRIFT).tag("kind", "skipped_recent").gauge().value()).isZero();
    }
}
