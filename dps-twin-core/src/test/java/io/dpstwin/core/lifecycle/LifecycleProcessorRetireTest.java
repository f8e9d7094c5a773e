package io.dpstwin.core.lifecycle;

import io.dpstwin.core.retirement.FakeDeviceRegistry;
import io.dpstwin.core.retirement.ForwardingGateway;
import io.dpstwin.core.retirement.TwinGraph;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.Relationship;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dpstwin.core.lifecycle.LifecycleMessages.connectionStateChanged;
import static io.dpstwin.core.lifecycle.LifecycleMessages.deviceCreated;
import static io.dpstwin.core.lifecycle.LifecycleMessages.deviceDeleted;
import static io.dpstwin.core.lifecycle.LifecycleMessages.lifecycle;
import static io.dpstwin.core.lifecycle.LifecycleMessages.moduleDeleted;
import static io.dpstwin.core.lifecycle.LifecycleMessages.twinChanged;
import static org.assertj.core.api.Assertions.assertThat;

class LifecycleProcessorRetireTest {

    private static final String MODEL = TwinGraph.DEVICE_MODEL;

    private final HandFakeGateway fake = new HandFakeGateway();
    private final TwinGraph graph = new TwinGraph(fake);
    private final List<LifecycleProcessor> processors = new ArrayList<>();

    private LifecycleProcessor processor(LifecycleOptions options) {
        return processor(fake, options);
    }

    private LifecycleProcessor processor(io.dpstwin.core.twins.DigitalTwinsGateway gateway, LifecycleOptions options) {
        LifecycleProcessor processor = LifecycleProcessor.builder(gateway).options(options)
                .sleeper(new TestClocks.RecordingSleeper()).build();
        processors.add(processor);
        return processor;
    }

    @AfterEach
    void close() {
        processors.forEach(LifecycleProcessor::close);
    }

    @Test
    void retiresTwinsWithTheirRelationshipsAndReplaysChangeNothing() {
        graph.deviceWith("dev-5", 3, 2).deviceWith("dev-120", 60, 60).twin("bystander");
        LifecycleProcessor processor = processor(LifecycleOptions.defaults());
        List<ParsedEvent> batch = List.of(deviceDeleted("hub-a", "dev-5"), deviceDeleted("hub-a", "dev-120"));
        int twinsLeft = fake.twinCount() - 2;

        BatchResult first = processor.process(batch);

        assertThat(first.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(LifecycleOutcome.RETIRED, LifecycleOutcome.RETIRED);
        assertThat(first.outcomes()).extracting(EventOutcome::twinId).containsExactly("dev-5", "dev-120");
        assertThat(fake.getTwin("dev-5")).isEmpty();
        assertThat(fake.getTwin("dev-120")).isEmpty();
        assertThat(fake.relationshipCount()).isZero();
        assertThat(fake.twinCount()).isEqualTo(twinsLeft);

        for (int replay = 0; replay < 3; replay++) {
            BatchResult again = processor.process(batch);
            assertThat(again.allSettled()).isTrue();
            assertThat(again.outcomes()).extracting(EventOutcome::outcome)
                    .containsExactly(LifecycleOutcome.ALREADY_GONE, LifecycleOutcome.ALREADY_GONE);
            assertThat(fake.twinCount()).isEqualTo(twinsLeft);
            assertThat(fake.relationshipCount()).isZero();
        }
    }

    @Test
    void eventsThatAreNotDeviceDeletionsOfAServedHubLeaveTheTwinUntouched() {
        graph.deviceWith("dev-1", 2, 1);
        int relationships = fake.relationshipCount();
        LifecycleProcessor processor = processor(LifecycleOptions.builder()
                .servedHubs(List.of("hub-a.azure-devices.net")).build());
        List<ParsedEvent> batch = List.of(
                moduleDeleted("hub-a", "dev-1", "edgeAgent"),
                twinChanged("hub-a", "dev-1"),
                connectionStateChanged("hub-a", "dev-1"),
                deviceDeleted("hub-b", "dev-1"),
                lifecycle("deleteDeviceIdentity", "hub-a", "dev-1", "{\"deviceId\":\"dev-1\",\"tags\":"),
                lifecycle("deleteModuleIdentity", "hub-a", "dev-1", null),
                lifecycle("updateTwin", "hub-a", "dev-1", null));

        BatchResult result = processor.process(batch);

        assertThat(result.outcomes()).allSatisfy(o -> assertThat(o.outcome()).isEqualTo(LifecycleOutcome.SKIPPED));
        assertThat(result.outcomes()).extracting(EventOutcome::reason).containsExactly(
                OutcomeReason.MODULE_EVENT,
                OutcomeReason.NOT_LIFECYCLE_EVENT,
                OutcomeReason.NOT_LIFECYCLE_EVENT,
                OutcomeReason.HUB_NOT_SERVED,
                OutcomeReason.UNPARSEABLE,
                OutcomeReason.MODULE_EVENT,
                OutcomeReason.UNSUPPORTED_OPERATION);
        assertThat(result.outcomes().get(0).detail()).contains("edgeAgent");
        assertThat(result.outcomes().get(1).detail()).contains("twinChangeNotification");
        assertThat(result.outcomes().get(2).detail()).contains("deviceConnectionStateNotification");
        assertThat(result.outcomes().get(3).detail()).contains("hub-b");
        assertThat(result.outcomes().get(4).detail()).contains("not valid JSON");
        assertThat(result.allSettled()).isTrue();
        assertThat(fake.getTwin("dev-1")).isPresent();
        assertThat(fake.relationshipCount()).isEqualTo(relationships);
        assertThat(fake.calls("deleteTwin") + fake.calls("deleteRelationship") + fake.calls("listRelationships"))
                .isZero();
    }

    @Test
    void theHubAllowListAcceptsShortNamesAndHostNamesInAnyCase() {
        graph.twin("dev-1").twin("dev-2");
        LifecycleProcessor processor = processor(LifecycleOptions.builder().servedHubs(List.of("HUB-A")).build());

        BatchResult result = processor.process(List.of(
                deviceDeleted("hub-a.azure-devices.net", "dev-1"), deviceDeleted("Hub-A", "dev-2")));

        assertThat(result.count(LifecycleOutcome.RETIRED)).isEqualTo(2);
    }

    @Test
    void theRegistryGuardKeepsTheTwinOfADeviceDpsMovedToAnotherHub() {
        graph.deviceWith("dev-1", 1, 1);
        FakeDeviceRegistry registry = new FakeDeviceRegistry("hub-old.azure-devices.net", "hub-new.azure-devices.net")
                .register("hub-new.azure-devices.net", "dev-1");
        // DPS reprovisioning: the device is deleted from the old hub while it already exists on the new one
        ParsedEvent deletedFromOldHub = deviceDeleted("hub-old", "dev-1");

        EventOutcome guarded = processor(LifecycleOptions.builder().deviceRegistry(registry).build())
                .process(List.of(deletedFromOldHub)).outcomes().get(0);

        assertThat(guarded.outcome()).isEqualTo(LifecycleOutcome.SKIPPED);
        assertThat(guarded.reason()).isEqualTo(OutcomeReason.DEVICE_STILL_REGISTERED);
        assertThat(guarded.detail()).contains("hub-new.azure-devices.net");
        assertThat(fake.getTwin("dev-1")).isPresent();
        assertThat(fake.relationshipCount()).isEqualTo(2);

        EventOutcome unguarded = processor(LifecycleOptions.defaults()).process(List.of(deletedFromOldHub))
                .outcomes().get(0);

        assertThat(unguarded.outcome()).isEqualTo(LifecycleOutcome.RETIRED);
        assertThat(fake.getTwin("dev-1")).isEmpty();
    }

    @Test
    void theRegistryGuardRetiresADeviceThatIsGoneFromEveryHub() {
        graph.twin("dev-1");
        FakeDeviceRegistry registry = new FakeDeviceRegistry("hub-a.azure-devices.net", "hub-b.azure-devices.net");

        EventOutcome outcome = processor(LifecycleOptions.builder().deviceRegistry(registry).build())
                .process(List.of(deviceDeleted("hub-a", "dev-1"))).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.RETIRED);
        assertThat(registry.lookups("dev-1")).isEqualTo(2);
    }

    @Test
    void createThenDeleteOfOneDeviceInOneBatchLeavesNoTwinAndDeleteThenCreateLeavesOne() {
        LifecycleProcessor processor = processor(LifecycleOptions.defaults());

        BatchResult createDelete = processor.process(List.of(
                deviceCreated("hub-a", "dev-1", MODEL), deviceDeleted("hub-a", "dev-1")));

        assertThat(createDelete.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(LifecycleOutcome.CREATED, LifecycleOutcome.RETIRED);
        assertThat(fake.getTwin("dev-1")).isEmpty();

        graph.twin("dev-2");
        BatchResult deleteCreate = processor.process(List.of(
                deviceDeleted("hub-a", "dev-2"), deviceCreated("hub-a", "dev-2", MODEL)));

        assertThat(deleteCreate.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(LifecycleOutcome.RETIRED, LifecycleOutcome.CREATED);
        assertThat(fake.getTwin("dev-2")).isPresent();
    }

    /** Fails the test when two calls about one twin ever overlap, and tracks overall concurrency. */
    private static final class OverlapDetectingGateway extends ForwardingGateway {
        private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        private final AtomicInteger overlaps = new AtomicInteger();
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger maxRunning = new AtomicInteger();
        private final Map<String, List<String>> operations = new ConcurrentHashMap<>();
        private final java.util.Set<String> threads = ConcurrentHashMap.newKeySet();

        OverlapDetectingGateway(HandFakeGateway delegate) {
            super(delegate);
        }

        private <T> T track(String twinId, String operation, java.util.function.Supplier<T> call) {
            operations.computeIfAbsent(twinId, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(operation);
            AtomicInteger counter = inFlight.computeIfAbsent(twinId, k -> new AtomicInteger());
            if (counter.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            threads.add(Thread.currentThread().getName());
            try {
                Thread.yield();
                return call.get();
            } finally {
                running.decrementAndGet();
                counter.decrementAndGet();
            }
        }

        @Override
        public Optional<DigitalTwin> getTwin(String twinId) {
            return track(twinId, "get", () -> super.getTwin(twinId));
        }

        @Override
        public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
            return track(twin.id(), "create", () -> super.createTwinIfAbsent(twin));
        }

        @Override
        public void deleteTwin(String twinId, String ifMatch) {
            track(twinId, "delete", () -> {
                super.deleteTwin(twinId, ifMatch);
                return null;
            });
        }

        @Override
        public List<Relationship> listRelationships(String twinId, String relationshipName) {
            return track(twinId, "list", () -> super.listRelationships(twinId, relationshipName));
        }

        @Override
        public List<IncomingRelationship> listIncomingRelationships(String twinId) {
            return track(twinId, "listIncoming", () -> super.listIncomingRelationships(twinId));
        }
    }

    @Test
    void interleavedEventsOfSeveralDevicesFollowPerDeviceOrderWithBoundedParallelism() {
        OverlapDetectingGateway gateway = new OverlapDetectingGateway(fake);
        LifecycleProcessor processor = processor(gateway, LifecycleOptions.builder().parallelism(3).build());
        List<ParsedEvent> batch = new ArrayList<>();
        List<String> expectedFinal = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int device = 0; device < 12; device++) {
                String id = "dev-" + device;
                // even devices end deleted, odd devices end created; every device alternates create/delete
                boolean create = (round % 2 == 0) == (device % 2 == 0);
                if (round == 3) {
                    create = device % 2 == 1;
                }
                batch.add(create ? deviceCreated("hub-a", id, MODEL) : deviceDeleted("hub-a", id));
                if (round == 3 && create) {
                    expectedFinal.add(id);
                }
            }
        }

        BatchResult result = processor.process(batch);

        assertThat(result.size()).isEqualTo(48);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(result.outcomes().get(i).index()).isEqualTo(i);
            assertThat(result.outcomes().get(i).event()).isSameAs(batch.get(i));
        }
        assertThat(result.allSettled()).isTrue();
        assertThat(result.count(LifecycleOutcome.DEAD_LETTERED)).isZero();
        for (int device = 0; device < 12; device++) {
            String id = "dev-" + device;
            assertThat(fake.getTwin(id).isPresent()).as(id).isEqualTo(expectedFinal.contains(id));
        }
        // each device's events were applied one after the other, in input order
        assertThat(gateway.overlaps.get()).isZero();
        assertThat(gateway.maxRunning.get()).isLessThanOrEqualTo(3);
        // 12 devices on a pool of 3: each of the 3 workers starts with its own device
        assertThat(gateway.threads).hasSize(3).allSatisfy(name -> assertThat(name).startsWith("dpstwin-lifecycle-"));
        for (int device = 0; device < 12; device++) {
            String id = "dev-" + device;
            List<String> ops = gateway.operations.get(id).stream()
                    .filter(op -> op.equals("create") || op.equals("delete")).toList();
            List<LifecycleOutcome> outcomes = new ArrayList<>();
            for (EventOutcome o : result.outcomes()) {
                if (o.twinId().equals(id)) {
                    outcomes.add(o.outcome());
                }
            }
            List<String> expectedOps = outcomes.stream()
                    .map(o -> o == LifecycleOutcome.CREATED ? "create" : o == LifecycleOutcome.RETIRED ? "delete" : "")
                    .filter(s -> !s.isEmpty()).toList();
            assertThat(ops).as(id).containsExactlyElementsOf(expectedOps);
        }
    }
}
