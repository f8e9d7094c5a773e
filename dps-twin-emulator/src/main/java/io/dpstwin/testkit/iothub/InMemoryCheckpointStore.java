package io.dpstwin.testkit.iothub;

import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.PartitionOwnership;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link CheckpointStore} in memory, with the blob store's rules: an ownership claim succeeds only with the
 * current etag (or for an unowned partition), and every checkpoint write is recorded in order. Give it to
 * {@link EventHubsEvents#batchContext} or to an {@code EventProcessorClient} under test.
 */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<String, PartitionOwnership> ownership = new ConcurrentHashMap<>();
    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
    private final List<Checkpoint> writes = new CopyOnWriteArrayList<>();

    @Override
    public Flux<PartitionOwnership> listOwnership(String namespace, String eventHub, String consumerGroup) {
        return Flux.fromIterable(new ArrayList<>(ownership.values()))
                .filter(o -> o.getFullyQualifiedNamespace().equals(namespace) && o.getEventHubName().equals(eventHub)
                        && o.getConsumerGroup().equals(consumerGroup));
    }

    @Override
    public synchronized Flux<PartitionOwnership> claimOwnership(List<PartitionOwnership> requested) {
        List<PartitionOwnership> claimed = new ArrayList<>();
        for (PartitionOwnership claim : requested) {
            String key = key(claim.getFullyQualifiedNamespace(), claim.getEventHubName(), claim.getConsumerGroup(),
                    claim.getPartitionId());
            PartitionOwnership current = ownership.get(key);
            if (current == null || current.getETag().equals(claim.getETag())) {
                PartitionOwnership granted = new PartitionOwnership()
                        .setFullyQualifiedNamespace(claim.getFullyQualifiedNamespace())
                        .setEventHubName(claim.getEventHubName())
                        .setConsumerGroup(claim.getConsumerGroup())
                        .setPartitionId(claim.getPartitionId())
                        .setOwnerId(claim.getOwnerId())
                        .setLastModifiedTime(System.currentTimeMillis())
                        .setETag(UUID.randomUUID().toString());
                ownership.put(key, granted);
                claimed.add(granted);
            }
        }
        return Flux.fromIterable(claimed);
    }

    @Override
    public Flux<Checkpoint> listCheckpoints(String namespace, String eventHub, String consumerGroup) {
        return Flux.fromIterable(new ArrayList<>(checkpoints.values()))
                .filter(c -> c.getFullyQualifiedNamespace().equals(namespace) && c.getEventHubName().equals(eventHub)
                        && c.getConsumerGroup().equals(consumerGroup));
    }

    @Override
    public Mono<Void> updateCheckpoint(Checkpoint checkpoint) {
        return Mono.fromRunnable(() -> {
            checkpoints.put(key(checkpoint.getFullyQualifiedNamespace(), checkpoint.getEventHubName(),
                    checkpoint.getConsumerGroup(), checkpoint.getPartitionId()), checkpoint);
            writes.add(checkpoint);
        });
    }

    /** Every checkpoint written, in order. */
    public List<Checkpoint> writes() {
        return List.copyOf(writes);
    }

    private static String key(String namespace, String eventHub, String consumerGroup, String partition) {
        return namespace + "/" + eventHub + "/" + consumerGroup + "/" + partition;
    }
}
