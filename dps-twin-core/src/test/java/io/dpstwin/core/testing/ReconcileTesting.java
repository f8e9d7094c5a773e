package io.dpstwin.core.testing;

import io.dpstwin.core.reconcile.ReconcileOptions;

import java.time.Clock;

/** The reconcile options most reconciler tests start from (shared through core's test-jar). */
public final class ReconcileTesting {

    private ReconcileTesting() {
    }

    /** Options for {@code deviceModel}'s twins on {@code clock}, with IoT Hub limits too high to wait on. */
    public static ReconcileOptions.Builder unthrottled(String deviceModel, Clock clock) {
        return ReconcileOptions.builder()
                .deviceModels(deviceModel)
                .queriesPerMinute(100_000)
                .registryReadsPerMinute(100_000)
                .clock(clock);
    }
}
