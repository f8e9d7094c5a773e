package io.dpstwin.spring.eventhubs;

import io.dpstwin.spring.metrics.SpringMeters;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.ErrorContext;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.PartitionContext;
import io.dpstwin.core.lifecycle.DeadLetterSink;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.iothub.EventHubsEvents;
import io.dpstwin.testkit.iothub.InMemoryCheckpointStore;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.mockito.Mockito;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checkpoint decision of the Event Hubs consumer, driven through the SDK's public {@link EventBatchContext} and
 * {@link PartitionContext} (built by the testkit as the SDK builds received events) and an in-memory
 * {@code CheckpointStore}. ADT is the testkit's in-memory ADT with the reference models: thermostats dev-1, dev-2
 * and dev-4 exist, each placed in room-1. Twins listed in {@code forbidden} answer 403 (a permanent failure that
 * goes to the dead-letter sink) through a delegating double.
 */
class EventHubsLifecycleConsumerTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String ROOM = "dtmi:contosocom:DigitalTwins:Room;1";

    private final InMemoryCheckpointStore store = new InMemoryCheckpointStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> parked = new CopyOnWriteArrayList<>();
    private final InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
    private LifecycleProcessor processor;

    @BeforeEach
    void buildTheGraph() throws Exception {
        adt.uploadModels(resource("models/Thermostat.json"), resource("models/Room.json"));
        adt.createTwinIfAbsent(DigitalTwin.of("room-1", ROOM));
        for (String device : List.of("dev-1", "dev-2", "dev-4")) {
            adt.createTwinIfAbsent(DigitalTwin.of(device, THERMOSTAT));
            adt.createRelationshipIfAbsent(Relationship.of("contains-" + device, "room-1", device, "contains"));
        }
    }

    @AfterEach
    void closeProcessor() {
        if (processor != null) {
            processor.close();
        }
    }

    private EventHubsLifecycleConsumer consumer(Set<String> forbidden, boolean sinkWorks) {
        DigitalTwinsGateway gateway = Mockito.mock(DigitalTwinsGateway.class, invocation -> {
            Object first = invocation.getArguments().length == 0 ? null : invocation.getArgument(0);
            if (first instanceof String twinId && forbidden.contains(twinId)) {
                throw new AdtException(403, "Forbidden", "the identity lacks a data role");
            }
            try {
                return invocation.getMethod().invoke(adt, invocation.getArguments());
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        DeadLetterSink sink = letter -> {
            if (!sinkWorks) {
                throw new IllegalStateException("dead-letter queue unreachable");
            }
            parked.add(letter.twinId());
        };
        processor = LifecycleProcessor.builder(gateway)
                .options(LifecycleOptions.builder().maxAttempts(1).build())
                .deadLetterSink(sink)
                .build();
        return new EventHubsLifecycleConsumer(processor, store, meters);
    }

    private static String resource(String name) throws Exception {
        try (var in = EventHubsLifecycleConsumerTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static IotHubEventBatch batch() {
        return IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("hub-a", "dev-1"),
                IotHubEvents.moduleDeleted("hub-a", "dev-2", "edgeAgent"),
                IotHubEvents.twinUpdated("hub-a", "dev-3"),
                IotHubEvents.deviceDeleted("hub-a", "dev-2"),
                IotHubEvents.deviceDeleted("hub-a", "dev-4"));
    }

    @Test
    void checkpointsTheWholeBatchOnceEveryEventIsSettled() {
        EventHubsLifecycleConsumer consumer = consumer(Set.of(), true);
        EventBatchContext context = EventHubsEvents.batchContext(batch(), store);

        consumer.onBatch(context);

        assertThat(adt.engine().twinIds()).as("dev-1, dev-2 and dev-4 retired").containsExactly("room-1");
        assertThat(adt.listRelationships("room-1", null)).as("with their placements").isEmpty();
        assertThat(store.writes()).singleElement().satisfies(checkpoint -> {
            assertThat(checkpoint.getSequenceNumber()).isEqualTo(context.getEvents().get(4).getSequenceNumber());
            assertThat(checkpoint.getOffsetString()).isEqualTo(context.getEvents().get(4).getOffsetString());
            assertThat(checkpoint.getPartitionId()).isEqualTo("0");
            assertThat(checkpoint.getEventHubName()).isEqualTo(EventHubsEvents.DEFAULT_EVENT_HUB);
        });
        assertThat(meters.counter(SpringMeters.EVENTHUBS_BATCHES, "checkpoint", "batch").count()).isEqualTo(1);
    }

    @Test
    void aDeadLetteredEventIsSettledAndTheBatchIsCheckpointed() {
        EventHubsLifecycleConsumer consumer = consumer(Set.of("dev-2"), true);

        consumer.onBatch(EventHubsEvents.batchContext(batch(), store));

        assertThat(parked).containsExactly("dev-2");
        assertThat(adt.engine().twinIds()).containsExactlyInAnyOrder("room-1", "dev-2");
        assertThat(store.writes()).singleElement()
                .satisfies(checkpoint -> assertThat(checkpoint.getSequenceNumber()).isEqualTo(4L));
    }

    @Test
    void checkpointsOnlyTheSettledPrefixWhenAnEventFailedAndHandsTheRestBack() {
        EventHubsLifecycleConsumer consumer = consumer(Set.of("dev-2"), false);
        EventBatchContext context = EventHubsEvents.batchContext(batch(), store);

        assertThatThrownBy(() -> consumer.onBatch(context))
                .isInstanceOf(BatchNotSettledException.class)
                .satisfies(e -> assertThat(((BatchNotSettledException) e).checkpointedEvents()).isEqualTo(3));

        assertThat(store.writes()).as("the checkpoint stops before the failed event at index 3")
                .singleElement().satisfies(checkpoint -> {
                    assertThat(checkpoint.getSequenceNumber()).isEqualTo(context.getEvents().get(2).getSequenceNumber());
                    assertThat(checkpoint.getOffsetString()).isEqualTo(context.getEvents().get(2).getOffsetString());
                    assertThat(checkpoint.getConsumerGroup()).isEqualTo("$Default");
                });
        assertThat(meters.counter(SpringMeters.EVENTHUBS_BATCHES, "checkpoint", "prefix").count()).isEqualTo(1);
    }

    @Test
    void writesNoCheckpointWhenTheFirstEventFailed() {
        EventHubsLifecycleConsumer consumer = consumer(Set.of("dev-1"), false);

        assertThatThrownBy(() -> consumer.onBatch(EventHubsEvents.batchContext(batch(), store)))
                .isInstanceOf(BatchNotSettledException.class);

        assertThat(store.writes()).isEmpty();
        assertThat(adt.engine().twinIds()).as("dev-1 failed; dev-2 and dev-4 retired meanwhile, replays are harmless")
                .containsExactlyInAnyOrder("room-1", "dev-1");
        assertThat(meters.counter(SpringMeters.EVENTHUBS_BATCHES, "checkpoint", "none").count()).isEqualTo(1);
    }

    @Test
    void anEmptyBatchWritesNothing() {
        EventHubsLifecycleConsumer consumer = consumer(Set.of(), true);

        consumer.onBatch(EventHubsEvents.batchContext(IotHubEventBatch.of(List.of()), store));

        assertThat(store.writes()).isEmpty();
    }

    @Test
    void aRedeliveredBatchIsHarmlessAndCheckpointedAgain() {
        EventHubsLifecycleConsumer consumer = consumer(Set.of(), true);
        IotHubEventBatch batch = batch();

        consumer.onBatch(EventHubsEvents.batchContext(batch, store));
        consumer.onBatch(EventHubsEvents.batchContext(batch, store));

        assertThat(store.writes()).hasSize(2).extracting(Checkpoint::getSequenceNumber).containsOnly(4L);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void errorsAreReportedWithoutSecrets(CapturedOutput output) {
        EventHubsLifecycleConsumer consumer = consumer(Set.of(), true);
        PartitionContext partition = new PartitionContext("ns", "hub", "$Default", "0");

        consumer.onError(new ErrorContext(partition, new IllegalStateException(
                "connect failed for Endpoint=sb://x/;SharedAccessKeyName=l;SharedAccessKey=c2VjcmV0")));
        consumer.onError(new ErrorContext(partition, new BatchNotSettledException("0", 5, 3)));
        assertThat(output.getAll()).contains("Event Hubs processor error on partition 0")
                .contains("SharedAccessKey=***").doesNotContain("c2VjcmV0");
    }
}
