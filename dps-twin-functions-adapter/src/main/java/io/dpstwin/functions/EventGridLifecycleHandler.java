package io.dpstwin.functions;

import com.microsoft.azure.functions.ExecutionContext;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventGridLifecycleParser;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * IoT Hub device lifecycle events delivered by Event Grid ({@code Microsoft.Devices.DeviceCreated} /
 * {@code DeviceDeleted}) on an Event Grid trigger, which hands over one event as a JSON string and answers the
 * subscription validation handshake itself. Event Grid schema and CloudEvents 1.0 are both read (core's
 * {@link EventGridLifecycleParser}); other event types are skipped.
 *
 * <pre>{@code
 * @FunctionName("DeviceLifecycleEventGridFunc")
 * public void run(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
 *     DpsTwinFunctions.eventGridLifecycle().handle(event, context);
 * }
 * }</pre>
 *
 * <p>Logs one summary per invocation and throws a {@link LifecycleBatchException} only when the event has no outcome
 * (the dead-letter sink failed), so that the function fails and Event Grid retries the delivery. Event Grid does not
 * keep order: configure the registry guard so that a reprovisioned device is never retired. Thread-safe.
 */
public final class EventGridLifecycleHandler {

    static final String SOURCE = "Event Grid";

    private final Supplier<DpsTwin> dpsTwin;
    private final EventGridLifecycleParser parser;

    /** @param dpsTwin the process's instance, e.g. a {@link LazyDpsTwin} */
    public EventGridLifecycleHandler(Supplier<DpsTwin> dpsTwin) {
        this(dpsTwin, new EventGridLifecycleParser());
    }

    /** With a parser of your own, e.g. another bound on body sizes. */
    public EventGridLifecycleHandler(Supplier<DpsTwin> dpsTwin, EventGridLifecycleParser parser) {
        this.dpsTwin = Objects.requireNonNull(dpsTwin, "dpsTwin");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * Processes the event (or array of events) the trigger delivered.
     *
     * @return the outcome of every event (all settled)
     * @throws LifecycleBatchException when an event has no outcome and the delivery must be retried
     */
    public BatchResult handle(String event, ExecutionContext context) {
        DpsTwin ready = LifecycleInvocations.resolve(dpsTwin, SOURCE, context);
        return LifecycleInvocations.process(ready, parser.parse(event), SOURCE, context);
    }
}
