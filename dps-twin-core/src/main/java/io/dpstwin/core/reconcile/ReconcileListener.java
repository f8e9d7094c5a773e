package io.dpstwin.core.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Follows reconcile runs as they go. {@link #onProgress} is called from the reconciler's worker threads at each change
 * of phase and, while items are listed or actions done, at most every 100 ms, so it must be quick and thread-safe; a
 * listener that throws is logged and otherwise ignored. Register one with {@link Reconciler.Builder#listener(ReconcileListener)}.
 */
public interface ReconcileListener {

    /** The run has moved on: more items listed, a new phase, or one more action done. */
    void onProgress(ReconcileProgress progress);

    /** The run is over; {@code report} is what {@link Reconciler#run(boolean)} returns. */
    default void onFinished(ReconcileReport report) {
    }

    /** A listener that does nothing. */
    static ReconcileListener none() {
        return progress -> {
        };
    }

    /**
     * A listener that logs the progress of long runs at INFO, at most once per {@code interval} (plus every change of
     * phase after the first interval), so that an operator watching the logs of a run over a million devices sees it
     * move without a line per page.
     */
    static ReconcileListener logging(Duration interval, Clock clock) {
        return new LoggingReconcileListener(interval, clock);
    }

    /** All of {@code listeners}, in order. */
    static ReconcileListener all(List<ReconcileListener> listeners) {
        List<ReconcileListener> copy = List.copyOf(listeners);
        return new ReconcileListener() {
            @Override
            public void onProgress(ReconcileProgress progress) {
                copy.forEach(listener -> listener.onProgress(progress));
            }

            @Override
            public void onFinished(ReconcileReport report) {
                copy.forEach(listener -> listener.onFinished(report));
            }
        };
    }

    /** Shorthand of {@link #all(List)}. */
    static ReconcileListener all(ReconcileListener first, ReconcileListener second) {
        return all(List.of(Objects.requireNonNull(first, "first"), Objects.requireNonNull(second, "second")));
    }
}
