package io.dpstwin.functions;

import io.dpstwin.core.lifecycle.BatchResult;

/**
 * Thrown by a lifecycle handler when its batch has events without a safe outcome
 * ({@link io.dpstwin.core.lifecycle.LifecycleOutcome#FAILED}: the dead-letter sink failed, or processing was
 * interrupted), so that the function fails and the Functions host redelivers the batch (Event Hubs with a retry
 * policy, Event Grid with its own retries). Replays are harmless: settled events come out as no-ops. The message
 * holds counts only.
 */
public final class LifecycleBatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient BatchResult result;

    LifecycleBatchException(String source, BatchResult result) {
        super(source + " lifecycle batch not settled, " + result.failed().size()
                + " event(s) without an outcome; failing the invocation so that the host redelivers the batch ("
                + result.summary() + ")");
        this.result = result;
    }

    /** The batch's outcomes. */
    public BatchResult result() {
        return result;
    }
}
