package io.dpstwin.core.lifecycle;

import java.util.Locale;

/** What became of one lifecycle event. Every outcome but {@link #FAILED} is settled: the event needs no redelivery. */
public enum LifecycleOutcome {
    /** The device was deleted and its twin retired by the retirement policy. */
    RETIRED,
    /** The device was deleted and its twin did not exist (already retired, or never created). */
    ALREADY_GONE,
    /** The device was created and its twin was created. */
    CREATED,
    /** The device was created and its twin already existed (e.g. made by the provision flow). */
    EXISTS,
    /** The event was deliberately not acted on; {@link EventOutcome#reason()} says why. */
    SKIPPED,
    /** The event could not be applied (permanent failure, or retries/budget exhausted) and was handed to the dead-letter sink. */
    DEAD_LETTERED,
    /**
     * The event has no safe outcome: the dead-letter sink itself failed, or processing was interrupted. The adapter
     * must not checkpoint past it (or must let the host redeliver the batch).
     */
    FAILED;

    /** The metric tag value: the lower-case name, e.g. {@code already_gone}. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the event is settled (everything except {@link #FAILED}). */
    public boolean isSettled() {
        return this != FAILED;
    }
}
