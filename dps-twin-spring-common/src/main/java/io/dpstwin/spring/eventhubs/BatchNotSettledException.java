package io.dpstwin.spring.eventhubs;

/**
 * Thrown by {@link EventHubsLifecycleConsumer#onBatch} when some event of the batch failed: the Event Hubs SDK then
 * stops the partition's pump and restarts it from the last checkpoint, which lies before the failed event.
 */
public class BatchNotSettledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int checkpointedEvents;

    public BatchNotSettledException(String partitionId, int batchSize, int checkpointedEvents) {
        super("batch of " + batchSize + " events on partition " + partitionId + " not settled; "
                + checkpointedEvents + " leading event(s) checkpointed, the rest will be delivered again");
        this.checkpointedEvents = checkpointedEvents;
    }

    /** How many leading events of the batch were checkpointed. */
    public int checkpointedEvents() {
        return checkpointedEvents;
    }
}
