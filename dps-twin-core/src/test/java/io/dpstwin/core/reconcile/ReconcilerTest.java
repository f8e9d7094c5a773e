package io.dpstwin.core.reconcile;

import io.dpstwin.core.testing.ReconcileTesting;
import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.ManualClock;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.FakeDeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcilerTest {

    static final String HUB_A = "hub-a.azure-devices.net";
    static final String HUB_B = "hub-b.azure-devices.net";
    static final String THERMOSTAT = "dtmi:com:example:Thermostat;1";
    static final String SENSOR = "dtmi:com:example:Sensor;1";
    static final String GATEWAY = "dtmi:com:example:Gateway;1";

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
    final QueryingFakeGateway adt = new QueryingFakeGateway(clock, 10);
    final FakeInventory hubs = new FakeInventory(10, HUB_A, HUB_B);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    ReconcileOptions.Builder options() {
        return ReconcileTesting.unthrottled(THERMOSTAT, clock);
    }

    Reconciler reconciler(ReconcileOptions.Builder options) {
        return Reconciler.builder(adt, hubs)
                .options(options.build())
                .meterRegistry(meters)
                .sleeper(sleeps::add)
                .build();
    }

    Instant longAgo() {
        return clock.instant().minus(Duration.ofDays(2));
    }

    DeviceRecord device(String hub, String id) {
        return new DeviceRecord(hub, id, null, null, null, longAgo());
    }

    void twin(String id, String model) {
        adt.createOrReplaceTwin(DigitalTwin.of(id, model));
    }

    /** Twins written so far are older than the grace window from now on. */
    void letTimePass() {
        clock.advance(Duration.ofHours(1));
    }

    /**
     * 100 device records and 100 twins: 93 devices with a twin (dev-000 and dev-001 are registered in both hubs, as
     * during a DPS move, so 95 records map to those 93 twins), 5 devices without a twin and 7 twins without a device.
     */
    void hundredAndHundred() {
        for (int i = 0; i < 93; i++) {
            String id = String.format("dev-%03d", i);
            hubs.add(device(i < 50 ? HUB_A : HUB_B, id));
            twin(id, THERMOSTAT);
        }
        hubs.add(device(HUB_B, "dev-000")).add(device(HUB_B, "dev-001"));
        for (int i = 0; i < 5; i++) {
            hubs.add(new DeviceRecord(HUB_A, "new-" + i, null, THERMOSTAT, null, longAgo()));
        }
        for (int i = 0; i < 7; i++) {
            twin("gone-" + i, THERMOSTAT);
        }
        letTimePass();
    }

    @Test
    void aDryRunOfAHundredDevicesAndAHundredTwinsPlansExactlySevenRetirementsAndFiveCreations() {
        hundredAndHundred();
        Set<String> before = adt.twinIds();

        ReconcileReport report = reconciler(options()).run(true);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.dryRun()).isTrue();
        assertThat(report.counts().devices()).isEqualTo(100);
        assertThat(report.counts().twins()).isEqualTo(100);
        assertThat(report.orphans()).extracting(OrphanTwin::twinId)
                .containsExactlyInAnyOrder("gone-0", "gone-1", "gone-2", "gone-3", "gone-4", "gone-5", "gone-6");
        assertThat(report.missing()).extracting(MissingTwin::twinId)
                .containsExactlyInAnyOrder("new-0", "new-1", "new-2", "new-3", "new-4");
        assertThat(report.planned()).hasSize(12);
        assertThat(report.planned()).filteredOn(a -> a.action() == ReconcileAction.Kind.RETIRE).hasSize(7);
        assertThat(report.planned()).filteredOn(a -> a.action() == ReconcileAction.Kind.CREATE)
                .allSatisfy(a -> assertThat(a.modelId()).isEqualTo(THERMOSTAT))
                .hasSize(5);
        assertThat(report.applied()).isEmpty();
        assertThat(report.failures()).isEmpty();
        assertThat(adt.twinIds()).isEqualTo(before);
        assertThat(adt.writes()).isEqualTo(100);
    }

    @Test
    void applyingThePlanRepairsTheDriftAndTheNextRunFindsNone() {
        hundredAndHundred();
        Reconciler reconciler = reconciler(options());

        ReconcileReport applied = reconciler.run(false);

        assertThat(applied.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(applied.counts().outcomes()).containsEntry("retired", 7).containsEntry("created", 5);
        assertThat(adt.twinIds()).hasSize(98).doesNotContain("gone-0").contains("new-0", "new-4");
        assertThat(adt.getTwin("new-3")).get().extracting(DigitalTwin::modelId).isEqualTo(THERMOSTAT);

        letTimePass();
        ReconcileReport again = reconciler.run(false);

        assertThat(again.counts().orphans()).isZero();
        assertThat(again.counts().missing()).isZero();
        assertThat(again.planned()).isEmpty();
        assertThat(again.counts().twins()).isEqualTo(98);
    }

    @Test
    void planThenApplyIsTheSameAsRun() {
        hundredAndHundred();
        Reconciler reconciler = reconciler(options());

        ReconcilePlan plan = reconciler.plan();
        assertThat(adt.twinIds()).contains("gone-3");
        ReconcileReport report = reconciler.apply(plan);

        assertThat(report.runId()).isEqualTo(plan.runId());
        assertThat(report.applied()).hasSize(12);
        assertThat(adt.twinIds()).doesNotContain("gone-3").contains("new-2");
    }

    @Test
    void aDeviceMapsToItsDtIdTagElseToTheTwinIdStrategy() {
        hubs.add(new DeviceRecord(HUB_A, "dev-1", "room-7-thermostat", null, null, longAgo()));
        hubs.add(device(HUB_A, "dev-2"));
        twin("room-7-thermostat", THERMOSTAT);
        twin("device-dev-2", THERMOSTAT);
        twin("dev-1", THERMOSTAT);
        letTimePass();

        ReconcilePlan plan = reconciler(options().twinIdStrategy(TwinIdStrategy.prefixed("device-"))
                .maxRetirementShare(1.0)).plan();

        assertThat(plan.orphans()).extracting(OrphanTwin::twinId).containsExactly("dev-1");
        assertThat(plan.missing()).isEmpty();
    }

    @Test
    void theModelOfAMissingTwinComesFromTheTagThenTheModelIdThenTheDefault() {
        hubs.add(new DeviceRecord(HUB_A, "tagged", null, SENSOR, GATEWAY, longAgo()));
        hubs.add(new DeviceRecord(HUB_A, "pnp", null, null, GATEWAY, longAgo()));
        hubs.add(device(HUB_A, "plain"));

        ReconcilePlan plan = reconciler(options().defaultModel(SENSOR)).plan();

        assertThat(plan.missing()).extracting(MissingTwin::twinId, MissingTwin::modelId, MissingTwin::modelSource)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("tagged", SENSOR, "tag"),
                        org.assertj.core.groups.Tuple.tuple("pnp", GATEWAY, "modelId"),
                        org.assertj.core.groups.Tuple.tuple("plain", SENSOR, "default"));
    }

    @Test
    void aDeviceWithoutAnyModelOrWithAnInvalidOneIsReportedAndNeverCreated() {
        hubs.add(device(HUB_A, "nameless"));
        hubs.add(new DeviceRecord(HUB_A, "bad-tag", null, "not a dtmi", null, longAgo()));
        hubs.add(new DeviceRecord(HUB_A, "bad-pnp", null, null, "dtmi:bad model", longAgo()));

        ReconcileReport report = reconciler(options()).run(false);

        assertThat(report.unresolved()).extracting(UnresolvedDevice::deviceId, UnresolvedDevice::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("nameless", UnresolvedDevice.NO_MODEL),
                        org.assertj.core.groups.Tuple.tuple("bad-tag", UnresolvedDevice.INVALID_MODEL_ID),
                        org.assertj.core.groups.Tuple.tuple("bad-pnp", UnresolvedDevice.INVALID_MODEL_ID));
        assertThat(report.planned()).isEmpty();
        assertThat(adt.twinIds()).isEmpty();
    }

    @Test
    void anUnusableDtIdTagIsReportedAndTheStrategysTwinIsNotRetired() {
        hubs.add(new DeviceRecord(HUB_A, "dev-1", " padded ", THERMOSTAT, null, longAgo()));
        twin("dev-1", THERMOSTAT);
        letTimePass();

        ReconcilePlan plan = reconciler(options()).plan();

        assertThat(plan.unresolved()).singleElement()
                .extracting(UnresolvedDevice::reason).isEqualTo(UnresolvedDevice.INVALID_TWIN_ID);
        assertThat(plan.orphans()).isEmpty();
        assertThat(plan.actions()).isEmpty();
    }

    @Test
    void aDeviceWhoseTwinHasAModelOutsideTheDeviceModelsIsNotMissing() {
        hubs.add(device(HUB_A, "gw-1"));
        hubs.add(device(HUB_A, "o'brien\\2"));
        twin("gw-1", GATEWAY);
        twin("o'brien\\2", GATEWAY);
        letTimePass();

        ReconcileReport report = reconciler(options()).run(false);

        assertThat(report.counts().missing()).isZero();
        assertThat(report.counts().twinsOfOtherModels()).isEqualTo(2);
        assertThat(adt.queries()).anySatisfy(q -> assertThat(QueryLiterals.parse(q).literals())
                .contains("o'brien\\2", "gw-1"));
        assertThat(adt.calls("createTwinIfAbsent")).isZero();
    }

    @Test
    void twinIdsWithQuotesAndBackslashesAreComparedAndRetiredExactly() {
        hubs.add(device(HUB_A, "it's-here"));
        twin("it's-here", THERMOSTAT);
        twin("it's-gone\\", THERMOSTAT);
        twin("it's-kept", THERMOSTAT);
        letTimePass();

        ReconcileReport report = reconciler(options().maxRetirementShare(1.0)).run(false);

        assertThat(report.applied()).extracting(r -> r.action().twinId())
                .containsExactlyInAnyOrder("it's-gone\\", "it's-kept");
        assertThat(adt.twinIds()).containsExactly("it's-here");
    }

    @Test
    void modelIdsAreSentAsEscapedLiteralsOfIsOfModel() {
        hubs.add(device(HUB_A, "dev-1"));

        reconciler(options().deviceModels(THERMOSTAT, SENSOR)).plan();

        assertThat(adt.queries()).contains(
                "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('" + SENSOR + "')",
                "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('" + THERMOSTAT + "')");
    }

    @Test
    void aTwinUpdatedWithinTheGraceWindowIsNotRetired() {
        twin("old-orphan", THERMOSTAT);
        letTimePass();
        twin("fresh-orphan", THERMOSTAT);
        clock.advance(Duration.ofSeconds(119));
        Reconciler reconciler = reconciler(options().maxRetirementShare(1.0));

        ReconcileReport report = reconciler.run(false);

        assertThat(report.skippedRecent()).singleElement().satisfies(item -> {
            assertThat(item.side()).isEqualTo(SkippedItem.TWIN);
            assertThat(item.id()).isEqualTo("fresh-orphan");
        });
        assertThat(adt.twinIds()).containsExactly("fresh-orphan");

        clock.advance(Duration.ofSeconds(2));
        reconciler.run(false);
        assertThat(adt.twinIds()).isEmpty();
    }

    @Test
    void aDeviceChangedWithinTheGraceWindowGetsNoTwinYet() {
        hubs.add(new DeviceRecord(HUB_A, "fresh", null, THERMOSTAT, null, clock.instant().minusSeconds(30)));
        hubs.add(new DeviceRecord(HUB_A, "timeless", null, THERMOSTAT, null, null));
        Reconciler reconciler = reconciler(options().gracePeriod(Duration.ofSeconds(60)));

        ReconcileReport report = reconciler.run(false);

        assertThat(report.skippedRecent()).singleElement().satisfies(item -> {
            assertThat(item.side()).isEqualTo(SkippedItem.DEVICE);
            assertThat(item.id()).isEqualTo("fresh");
            assertThat(item.hubHostName()).isEqualTo(HUB_A);
        });
        assertThat(adt.twinIds()).containsExactly("timeless");

        clock.advance(Duration.ofSeconds(31));
        reconciler.run(false);
        assertThat(adt.twinIds()).containsExactlyInAnyOrder("timeless", "fresh");
    }

    @Test
    void tooManyOrphansWithholdEveryRetirementButMissingTwinsAreStillCreated() {
        for (int i = 0; i < 5; i++) {
            twin("orphan-" + i, THERMOSTAT);
        }
        hubs.add(device(HUB_A, "kept")).add(new DeviceRecord(HUB_A, "new", null, THERMOSTAT, null, longAgo()));
        twin("kept", THERMOSTAT);
        letTimePass();

        ReconcileReport report = reconciler(options().maxRetirements(4).maxRetirementShare(1.0)).run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.PARTIAL);
        assertThat(report.counts().orphans()).isEqualTo(5);
        assertThat(report.warnings()).singleElement().asString().contains("maxRetirements (4)");
        assertThat(report.planned()).extracting(ReconcileAction::action).containsExactly(ReconcileAction.Kind.CREATE);
        assertThat(adt.twinIds()).contains("orphan-0", "orphan-4", "new");
    }

    @Test
    void orphansAboveTheShareLimitWithholdEveryRetirement() {
        for (int i = 0; i < 6; i++) {
            String id = "dev-" + i;
            twin(id, THERMOSTAT);
            if (i < 2) {
                hubs.add(device(HUB_A, id));
            }
        }
        letTimePass();

        ReconcileReport report = reconciler(options()).run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.PARTIAL);
        assertThat(report.warnings()).singleElement().asString().contains("4 of 6").contains("maxRetirementShare");
        assertThat(adt.twinIds()).hasSize(6);
    }

    @Test
    void theRegistryGuardKeepsTheTwinOfADeviceRegisteredWhileTheRunWasListing() {
        twin("moved-in", THERMOSTAT);
        twin("really-gone", THERMOSTAT);
        letTimePass();
        Map<String, Integer> asked = new ConcurrentHashMap<>();
        DeviceRegistry guard = FakeDeviceRegistry.answering(Set.of(HUB_A), (hub, deviceId) -> {
            asked.merge(deviceId, 1, Integer::sum);
            return deviceId.equals("moved-in");
        });

        ReconcileReport report = reconciler(options().registryGuard(guard).maxRetirementShare(1.0)).run(false);

        assertThat(report.applied()).extracting(r -> r.action().twinId(), ActionResult::outcome)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("moved-in", ActionResult.Outcome.DEVICE_STILL_REGISTERED),
                        org.assertj.core.groups.Tuple.tuple("really-gone", ActionResult.Outcome.RETIRED));
        assertThat(asked).containsOnlyKeys("moved-in", "really-gone");
        assertThat(adt.twinIds()).containsExactly("moved-in");
    }

    @Test
    void aRegistryGuardThatCannotAnswerKeepsTheTwinAndFailsOnlyThatAction() {
        twin("unsure", THERMOSTAT);
        letTimePass();
        DeviceRegistry guard = FakeDeviceRegistry.answering(Set.of(HUB_A), (hub, deviceId) -> {
            throw new io.dpstwin.core.retirement.DeviceRegistryException(hub, true, "hub throttled (429)", null);
        });

        ReconcileReport report = reconciler(options().registryGuard(guard).maxRetirementShare(1.0)).run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.PARTIAL);
        assertThat(report.failures()).singleElement().extracting(ActionResult::detail).asString()
                .contains("registry guard").contains("429");
        assertThat(adt.twinIds()).containsExactly("unsure");
    }

    @Test
    void theRegistryGuardIsAskedAboutTheInverseOfTheTwinIdStrategy() {
        twin("device-abc", THERMOSTAT);
        letTimePass();
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        DeviceRegistry guard = FakeDeviceRegistry.answering(Set.of(HUB_A, HUB_B), (hub, deviceId) -> {
            asked.add(hub + "/" + deviceId);
            return false;
        });

        reconciler(options().twinIdStrategy(TwinIdStrategy.prefixed("device-"))
                .deviceIdOfTwin(id -> id.substring("device-".length()))
                .registryGuard(guard).maxRetirementShare(1.0)).run(false);

        assertThat(asked).containsExactlyInAnyOrder(HUB_A + "/abc", HUB_B + "/abc");
    }

    @Test
    void aFailedActionIsRecordedAndTheOthersGoOn() {
        hundredAndHundred();
        adt.failNext("createTwinIfAbsent",
                new AdtException(400, AdtErrorCodes.VALIDATION_FAILED, "model not found"));
        adt.createOrReplaceRelationship(Relationship.of("rel-1", "gone-0", "dev-010", "contains"));
        RetirementPolicy refuseGone1 = (gateway, request) -> {
            if (request.twinId().equals("gone-1")) {
                throw new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "try later");
            }
            return RetirementPolicy.DELETE.retire(gateway, request);
        };
        letTimePass();

        ReconcileReport report = reconciler(options().retirementPolicy(refuseGone1)).run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.PARTIAL);
        assertThat(report.failures()).hasSize(2);
        assertThat(report.failures()).extracting(ActionResult::detail)
                .anySatisfy(d -> assertThat(d).contains("400 ValidationFailed"))
                .anySatisfy(d -> assertThat(d).contains("503 ServiceUnavailable"));
        assertThat(report.applied()).hasSize(10);
        assertThat(adt.twinIds()).contains("gone-1").doesNotContain("gone-0", "gone-6");
        assertThat(adt.relationshipCount()).isZero();
    }

    @Test
    void aHubThatCannotBeListedFailsTheRunAndChangesNothing() {
        hundredAndHundred();
        hubs.failNext(1, new DeviceInventoryException(HUB_A, 401, false, null, "unauthorized", null));
        Reconciler reconciler = reconciler(options());

        ReconcileReport report = reconciler.run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.FAILED);
        assertThat(report.error()).contains("could not be listed").contains("unauthorized");
        assertThat(report.planned()).isEmpty();
        assertThat(adt.writes()).isEqualTo(100);
        assertThat(sleeps).isEmpty();

        hubs.failNext(1, new DeviceInventoryException(HUB_B, 403, false, null, "forbidden", null));
        assertThatThrownBy(reconciler::plan).isInstanceOf(ReconcileException.class).hasMessageContaining("forbidden");
    }

    @Test
    void aFailingTwinQueryFailsTheRunAndChangesNothing() {
        hundredAndHundred();
        adt.failNextQuery(new AdtException(400, AdtErrorCodes.SQL_QUERY_ERROR, "bad query"));

        ReconcileReport report = reconciler(options()).run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.FAILED);
        assertThat(report.error()).contains("400 SqlQueryError");
        assertThat(adt.writes()).isEqualTo(100);
    }

    @Test
    void throttledDevicePagesAreRepeatedAfterTheRetryAfterTheHubAsksFor() {
        hundredAndHundred();
        hubs.failNext(3, DeviceInventoryException.throttled(HUB_A, Duration.ofSeconds(7)));

        ReconcileReport report = reconciler(options()).run(true);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.counts().devices()).isEqualTo(100);
        assertThat(report.counts().orphans()).isEqualTo(7);
        assertThat(sleeps).hasSize(3).containsOnly(Duration.ofSeconds(7));
        assertThat(meters.find(DpsTwinMeters.RETRY_RETRIES).tag("retry", "iothub.query").tag("failure", "429").counter())
                .isNotNull()
                .extracting(c -> c.count()).isEqualTo(3.0);
    }

    @Test
    void throttlingWithoutRetryAfterBacksOffExponentially() {
        hubs.add(device(HUB_A, "dev-1"));
        hubs.failNext(3, DeviceInventoryException.throttled(HUB_A, null));

        ReconcileReport report = reconciler(options().registryRetry(io.dpstwin.core.twins.RetryBudget.builder()
                .maxAttempts(5).initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                .maxTotalTime(Duration.ofMinutes(5)).build())).run(true);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(sleeps).hasSize(3);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
        assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(6000));
    }

    @Test
    void throttlingBeyondTheRetryBudgetFailsTheRun() {
        hubs.add(device(HUB_A, "dev-1"));
        hubs.failNext(10, DeviceInventoryException.throttled(HUB_A, Duration.ofSeconds(1)));

        ReconcileReport report = reconciler(options().registryRetry(io.dpstwin.core.twins.RetryBudget.builder()
                .maxAttempts(3).build())).run(true);

        assertThat(report.status()).isEqualTo(ReconcileStatus.FAILED);
        assertThat(report.error()).contains("429");
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void everyPageRequestIsPrecededByItsOwnPermitOfTheHubsQueryLimiter() {
        for (int i = 0; i < 25; i++) {
            hubs.add(device(HUB_A, "a-" + i));
        }
        hubs.add(device(HUB_B, "b-0"));
        hubs.failNext(1, DeviceInventoryException.throttled(HUB_A, Duration.ofSeconds(1)));
        Reconciler reconciler = reconciler(options().parallelism(1));

        reconciler.plan();

        // hub a: 3 pages + 1 repeated request; hub b: 1 page. One permit per request, none wasted.
        assertThat(hubs.requests()).isEqualTo(5);
        assertThat(reconciler.limiters().queries(HUB_A).admitted()).isEqualTo(4);
        assertThat(reconciler.limiters().queries(HUB_B).admitted()).isEqualTo(1);
    }

    @Test
    void aPlanOlderThanTheMaximumAgeIsNotApplied() {
        twin("orphan", THERMOSTAT);
        letTimePass();
        Reconciler reconciler = reconciler(options().maxRetirementShare(1.0));
        ReconcilePlan plan = reconciler.plan();

        clock.advance(Duration.ofMinutes(16));

        assertThatThrownBy(() -> reconciler.apply(plan))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plan again");
        assertThat(adt.twinIds()).containsExactly("orphan");
    }

    @Test
    void aReconcilerNeedsADeviceModel() {
        assertThatThrownBy(() -> Reconciler.builder(adt, hubs).options(ReconcileOptions.defaults()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device models");
    }

    @Test
    void theDefaultModelIsADeviceModelToo() {
        twin("orphan", SENSOR);
        letTimePass();

        ReconcilePlan plan = reconciler(ReconcileOptions.builder().defaultModel(SENSOR).clock(clock)
                .maxRetirementShare(1.0)).plan();

        assertThat(plan.deviceModels()).containsExactly(SENSOR);
        assertThat(plan.orphans()).extracting(OrphanTwin::twinId).containsExactly("orphan");
    }
}
