package io.dpstwin.core.lifecycle;

/**
 * What a parser made of one incoming message: a {@link LifecycleEvent}, or an {@link UnparseableEvent} saying why
 * the message could not be read. Unparseable messages travel through the batch like any other event and come out
 * as a {@code skipped: unparseable} outcome, so a single bad message never fails a batch.
 */
public sealed interface ParsedEvent permits LifecycleEvent, UnparseableEvent {

    /** The envelope the message arrived in. */
    EventSourceKind source();

    /** The message's id when it has one (IoT Hub {@code correlation-id}, Event Grid / CloudEvents {@code id}). */
    String eventId();

    /** The Event Hubs sequence number when known, else {@code null}. */
    Long sequenceNumber();

    /**
     * A one-line description made of ids only (source, event id, sequence number, hub, device, module), safe for
     * logs: it never contains a message body.
     */
    String describe();
}
