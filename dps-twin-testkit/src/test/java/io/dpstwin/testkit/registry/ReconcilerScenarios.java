package io.dpstwin.testkit.registry;

import io.dpstwin.core.testing.ReconcileTesting;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.reconcile.ActionResult;
import io.dpstwin.core.internal.reconcile.AdtQueries;
import io.dpstwin.core.reconcile.MissingTwin;
import io.dpstwin.core.reconcile.OrphanTwin;
import io.dpstwin.core.reconcile.ReconcileAction;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.reconcile.SkippedItem;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The reconciler against the testkit's ADT engine, with its query subset, DTDL checks and $lastUpdateTime, and the
 * in-memory device registry. Subclasses choose how the reconciler reaches the engine: in memory, or through the
 * official SDK and the HTTPS emulator. Every scenario seeds through an in-memory gateway on the same engine.
 */
abstract class ReconcilerScenarios {

    static final String HUB_A = "hub-a.azure-devices.net";
    static final String HUB_B = "hub-b.azure-devices.net";
    static final String THERMOSTAT = "dtmi:com:example:reconcile:Thermostat;1";
    static final String GATEWAY = "dtmi:com:example:reconcile:Gateway;1";
    static final String FLOOR = "dtmi:com:example:reconcile:Floor;1";
    static final String[] MODELS = {
            "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + THERMOSTAT + "\",\"@type\":\"Interface\","
                    + "\"contents\":[{\"@type\":\"Property\",\"name\":\"temperature\",\"schema\":\"double\"}]}",
            "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + GATEWAY + "\",\"@type\":\"Interface\","
                    + "\"contents\":[{\"@type\":\"Property\",\"name\":\"name\",\"schema\":\"string\"}]}",
            "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + FLOOR + "\",\"@type\":\"Interface\","
                    + "\"contents\":[{\"@type\":\"Relationship\",\"name\":\"contains\"}]}"};
    static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    /** The clock of the engine, the registry and the reconciler; moves only when a test moves it. */
    static final ManualClock CLOCK = new ManualClock(START);

    /** An engine on {@link #CLOCK} with small query pages, so that every listing takes several pages. */
    static AdtEngine newEngine() {
        return AdtEngine.builder().clock(CLOCK).defaultQueryPageSize(30).build();
    }

    InMemoryDigitalTwins seed;
    InMemoryDeviceRegistry hubs;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    /** Makes {@link #engine()} fresh: no twins, {@link #MODELS} uploaded, no lag, counters at zero. */
    abstract void resetAdt();

    /** The engine every scenario runs on. */
    abstract AdtEngine engine();

    /** The gateway the reconciler uses to reach {@link #engine()}. */
    abstract DigitalTwinsGateway reconcilerGateway();

    @BeforeEach
    void freshRegistryAndSeed() {
        resetAdt();
        seed = new InMemoryDigitalTwins(engine());
        hubs = InMemoryDeviceRegistry.builder().hubs(HUB_A, HUB_B).clock(CLOCK).pageSize(25).build();
    }

    ReconcileOptions.Builder options() {
        return ReconcileTesting.unthrottled(THERMOSTAT, CLOCK);
    }

    Reconciler reconciler(ReconcileOptions.Builder options) {
        return Reconciler.builder(reconcilerGateway(), hubs)
                .options(options.build())
                .meterRegistry(meters)
                .sleeper(sleeps::add)
                .build();
    }

    void twin(String id, String model) {
        seed.createOrReplaceTwin(DigitalTwin.of(id, model));
    }

    void device(String hub, String id, Map<String, Object> tags) {
        hubs.add(hub, id, tags, null, CLOCK.instant().minus(Duration.ofDays(2)));
    }

    /** Everything written so far is older than the grace window from now on. */
    static void letTimePass() {
        CLOCK.advance(Duration.ofHours(1));
    }

    /** Every twin as the engine stores it, etag and metadata included. */
    Map<String, JsonNode> graph() {
        Map<String, JsonNode> twins = new LinkedHashMap<>();
        for (String id : engine().twinIds()) {
            twins.put(id, engine().getTwin(id));
        }
        return twins;
    }

    long writes() {
        return engine().counters().count(AdtOperation.PUT_TWIN) + engine().counters().count(AdtOperation.DELETE_TWIN)
                + engine().counters().count(AdtOperation.PATCH_TWIN)
                + engine().counters().count(AdtOperation.PUT_RELATIONSHIP)
                + engine().counters().count(AdtOperation.DELETE_RELATIONSHIP);
    }

    /**
     * 100 device records and 100 twins: 93 devices with a twin (dev-000 and dev-001 are also registered in hub B, as
     * during a DPS move, so 95 records map to those 93 twins), 5 devices without a twin, 7 twins without a device.
     * Orphan gone-0 sits in the graph under a floor.
     */
    void hundredDevicesAndHundredTwins() {
        for (int i = 0; i < 93; i++) {
            String id = String.format("dev-%03d", i);
            device(i < 50 ? HUB_A : HUB_B, id, Map.of("dtId", id, "dtmi", THERMOSTAT));
            twin(id, THERMOSTAT);
        }
        device(HUB_B, "dev-000", Map.of("dtId", "dev-000", "dtmi", THERMOSTAT));
        device(HUB_B, "dev-001", Map.of());
        for (int i = 0; i < 5; i++) {
            device(HUB_A, "new-" + i, Map.of("dtmi", THERMOSTAT));
        }
        for (int i = 0; i < 7; i++) {
            twin("gone-" + i, THERMOSTAT);
        }
        seed.createOrReplaceTwin(DigitalTwin.of("floor-1", FLOOR));
        seed.createOrReplaceRelationship(Relationship.of("floor-1-gone-0", "floor-1", "gone-0", "contains"));
        letTimePass();
    }

    @Test
    void aDryRunOfAHundredDevicesAndAHundredTwinsPlansExactlySevenRetirementsAndFiveCreationsAndChangesNothing() {
        hundredDevicesAndHundredTwins();
        Map<String, JsonNode> before = graph();
        long writesBefore = writes();

        ReconcileReport report = reconciler(options()).run(true);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.counts().devices()).isEqualTo(100);
        assertThat(report.counts().twins()).isEqualTo(100);
        assertThat(report.orphans()).extracting(OrphanTwin::twinId)
                .containsExactlyInAnyOrder("gone-0", "gone-1", "gone-2", "gone-3", "gone-4", "gone-5", "gone-6");
        assertThat(report.missing()).extracting(MissingTwin::twinId, MissingTwin::modelId)
                .containsExactlyInAnyOrder(tuple("new-0", THERMOSTAT), tuple("new-1", THERMOSTAT),
                        tuple("new-2", THERMOSTAT), tuple("new-3", THERMOSTAT), tuple("new-4", THERMOSTAT));
        assertThat(report.planned()).hasSize(12)
                .filteredOn(a -> a.action() == ReconcileAction.Kind.RETIRE).hasSize(7);
        assertThat(report.unresolved()).isEmpty();
        assertThat(report.skippedRecent()).isEmpty();
        assertThat(graph()).isEqualTo(before);
        assertThat(writes()).isEqualTo(writesBefore);
    }

    @Test
    void applyingThePlanRepairsTheDriftAndTheNextRunFindsNone() throws Exception {
        hundredDevicesAndHundredTwins();
        Reconciler reconciler = reconciler(options());

        ReconcileReport applied = reconciler.run(false);

        assertThat(applied.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(applied.counts().outcomes()).containsOnly(Map.entry("retired", 7), Map.entry("created", 5));
        assertThat(engine().twinIds()).hasSize(99).doesNotContain("gone-0", "gone-6").contains("new-0", "floor-1");
        assertThat(engine().getTwin("new-4").path("$metadata").path("$model").asText()).isEqualTo(THERMOSTAT);
        assertThat(engine().relationshipCount()).isZero();
        JsonNode json = new ObjectMapper().readTree(applied.toJson());
        assertThat(json.get("applied")).hasSize(12);

        letTimePass();
        ReconcileReport again = reconciler.run(false);

        assertThat(again.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(again.counts().twins()).isEqualTo(98);
        assertThat(again.counts().orphans()).isZero();
        assertThat(again.counts().missing()).isZero();
        assertThat(again.planned()).isEmpty();
    }

    @Test
    void twinAndModelIdsWithQuotesAndBackslashesRoundTripThroughTheQueries() {
        device(HUB_A, "o'brien", Map.of("dtId", "o'brien\\twin"));
        twin("o'brien\\twin", THERMOSTAT);
        device(HUB_A, "d'arcy", Map.of("dtmi", THERMOSTAT));
        device(HUB_B, "x'y", Map.of());
        twin("x'y", GATEWAY);
        twin("it's\\gone", THERMOSTAT);
        twin("keep-1", THERMOSTAT);
        device(HUB_A, "keep-1", Map.of());
        letTimePass();

        ReconcileReport report = reconciler(options()).run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.counts().twinsOfOtherModels()).isEqualTo(1);
        assertThat(report.applied()).extracting(r -> r.action().twinId(), ActionResult::outcome)
                .containsExactlyInAnyOrder(tuple("it's\\gone", ActionResult.Outcome.RETIRED),
                        tuple("d'arcy", ActionResult.Outcome.CREATED));
        assertThat(engine().twinIds()).containsExactlyInAnyOrder("o'brien\\twin", "d'arcy", "x'y", "keep-1");
    }

    private List<String> ids(String query) {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            QueryPage page = reconcilerGateway().query(query, token);
            page.items().forEach(row -> ids.add(row.path("$dtId").asText()));
            token = page.continuationToken();
        } while (token != null);
        return ids;
    }

    @Test
    void anEscapedLiteralCannotWidenTheQueryThatAConcatenatedOneWould() {
        twin("a", THERMOSTAT);
        twin("b", GATEWAY);
        twin("tricky\\", THERMOSTAT);
        String hostileModel = "dtmi:x:y;1') OR IS_DEFINED($dtId) OR IS_OF_MODEL('dtmi:x:y;1";
        String hostileId = "x'] OR IS_DEFINED($dtId) OR $dtId IN ['y";

        assertThat(ids("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('" + hostileModel + "')")).hasSize(3);
        assertThat(ids(AdtQueries.twinsOfModel(hostileModel))).isEmpty();
        assertThat(ids("SELECT * FROM DIGITALTWINS WHERE $dtId IN ['" + hostileId + "']")).hasSize(3);
        assertThat(ids(AdtQueries.twinsWithIds(List.of(hostileId)))).isEmpty();
        assertThat(ids(AdtQueries.twinsWithIds(List.of("tricky\\", "a")))).containsExactlyInAnyOrder("tricky\\", "a");
        assertThat(ids(AdtQueries.twinsOfModel(THERMOSTAT))).containsExactlyInAnyOrder("a", "tricky\\");
    }

    @Test
    void recentTwinsAndRecentDevicesAreLeftAloneUntilTheGraceWindowPasses() {
        twin("old-orphan", THERMOSTAT);
        device(HUB_A, "keep", Map.of());
        twin("keep", THERMOSTAT);
        letTimePass();
        twin("fresh-orphan", THERMOSTAT);                                  // e.g. the webhook's, DPS still busy
        hubs.add(HUB_B, "fresh-device", Map.of("dtmi", THERMOSTAT), null); // registered just now
        CLOCK.advance(Duration.ofSeconds(90));
        Reconciler reconciler = reconciler(options().maxRetirementShare(1.0));

        ReconcileReport first = reconciler.run(false);

        assertThat(first.skippedRecent()).extracting(SkippedItem::side, SkippedItem::id)
                .containsExactlyInAnyOrder(tuple(SkippedItem.TWIN, "fresh-orphan"),
                        tuple(SkippedItem.DEVICE, "fresh-device"));
        assertThat(engine().twinIds()).containsExactlyInAnyOrder("keep", "fresh-orphan");

        CLOCK.advance(Duration.ofSeconds(31));
        ReconcileReport second = reconciler.run(false);

        assertThat(second.skippedRecent()).isEmpty();
        assertThat(engine().twinIds()).containsExactlyInAnyOrder("keep", "fresh-device");
    }

    @Test
    void aThrottledRegistryIsRetriedAfterItsRetryAfter() {
        hundredDevicesAndHundredTwins();
        hubs.throttleQueries(HUB_A, 3, Duration.ofSeconds(4));
        hubs.throttleQueries(HUB_B, 1, null);

        ReconcileReport report = reconciler(options()).run(true);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.counts().devices()).isEqualTo(100);
        assertThat(report.counts().orphans()).isEqualTo(7);
        assertThat(sleeps).hasSize(4);
        assertThat(sleeps).filteredOn(d -> d.equals(Duration.ofSeconds(4))).hasSize(3);
        assertThat(hubs.queryRequests(HUB_A)).isEqualTo(3 + 3);   // 55 devices in pages of 25, 3 repeated
        assertThat(hubs.queryRequests(HUB_B)).isEqualTo(2 + 1);   // 45 devices in pages of 25, 1 repeated
    }

    @Test
    void aHubQuotaIsHonouredByWaitingAsTheHubAsks() {
        InMemoryDeviceRegistry quota = InMemoryDeviceRegistry.builder().hubs(HUB_A).clock(CLOCK).pageSize(10)
                .queriesPerMinute(2).build();
        for (int i = 0; i < 35; i++) {
            quota.add(HUB_A, "dev-" + i, Map.of("dtmi", THERMOSTAT), null, CLOCK.instant().minusSeconds(3600));
        }
        List<Duration> waits = new ArrayList<>();
        Reconciler reconciler = Reconciler.builder(reconcilerGateway(), quota)
                .options(options().build())
                .sleeper(d -> {
                    waits.add(d);
                    CLOCK.advance(d);
                })
                .build();

        ReconcileReport report = reconciler.run(true);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.counts().missing()).isEqualTo(35);
        assertThat(waits).isNotEmpty().allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(60)));
        assertThat(quota.queryRequests(HUB_A)).isEqualTo(4 + waits.size());
    }

    @Test
    void theRegistryGuardKeepsATwinWhoseDeviceWasRegisteredDuringTheRun() {
        twin("comes-back", THERMOSTAT);
        twin("gone", THERMOSTAT);
        letTimePass();
        InMemoryDeviceRegistry guard = InMemoryDeviceRegistry.builder().hubs(HUB_A, HUB_B).clock(CLOCK).build();
        guard.add(HUB_B, "comes-back");   // registered after the listing: the guard's registry already has it

        ReconcileReport report = reconciler(options().registryGuard(guard).maxRetirementShare(1.0)).run(false);

        assertThat(report.applied()).extracting(r -> r.action().twinId(), ActionResult::outcome)
                .containsExactlyInAnyOrder(tuple("comes-back", ActionResult.Outcome.DEVICE_STILL_REGISTERED),
                        tuple("gone", ActionResult.Outcome.RETIRED));
        assertThat(engine().twinIds()).containsExactly("comes-back");
    }

    @Test
    void aMissingTwinTheQueryIndexDoesNotShowYetIsFoundByFindOrCreateNotDuplicated() {
        device(HUB_A, "dev-1", Map.of("dtmi", THERMOSTAT));
        letTimePass();
        engine().queryIndexLag(Duration.ofSeconds(10));
        twin("dev-1", THERMOSTAT);      // created 5 s before the run (e.g. by the lifecycle flow)
        CLOCK.advance(Duration.ofSeconds(5));

        ReconcileReport report = reconciler(options()).run(false);

        assertThat(report.applied()).singleElement().satisfies(result -> {
            assertThat(result.action().action()).isEqualTo(ReconcileAction.Kind.CREATE);
            assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.EXISTS);
        });
        assertThat(engine().twinIds()).containsExactly("dev-1");
    }
}
