package io.dpstwin.samples.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.functions.DpsTwinFunctions;
import io.dpstwin.functions.ReconcileRunFailedException;
import io.dpstwin.functions.testing.RecordingExecutionContext;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.emulator.ManualClock;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static io.dpstwin.samples.functions.EmulatedApp.HUB_A;
import static io.dpstwin.samples.functions.EmulatedApp.HUB_B;
import static io.dpstwin.samples.functions.EmulatedApp.ROOM;
import static io.dpstwin.samples.functions.EmulatedApp.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sample's reconcile timer function, called as the Functions host calls it, against the HTTPS ADT emulator
 * (through the official SDK) and the testkit's in-memory IoT hubs, which the factory's customizer installs as the
 * device inventory. 20 devices in two hubs; 21 device twins: 19 with their device, 2 orphans (one of them contained
 * in a room), and 1 device whose twin is missing. One clock drives the engine, the hubs and the grace window.
 */
class ReconcileTimerFunctionTest {

    private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMER_INFO = "{\"Schedule\":{},\"ScheduleStatus\":{\"Last\":\"2026-11-26T10:00:00+00:00\","
            + "\"Next\":\"2026-11-26T11:00:00+00:00\",\"LastUpdated\":\"2026-11-26T10:00:00+00:00\"},"
            + "\"IsPastDue\":false}";

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .modelResources("models/thermostat.json", "models/room.json")
            .configure(emulator -> emulator.engine(AdtEngine.builder().clock(CLOCK).build()))
            .build();

    private final ReconcileTimerFunction function = new ReconcileTimerFunction();
    private InMemoryDeviceRegistry hubs;

    @BeforeEach
    void twentyDevicesTwoOrphansAndOneMissingTwin() {
        hubs = InMemoryDeviceRegistry.builder().hubs(HUB_A, HUB_B).clock(CLOCK).build();
        for (int i = 0; i < 20; i++) {
            String id = String.format("dev-%02d", i);
            hubs.add(i < 10 ? HUB_A : HUB_B, id, Map.of("dtId", id, "dtmi", THERMOSTAT), null,
                    CLOCK.instant().minus(Duration.ofDays(2)));
            if (i != 7) {
                EmulatedApp.createTwin(ADT, id, THERMOSTAT);
            }
        }
        EmulatedApp.createTwin(ADT, "gone-1", THERMOSTAT);
        EmulatedApp.createTwin(ADT, "gone-2", THERMOSTAT);
        EmulatedApp.createTwin(ADT, "room-1", ROOM);
        EmulatedApp.relate(ADT, "room-1", "contains", "gone-1");
        EmulatedApp.relate(ADT, "room-1", "contains", "dev-00");
        CLOCK.advance(Duration.ofHours(1));
    }

    @AfterEach
    void backToAppSettings() {
        DpsTwinFunctions.reset();
    }

    /** The app with the given settings, listing the in-memory hubs instead of real ones. */
    private void installApp(String... settings) {
        Map<String, String> map = new HashMap<>(Map.of(
                "DPSTWIN_ALLOCATION_DEFAULTMODEL", THERMOSTAT,
                "DPSTWIN_RECONCILE_DEVICEMODELS", THERMOSTAT,
                "DPSTWIN_RECONCILE_QUERIESPERMINUTE", "600",
                "DPSTWIN_RECONCILE_GRACEPERIOD", "PT2M"));
        for (int i = 0; i < settings.length; i += 2) {
            map.put(settings[i], settings[i + 1]);
        }
        DpsTwinFunctions.install(EmulatedApp.factory(ADT, map, (builder, parsed) -> builder
                .deviceInventory(hubs)
                .reconcileOptions(parsed.options().reconcile().toBuilder().clock(CLOCK).build())));
    }

    private static long adtWrites() {
        var counters = ADT.emulator().engine().counters();
        return counters.count(AdtOperation.PUT_TWIN) + counters.count(AdtOperation.DELETE_TWIN)
                + counters.count(AdtOperation.PATCH_TWIN) + counters.count(AdtOperation.PUT_RELATIONSHIP)
                + counters.count(AdtOperation.DELETE_RELATIONSHIP);
    }

    private static List<String> deviceTwins() {
        List<String> ids = new ArrayList<>(ADT.emulator().engine().twinIds());
        ids.remove("room-1");
        return ids;
    }

    private static JsonNode reportOf(RecordingExecutionContext context, Level level) throws Exception {
        String line = context.messages(level).stream().filter(m -> m.startsWith("Reconcile report ")).findFirst()
                .orElseThrow();
        return JSON.readTree(line.substring(line.indexOf('{')));
    }

    @Test
    void byDefaultTheTimerOnlyReportsTheDriftAndChangesNothing() throws Exception {
        installApp();
        long writesBefore = adtWrites();
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        function.run(TIMER_INFO, context);

        assertThat(adtWrites()).isEqualTo(writesBefore);
        assertThat(deviceTwins()).hasSize(21).contains("gone-1", "gone-2").doesNotContain("dev-07");
        assertThat(ADT.emulator().engine().relationshipCount()).isEqualTo(2);
        assertThat(context.messages(Level.INFO).get(0))
                .contains("(dry run) ok: 20 devices, 21 twins, 2 orphans, 1 missing, 0 unresolved",
                        "3 planned, 0 applied", "set DPSTWIN_RECONCILE_APPLY=true to repair");
        JsonNode report = reportOf(context, Level.INFO);
        assertThat(report.get("dryRun").asBoolean()).isTrue();
        assertThat(report.get("hubs")).extracting(JsonNode::asText).containsExactlyInAnyOrder(HUB_A, HUB_B);
        assertThat(report.get("orphans")).extracting(o -> o.get("twinId").asText())
                .containsExactlyInAnyOrder("gone-1", "gone-2");
        assertThat(report.at("/missing/0/deviceId").asText()).isEqualTo("dev-07");
        assertThat(report.at("/missing/0/hubHostName").asText()).isEqualTo(HUB_A);
        assertThat(report.get("applied")).isEmpty();
    }

    @Test
    void withApplyTheDriftIsRepairedAndASecondRunFindsNone() throws Exception {
        installApp("DPSTWIN_RECONCILE_APPLY", "true");
        RecordingExecutionContext first = new RecordingExecutionContext("DpsTwinReconcileFunc");

        function.run(TIMER_INFO, first);

        assertThat(deviceTwins()).hasSize(20).contains("dev-07").doesNotContain("gone-1", "gone-2");
        assertThat(ADT.emulator().engine().getTwin("dev-07").at("/$metadata/$model").asText()).isEqualTo(THERMOSTAT);
        assertThat(ADT.emulator().engine().relationshipCount()).as("the orphan's incoming relationship went with it")
                .isEqualTo(1);
        assertThat(first.messages(Level.INFO).get(0)).contains("(apply) ok", "3 planned, 3 applied, 0 failed");
        assertThat(reportOf(first, Level.INFO).get("applied")).extracting(a -> a.get("outcome").asText())
                .containsExactlyInAnyOrder("retired", "retired", "created");

        CLOCK.advance(Duration.ofHours(1));
        long writesBefore = adtWrites();
        RecordingExecutionContext second = new RecordingExecutionContext("DpsTwinReconcileFunc");

        function.run(TIMER_INFO, second);

        assertThat(adtWrites()).isEqualTo(writesBefore);
        assertThat(second.messages(Level.INFO).get(0))
                .contains("(apply) ok: 20 devices, 20 twins, 0 orphans, 0 missing", "0 planned, 0 applied");
        assertThat(reportOf(second, Level.INFO).get("status").asText()).isEqualTo(ReconcileStatus.OK.wire());
    }

    @Test
    void aHubThatRefusesTheListingFailsTheInvocationAndNothingChanges() {
        installApp("DPSTWIN_RECONCILE_APPLY", "true");
        hubs.failQueries(HUB_B, 1, 403);
        long writesBefore = adtWrites();
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        assertThatThrownBy(() -> function.run(TIMER_INFO, context))
                .isInstanceOf(ReconcileRunFailedException.class)
                .hasMessageContaining("nothing was compared or changed");

        assertThat(adtWrites()).isEqualTo(writesBefore);
        assertThat(deviceTwins()).hasSize(21);
        assertThat(context.messages(Level.SEVERE)).hasSize(2);
        assertThat(context.messages(Level.SEVERE).get(0)).contains("(apply) failed", "403");
    }

    @Test
    void anAppWithoutReconcileSettingsLogsAWarningOnEachTickAndSucceeds() {
        DpsTwinFunctions.install(EmulatedApp.factory(ADT, Map.of("DPSTWIN_ALLOCATION_DEFAULTMODEL", THERMOSTAT)));
        long writesBefore = adtWrites();
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        function.run(TIMER_INFO, context);

        assertThat(adtWrites()).isEqualTo(writesBefore);
        assertThat(hubs.queryRequests(HUB_A)).isZero();
        assertThat(context.messages(Level.WARNING)).singleElement().asString()
                .contains("DPSTWIN_RECONCILE_HUBHOSTNAMES", "DPSTWIN_RECONCILE_CONNECTIONSTRINGS");
    }
}
