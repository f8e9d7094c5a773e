package io.dpstwin.testkit.iothub;


import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered batch of events as one Event Hubs partition delivers them: events without an explicit
 * {@linkplain IotHubEvent#withPosition position} get consecutive sequence numbers and growing offsets (the offset
 * advances by each body's size). Renders the batch as Azure Functions binding arrays, an Event Grid array or a
 * CloudEvents batch; {@link EventHubsEvents} turns it into {@code EventData}.
 *
 * <pre>{@code
 * IotHubEventBatch batch = IotHubEventBatch.of(
 *         IotHubEvents.deviceDeleted("hub", "dev-1"),
 *         IotHubEvents.moduleDeleted("hub", "dev-2", "edgeAgent"));
 * FunctionsEventHubsBinding binding = batch.functionsBinding();
 * }</pre>
 */
public final class IotHubEventBatch {

    private final List<IotHubEvent> events;

    private IotHubEventBatch(List<IotHubEvent> events) {
        this.events = List.copyOf(events);
    }

    /** A batch starting at sequence number 0, offset 0. */
    public static IotHubEventBatch of(IotHubEvent... events) {
        return of(List.of(events));
    }

    /** A batch starting at sequence number 0, offset 0. */
    public static IotHubEventBatch of(List<IotHubEvent> events) {
        return startingAt(0, 0, events);
    }

    /** A batch whose first unpositioned event gets {@code sequenceNumber} and {@code offset}. */
    public static IotHubEventBatch startingAt(long sequenceNumber, long offset, List<IotHubEvent> events) {
        Objects.requireNonNull(events, "events");
        List<IotHubEvent> positioned = new ArrayList<>(events.size());
        long nextSequence = sequenceNumber;
        long nextOffset = offset;
        for (IotHubEvent event : events) {
            IotHubEvent e = Objects.requireNonNull(event, "event");
            if (!e.hasPosition()) {
                e = e.withPosition(nextSequence, Long.toString(nextOffset));
            }
            EventHubsPosition position = e.eventHubsPosition();
            nextSequence = position.sequenceNumber() + 1;
            nextOffset = parseOrElse(position.offset(), nextOffset) + e.bodyBytes().length;
            positioned.add(e);
        }
        return new IotHubEventBatch(positioned);
    }

    private static long parseOrElse(String offset, long fallback) {
        try {
            return Long.parseLong(offset);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The events, each with its Event Hubs position. */
    public List<IotHubEvent> events() {
        return events;
    }

    /** The number of events. */
    public int size() {
        return events.size();
    }

    /** The arrays the Azure Functions Event Hubs trigger binds with {@code cardinality = MANY}. */
    public FunctionsEventHubsBinding functionsBinding() {
        return new FunctionsEventHubsBinding(events, false);
    }

    /** The batch as one Event Grid delivery (a JSON array of Event Grid events). */
    public String toEventGridJson() {
        return EventGridEvents.toJson(events);
    }

    /** The batch as a CloudEvents batch ({@code application/cloudevents-batch+json}). */
    public String toCloudEventsJson() {
        return CloudEvents.toBatchJson(events);
    }
}
