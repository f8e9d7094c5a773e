package io.dpstwin.spring.eventhubs;

import com.azure.messaging.eventhubs.checkpointstore.blob.BlobCheckpointStore;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.PartitionOwnership;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.azurite.Azurite;
import io.dpstwin.testkit.azurite.AzuriteTest;
import io.dpstwin.testkit.iothub.EventHubsEvents;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Event Hubs SDK's {@link BlobCheckpointStore} on Azurite's real blobs: partition ownership is claimed with ETags
 * as the SDK's load balancer does, and the consumer checkpoints a batch only after its outcome is known.
 */
@AzuriteTest
class BlobCheckpointStoreOnAzuriteTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String GROUP = "$Default";

    private final InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
    private BlobCheckpointStore store;
    private LifecycleProcessor processor;

    @BeforeEach
    void createTheContainer(Azurite azurite) throws Exception {
        BlobContainerAsyncClient container = new BlobContainerClientBuilder()
                .connectionString(azurite.connectionString())
                .containerName("checkpoints-" + UUID.randomUUID())
                .buildAsyncClient();
        container.create().block();
        store = new BlobCheckpointStore(container);
        try (var in = getClass().getClassLoader().getResourceAsStream("models/Thermostat.json")) {
            adt.uploadModels(new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8));
        }
        for (String device : List.of("dev-1", "dev-2", "dev-3")) {
            adt.createTwinIfAbsent(DigitalTwin.of(device, THERMOSTAT));
        }
    }

    @AfterEach
    void close() {
        if (processor != null) {
            processor.close();
        }
    }

    private static PartitionOwnership ownership(String owner, String etag) {
        return new PartitionOwnership()
                .setFullyQualifiedNamespace(EventHubsEvents.DEFAULT_NAMESPACE)
                .setEventHubName(EventHubsEvents.DEFAULT_EVENT_HUB)
                .setConsumerGroup(GROUP)
                .setPartitionId("0")
                .setOwnerId(owner)
                .setETag(etag);
    }

    @Test
    void ownershipIsClaimedWithEtagsSoThatAStaleClaimLoses() {
        List<PartitionOwnership> first = store.claimOwnership(List.of(ownership("replica-a", null)))
                .collectList().block();
        assertThat(first).singleElement().satisfies(claimed -> {
            assertThat(claimed.getOwnerId()).isEqualTo("replica-a");
            assertThat(claimed.getETag()).isNotBlank();
        });
        String etag = first.get(0).getETag();

        assertThat(store.claimOwnership(List.of(ownership("replica-b", null))).collectList().block())
                .as("a claim without the current ETag of an owned partition").isEmpty();

        List<PartitionOwnership> renewed = store.claimOwnership(List.of(ownership("replica-a", etag)))
                .collectList().block();
        assertThat(renewed).singleElement().satisfies(claimed -> assertThat(claimed.getETag()).isNotEqualTo(etag));

        assertThat(store.claimOwnership(List.of(ownership("replica-b", etag))).collectList().block())
                .as("a claim with an ETag that has moved on").isEmpty();
        assertThat(store.listOwnership(EventHubsEvents.DEFAULT_NAMESPACE, EventHubsEvents.DEFAULT_EVENT_HUB, GROUP)
                .collectList().block()).singleElement()
                .satisfies(owner -> assertThat(owner.getOwnerId()).isEqualTo("replica-a"));

        assertThat(store.claimOwnership(List.of(ownership("replica-b", renewed.get(0).getETag())))
                .collectList().block()).as("taking over with the current ETag").singleElement()
                .satisfies(claimed -> assertThat(claimed.getOwnerId()).isEqualTo("replica-b"));
    }

    private EventHubsLifecycleConsumer consumer(Set<String> failing) {
        DigitalTwinsGateway gateway = Mockito.mock(DigitalTwinsGateway.class, invocation -> {
            Object first = invocation.getArguments().length == 0 ? null : invocation.getArgument(0);
            if (first instanceof String twinId && failing.contains(twinId)) {
                throw new AdtException(403, "Forbidden", "the identity lacks a data role");
            }
            try {
                return invocation.getMethod().invoke(adt, invocation.getArguments());
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        processor = LifecycleProcessor.builder(gateway)
                .options(LifecycleOptions.builder().maxAttempts(1).build())
                .deadLetterSink(letter -> {
                    throw new IllegalStateException("dead-letter queue unreachable");
                })
                .build();
        return new EventHubsLifecycleConsumer(processor, store, new SimpleMeterRegistry());
    }

    private List<Checkpoint> checkpoints() {
        return store.listCheckpoints(EventHubsEvents.DEFAULT_NAMESPACE, EventHubsEvents.DEFAULT_EVENT_HUB, GROUP)
                .collectList().block();
    }

    private static IotHubEventBatch batch() {
        return IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("hub-a", "dev-1"),
                IotHubEvents.deviceDeleted("hub-a", "dev-2"),
                IotHubEvents.deviceDeleted("hub-a", "dev-3"));
    }

    @Test
    void aSettledBatchIsCheckpointedAtItsLastEvent() {
        EventBatchContext context = EventHubsEvents.batchContext(batch(), store);

        consumer(Set.of()).onBatch(context);

        assertThat(checkpoints()).singleElement().satisfies(checkpoint -> {
            assertThat(checkpoint.getPartitionId()).isEqualTo("0");
            assertThat(checkpoint.getSequenceNumber()).isEqualTo(context.getEvents().get(2).getSequenceNumber());
            assertThat(checkpoint.getOffsetString()).isEqualTo(context.getEvents().get(2).getOffsetString());
        });
    }

    @Test
    void aBatchWithAFailedEventIsCheckpointedBeforeItAndNeverPastIt() {
        EventBatchContext context = EventHubsEvents.batchContext(batch(), store);

        assertThatThrownBy(() -> consumer(Set.of("dev-2")).onBatch(context))
                .isInstanceOf(BatchNotSettledException.class);

        assertThat(checkpoints()).singleElement().satisfies(checkpoint ->
                assertThat(checkpoint.getSequenceNumber()).isEqualTo(context.getEvents().get(0).getSequenceNumber()));
    }

    @Test
    void aBatchWhoseFirstEventFailedLeavesNoCheckpoint() {
        EventBatchContext context = EventHubsEvents.batchContext(batch(), store);

        assertThatThrownBy(() -> consumer(Set.of("dev-1")).onBatch(context))
                .isInstanceOf(BatchNotSettledException.class);

        assertThat(checkpoints()).isEmpty();
    }
}
