package io.dpstwin.testkit.flows;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.DeadLetter;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.OutcomeReason;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.emulator.OnAdtEmulator;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.dpstwin.testkit.flows.Contoso.HUB_1;
import static io.dpstwin.testkit.flows.Contoso.HUB_1_NAME;
import static io.dpstwin.testkit.flows.Contoso.HUB_2;
import static io.dpstwin.testkit.flows.Contoso.HUB_2_NAME;
import static io.dpstwin.testkit.flows.Contoso.THERMOSTAT;
import static io.dpstwin.testkit.flows.Contoso.eventHubsBatch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retire flow ({@link DpsTwin#lifecycle()}) fed with Event Hubs-shaped IoT Hub lifecycle events (the Functions
 * binding arrays, parsed as the adapters do), talking through the production ADT client and the SDK to the HTTPS
 * emulator, which refuses to delete a twin that still has relationships, pages relationship lists by ADT's 10 and
 * injects throttling and outages.
 */
class RetireFlowOnEmulatorTest extends OnAdtEmulator {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance().modelResources(Contoso.MODELS).build();

    private final List<DpsTwin> instances = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeInstances() {
        instances.forEach(DpsTwin::close);
    }

    private DpsTwin dpsTwin(LifecycleOptions options) {
        DpsTwin dpsTwin = Contoso.dpsTwin(emulator).lifecycleOptions(options).deadLetterSink(deadLetters::add).build();
        instances.add(dpsTwin);
        return dpsTwin;
    }

    private DpsTwin dpsTwin() {
        return dpsTwin(LifecycleOptions.builder().servedHubs(List.of(HUB_1_NAME, HUB_2_NAME)).build());
    }

    /** thermo-1 feeds room-a, room-b, room-c; room-x and room-y contain it; thermo-2 shares two of those rooms. */
    private void smallGraph() {
        for (String room : List.of("room-a", "room-b", "room-c", "room-x", "room-y")) {
            Contoso.room(adt, room);
        }
        Contoso.thermostatTwin(adt, "thermo-1");
        Contoso.thermostatTwin(adt, "thermo-2");
        for (String room : List.of("room-a", "room-b", "room-c")) {
            Contoso.relate(adt, "thermo-1", "feeds", room);
        }
        Contoso.relate(adt, "room-x", "contains", "thermo-1");
        Contoso.relate(adt, "room-y", "contains", "thermo-1");
        Contoso.relate(adt, "thermo-2", "feeds", "room-a");
        Contoso.relate(adt, "room-x", "contains", "thermo-2");
    }

    private List<String> graph() {
        return GraphSnapshot.of(emulator.engine());
    }

    @Test
    void retiresATwinWithThreeOutgoingAndTwoIncomingRelationshipsAndNothingElse() {
        smallGraph();

        BatchResult result = dpsTwin().lifecycle().process(
                eventHubsBatch(IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-1")));

        assertThat(result.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(LifecycleOutcome.RETIRED);
            assertThat(o.twinId()).isEqualTo("thermo-1");
        });
        assertThat(emulator.engine().twinIds()).doesNotContain("thermo-1")
                .contains("thermo-2", "room-a", "room-b", "room-c", "room-x", "room-y");
        assertThat(graph()).containsExactlyInAnyOrder(
                "thermo-2 -feeds-> room-a (feeds-room-a)",
                "room-x -contains-> thermo-2 (contains-thermo-2)");
        assertThat(journal.count("DELETE", "/digitaltwins/thermo-1/relationships/.*")).isEqualTo(3);
        assertThat(journal.count("DELETE", "/digitaltwins/room-[xy]/relationships/contains-thermo-1")).isEqualTo(2);
        assertThat(journal.count("DELETE", "/digitaltwins/thermo-1")).isEqualTo(1);
        assertThat(journal.countStatus(400)).as("no RelationshipsNotDeleted: relationships went first").isZero();
    }

    @Test
    void retiresATwinWith250RelationshipsListedAcrossSeveralPages() {
        Contoso.thermostatTwin(adt, "thermo-big");
        for (int i = 0; i < 130; i++) {
            Contoso.room(adt, "target-" + i);
            Contoso.relate(adt, "thermo-big", "feeds", "target-" + i);
        }
        for (int i = 0; i < 120; i++) {
            Contoso.room(adt, "space-" + i);
            Contoso.relate(adt, "space-" + i, "contains", "thermo-big");
        }
        assertThat(emulator.engine().relationshipCount()).isEqualTo(250);
        DpsTwin dpsTwin = Contoso.dpsTwin(emulator).noRateLimits().deadLetterSink(deadLetters::add).build();
        instances.add(dpsTwin);

        BatchResult result = dpsTwin.lifecycle().process(
                eventHubsBatch(IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-big")));

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(LifecycleOutcome.RETIRED);
        assertThat(emulator.engine().relationshipCount()).isZero();
        assertThat(emulator.engine().twinCount()).as("every room stays").isEqualTo(250);
        int pageSize = emulator.engine().relationshipPageSize();
        assertThat(journal.count(AdtOperation.LIST_RELATIONSHIPS)).as("pages of %d", pageSize)
                .isEqualTo((130 + pageSize - 1) / pageSize);
        assertThat(journal.count(AdtOperation.LIST_INCOMING_RELATIONSHIPS)).isEqualTo((120 + pageSize - 1) / pageSize);
        assertThat(journal.count(AdtOperation.DELETE_RELATIONSHIP)).isEqualTo(250);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aBatchReplayedThreeTimesEndsInTheSameStateWithoutAnyFailure() {
        smallGraph();
        Contoso.thermostatTwin(adt, "thermo-3");
        DpsTwin dpsTwin = dpsTwin();
        List<ParsedEvent> batch = eventHubsBatch(
                IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-1"),
                IotHubEvents.deviceDeleted(HUB_2_NAME, "thermo-3"),
                IotHubEvents.deviceCreated(HUB_1_NAME, "thermo-4"));

        BatchResult first = dpsTwin.lifecycle().process(batch);
        List<String> twins = emulator.engine().twinIds();
        List<String> relationships = graph();

        assertThat(first.outcomes()).extracting(EventOutcome::outcome).containsExactly(
                LifecycleOutcome.RETIRED, LifecycleOutcome.RETIRED, LifecycleOutcome.CREATED);
        for (int replay = 1; replay <= 3; replay++) {
            BatchResult again = dpsTwin.lifecycle().process(batch);

            assertThat(again.allSettled()).isTrue();
            assertThat(again.outcomes()).as("replay %s", replay).extracting(EventOutcome::outcome).containsExactly(
                    LifecycleOutcome.ALREADY_GONE, LifecycleOutcome.ALREADY_GONE, LifecycleOutcome.EXISTS);
            assertThat(emulator.engine().twinIds()).containsExactlyInAnyOrderElementsOf(twins);
            assertThat(graph()).containsExactlyInAnyOrderElementsOf(relationships);
        }
        assertThat(deadLetters).isEmpty();
        assertThat(journal.count(AdtOperation.PUT_TWIN)).as("thermo-4 was created once").isEqualTo(1);
    }

    @Test
    void eventsThatAreNotDeletionsOfAServedDeviceLeaveTheTwinUntouchedWithAReason() {
        smallGraph();
        String etag = adt.getTwin("thermo-1").orElseThrow().etag();
        List<String> relationships = graph();
        List<IotHubEvent> decoys = List.of(
                IotHubEvents.moduleDeleted(HUB_1_NAME, "thermo-1", "edgeAgent"),
                IotHubEvents.legacyModuleDeleted(HUB_1_NAME, "thermo-1", "edgeHub"),
                IotHubEvents.twinUpdated(HUB_1_NAME, "thermo-1").withDesiredProperty("interval", 30),
                IotHubEvents.deviceDisconnected(HUB_1_NAME, "thermo-1"),
                IotHubEvents.deviceDeleted("fabrikam-hub", "thermo-1"),
                IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-1").withBody("{\"deviceId\":\"thermo-1\",\"tags\":"));

        BatchResult result = dpsTwin().lifecycle().process(eventHubsBatch(decoys));

        assertThat(result.allSettled()).isTrue();
        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsOnly(LifecycleOutcome.SKIPPED);
        assertThat(result.outcomes()).extracting(EventOutcome::reason).containsExactly(
                OutcomeReason.MODULE_EVENT,
                OutcomeReason.MODULE_EVENT,
                OutcomeReason.NOT_LIFECYCLE_EVENT,
                OutcomeReason.NOT_LIFECYCLE_EVENT,
                OutcomeReason.HUB_NOT_SERVED,
                OutcomeReason.UNPARSEABLE);
        assertThat(result.outcomes().get(0).detail()).contains("edgeAgent");
        assertThat(result.outcomes().get(4).detail()).contains("fabrikam-hub");
        assertThat(result.outcomes().get(5).detail()).contains("not valid JSON");
        assertThat(adt.getTwin("thermo-1").orElseThrow().etag()).isEqualTo(etag);
        assertThat(graph()).containsExactlyInAnyOrderElementsOf(relationships);
        assertThat(journal.size()).as("filters decide before any ADT request").isZero();
    }

    @Test
    void theRegistryGuardKeepsTheTwinThroughADpsReprovisioningAndRetiresItWhenTheDeviceIsReallyGone() {
        smallGraph();
        List<String> relationships = graph();
        FakeDeviceRegistry registry = new FakeDeviceRegistry(HUB_1, HUB_2).register(HUB_1, "thermo-1");
        DpsTwin dpsTwin = dpsTwin(LifecycleOptions.builder().deviceRegistry(registry).build());

        // DPS moves thermo-1 from hub 1 to hub 2: the device appears on hub 2, then disappears from hub 1.
        registry.register(HUB_2, "thermo-1").unregister(HUB_1, "thermo-1");
        BatchResult moved = dpsTwin.lifecycle().process(eventHubsBatch(
                IotHubEvents.deviceCreated(HUB_2_NAME, "thermo-1"),
                IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-1")));

        assertThat(moved.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(LifecycleOutcome.EXISTS, LifecycleOutcome.SKIPPED);
        assertThat(moved.outcomes().get(1).reason()).isEqualTo(OutcomeReason.DEVICE_STILL_REGISTERED);
        assertThat(moved.outcomes().get(1).detail()).contains(HUB_2);
        assertThat(graph()).containsExactlyInAnyOrderElementsOf(relationships);

        // "Reprovision and reset to initial config" on the same hub: deleted and created again at once.
        BatchResult reset = dpsTwin.lifecycle().process(eventHubsBatch(
                IotHubEvents.deviceDeleted(HUB_2_NAME, "thermo-1"),
                IotHubEvents.deviceCreated(HUB_2_NAME, "thermo-1")));

        assertThat(reset.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(LifecycleOutcome.SKIPPED, LifecycleOutcome.EXISTS);
        assertThat(adt.getTwin("thermo-1")).isPresent();

        registry.unregister(HUB_2, "thermo-1");
        BatchResult gone = dpsTwin.lifecycle().process(eventHubsBatch(
                IotHubEvents.deviceDeleted(HUB_2_NAME, "thermo-1")));

        assertThat(gone.outcomes()).extracting(EventOutcome::outcome).containsExactly(LifecycleOutcome.RETIRED);
        assertThat(adt.getTwin("thermo-1")).isEmpty();
        assertThat(registry.lookups()).as("each deletion asked both hubs until one had the device")
                .containsExactly(HUB_1 + " thermo-1", HUB_2 + " thermo-1",
                        HUB_1 + " thermo-1", HUB_2 + " thermo-1",
                        HUB_1 + " thermo-1", HUB_2 + " thermo-1");
    }

    @Test
    void aCreateAndADeleteOfOneDeviceInOneBatchAreAppliedInOrder() {
        Contoso.thermostatTwin(adt, "thermo-2");
        DpsTwin dpsTwin = dpsTwin();

        BatchResult result = dpsTwin.lifecycle().process(eventHubsBatch(
                IotHubEvents.deviceCreated(HUB_1_NAME, "thermo-1"),
                IotHubEvents.deviceDeleted(HUB_2_NAME, "thermo-2"),
                IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-1"),
                IotHubEvents.deviceCreated(HUB_2_NAME, "thermo-2")));

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(
                LifecycleOutcome.CREATED, LifecycleOutcome.RETIRED, LifecycleOutcome.RETIRED,
                LifecycleOutcome.CREATED);
        assertThat(adt.getTwin("thermo-1")).isEmpty();
        assertThat(adt.getTwin("thermo-2")).map(t -> t.modelId()).contains(THERMOSTAT);
        List<String> thermo1 = journal.entries().stream()
                .filter(e -> e.path().equals("/digitaltwins/thermo-1") && !e.method().equals("GET"))
                .map(e -> e.method() + " " + e.status()).toList();
        assertThat(thermo1).containsExactly("PUT 200", "DELETE 204");
    }

    @Test
    void twoHundredDeletionsUnderThrottlingAndOutagesAreAllAppliedAndNoneIsDeadLettered() {
        for (int room = 0; room < 10; room++) {
            Contoso.room(adt, "room-" + room);
        }
        List<IotHubEvent> deletions = new ArrayList<>();
        for (int device = 0; device < 200; device++) {
            String id = "thermo-" + device;
            Contoso.thermostatTwin(adt, id);
            Contoso.relate(adt, "room-" + device % 10, "contains", id);
            deletions.add(IotHubEvents.deviceDeleted(device % 2 == 0 ? HUB_1_NAME : HUB_2_NAME, id));
        }
        // The default budgets (per call and per event) absorb these faults; only parallelism is raised, for speed.
        DpsTwin dpsTwin = dpsTwin(LifecycleOptions.builder().parallelism(32).build());
        emulator.faults().seed(20_260_501L)
                .throttle(0.10, Duration.ZERO, Duration.ofSeconds(1))
                .unavailable(0.05);

        BatchResult result = dpsTwin.lifecycle().process(eventHubsBatch(deletions));

        assertThat(journal.countStatus(429)).as("the emulator throttled").isPositive();
        assertThat(journal.countStatus(503)).as("the emulator failed").isPositive();
        assertThat(result.allSettled()).isTrue();
        assertThat(deadLetters).isEmpty();
        assertThat(result.count(LifecycleOutcome.DEAD_LETTERED)).isZero();
        assertThat(result.count(LifecycleOutcome.RETIRED)).isEqualTo(200);
        assertThat(emulator.engine().twinIds()).as("only the rooms are left")
                .containsExactlyInAnyOrder("room-0", "room-1", "room-2", "room-3", "room-4", "room-5", "room-6",
                        "room-7", "room-8", "room-9");
        assertThat(emulator.engine().relationshipCount()).isZero();
    }

    @Test
    void aPermanentlyFailingEventIsDeadLetteredWhileTheOthersAreApplied() {
        smallGraph();
        DpsTwin dpsTwin = dpsTwin();

        BatchResult result = dpsTwin.lifecycle().process(eventHubsBatch(
                IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-1"),
                IotHubEvents.deviceCreated(HUB_1_NAME, "toaster-1")
                        .withTag("dtmi", "dtmi:contosocom:DigitalTwins:Toaster;1"),
                IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-2")));

        assertThat(result.allSettled()).isTrue();
        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(
                LifecycleOutcome.RETIRED, LifecycleOutcome.DEAD_LETTERED, LifecycleOutcome.RETIRED);
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.index()).isEqualTo(1);
            assertThat(letter.twinId()).isEqualTo("toaster-1");
            assertThat(letter.reason()).isEqualTo(OutcomeReason.PERMANENT_FAILURE);
            assertThat(letter.statusCode()).isEqualTo(400);
            assertThat(letter.errorCode()).isEqualTo(AdtErrorCodes.VALIDATION_FAILED);
            assertThat(letter.attempts()).isEqualTo(1);
        });
        assertThat(journal.count("PUT", "/digitaltwins/toaster-1")).as("never retried").isEqualTo(1);
        assertThat(emulator.engine().twinIds()).doesNotContain("thermo-1", "thermo-2", "toaster-1");
    }
}
