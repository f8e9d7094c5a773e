package io.dpstwin.core.lifecycle;

/** Where a lifecycle event came from: the envelope it was parsed from. */
public enum EventSourceKind {
    /** IoT Hub message routing to Event Hubs (SDK {@code EventData} or the Azure Functions Event Hubs binding). */
    EVENT_HUBS,
    /** Event Grid, Event Grid schema ({@code eventType}, {@code data}, {@code topic}). */
    EVENT_GRID,
    /** Event Grid, CloudEvents 1.0 schema ({@code specversion}, {@code type}, {@code source}). */
    CLOUD_EVENTS
}
