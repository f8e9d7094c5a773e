package io.dpstwin.functions;

import com.microsoft.azure.functions.ExecutionContext;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * IoT Hub device lifecycle events routed to Event Hubs, on an Event Hubs trigger with {@code cardinality = MANY}:
 * the message array and the index-aligned {@code PropertiesArray} and {@code SystemPropertiesArray} go to core's
 * {@link EventHubsLifecycleParser#parseFunctionsBatch} and {@link io.dpstwin.core.lifecycle.LifecycleProcessor}.
 *
 * <pre>{@code
 * @FunctionName("DeviceLifecycleEventHubFunc")
 * @ExponentialBackoffRetry(maxRetryCount = 5, minimumInterval = "00:00:10", maximumInterval = "00:05:00")
 * public void run(
 *         @EventHubTrigger(name = "messages", eventHubName = "%DPSTWIN_LIFECYCLE_EVENTHUBS_EVENTHUBNAME%",
 *                 connection = "EVENTHUB_CONNECTIONSTRING", dataType = "string", cardinality = Cardinality.MANY)
 *         String[] messages,
 *         @BindingName("PropertiesArray") Map<String, Object>[] propertiesArray,
 *         @BindingName("SystemPropertiesArray") Map<String, Object>[] systemPropertiesArray,
 *         ExecutionContext context) {
 *     DpsTwinFunctions.eventHubsLifecycle().handle(messages, propertiesArray, systemPropertiesArray, context);
 * }
 * }</pre>
 *
 * <p>Core retries transient failures of each event within its budget and dead-letters what still fails, so a
 * partition is never blocked for long. The handler logs one summary per batch (counts by outcome and reason, ids of
 * dead-lettered events; never a body) and throws a {@link LifecycleBatchException} only when an event has no outcome
 * ({@code failed}: the dead-letter sink failed), the one case in which redelivery helps; with a retry policy on the
 * function the host then redelivers the batch before it checkpoints. Thread-safe.
 */
public final class EventHubsLifecycleHandler {

    static final String SOURCE = "Event Hubs";

    private final Supplier<DpsTwin> dpsTwin;
    private final EventHubsLifecycleParser parser;

    /** @param dpsTwin the process's instance, e.g. a {@link LazyDpsTwin} */
    public EventHubsLifecycleHandler(Supplier<DpsTwin> dpsTwin) {
        this(dpsTwin, new EventHubsLifecycleParser());
    }

    /** With a parser of your own, e.g. another bound on body sizes. */
    public EventHubsLifecycleHandler(Supplier<DpsTwin> dpsTwin, EventHubsLifecycleParser parser) {
        this.dpsTwin = Objects.requireNonNull(dpsTwin, "dpsTwin");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * Processes a batch bound with {@code dataType = "string"}.
     *
     * @return the outcome of every event, in batch order (all settled)
     * @throws LifecycleBatchException when an event has no outcome and the batch must be redelivered
     */
    public BatchResult handle(String[] messages, Map<String, Object>[] propertiesArray,
                              Map<String, Object>[] systemPropertiesArray, ExecutionContext context) {
        DpsTwin ready = LifecycleInvocations.resolve(dpsTwin, SOURCE, context);
        return LifecycleInvocations.process(ready,
                parser.parseFunctionsBatch(messages, propertiesArray, systemPropertiesArray), SOURCE, context);
    }

    /** As {@link #handle(String[], Map[], Map[], ExecutionContext)} for {@code dataType = "binary"}. */
    public BatchResult handle(byte[][] messages, Map<String, Object>[] propertiesArray,
                              Map<String, Object>[] systemPropertiesArray, ExecutionContext context) {
        DpsTwin ready = LifecycleInvocations.resolve(dpsTwin, SOURCE, context);
        return LifecycleInvocations.process(ready,
                parser.parseFunctionsBatch(messages, propertiesArray, systemPropertiesArray), SOURCE, context);
    }
}
