package io.dpstwin.spring.eventhubs;

import io.micrometer.core.instrument.Counter;
import io.dpstwin.spring.metrics.SpringMeters;
import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.ErrorContext;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.PartitionContext;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.support.Redaction;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The batch handler of the {@code EventProcessorClient} that consumes IoT Hub lifecycle events routed to Event Hubs
 * ({@code processEventBatch(consumer::onBatch, ...)}). Each batch is parsed by the core (application properties,
 * system properties and body of every {@link EventData}) and applied by the {@link LifecycleProcessor}; the
 * checkpoint moves only once the batch has its outcomes:
 * <ul>
 *   <li>every event settled (applied, skipped or dead-lettered): the whole batch is checkpointed;</li>
 *   <li>some event {@code FAILED} (the dead-letter sink failed, or shutdown interrupted the batch): the checkpoint
 *       moves to the last event of the settled prefix (none when the first event failed), never past a failed
 *       event, and a {@link BatchNotSettledException} is thrown. The SDK then closes this partition's pump; its
 *       load balancer reclaims the partition on its next cycle and restarts it from the checkpoint, so the failed
 *       event and everything after it are delivered again (replays are harmless).</li>
 * </ul>
 * Counter {@value io.dpstwin.spring.metrics.SpringMeters#EVENTHUBS_BATCHES} (tag {@code checkpoint}: {@code batch}, {@code prefix}, {@code none}) records which
 * happened. Thread-safe: the SDK calls it for several partitions at once.
 */
public final class EventHubsLifecycleConsumer {


    private static final Logger LOG = LoggerFactory.getLogger(EventHubsLifecycleConsumer.class);

    private final LifecycleProcessor processor;
    private final CheckpointStore checkpointStore;
    private final EventHubsLifecycleParser parser;
    private final MeterRegistry meters;

    /**
     * @param processor       the retire flow
     * @param checkpointStore the store the {@code EventProcessorClient} was built with (for prefix checkpoints)
     * @param meters          where {@value io.dpstwin.spring.metrics.SpringMeters#EVENTHUBS_BATCHES} goes
     */
    public EventHubsLifecycleConsumer(LifecycleProcessor processor, CheckpointStore checkpointStore,
                                      MeterRegistry meters) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.checkpointStore = Objects.requireNonNull(checkpointStore, "checkpointStore");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.parser = new EventHubsLifecycleParser();
    }

    /**
     * Handles one batch of one partition.
     *
     * @throws BatchNotSettledException when some event failed, after checkpointing the settled prefix
     */
    public void onBatch(EventBatchContext context) {
        List<EventData> events = context.getEvents();
        if (events == null || events.isEmpty()) {
            return;
        }
        PartitionContext partition = context.getPartitionContext();
        List<ParsedEvent> parsed = new ArrayList<>(events.size());
        for (EventData event : events) {
            parsed.add(parser.parse(event.getProperties(), event.getSystemProperties(), event.getBody()));
        }
        BatchResult result = processor.process(parsed);
        if (result.allSettled()) {
            context.updateCheckpoint();
            record("batch");
            LOG.debug("Partition {}: batch settled and checkpointed: {}", partition.getPartitionId(), result.summary());
            return;
        }
        int prefix = result.settledPrefixLength();
        if (prefix > 0) {
            EventData last = events.get(prefix - 1);
            checkpointStore.updateCheckpoint(checkpointOf(partition, last)).block();
            record("prefix");
        } else {
            record("none");
        }
        LOG.warn("Partition {}: {} of {} events failed ({}); checkpointed {} settled leading event(s); the partition "
                        + "restarts from its checkpoint and the failed events are delivered again",
                partition.getPartitionId(), result.failed().size(), result.size(), result.summary(), prefix);
        throw new BatchNotSettledException(partition.getPartitionId(), result.size(), prefix);
    }

    /** Logs a processor error (connection loss, ownership change, a failed batch) without secrets. */
    public void onError(ErrorContext context) {
        Throwable failure = context.getThrowable();
        String partition = context.getPartitionContext() == null ? "?" : context.getPartitionContext().getPartitionId();
        if (failure instanceof BatchNotSettledException) {
            LOG.debug("Partition {}: {}", partition, failure.getMessage());
            return;
        }
        LOG.warn("Event Hubs processor error on partition {}: {}: {}", partition,
                failure == null ? "unknown" : failure.getClass().getSimpleName(),
                failure == null ? "" : Redaction.redactText(String.valueOf(failure.getMessage())));
    }

    @SuppressWarnings("deprecation")
    static Checkpoint checkpointOf(PartitionContext partition, EventData event) {
        return new Checkpoint()
                .setFullyQualifiedNamespace(partition.getFullyQualifiedNamespace())
                .setEventHubName(partition.getEventHubName())
                .setConsumerGroup(partition.getConsumerGroup())
                .setPartitionId(partition.getPartitionId())
                .setSequenceNumber(event.getSequenceNumber())
                .setOffset(event.getOffset())
                .setOffsetString(event.getOffsetString());
    }

    private void record(String checkpoint) {
        Counter.builder(SpringMeters.EVENTHUBS_BATCHES)
                .description("Event Hubs batches by how they were checkpointed")
                .tag("checkpoint", checkpoint)
                .register(meters)
                .increment();
    }
}
